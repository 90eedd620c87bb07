import snmp from "net-snmp";
import type { IosDevice } from "./device/device.js";
import { portUp, switchPorts, trunking } from "./device/show/switching.js";

/**
 * The device's MIB, rebuilt from its state whenever the configuration or its surroundings change. OIDs as
 * in ../shared/reference/monitoring.md §2: IF-MIB ifTable/ifXTable, CISCO-VTP-MIB vtpVlanTable and
 * vlanTrunkPortTable, CISCO-VLAN-MEMBERSHIP-MIB vmVlan / vmVoiceVlanId (1..4094 = VLAN, 0 = dot1p,
 * 4095 = untagged, 4096 = none). PoE is in snmp-poe.ts, LLDP and CDP in snmp-neighbors.ts. Tables stay
 * small: the net-snmp Agent slows down with big tables (reference/libraries.md §1). Classic Catalyst
 * numbers ports 10101… and SVIs by VLAN, as ../shared/field/snmp/ios_2960x.snmprec does.
 */

/** net-snmp's Mib (its type definitions leave it untyped). */
export type Mib = ReturnType<typeof snmp.createMib>;
export const T = snmp.ObjectType;
export type Cell = [column: number, type: number, value: unknown];

/** Registers a table whose index is `indexTypes` (not-accessible index columns) and adds its rows. */
export function table(
  mib: Mib,
  name: string,
  entryOid: string,
  indexTypes: number[],
  rows: { index: unknown[]; cells: Cell[] }[],
): void {
  const first = rows[0];
  if (!first) return;
  const columns = first.cells.map(([n, type]) => ({
    number: n,
    name: `${name}.${n}`,
    type,
    maxAccess: snmp.MaxAccess["read-only"],
  }));
  const index = indexTypes.map((type, i) => ({
    number: 1000 + i,
    name: `${name}.i${i}`,
    type,
    maxAccess: snmp.MaxAccess["not-accessible"],
  }));
  mib.registerProvider({
    name,
    type: snmp.MibProviderType.Table,
    oid: entryOid,
    maxAccess: snmp.MaxAccess["not-accessible"],
    tableColumns: [...index, ...columns],
    tableIndex: index.map((c) => ({ columnName: c.name })),
  });
  for (const r of rows) mib.addTableRow(name, [...r.index, ...r.cells.map((c) => c[2])]);
}

export function counter64(n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(Math.max(0, Math.floor(n))));
  return b;
}

const macBytes = (mac: string) => Buffer.from(mac.replace(/[^0-9a-f]/gi, ""), "hex");

/** ifTable and ifXTable: every interface of the configuration; traffic grows with uptime on links that are up. */
export function interfaceTables(mib: Mib, dev: IosDevice): void {
  const s = dev.state();
  const seconds = dev.clock.uptimeTicks() / 100;
  const rows = s.ports.map((p) => {
    const physical = p.physical !== null;
    const up =
      !p.shutdown &&
      (physical ? dev.surroundings.linkUp(p.name) : p.ip !== null || p.name.startsWith("Vlan"));
    const speedMbps = p.physical?.speedMbps ?? 1000;
    const type = p.name.startsWith("Vlan")
      ? 53
      : p.name.includes(".")
        ? 135
        : p.name.startsWith("Dialer")
          ? 23
          : p.name.startsWith("Loopback")
            ? 24
            : 6;
    const octets = up ? seconds * 1250 * (1 + (p.ifIndex % 7)) : 0;
    return { p, up, speedMbps, type, octets };
  });
  table(
    mib,
    "ifEntry",
    "1.3.6.1.2.1.2.2.1",
    [T.Integer],
    rows.map(({ p, up, speedMbps, type, octets }) => ({
      index: [p.ifIndex],
      cells: [
        [1, T.Integer, p.ifIndex],
        [2, T.OctetString, p.name],
        [3, T.Integer, type],
        [4, T.Integer, p.name.startsWith("Dialer") ? 1492 : 1500],
        [5, T.Gauge, Math.min(4_294_967_295, speedMbps * 1_000_000)],
        [6, T.OctetString, macBytes(dev.hw.baseMac)],
        [7, T.Integer, p.shutdown ? 2 : 1],
        [8, T.Integer, up ? 1 : 2],
        [9, T.TimeTicks, 0],
        [10, T.Counter, Math.floor(octets) % 2 ** 32],
        [13, T.Counter, 0],
        [14, T.Counter, 0],
        [16, T.Counter, Math.floor(octets * 0.8) % 2 ** 32],
        [19, T.Counter, 0],
      ],
    })),
  );
  table(
    mib,
    "ifXEntry",
    "1.3.6.1.2.1.31.1.1.1",
    [T.Integer],
    rows.map(({ p, speedMbps, octets }) => ({
      index: [p.ifIndex],
      cells: [
        [1, T.OctetString, p.short],
        [6, T.Counter64, counter64(octets)],
        [10, T.Counter64, counter64(octets * 0.8)],
        [15, T.Gauge, speedMbps],
        [18, T.OctetString, p.description ?? ""],
      ],
    })),
  );
}

