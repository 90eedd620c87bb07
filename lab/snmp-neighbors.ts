import type { IosDevice } from "./device/device.js";
import { switchPorts } from "./device/show/switching.js";
import { type Mib, T, table } from "./snmp-mib.js";

/**
 * LLDP-MIB (IEEE 802.1AB) with the LLDP-MED extension under the TIA arc 1.0.8802.1.1.2.1.5.4795
 * (monitoring.md §2.7: real devices answer there, whatever some MIB files say), and CISCO-CDP-MIB
 * cdpCacheTable (INDEX cdpCacheIfIndex, cdpCacheDeviceIndex). Remote rows are indexed
 * lldpRemTimeMark.lldpRemLocalPortNum.lldpRemIndex, where the local port number is a position in
 * lldpLocPortTable, not an ifIndex (as on Cisco: ios_c3560 lldpLocPortId.1 = "Gi0/1").
 */

const dottedBytes = (id: string) => Buffer.from(id.replace(/\./g, ""), "hex");
const ipBytes = (ip: string) => Buffer.from(ip.split(".").map(Number));
/** LldpSystemCapabilitiesMap BITS: bridge(2) = 0x20, router(4) = 0x08, telephone(5) = 0x04. */
const sysCaps = (caps: string[]) =>
  Buffer.from([
    (caps.includes("B") ? 0x20 : 0) | (caps.includes("R") ? 0x08 : 0) | (caps.includes("T") ? 0x04 : 0),
    0,
  ]);
/** LLDP-MED capabilities: capabilities(0), networkPolicy(1), extendedPD(4), inventory(5). */
const medCaps = Buffer.from([0xcc]);
/** PolicyAppType BITS: voice(1) = 0x40, voiceSignaling(2) = 0x20. */
const appType = (app: string) => Buffer.from([app === "Voice" ? 0x40 : 0x20]);
/** CDP capability bits: Router 0x01, Switch 0x08, Host 0x10, IGMP 0x20, Phone 0x80. */
const cdpBits: Record<string, number> = { Router: 0x01, Switch: 0x08, Host: 0x10, IGMP: 0x20, Phone: 0x80 };

