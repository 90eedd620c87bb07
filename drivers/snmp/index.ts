/**
 * drivers/snmp: one SnmpClient (real over net-snmp, or FakeSnmpClient over an snmprec recording) and one
 * reader per MIB group. `readDevice` is the entry point for `patchkast show <device> <what>`.
 */
import { withContext } from "../../agent/errors.js";
import { type Qos, readCbQos } from "./cbqos.js";
import { type CdpNeighbor, readCdp } from "./cdp.js";
import { type ConfigHistory, readConfigHistory } from "./config-man.js";
import { type Interface, readInterfaceNames, readInterfaces } from "./if-mib.js";
import { type LldpNeighbor, readLldp } from "./lldp.js";
import { type Poe, readPoe } from "./poe.js";
import type { SnmpClient } from "./types.js";
import { readVlans, type Vlans } from "./vlan.js";
import { type Calls, readCalls } from "./voice.js";

export { priorityClasses } from "./cbqos.js";
export { NetSnmpClient, openSnmpClient, type SnmpTarget, type SnmpV3User, vlanContext } from "./client.js";
export { FakeSnmpClient } from "./fake-client.js";
export { parseSnmprec } from "./snmprec.js";
export type { SnmpClient, Varbind } from "./types.js";
export type { Calls, CdpNeighbor, ConfigHistory, Interface, LldpNeighbor, Poe, Qos, Vlans };

/** What each `what` returns. Rows that carry an ifIndex also get `ifName` where the device has one. */
export interface DeviceReadings {
  interfaces: Interface[];
  poe: Poe;
  vlans: Vlans;
  lldp: LldpNeighbor[];
  cdp: CdpNeighbor[];
  qos: Qos;
  calls: Calls;
  config: ConfigHistory;
}

export type DeviceReading = keyof DeviceReadings;
export const deviceReadings: readonly DeviceReading[] = [
  "interfaces",
  "poe",
  "vlans",
  "lldp",
  "cdp",
  "qos",
  "calls",
  "config",
];

const mibOf: Record<DeviceReading, string> = {
  interfaces: "interfaces (IF-MIB)",
  poe: "PoE (POWER-ETHERNET-MIB, CISCO-POWER-ETHERNET-EXT-MIB)",
  vlans: "VLANs (CISCO-VTP-MIB, CISCO-VLAN-MEMBERSHIP-MIB)",
  lldp: "LLDP neighbours (LLDP-MIB, LLDP-MED)",
  cdp: "CDP neighbours (CISCO-CDP-MIB)",
  qos: "class-based QoS (CISCO-CLASS-BASED-QOS-MIB)",
  calls: "active calls (CISCO-VOICE-DIAL-CONTROL-MIB)",
  config: "config history (CISCO-CONFIG-MAN-MIB)",
};

/** Attaches ifName to rows with an ifIndex, for display. */
async function named<T extends { ifIndex?: number; ifName?: string }>(
  client: SnmpClient,
  rows: T[],
): Promise<T[]> {
  if (!rows.some((r) => r.ifIndex !== undefined)) return rows;
  const names = await readInterfaceNames(client);
  return rows.map((r) => {
    const ifName = r.ifIndex === undefined ? undefined : names.get(r.ifIndex);
    return ifName === undefined ? r : { ...r, ifName };
  });
}

async function read(client: SnmpClient, what: DeviceReading): Promise<DeviceReadings[DeviceReading]> {
  switch (what) {
    case "interfaces":
      return readInterfaces(client);
    case "poe": {
      const poe = await readPoe(client);
      return { ...poe, ports: await named(client, poe.ports) };
    }
    case "vlans": {
      const vlans = await readVlans(client);
      return { ...vlans, ports: await named(client, vlans.ports) };
    }
    case "lldp":
      return readLldp(client);
    case "cdp":
      return named(client, await readCdp(client));
    case "qos": {
      const qos = await readCbQos(client);
      return { policies: await named(client, qos.policies) };
    }
    case "calls":
      return readCalls(client);
    case "config":
      return readConfigHistory(client);
  }
}

/**
 * Reads one group from a device. Errors keep their PK_ERR_SNMP_* code and say what was being read:
 * "could not read PoE (…) from 10.0.0.2: walking POWER-ETHERNET-MIB … on 10.0.0.2: timeout after 4 s".
 */
export async function readDevice<W extends DeviceReading>(
  client: SnmpClient,
  what: W,
): Promise<DeviceReadings[W]> {
  try {
    return (await read(client, what)) as DeviceReadings[W];
  } catch (err) {
    throw withContext(`could not read ${mibOf[what]} from ${client.target}`, err);
  }
}

/** JSON for a reading: Counter64 values (bigint) become decimal strings, Buffers hex. */
export function readingToJson(value: unknown, indent = 2): string {
  return JSON.stringify(
    value,
    (_k, v: unknown) => {
      if (typeof v === "bigint") return v.toString();
      if (v && typeof v === "object" && (v as { type?: string }).type === "Buffer")
        return Buffer.from((v as { data: number[] }).data).toString("hex");
      return v;
    },
    indent,
  );
}
