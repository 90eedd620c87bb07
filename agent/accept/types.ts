import type { CheckResult } from "../checks/types.js";

/**
 * The acceptance report ("Protocol van Oplevering", reference/seeds.md §8.2 and §17.4): what report.json
 * holds and what junit.xml and report.html are made from. Plain data, built by report.ts from the site,
 * the catalog, one round of observations and the check results; nothing in it is a secret.
 */
export interface AcceptanceReport {
  schemaVersion: 1;
  kind: "patchkast-acceptance-report";
  title: "Protocol van Oplevering";
  verdict: Verdict;
  /** One sentence: why this verdict ("2 checks failed: poe_on_phone_ports, sip_proxy_reachable"). */
  verdictReason: string;
  policy: { unknownBlocksAcceptance: boolean };
  counts: { total: number; pass: number; fail: number; unknown: number };
  customer: string;
  site: { id: string; timeZone: string; sipProxy: string; accessLine: string; slaTier: string };
  /** The acceptance date in the site's time zone (YYYY-MM-DD), from finishedAt. */
  date: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  /** When the collectors' round started (Observations.at). */
  observedAt: string;
  agent: { version: string; node: string };
  line: LineCapacity;
  sla: SlaSummary;
  devices: DeviceRow[];
  phones: PhoneRow[];
  /** Whether the provisioning service could say which phones checked in; the error when not. */
  phonesObserved: { ok: true } | { ok: false; error: string; code: string };
  /** Active calls seen during the run, against the line's capacity; null when no call source answered. */
  calls: { bySource: Record<string, number>; highest: number; capacity: number | null; at: string } | null;
  checks: CheckResult[];
  signatures: [Signature, Signature];
}

/**
 * accepted: every check passed. accepted_with_reservations: nothing failed, some checks could not be
 * judged and the engineer said that is acceptable (--allow-unknown). not_accepted: anything else,
 * including a run in which no check ran at all.
 */
export type Verdict = "accepted" | "accepted_with_reservations" | "not_accepted";

/** The site's access line, looked up in configs/catalog/lines.yaml; found: false when the key is unknown. */
export type LineCapacity =
  | {
      key: string;
      found: true;
      technology: string;
      subscription: string;
      downKbps: number;
      upKbps: number;
      maxConcurrentCalls: number;
      use: "voice_only" | "voice_and_internet";
      speedIsMaximum: boolean;
      source: string;
    }
  | { key: string; found: false };

export type SlaSummary =
  | {
      key: string;
      found: true;
      name: string;
      availabilityPercent: number;
      restoreHours: number | null;
      restoreHoursKind: "clock" | "office" | "best_effort";
      /** "mon-sun 00:00-07:00 Europe/Amsterdam". */
      maintenanceWindow: string;
      source: string;
    }
  | { key: string; found: false };

export interface DeviceRow {
  name: string;
  role: "router" | "switch";
  model: string;
  platform: string;
  address: string;
}

/**
 * compliant / mismatch: the phone told us its firmware (User-Agent) and it is / is not the catalog's;
 * not_reported: the phone never said (not seen, or the provisioning view failed); no_expectation: the
 * catalog names no firmware for the model.
 */
export type FirmwareStatus = "compliant" | "mismatch" | "not_reported" | "no_expectation";

export interface PhoneRow {
  mac: string;
  extension: string;
  user: string;
  expectedModel: string;
  reportedModel: string | null;
  expectedFirmware: string | null;
  reportedFirmware: string | null;
  firmware: FirmwareStatus;
  lastSeen: string | null;
  /** "lab-sw1 GigabitEthernet1/0/3" when the site file names the port. */
  port: string | null;
}

/** A field to sign on paper; name may be filled in beforehand (--engineer), date and signature never are. */
export interface Signature {
  party: "engineer" | "customer";
  label: string;
  name: string | null;
  date: string | null;
  signature: null;
}

/** What report.ts needs besides the site, the catalog, the observations and the results. */
export interface ReportMeta {
  startedAt: Date;
  finishedAt: Date;
  agentVersion: string;
  nodeVersion?: string;
  /** --allow-unknown: checks that could not be judged do not block acceptance. */
  allowUnknown?: boolean;
  /** Pre-fills the engineer's name on the signature field. */
  engineer?: string;
  /**
   * Secret values resolved during the run (SSH passwords, SNMP keys). No part of the report should hold
   * one; any string that does anyway has it replaced by `<secret>` before the report leaves report.ts.
   */
  redact?: readonly string[];
}
