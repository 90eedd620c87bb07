/**
 * LLDP neighbours from LLDP-MIB (IEEE 802.1AB, 1.0.8802.1.1.2) and LLDP-MED (ANSI/TIA-1057 LLDP-EXT-MED-MIB)
 * under the TIA OUI arc 1.0.8802.1.1.2.1.5.4795 — not `lldpExtensions 1` as LibreNMS's LLDP-EXT-MED-MIB
 * file says (monitoring.md §2.7; real data in LibreNMS cnmatrix.snmprec uses 4795).
 *
 * - Remote rows are indexed lldpRemTimeMark.lldpRemLocalPortNum.lldpRemIndex. lldpRemLocalPortNum is NOT
 *   the ifIndex on Cisco: ios_c3560 has lldpLocPortId.1 = "Gi0/1", which is ifIndex 10101. The local port
 *   is resolved by matching lldpLocPortId / lldpLocPortDesc against ifName / ifDescr.
 * - Port and chassis ids are rendered by their subtype (snmp_exporter #584: without the subtype they
 *   print as hex).
 * - LLDP-MED network policies (the voice VLAN/priority/DSCP a phone uses): lldp-med.ts.
 */

import { dropUndefined, readInterfaceNames } from "./if-mib.js";
import { lldpMedPolicyColumns, type MediaPolicy, med, medCaps, mediaPolicies } from "./lldp-med.js";
import type { SnmpClient, Varbind } from "./types.js";
import {
  bitsOf,
  bytes,
  enumOf,
  ipFromBytes,
  mac,
  num,
  printable,
  rowsOf,
  suffix,
  text,
  walkColumns,
} from "./values.js";

const rem = "1.0.8802.1.1.2.1.4.1.1";

export const lldpLocColumns = {
  lldpLocPortId: "1.0.8802.1.1.2.1.3.7.1.3",
  lldpLocPortDesc: "1.0.8802.1.1.2.1.3.7.1.4",
} as const;

export const lldpRemColumns = {
  lldpRemChassisIdSubtype: `${rem}.4`,
  lldpRemChassisId: `${rem}.5`,
  lldpRemPortIdSubtype: `${rem}.6`,
  lldpRemPortId: `${rem}.7`,
  lldpRemPortDesc: `${rem}.8`,
  lldpRemSysName: `${rem}.9`,
  lldpRemSysDesc: `${rem}.10`,
  lldpRemSysCapSupported: `${rem}.11`,
  lldpRemSysCapEnabled: `${rem}.12`,
  /** lldpRemManAddrIfSubtype: walked for its index, which carries the management address. */
  lldpRemManAddrIfSubtype: "1.0.8802.1.1.2.1.4.2.1.3",
  lldpXMedRemCapCurrent: `${med}.1.1.2`,
  lldpXMedRemDeviceClass: `${med}.1.1.3`,
  lldpXMedRemHardwareRev: `${med}.3.1.1`,
  lldpXMedRemFirmwareRev: `${med}.3.1.2`,
  lldpXMedRemSoftwareRev: `${med}.3.1.3`,
  lldpXMedRemSerialNum: `${med}.3.1.4`,
  lldpXMedRemMfgName: `${med}.3.1.5`,
  lldpXMedRemModelName: `${med}.3.1.6`,
} as const;

const sysCaps = [
  "other",
  "repeater",
  "bridge",
  "wlanAccessPoint",
  "router",
  "telephone",
  "docsisCableDevice",
  "stationOnly",
  "cVlanComponent",
  "sVlanComponent",
  "twoPortMacRelay",
] as const;
export interface LldpNeighbor {
  localPortNum: number;
  /** lldpLocPortId of the local port ("Gi1/0/5"). */
  localPort?: string;
  ifIndex?: number;
  remIndex: number;
  chassisId?: string;
  portId?: string;
  portDesc?: string;
  sysName?: string;
  sysDesc?: string;
  capabilities: { supported: string[]; enabled: string[] };
  managementAddresses: string[];
  med?: {
    deviceClass?:
      | "notDefined"
      | "endpointClass1"
      | "endpointClass2"
      | "endpointClass3"
      | "networkConnectivity";
    capabilities: string[];
    policies: MediaPolicy[];
    inventory: {
      hardwareRev?: string;
      firmwareRev?: string;
      softwareRev?: string;
      serialNumber?: string;
      manufacturer?: string;
      model?: string;
    };
  };
}

/** LldpChassisIdSubtype macAddress(4), networkAddress(5); LldpPortIdSubtype macAddress(3), networkAddress(4). */
function idOf(
  vb: Varbind | undefined,
  subtype: number | undefined,
  macType: number,
  netType: number,
): string | undefined {
  const b = bytes(vb);
  if (!b) return text(vb);
  if (subtype === macType && b.length === 6) return mac(b);
  if (subtype === netType && b.length > 1) return ipFromBytes(b.subarray(1)) ?? printable(b);
  return printable(b);
}