export function lldpTables(mib: Mib, dev: IosDevice): void {
  if (!dev.state().lldp) return;
  const ports = switchPorts(dev);
  const num = (name: string) => ports.findIndex((p) => p.name === name) + 1;
  table(
    mib,
    "lldpLocPortEntry",
    "1.0.8802.1.1.2.1.3.7.1",
    [T.Integer],
    ports.map((p, i) => ({
      index: [i + 1],
      cells: [
        [2, T.Integer, 5],
        [3, T.OctetString, p.short],
        [4, T.OctetString, p.name],
      ],
    })),
  );
  const rem = dev.surroundings.lldp().filter((n) => num(n.localPort) > 0);
  const idx = (n: (typeof rem)[number], i: number) => [0, num(n.localPort), i + 1];
  table(
    mib,
    "lldpRemEntry",
    "1.0.8802.1.1.2.1.4.1.1",
    [T.Integer, T.Integer, T.Integer],
    rem.map((n, i) => ({
      index: idx(n, i),
      cells: [
        [4, T.Integer, n.chassisIsMac ? 4 : 5],
        [
          5,
          T.OctetString,
          n.chassisIsMac ? dottedBytes(n.chassisId) : Buffer.concat([Buffer.from([1]), ipBytes(n.chassisId)]),
        ],
        [6, T.Integer, n.portIsMac ? 3 : 5],
        [7, T.OctetString, n.portIsMac ? dottedBytes(n.portId) : n.portId],
        [8, T.OctetString, n.portDescription],
        [9, T.OctetString, n.systemName],
        [10, T.OctetString, n.systemDescription],
        [11, T.OctetString, sysCaps(n.capabilities)],
        [12, T.OctetString, sysCaps(n.capabilities)],
      ],
    })),
  );
  const withIp = rem.map((n, i) => ({ n, i })).filter(({ n }) => n.managementIp);
  table(
    mib,
    "lldpRemManAddrEntry",
    "1.0.8802.1.1.2.1.4.2.1",
    [T.Integer, T.Integer, T.Integer, T.Integer, T.OctetString],
    withIp.map(({ n, i }) => ({
      index: [...idx(n, i), 1, ipBytes(n.managementIp as string)],
      cells: [
        [3, T.Integer, 2],
        [4, T.Integer, 0],
      ],
    })),
  );
  const med = rem.map((n, i) => ({ n, i, m: n.med })).filter((x) => x.m !== null);
  const med3 = "1.0.8802.1.1.2.1.5.4795.1.3";
  table(
    mib,
    "lldpXMedRemCapabilitiesEntry",
    `${med3}.1.1`,
    [T.Integer, T.Integer, T.Integer],
    med.map(({ n, i }) => ({
      index: idx(n, i),
      cells: [
        [1, T.OctetString, medCaps],
        [2, T.OctetString, medCaps],
        [3, T.Integer, 3],
      ],
    })),
  );
  table(
    mib,
    "lldpXMedRemMediaPolicyEntry",
    `${med3}.2.1`,
    [T.Integer, T.Integer, T.Integer, T.OctetString],
    med.flatMap(({ n, i, m }) =>
      (m?.policies ?? []).map((p) => ({
        index: [...idx(n, i), appType(p.application)],
        cells: [
          [2, T.Integer, p.vlan],
          [3, T.Integer, p.l2Priority],
          [4, T.Integer, p.dscp],
          [5, T.Integer, 2],
          [6, T.Integer, p.tagged ? 1 : 2],
        ] as [number, number, unknown][],
      })),
    ),
  );
  table(
    mib,
    "lldpXMedRemInventoryEntry",
    `${med3}.3.1`,
    [T.Integer, T.Integer, T.Integer],
    med.map(({ n, i, m }) => ({
      index: idx(n, i),
      cells: [
        [1, T.OctetString, m?.hwRevision ?? ""],
        [2, T.OctetString, m?.fwRevision ?? ""],
        [3, T.OctetString, m?.swRevision ?? ""],
        [4, T.OctetString, m?.serial ?? ""],
        [5, T.OctetString, m?.manufacturer ?? ""],
        [6, T.OctetString, m?.model ?? ""],
      ],
    })),
  );
}

export function cdpTable(mib: Mib, dev: IosDevice): void {
  const s = dev.state();
  if (!s.cdp) return;
  const entries = dev.surroundings.cdp();
  const ifIndex = (name: string) => s.ports.find((p) => p.name === name)?.ifIndex ?? 0;
  table(
    mib,
    "cdpCacheEntry",
    "1.3.6.1.4.1.9.9.23.1.2.1.1",
    [T.Integer, T.Integer],
    entries.map((n, i) => {
      const bits = n.capabilities.reduce((m, c) => m | (cdpBits[c] ?? 0), 0);
      const caps = Buffer.alloc(4);
      caps.writeUInt32BE(bits);
      return {
        index: [ifIndex(n.localPort), i + 1],
        cells: [
          [3, T.Integer, 1],
          [4, T.OctetString, n.address ? ipBytes(n.address) : Buffer.alloc(0)],
          [5, T.OctetString, n.version],
          [6, T.OctetString, n.deviceId],
          [7, T.OctetString, n.portId],
          [8, T.OctetString, n.platform],
          [9, T.OctetString, caps],
          [11, T.Integer, n.nativeVlan ?? 0],
          [12, T.Integer, 3],
          [14, T.Integer, n.voiceVlan ?? 0],
          [15, T.Integer, Math.round((n.powerDrawnW ?? 0) * 1000)],
        ] as [number, number, unknown][],
      };
    }),
  );
}
