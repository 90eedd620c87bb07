/**
 * CDP neighbours from CISCO-CDP-MIB cdpCacheTable (1.3.6.1.4.1.9.9.23.1.2.1), INDEX cdpCacheIfIndex,
 * cdpCacheDeviceIndex — the first index IS the local ifIndex (ios_2960x: 10103.1 on Gi1/0/3).
 * OIDs as verified in ../shared/reference/monitoring.md §2.7.
 *
 * - cdpCacheAddress is raw bytes whose meaning depends on cdpCacheAddressType (ip(1) → 4 bytes;
 *   ios_2960x: AC1B3154 = 172.27.49.84).
 * - cdpCacheCapabilities is a 4-byte big-endian bitmask (CDP spec): ios_2960x's APs answer 0x26
 *   (trans-bridge, source-route-bridge, igmp), its WS-C3850 0x29 (router, switch, igmp).
 * - cdpCacheVlanID is the VoIP VLAN the neighbour (a phone) asks for; cdpCachePowerConsumption is mW.
 */

import { dropUndefined } from "./if-mib.js";
import type { SnmpClient, Varbind } from "./types.js";
import { bytes, enumOf, ipFromBytes, num, printable, rowsOf, text, walkColumns } from "./values.js";

const entry = "1.3.6.1.4.1.9.9.23.1.2.1.1";

export const cdpColumns = {
  cdpCacheAddressType: `${entry}.3`,
  cdpCacheAddress: `${entry}.4`,
  cdpCacheVersion: `${entry}.5`,
  cdpCacheDeviceId: `${entry}.6`,
  cdpCacheDevicePort: `${entry}.7`,
  cdpCachePlatform: `${entry}.8`,
  cdpCacheCapabilities: `${entry}.9`,
  cdpCacheNativeVLAN: `${entry}.11`,
  cdpCacheDuplex: `${entry}.12`,
  cdpCacheVlanID: `${entry}.14`,
  cdpCachePowerConsumption: `${entry}.15`,
} as const;

const capabilityBits: [number, string][] = [
  [0x01, "router"],
  [0x02, "transBridge"],
  [0x04, "sourceRouteBridge"],
  [0x08, "switch"],
  [0x10, "host"],
  [0x20, "igmp"],
  [0x40, "repeater"],
  [0x80, "phone"],
  [0x100, "remotelyManaged"],
  [0x200, "cvtaStpDispute"],
  [0x400, "twoPortMacRelay"],
];

export interface CdpNeighbor {
  ifIndex: number;
  /** Filled in by readDevice. */
  ifName?: string;
  deviceIndex: number;
  deviceId?: string;
  address?: string;
  devicePort?: string;
  platform?: string;
  version?: string;
  capabilities: string[];
  nativeVlan?: number;
  duplex?: "unknown" | "halfduplex" | "fullduplex";
  /** The VoIP VLAN the neighbour announces (a phone's voice VLAN). */
  voiceVlan?: number;
  powerMw?: number;
}

export function cdpCapabilities(buf: Buffer | undefined): string[] {
  if (!buf || buf.length === 0) return [];
  const mask = buf.length >= 4 ? buf.readUInt32BE(buf.length - 4) : buf.readUIntBE(0, buf.length);
  return capabilityBits.filter(([bit]) => (mask & bit) !== 0).map(([, name]) => name);
}

/** Pure: walked cdpCacheTable columns → neighbours sorted by ifIndex. */
export function parseCdp(varbinds: readonly Varbind[]): CdpNeighbor[] {
  const out: CdpNeighbor[] = [];
  for (const [index, r] of rowsOf(cdpColumns, varbinds)) {
    const [ifIndex = 0, deviceIndex = 0] = index.split(".").map(Number);
    const addr = bytes(r.cdpCacheAddress);
    const addrType = num(r.cdpCacheAddressType);
    out.push(
      dropUndefined({
        ifIndex,
        deviceIndex,
        deviceId: text(r.cdpCacheDeviceId),
        address: addr
          ? ((addrType === 1 || addrType === undefined ? ipFromBytes(addr) : undefined) ?? printable(addr))
          : undefined,
        devicePort: text(r.cdpCacheDevicePort),
        platform: text(r.cdpCachePlatform),
        version: text(r.cdpCacheVersion),
        capabilities: cdpCapabilities(bytes(r.cdpCacheCapabilities)),
        nativeVlan: num(r.cdpCacheNativeVLAN),
        duplex: enumOf(r.cdpCacheDuplex, { 1: "unknown", 2: "halfduplex", 3: "fullduplex" } as const),
        voiceVlan: num(r.cdpCacheVlanID),
        powerMw: num(r.cdpCachePowerConsumption),
      }),
    );
  }
  return out.sort((a, b) => a.ifIndex - b.ifIndex || a.deviceIndex - b.deviceIndex);
}

export async function readCdp(client: SnmpClient): Promise<CdpNeighbor[]> {
  return parseCdp(await walkColumns(client, "CISCO-CDP-MIB", cdpColumns));
}
