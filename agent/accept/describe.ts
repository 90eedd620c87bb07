import type { CheckStatus, Evidence } from "../checks/types.js";
import type { FirmwareStatus, Verdict } from "./types.js";

/** The words the terminal, JUnit and the printed report use for the same things. */
export const statusWord: Readonly<Record<CheckStatus, string>> = {
  pass: "PASS",
  fail: "FAIL",
  unknown: "UNKNOWN",
};

export const verdictWord: Readonly<Record<Verdict, string>> = {
  accepted: "ACCEPTED",
  accepted_with_reservations: "ACCEPTED WITH RESERVATIONS",
  not_accepted: "NOT ACCEPTED",
};

export const firmwareWord: Readonly<Record<FirmwareStatus, string>> = {
  compliant: "ok",
  mismatch: "WRONG FIRMWARE",
  not_reported: "not reported",
  no_expectation: "no firmware in catalog",
};

export function evidenceOk(ok: boolean | null): string {
  return ok === true ? "ok" : ok === false ? "FAIL" : "?";
}

/** `[FAIL] lab-sw1 Gi1/0/3: no voice VLAN (expected voice VLAN 30) [SNMP CISCO-VLAN-MEMBERSHIP-MIB]`. */
export function evidenceLine(e: Evidence): string {
  const expected = e.expected === undefined ? "" : ` (expected ${e.expected})`;
  return `[${evidenceOk(e.ok)}] ${e.subject}: ${e.observed}${expected} [${e.source}]`;
}