/** 128-byte VLAN bitmap for VLANs `from`..`from`+1023 (CISCO-VTP-MIB vlanTrunkPortVlansEnabled*). */
function bitmap(allowed: string, from: number): Buffer {
  const b = Buffer.alloc(128);
  const ranges = allowed === "ALL" ? [[1, 4094]] : allowed.split(",").map((p) => p.split("-").map(Number));
  for (const [a = 0, z = a] of ranges)
    for (let v = Math.max(a, from); v <= Math.min(z, from + 1023); v++) {
      const bit = v - from;
      b[bit >> 3] = (b[bit >> 3] ?? 0) | (0x80 >> (bit & 7));
    }
  return b;
}

export function vlanTables(mib: Mib, dev: IosDevice): void {
  const s = dev.state();
  const legacy: Record<number, number> = { 1002: 2, 1003: 3, 1004: 4, 1005: 5 };
  table(
    mib,
    "vtpVlanEntry",
    "1.3.6.1.4.1.9.9.46.1.3.1.1",
    [T.Integer, T.Integer],
    [...s.vlans].map(([id, name]) => ({
      index: [1, id],
      cells: [
        [2, T.Integer, 1],
        [3, T.Integer, legacy[id] ?? 1],
        [4, T.OctetString, name],
      ],
    })),
  );
  const ports = switchPorts(dev);
  table(
    mib,
    "vmMembershipEntry",
    "1.3.6.1.4.1.9.9.68.1.2.2.1",
    [T.Integer],
    ports
      .filter((p) => !trunking(dev, p) && p.mode !== "trunk")
      .map((p) => ({
        index: [p.ifIndex],
        cells: [
          [1, T.Integer, 1],
          [2, T.Integer, p.accessVlan],
          [3, T.Integer, p.shutdown ? 3 : portUp(dev, p) ? 2 : 1],
        ],
      })),
  );
  table(
    mib,
    "vmVoiceVlanEntry",
    "1.3.6.1.4.1.9.9.68.1.5.1.1",
    [T.Integer],
    ports.map((p) => ({
      index: [p.ifIndex],
      cells: [
        [
          1,
          T.Integer,
          p.voice.kind === "vlan" ? p.voice.vlan : { dot1p: 0, untagged: 4095, none: 4096 }[p.voice.kind],
        ],
      ],
    })),
  );
  const dynamic: Record<string, number> = { trunk: 1, access: 2, "dynamic desirable": 3, "dynamic auto": 4 };
  table(
    mib,
    "vlanTrunkPortEntry",
    "1.3.6.1.4.1.9.9.46.1.6.1.1",
    [T.Integer],
    ports.map((p) => ({
      index: [p.ifIndex],
      cells: [
        [4, T.OctetString, bitmap(p.trunkAllowed, 0)],
        [5, T.Integer, p.nativeVlan],
        [13, T.Integer, dynamic[p.mode] ?? 4],
        [14, T.Integer, trunking(dev, p) ? 1 : 2],
        [16, T.Integer, trunking(dev, p) ? 4 : 6],
        [17, T.OctetString, bitmap(p.trunkAllowed, 1024)],
        [18, T.OctetString, bitmap(p.trunkAllowed, 2048)],
        [19, T.OctetString, bitmap(p.trunkAllowed, 3072)],
      ],
    })),
  );
}
