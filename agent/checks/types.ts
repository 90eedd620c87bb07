import type { Catalog } from "../catalog/load.js";
import type { Observations } from "../monitor/observations.js";
import type { Site } from "../site/schema.js";
import type { CheckLimits } from "./limits.js";

/**
 * The contract of every check (DESIGN.md: "checks/ one pure check per file: (site, observations) ->
 * {id, status, evidence}"). A check never talks to a device: it reads what the collectors observed, and
 * says `unknown` (never pass) when the observation it needs is missing or failed.
 */
export type CheckStatus = "pass" | "fail" | "unknown";

/** One observed fact the verdict rests on, in words an engineer can act on. */
export interface Evidence {
  /** What was looked at: "lab-sw1 GigabitEthernet1/0/3", "sip.voice.example.net:5060/udp". */
  subject: string;
  /** What the standard wants, when there is one: "voice VLAN 30". */
  expected?: string;
  /** What was seen: "no voice VLAN", "200 OK in 12 ms", "not observed: timeout after 4 s". */
  observed: string;
  /** This fact alone: fine (true), wrong (false), could not be judged (null). */
  ok: boolean | null;
  /** Where it came from: "SNMP CISCO-VLAN-MEMBERSHIP-MIB on 127.20.0.2", "show interfaces switchport". */
  source: string;
}

export interface CheckResult {
  /** Stable snake_case id; also the `check` label of patchkast_check_status. */
  id: string;
  title: string;
  status: CheckStatus;
  /** One line: why this status ("2 of 8 phone ports lack voice VLAN 30: Gi1/0/3, Gi1/0/5"). */
  summary: string;
  evidence: Evidence[];
}

export interface CheckContext {
  site: Site;
  catalog: Catalog;
  observations: Observations;
  /** Thresholds; each one left out takes its default (limits.ts). */
  limits?: Partial<CheckLimits>;
}

export interface Check {
  id: string;
  title: string;
  run(ctx: CheckContext): CheckResult;
}