export interface LocalInterface {
  ifIndex: number;
  name?: string;
  descr?: string;
}

/** Pure: walked LLDP columns (+ the device's interfaces, for the local ifIndex) → neighbours. */
export function parseLldp(
  varbinds: readonly Varbind[],
  interfaces: readonly LocalInterface[] = [],
): LldpNeighbor[] {
  const byName = new Map<string, number>();
  for (const i of interfaces) for (const n of [i.name, i.descr]) if (n) byName.set(n, i.ifIndex);
  const local = rowsOf(lldpLocColumns, varbinds);
  const policies = rowsOf(lldpMedPolicyColumns, varbinds);
  const out: LldpNeighbor[] = [];
  for (const [index, r] of rowsOf(lldpRemColumns, varbinds)) {
    const parts = index.split(".").map(Number);
    if (parts.length !== 3 || r.lldpRemChassisId === undefined) continue;
    const [, localPortNum = 0, remIndex = 0] = parts;
    const loc = local.get(String(localPortNum));
    const localPort = text(loc?.lldpLocPortId);
    const key = `${index}.`;
    const managementAddresses = varbinds
      .filter((vb) => vb.oid.startsWith(`${lldpRemColumns.lldpRemManAddrIfSubtype}.${key}`))
      .map((vb) => suffix(vb.oid, `${lldpRemColumns.lldpRemManAddrIfSubtype}.${index}`) ?? [])
      .map(([, len = 0, ...addr]) => ipFromBytes(Buffer.from(addr.slice(0, len))) ?? addr.join("."));
    const medPolicies = mediaPolicies(policies, index);
    const hasMed =
      r.lldpXMedRemDeviceClass || r.lldpXMedRemCapCurrent || r.lldpXMedRemModelName || medPolicies.length > 0;
    out.push(
      dropUndefined({
        localPortNum,
        localPort,
        ifIndex: [localPort, text(loc?.lldpLocPortDesc)]
          .map((n) => (n ? byName.get(n) : undefined))
          .find((x) => x !== undefined),
        remIndex,
        chassisId: idOf(r.lldpRemChassisId, num(r.lldpRemChassisIdSubtype), 4, 5),
        portId: idOf(r.lldpRemPortId, num(r.lldpRemPortIdSubtype), 3, 4),
        portDesc: text(r.lldpRemPortDesc),
        sysName: text(r.lldpRemSysName),
        sysDesc: text(r.lldpRemSysDesc),
        capabilities: {
          supported: bitsOf(bytes(r.lldpRemSysCapSupported), sysCaps),
          enabled: bitsOf(bytes(r.lldpRemSysCapEnabled), sysCaps),
        },
        managementAddresses,
        med: hasMed
          ? dropUndefined({
              deviceClass: enumOf(r.lldpXMedRemDeviceClass, {
                0: "notDefined",
                1: "endpointClass1",
                2: "endpointClass2",
                3: "endpointClass3",
                4: "networkConnectivity",
              } as const),
              capabilities: bitsOf(bytes(r.lldpXMedRemCapCurrent), medCaps),
              policies: medPolicies,
              inventory: dropUndefined({
                hardwareRev: text(r.lldpXMedRemHardwareRev),
                firmwareRev: text(r.lldpXMedRemFirmwareRev),
                softwareRev: text(r.lldpXMedRemSoftwareRev),
                serialNumber: text(r.lldpXMedRemSerialNum),
                manufacturer: text(r.lldpXMedRemMfgName),
                model: text(r.lldpXMedRemModelName),
              }),
            })
          : undefined,
      }),
    );
  }
  return out.sort((a, b) => a.localPortNum - b.localPortNum || a.remIndex - b.remIndex);
}

/** Walks the local port table, the remote tables and LLDP-MED, plus ifName/ifDescr for the local ifIndex. */
export async function readLldp(client: SnmpClient): Promise<LldpNeighbor[]> {
  const walked = [
    ...(await walkColumns(client, "LLDP-MIB", lldpLocColumns)),
    ...(await walkColumns(client, "LLDP-MIB", lldpRemColumns)),
    ...(await walkColumns(client, "LLDP-EXT-MED-MIB", lldpMedPolicyColumns)),
  ];
  if (!walked.some((vb) => vb.oid.startsWith(`${rem}.`))) return [];
  const names = await readInterfaceNames(client);
  return parseLldp(
    walked,
    [...names].map(([ifIndex, name]) => ({ ifIndex, name })),
  );
}
