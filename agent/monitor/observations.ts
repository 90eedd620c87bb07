import type { ConfigDiffEntry } from "../../drivers/ios/parse/config-diff.js";
import type { IosCommand, iosParsers } from "../../drivers/ios/parse/index.js";
import type { SipResult } from "../../drivers/sip/client.js";
import type { DeviceReading, DeviceReadings } from "../../drivers/snmp/index.js";
import type { PhoneCheckIn } from "../provision/check-ins.js";

/**
 * What the collectors saw, the only input of the checks besides the site and the catalog. Every entry
 * is either a value or the error that kept us from it, so a check can tell "wrong" from "not known".
 * Plain data: serialisable to JSON (bigint Counter64 values aside) and easy to build in unit tests.
 */
export type Observed<T> =
  | { ok: true; value: T; at: string; source: string }
  | { ok: false; error: string; code: string; at: string; source: string };

/** Parsed output of each IOS command the collectors ran, keyed by the command as IOS spells it in full. */
export type CliObservations = {
  [C in IosCommand]?: Observed<ReturnType<(typeof iosParsers)[C]>>;
};

export type SnmpObservations = {
  [R in DeviceReading]?: Observed<DeviceReadings[R]>;
};

export interface DeviceObservations {
  name: string;
  role: "router" | "switch";
  address: string;
  snmp: SnmpObservations;
  cli: CliObservations;
  /** Rendered intent vs running-config (drivers/ios/drift.ts); [] = no drift. */
  drift?: Observed<ConfigDiffEntry[]>;
}

export interface SipProbeObservation {
  /** "host:port" as configured. */
  target: string;
  transport: "udp" | "tcp";
  at: string;
  result: SipResult;
  /** Whether the probe ran inside the SLA maintenance window (site local time). */
  inMaintenance: boolean;
}

export interface CallsObservation {
  /** Active calls per source: "phone_events", "capture", "voice_mib", "qos_estimate". */
  bySource: Record<string, number>;
  at: string;
}

export interface Observations {
  /** When the collection round started (ISO 8601). */
  at: string;
  devices: DeviceObservations[];
  sipProbes: SipProbeObservation[];
  /** The provisioning service's view of the inventory phones (agent/provision/check-ins.ts). */
  phones: Observed<PhoneCheckIn[]>;
  calls?: CallsObservation;
}

/** The agent could read the device this round: at least one SNMP group or show command came back. */
export function deviceReadable(d: DeviceObservations): boolean {
  return Object.values(d.snmp).some((o) => o?.ok) || Object.values(d.cli).some((o) => o?.ok);
}
