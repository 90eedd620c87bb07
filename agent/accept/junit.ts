import type { CheckResult } from "../checks/types.js";
import { evidenceLine, verdictWord } from "./describe.js";
import { xmlAttr, xmlText } from "./text.js";
import type { AcceptanceReport } from "./types.js";

/**
 * junit.xml for CI systems (GitLab, Jenkins): one <testsuite> inside <testsuites>, one <testcase> per
 * check. fail → <failure>, unknown → <skipped> (the check could not be judged), each with the evidence as
 * its text; pass → the evidence in <system-out>. Every value goes through xmlAttr/xmlText.
 */
export function reportJunit(report: AcceptanceReport): string {
  const { counts } = report;
  const seconds = (report.durationMs / 1000).toFixed(3);
  const suite = `acceptance ${report.site.id}`;
  const attrs = (pairs: [string, string | number][]) =>
    pairs.map(([k, v]) => ` ${k}="${xmlAttr(String(v))}"`).join("");
  const totals: [string, number][] = [
    ["tests", counts.total],
    ["failures", counts.fail],
    ["errors", 0],
    ["skipped", counts.unknown],
  ];
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attrs([["name", "patchkast accept"], ...totals, ["time", seconds]])}>`,
    `  <testsuite${attrs([
      ["name", suite],
      ...totals,
      ["time", seconds],
      // JUnit's timestamp is an xs:dateTime without zone; ours is UTC.
      ["timestamp", report.startedAt.replace(/\.[0-9]+Z$|Z$/, "")],
    ])}>`,
    "    <properties>",
    ...properties(report).map(
      ([k, v]) =>
        `      <property${attrs([
          ["name", k],
          ["value", v],
        ])}/>`,
    ),
    "    </properties>",
    ...report.checks.map((c) => testcase(c, `patchkast.accept.${report.site.id}`, attrs)),
    "  </testsuite>",
    "</testsuites>",
    "",
  ];
  return lines.join("\n");
}

function properties(r: AcceptanceReport): [string, string][] {
  return [
    ["customer", r.customer],
    ["site", r.site.id],
    ["date", r.date],
    ["verdict", verdictWord[r.verdict]],
    ["verdict_reason", r.verdictReason],
    ["access_line", r.site.accessLine],
    ["line_max_concurrent_calls", r.line.found ? String(r.line.maxConcurrentCalls) : "unknown"],
    ["sla_tier", r.sla.found ? `${r.sla.name} (${r.sla.availabilityPercent}%)` : r.sla.key],
    ["agent_version", r.agent.version],
  ];
}

function testcase(
  c: CheckResult,
  classname: string,
  attrs: (pairs: [string, string | number][]) => string,
): string {
  const head = `    <testcase${attrs([
    ["classname", classname],
    ["name", c.id],
    ["time", "0"],
  ])}>`;
  const body = xmlText([c.title, c.summary, ...c.evidence.map(evidenceLine)].join("\n"));
  const inner =
    c.status === "fail"
      ? `      <failure${attrs([
          ["message", c.summary],
          ["type", "fail"],
        ])}>${body}</failure>`
      : c.status === "unknown"
        ? `      <skipped${attrs([["message", `unknown: ${c.summary}`]])}>${body}</skipped>`
        : `      <system-out>${body}</system-out>`;
  return `${head}\n${inner}\n    </testcase>`;
}
