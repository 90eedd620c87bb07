import type { CheckResult } from "../checks/types.js";
import type { Observations } from "../monitor/observations.js";
import { statusWord, verdictWord } from "./describe.js";
import { terminal } from "./text.js";
import type { AcceptanceReport } from "./types.js";

/**
 * One finished collection step, as `accept` prints it: "lab-sw1: SNMP PoE ok (120 ms)". The collectors'
 * own progress events are mapped onto this in agent/cli/accept.ts (wireAcceptDeps).
 */
export interface StepProgress {
  /** The device or target: "lab-sw1", "sip.voice.example.net:5060/udp", "phones". */
  subject: string;
  /** What was done: "SNMP PoE", "show interfaces switchport", "SIP OPTIONS". */
  step: string;
  /** true done, false failed, null not attempted/not applicable. */
  ok: boolean | null;
  durationMs?: number;
  /** Why it failed, or a short result: "timeout after 4 s", "200 OK". */
  detail?: string;
}

export function stepLine(p: StepProgress): string {
  const word = p.ok === true ? "ok" : p.ok === false ? "FAILED" : "skipped";
  const detail = p.detail ? `: ${p.detail}` : "";
  const ms = p.durationMs === undefined ? "" : ` (${Math.round(p.durationMs)} ms)`;
  return terminal(`${p.subject}: ${p.step} ${word}${detail}${ms}`);
}

export function checkLine(c: CheckResult): string {
  return terminal(`check ${c.id}: ${statusWord[c.status] ?? c.status} ${c.summary}`);
}

/** The last line: the verdict, the counts, and where the report is. */
export function verdictLine(r: AcceptanceReport, dir: string): string {
  const { pass, fail, unknown, total } = r.counts;
  return terminal(
    `${verdictWord[r.verdict]}: ${pass}/${total} passed, ${fail} failed, ${unknown} unknown (${r.verdictReason}); report in ${dir}`,
  );
}

/**
 * Lines for what the round observed besides the devices (whose steps print as they finish): each SIP
 * probe and the phones' check-ins. Made from the Observations contract, whatever collected them.
 */
export function observationLines(o: Observations): string[] {
  const sip = o.sipProbes.map((p) =>
    stepLine({
      subject: `${p.target}/${p.transport}`,
      step: "SIP OPTIONS",
      ok: p.result.reachable,
      detail: p.result.status === null ? p.result.reason : `${p.result.status} ${p.result.reason}`,
      ...(p.result.rttMs === null ? {} : { durationMs: p.result.rttMs }),
    }),
  );
  const phones = o.phones.ok
    ? stepLine({
        subject: "phones",
        step: "check-ins",
        ok: true,
        detail: `${o.phones.value.filter((p) => p.lastSeen !== null).length} of ${o.phones.value.length} seen`,
      })
    : stepLine({ subject: "phones", step: "check-ins", ok: false, detail: o.phones.error });
  return [...sip, phones];
}
