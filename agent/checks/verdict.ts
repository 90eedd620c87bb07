import type { Observed } from "../monitor/observations.js";
import type { Check, CheckResult, CheckStatus, Evidence } from "./types.js";

/**
 * The one rule every check follows: any wrong fact fails the check (we know something is wrong even if
 * other facts could not be judged); otherwise any unjudged fact makes it unknown; only a full set of good
 * facts passes. No facts at all is unknown: a check never passes on nothing.
 */
export function statusOf(evidence: readonly Evidence[]): CheckStatus {
  if (evidence.some((e) => e.ok === false)) return "fail";
  if (evidence.length === 0 || evidence.some((e) => e.ok === null)) return "unknown";
  return "pass";
}

const MAX_NAMED = 6;

function named(evidence: readonly Evidence[]): string {
  const names = evidence.slice(0, MAX_NAMED).map((e) => e.subject);
  return evidence.length > MAX_NAMED ? `${names.join(", ")}, …` : names.join(", ");
}

/**
 * A result with a one-line summary counting the facts: "2 of 8 phone ports wrong: lab-sw1 Gi1/0/3, …".
 * `noun` names what the evidence is about ("phone ports", "VLANs"); `passed` says what a pass means.
 */
export function verdict(
  check: Pick<Check, "id" | "title">,
  evidence: Evidence[],
  noun: string,
  passed: string,
): CheckResult {
  const status = statusOf(evidence);
  const wrong = evidence.filter((e) => e.ok === false);
  const unjudged = evidence.filter((e) => e.ok === null);
  const summary =
    status === "pass"
      ? `${passed} (${evidence.length} ${noun})`
      : status === "fail"
        ? `${wrong.length} of ${evidence.length} ${noun} wrong: ${named(wrong)}`
        : evidence.length === 0
          ? `nothing to judge: no ${noun} observed`
          : `${unjudged.length} of ${evidence.length} ${noun} could not be judged: ${named(unjudged)} (${unjudged[0]?.observed})`;
  return { id: check.id, title: check.title, status, summary, evidence };
}

/** The evidence for a fact whose observation is missing or failed. */
export function notObserved(
  subject: string,
  expected: string | undefined,
  what: string,
  obs: Observed<unknown> | undefined,
): Evidence {
  return {
    subject,
    ...(expected === undefined ? {} : { expected }),
    observed: obs && !obs.ok ? `not observed: ${obs.error}` : `not observed: ${what} was not collected`,
    ok: null,
    source: obs?.source ?? what,
  };
}

/** The most telling failed observation among the candidates, for an unknown fact. */
export function firstFailed(...candidates: (Observed<unknown> | undefined)[]): Observed<unknown> | undefined {
  return candidates.find((c) => c !== undefined && !c.ok) ?? candidates.find((c) => c !== undefined);
}
