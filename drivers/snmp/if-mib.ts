/**
 * Interfaces from IF-MIB (RFC 2863): ifTable (1.3.6.1.2.1.2.2) and ifXTable (1.3.6.1.2.1.31.1.1).
 * OIDs as verified in ../shared/reference/monitoring.md §2.1.
 *
 * Quirks seen in the field recordings (../shared/field/snmp/):
 * - ios_2960x has no ifIndex column (ifTable .1), so rows are keyed by the OID index, never by that column.
 * - ios_c3560 (IOS 12.2(55)SE12) answers ifDescr/ifType/ifOperStatus and ifName/ifAlias only: no admin
 *   status, no speed, no counters. Every field but ifIndex is optional for that reason.
 * - iosxe_c3850 has 32-bit ifInOctets but no ifHCInOctets; the 32-bit columns are walked only when the HC
 *   walk came back empty.
 */
import type { SnmpClient, Varbind } from "./types.js";
import { big, enumOf, num, rowsOf, text, walkColumns } from "./values.js";

export const ifColumns = {
  ifDescr: "1.3.6.1.2.1.2.2.1.2",
  ifType: "1.3.6.1.2.1.2.2.1.3",
  ifSpeed: "1.3.6.1.2.1.2.2.1.5",
  ifAdminStatus: "1.3.6.1.2.1.2.2.1.7",
  ifOperStatus: "1.3.6.1.2.1.2.2.1.8",
  ifInDiscards: "1.3.6.1.2.1.2.2.1.13",
  ifInErrors: "1.3.6.1.2.1.2.2.1.14",
  ifOutDiscards: "1.3.6.1.2.1.2.2.1.19",
  ifName: "1.3.6.1.2.1.31.1.1.1.1",
  ifHCInOctets: "1.3.6.1.2.1.31.1.1.1.6",
  ifHCOutOctets: "1.3.6.1.2.1.31.1.1.1.10",
  ifHighSpeed: "1.3.6.1.2.1.31.1.1.1.15",
  ifAlias: "1.3.6.1.2.1.31.1.1.1.18",
} as const;

/** Walked only when the device has no HC counters (RFC 2863 §3.1.6: HC columns are for ≥ 20 Mbit/s). */
export const ifColumns32 = {
  ifInOctets: "1.3.6.1.2.1.2.2.1.10",
  ifOutOctets: "1.3.6.1.2.1.2.2.1.16",
} as const;

type Column = keyof typeof ifColumns | keyof typeof ifColumns32;

export type IfAdminStatus = "up" | "down" | "testing";
export type IfOperStatus =
  | "up"
  | "down"
  | "testing"
  | "unknown"
  | "dormant"
  | "notPresent"
  | "lowerLayerDown";

export interface Interface {
  ifIndex: number;
  name?: string;
  descr?: string;
  alias?: string;
  /** IANAifType: 6 ethernetCsmacd, 53 propVirtual (SVI), 104 voiceOverIp (ISR dial-peers), 135 l2vlan … */
  type?: number;
  adminStatus?: IfAdminStatus;
  operStatus?: IfOperStatus;
  /** ifHighSpeed, else ifSpeed / 10^6. */
  speedMbps?: number;
  inOctets?: bigint;
  outOctets?: bigint;
  /** 64 when the octet counters are ifHC*, 32 when they come from ifTable and wrap at 2^32. */
  counterBits?: 64 | 32;
  inErrors?: number;
  inDiscards?: number;
  outDiscards?: number;
}

const admin: Record<number, IfAdminStatus> = { 1: "up", 2: "down", 3: "testing" };
const oper: Record<number, IfOperStatus> = {
  1: "up",
  2: "down",
  3: "testing",
  4: "unknown",
  5: "dormant",
  6: "notPresent",
  7: "lowerLayerDown",
};

/** Pure: walked IF-MIB columns → interfaces sorted by ifIndex. */
export function parseInterfaces(varbinds: readonly Varbind[]): Interface[] {
  const rows = rowsOf<Column>({ ...ifColumns, ...ifColumns32 }, varbinds);
  const out: Interface[] = [];
  for (const [index, r] of rows) {
    const ifIndex = Number(index);
    if (!Number.isInteger(ifIndex)) continue;
    const hc = r.ifHCInOctets !== undefined || r.ifHCOutOctets !== undefined;
    const speed = num(r.ifHighSpeed) ?? (r.ifSpeed ? (num(r.ifSpeed) ?? 0) / 1e6 : undefined);
    const itf: Interface = {
      ifIndex,
      name: text(r.ifName),
      descr: text(r.ifDescr),
      alias: text(r.ifAlias),
      type: num(r.ifType),
      adminStatus: enumOf(r.ifAdminStatus, admin),
      operStatus: enumOf(r.ifOperStatus, oper),
      speedMbps: speed,
      inOctets: hc ? big(r.ifHCInOctets) : big(r.ifInOctets),
      outOctets: hc ? big(r.ifHCOutOctets) : big(r.ifOutOctets),
      counterBits: hc ? 64 : r.ifInOctets || r.ifOutOctets ? 32 : undefined,
      inErrors: num(r.ifInErrors),
      inDiscards: num(r.ifInDiscards),
      outDiscards: num(r.ifOutDiscards),
    };
    out.push(dropUndefined(itf));
  }
  return out.sort((a, b) => a.ifIndex - b.ifIndex);
}

/** Walks the IF-MIB columns (32-bit octets only when there are no HC ones) and parses them. */
export async function readInterfaces(client: SnmpClient): Promise<Interface[]> {
  const walked = await walkColumns(client, "IF-MIB", ifColumns);
  const hasHc = walked.some((vb) => vb.oid.startsWith(`${ifColumns.ifHCInOctets}.`));
  if (!hasHc) walked.push(...(await walkColumns(client, "IF-MIB", ifColumns32)));
  return parseInterfaces(walked);
}

/** ifIndex → ifName (else ifDescr), the label other readers attach to their rows. */
export async function readInterfaceNames(client: SnmpClient): Promise<Map<number, string>> {
  const walked = await walkColumns(client, "IF-MIB", { ifName: ifColumns.ifName });
  if (walked.length === 0)
    walked.push(...(await walkColumns(client, "IF-MIB", { ifDescr: ifColumns.ifDescr })));
  const names = new Map<number, string>();
  for (const vb of walked) {
    const index = Number(vb.oid.slice(vb.oid.lastIndexOf(".") + 1));
    const name = text(vb);
    if (name !== undefined) names.set(index, name);
  }
  return names;
}

/** Removes keys whose value is undefined, so results compare and print cleanly. */
export function dropUndefined<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}
