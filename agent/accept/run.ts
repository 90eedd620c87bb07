import type { Catalog } from "../catalog/load.js";
import type { CheckContext, CheckResult } from "../checks/types.js";
import type { Observations } from "../monitor/observations.js";
import type { Site } from "../site/schema.js";
import { reportHtml } from "./html.js";
import { reportJson } from "./json.js";
import { reportJunit } from "./junit.js";
import { checkLine, observationLines, type StepProgress, stepLine } from "./progress.js";
import { redactDeep } from "./redact.js";
import { buildAcceptanceReport } from "./report.js";
import type { AcceptanceReport, Verdict } from "./types.js";
import type { ReportFile } from "./write.js";

/** What an acceptance run talks to; agent/cli/accept.ts builds the real one, tests a fake. */
export interface AcceptDeps {
  /** One round of every collector; calls onStep as each device/step finishes. Failures are observations. */
  observe(onStep: (p: StepProgress) => void): Promise<Observations>;
  /** Every check, once (agent/checks/index.ts). */
  runChecks(ctx: CheckContext): CheckResult[] | Promise<CheckResult[]>;
  now?: () => Date;
}

export interface AcceptRunOptions {
  agentVersion: string;
  allowUnknown: boolean;
  engineer?: string;
  /** The secret values resolved so far; asked again whenever a line or the report is made. */
  secrets: () => readonly string[];
}

/** Observes the site once, runs every check once, prints a line per step and per check, builds the report. */
export async function runAcceptance(
  site: Site,
  catalog: Catalog,
  deps: AcceptDeps,
  opts: AcceptRunOptions,
  progress: (line: string) => void,
): Promise<AcceptanceReport> {
  const now = deps.now ?? (() => new Date());
  const say = (line: string) => progress(redactDeep(line, opts.secrets()));
  const startedAt = now();
  const observations = await deps.observe((p) => say(stepLine(p)));
  for (const line of observationLines(observations)) say(line);
  const results = await deps.runChecks({ site, catalog, observations });
  for (const r of results) say(checkLine(r));
  return buildAcceptanceReport({
    site,
    catalog,
    results,
    observations,
    meta: {
      startedAt,
      finishedAt: now(),
      agentVersion: opts.agentVersion,
      allowUnknown: opts.allowUnknown,
      ...(opts.engineer === undefined ? {} : { engineer: opts.engineer }),
      redact: opts.secrets(),
    },
  });
}

export function reportFiles(report: AcceptanceReport): ReportFile[] {
  return [
    { name: "report.json", content: reportJson(report) },
    { name: "junit.xml", content: reportJunit(report) },
    { name: "report.html", content: reportHtml(report) },
  ];
}

/** 0: accepted (with reservations only under --allow-unknown); 1: not accepted. */
export function exitCodeFor(verdict: Verdict): 0 | 1 {
  return verdict === "not_accepted" ? 1 : 0;
}
