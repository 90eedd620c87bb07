/**
 * VLANs from CISCO-VTP-MIB (1.3.6.1.4.1.9.9.46) and CISCO-VLAN-MEMBERSHIP-MIB (1.3.6.1.4.1.9.9.68).
 * OIDs as verified in ../shared/reference/monitoring.md §2.4.
 *
 * - vtpVlanTable is indexed managementDomainIndex.vlanIndex (all recordings: domain 1).
 * - vmVoiceVlanId: 0 = dot1p (priority-tagged on VLAN 0), 1..4094 = the voice VLAN, 4095 = untagged,
 *   4096 = none. No public recording has it (monitoring.md §2.8); test/fixtures/snmp/ has it.
 * - vlanTrunkPortDynamicStatus (trunking(1)/notTrunking(2)) is the operational answer to "is this a
 *   trunk"; the public recordings only carry NativeVlan and EncapsulationOperType.
 * - Allowed VLANs: vlanTrunkPortVlansEnabled (0–1023) and …Enabled2k/3k/4k, 128-byte bitmaps whose
 *   first bit is VLAN 0 of that range (CISCO-VTP-MIB DESCRIPTION).
 */

import { dropUndefined } from "./if-mib.js";
import type { SnmpClient, Varbind } from "./types.js";
import { bytes, enumOf, num, rowsOf, text, walkColumns } from "./values.js";

export const vtpColumns = {
  vtpVlanState: "1.3.6.1.4.1.9.9.46.1.3.1.1.2",
  vtpVlanType: "1.3.6.1.4.1.9.9.46.1.3.1.1.3",
  vtpVlanName: "1.3.6.1.4.1.9.9.46.1.3.1.1.4",
} as const;

export const vmColumns = {
  vmVlanType: "1.3.6.1.4.1.9.9.68.1.2.2.1.1",
  vmVlan: "1.3.6.1.4.1.9.9.68.1.2.2.1.2",
  vmPortStatus: "1.3.6.1.4.1.9.9.68.1.2.2.1.3",
  vmVoiceVlanId: "1.3.6.1.4.1.9.9.68.1.5.1.1.1",
} as const;

export const trunkColumns = {
  vlanTrunkPortVlansEnabled: "1.3.6.1.4.1.9.9.46.1.6.1.1.4",
  vlanTrunkPortNativeVlan: "1.3.6.1.4.1.9.9.46.1.6.1.1.5",
  vlanTrunkPortDynamicState: "1.3.6.1.4.1.9.9.46.1.6.1.1.13",
  vlanTrunkPortDynamicStatus: "1.3.6.1.4.1.9.9.46.1.6.1.1.14",
  vlanTrunkPortEncapsulationOperType: "1.3.6.1.4.1.9.9.46.1.6.1.1.16",
  vlanTrunkPortVlansEnabled2k: "1.3.6.1.4.1.9.9.46.1.6.1.1.17",
  vlanTrunkPortVlansEnabled3k: "1.3.6.1.4.1.9.9.46.1.6.1.1.18",
  vlanTrunkPortVlansEnabled4k: "1.3.6.1.4.1.9.9.46.1.6.1.1.19",
} as const;

export type VlanState = "operational" | "suspended" | "mtuTooBigForDevice" | "mtuTooBigForTrunk";
export type VoiceVlan =
  | { kind: "vlan"; vlan: number }
  | { kind: "dot1p" }
  | { kind: "untagged" }
  | { kind: "none" };
export type Encapsulation = "isl" | "dot10" | "lane" | "dot1Q" | "negotiating" | "notApplicable";

export interface Vlan {
  domain: number;
  id: number;
  name?: string;
  state?: VlanState;
  /** VlanType: ethernet(1), fddi(2), tokenRing(3), fddiNet(4), trNet(5), deprecated(6). */
  type?: number;
}

export interface Trunk {
  dynamicStatus?: "trunking" | "notTrunking";
  dynamicState?: "on" | "off" | "desirable" | "auto" | "onNoNegotiate";
  nativeVlan?: number;
  encapsulation?: Encapsulation;
  /** IOS syntax ("10,20,99", "1-4094"), present when the device answers the bitmaps. */
  allowedVlans?: string;
}

export interface VlanPort {
  ifIndex: number;
  /** Filled in by readDevice. */
  ifName?: string;
  /** "trunk" when vlanTrunkPortDynamicStatus says trunking, "access" when notTrunking. */
  mode?: "trunk" | "access";
  accessVlan?: number;
  membership?: "static" | "dynamic" | "multiVlan";
  portStatus?: "inactive" | "active" | "shutdown";
  voiceVlan?: VoiceVlan;
  trunk?: Trunk;
}

export interface Vlans {
  vlans: Vlan[];
  ports: VlanPort[];
}

const states: Record<number, VlanState> = {
  1: "operational",
  2: "suspended",
  3: "mtuTooBigForDevice",
  4: "mtuTooBigForTrunk",
};
const encaps: Record<number, Encapsulation> = {
  1: "isl",
  2: "dot10",
  3: "lane",
  4: "dot1Q",
  5: "negotiating",
  6: "notApplicable",
};

export function voiceVlanOf(id: number): VoiceVlan {
  if (id === 0) return { kind: "dot1p" };
  if (id === 4095) return { kind: "untagged" };
  if (id >= 4096 || id < 0) return { kind: "none" };
  return { kind: "vlan", vlan: id };
}

/** VLAN ids whose bit is set in `bitmaps`, each covering 1024 VLANs from `1024 × position`. */
export function vlansFromBitmaps(bitmaps: readonly (Buffer | undefined)[]): number[] {
  const out: number[] = [];
  bitmaps.forEach((map, range) => {
    if (!map) return;
    for (let i = 0; i < map.length * 8 && i < 1024; i++)
      if (((map[i >> 3] ?? 0) & (0x80 >> (i & 7))) !== 0) out.push(range * 1024 + i);
  });
  return out;
}

/** Sorted VLAN ids as IOS prints them: "1-4,10,20-22". */
export function vlanRanges(ids: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < ids.length; i++) {
    const start = ids[i] as number;
    let end = start;
    while (ids[i + 1] === end + 1) end = ids[++i] as number;
    parts.push(end > start ? `${start}-${end}` : String(start));
  }
  return parts.join(",");
}

/** Pure: walked VTP / VLAN-membership / trunk columns → VLANs and per-port VLAN facts. */
export function parseVlans(varbinds: readonly Varbind[]): Vlans {
  const vlans: Vlan[] = [];
  for (const [index, r] of rowsOf(vtpColumns, varbinds)) {
    const [domain = 0, id = 0] = index.split(".").map(Number);
    vlans.push(
      dropUndefined({
        domain,
        id,
        name: text(r.vtpVlanName),
        state: enumOf(r.vtpVlanState, states),
        type: num(r.vtpVlanType),
      }),
    );
  }
  const ports = new Map<number, VlanPort>();
  const port = (ifIndex: number): VlanPort => {
    const found = ports.get(ifIndex);
    if (found) return found;
    const created: VlanPort = { ifIndex };
    ports.set(ifIndex, created);
    return created;
  };
  for (const [index, r] of rowsOf(vmColumns, varbinds)) {
    const p = port(Number(index));
    p.accessVlan = num(r.vmVlan);
    p.membership = enumOf(r.vmVlanType, { 1: "static", 2: "dynamic", 3: "multiVlan" } as const);
    p.portStatus = enumOf(r.vmPortStatus, { 1: "inactive", 2: "active", 3: "shutdown" } as const);
    const voice = num(r.vmVoiceVlanId);
    p.voiceVlan = voice === undefined ? undefined : voiceVlanOf(voice);
    dropUndefined(p);
  }
  for (const [index, r] of rowsOf(trunkColumns, varbinds)) {
    const p = port(Number(index));
    const maps = [
      r.vlanTrunkPortVlansEnabled,
      r.vlanTrunkPortVlansEnabled2k,
      r.vlanTrunkPortVlansEnabled3k,
      r.vlanTrunkPortVlansEnabled4k,
    ];
    const status = enumOf(r.vlanTrunkPortDynamicStatus, { 1: "trunking", 2: "notTrunking" } as const);
    p.trunk = dropUndefined({
      dynamicStatus: status,
      dynamicState: enumOf(r.vlanTrunkPortDynamicState, {
        1: "on",
        2: "off",
        3: "desirable",
        4: "auto",
        5: "onNoNegotiate",
      } as const),
      nativeVlan: num(r.vlanTrunkPortNativeVlan),
      encapsulation: enumOf(r.vlanTrunkPortEncapsulationOperType, encaps),
      allowedVlans: maps.some((m) => m) ? vlanRanges(vlansFromBitmaps(maps.map(bytes))) : undefined,
    });
    if (status === "trunking") p.mode = "trunk";
    else if (status === "notTrunking") p.mode = "access";
  }
  return {
    vlans: vlans.sort((a, b) => a.domain - b.domain || a.id - b.id),
    ports: [...ports.values()].sort((a, b) => a.ifIndex - b.ifIndex),
  };
}

export async function readVlans(client: SnmpClient): Promise<Vlans> {
  const walked = [
    ...(await walkColumns(client, "CISCO-VTP-MIB", vtpColumns)),
    ...(await walkColumns(client, "CISCO-VLAN-MEMBERSHIP-MIB", vmColumns)),
    ...(await walkColumns(client, "CISCO-VTP-MIB", trunkColumns)),
  ];
  return parseVlans(walked);
}
