/**
 * Link layer → IP → UDP/TCP decoding of one captured frame. Pure and total: a frame that is not what
 * we can use comes back as `{ kind: "skip", reason }` for the caller to count; nothing throws.
 * Checksums are not verified: captured outgoing packets carry unfinished checksums when the NIC
 * offloads them, and tcpdump itself only reports them as "incorrect" rather than dropping them.
 */

/** Link-layer header types (tcpdump.org/linktypes.html) this decoder understands. */
export const LINKTYPE = {
  NULL: 0,
  EN10MB: 1,
  RAW: 101,
  LOOP: 108,
  LINUX_SLL: 113,
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
} as const;

export const supportedLinkTypes: ReadonlySet<number> = new Set(Object.values(LINKTYPE));

export type SkipReason =
  | "truncated"
  | "not-ip"
  | "bad-ip-header"
  | "ipv4-fragment"
  | "ipv6-fragment"
  | "ipv6-jumbogram"
  | "not-udp-tcp"
  | "bad-udp-header"
  | "bad-tcp-header";

export interface Endpoint {
  address: string;
  port: number;
}

export type DecodedPacket =
  | { kind: "udp"; src: Endpoint; dst: Endpoint; payload: Buffer }
  | {
      kind: "tcp";
      src: Endpoint;
      dst: Endpoint;
      seq: number;
      syn: boolean;
      fin: boolean;
      rst: boolean;
      payload: Buffer;
    }
  | { kind: "skip"; reason: SkipReason };

type Ip = { version: 4 | 6; offset: number } | { kind: "skip"; reason: SkipReason };

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
/** 802.1Q, 802.1ad and the pre-standard QinQ tag; a mirror port often keeps the voice VLAN tag. */
const VLAN_TAGS = new Set([0x8100, 0x88a8, 0x9100]);
/** BSD AF_INET6 differs per OS (tcpdump.org/linktypes.html, LINKTYPE_NULL): Linux, NetBSD/OpenBSD, FreeBSD, macOS. */
const AF_INET6 = new Set([10, 24, 28, 30]);

export function decodePacket(linkType: number, frame: Buffer): DecodedPacket {
  const ip = locateIp(linkType, frame);
  if ("kind" in ip) return ip;
  return ip.version === 4 ? decodeIpv4(frame, ip.offset) : decodeIpv6(frame, ip.offset);
}

function byEthertype(type: number, offset: number): Ip {
  if (type === ETHERTYPE_IPV4) return { version: 4, offset };
  if (type === ETHERTYPE_IPV6) return { version: 6, offset };
  return { kind: "skip", reason: "not-ip" };
}

function byVersionNibble(frame: Buffer, offset: number): Ip {
  if (frame.length <= offset) return { kind: "skip", reason: "truncated" };
  const v = (frame[offset] as number) >> 4;
  return v === 4 || v === 6 ? { version: v, offset } : { kind: "skip", reason: "not-ip" };
}

function locateIp(linkType: number, f: Buffer): Ip {
  switch (linkType) {
    case LINKTYPE.EN10MB: {
      // Ethernet II: dst(6) src(6) type(2); up to two VLAN tags of 4 bytes each in between.
      if (f.length < 14) return { kind: "skip", reason: "truncated" };
      let type = f.readUInt16BE(12);
      let offset = 14;
      for (let tags = 0; VLAN_TAGS.has(type) && tags < 2; tags++) {
        if (f.length < offset + 4) return { kind: "skip", reason: "truncated" };
        type = f.readUInt16BE(offset + 2);
        offset += 4;
      }
      return byEthertype(type, offset);
    }
    case LINKTYPE.LINUX_SLL:
      // "Linux cooked" v1: packet type, ARPHRD, address length, address(8), protocol at 14 (16 bytes).
      if (f.length < 16) return { kind: "skip", reason: "truncated" };
      return byEthertype(f.readUInt16BE(14), 16);
    case LINKTYPE.LINUX_SLL2:
      // v2 (tcpdump -i any since libpcap 1.10): protocol first, then reserved, ifindex, ARPHRD, ... (20 bytes).
      if (f.length < 20) return { kind: "skip", reason: "truncated" };
      return byEthertype(f.readUInt16BE(0), 20);
    case LINKTYPE.NULL:
    case LINKTYPE.LOOP: {
      // NULL: the family in the capturing host's byte order; LOOP: always network order.
      if (f.length < 4) return { kind: "skip", reason: "truncated" };
      let family = linkType === LINKTYPE.LOOP ? f.readUInt32BE(0) : f.readUInt32LE(0);
      if (family > 0xffff) family = f.readUInt32BE(0);
      if (family === 2) return { version: 4, offset: 4 };
      if (AF_INET6.has(family)) return { version: 6, offset: 4 };
      return { kind: "skip", reason: "not-ip" };
    }
    case LINKTYPE.RAW:
    case LINKTYPE.IPV4:
    case LINKTYPE.IPV6:
      return byVersionNibble(f, 0);
    default:
      return { kind: "skip", reason: "not-ip" };
  }
}

/** RFC 791 §3.1. Fragments are skipped: SIP over UDP above the MTU is rare and reassembly is a DoS surface. */
function decodeIpv4(f: Buffer, at: number): DecodedPacket {
  if (f.length < at + 20) return { kind: "skip", reason: "truncated" };
  const ihl = ((f[at] as number) & 0x0f) * 4;
  const total = f.readUInt16BE(at + 2);
  if ((f[at] as number) >> 4 !== 4 || ihl < 20 || total < ihl)
    return { kind: "skip", reason: "bad-ip-header" };
  if (f.length < at + total) return { kind: "skip", reason: "truncated" };
  const flagsOffset = f.readUInt16BE(at + 6);
  if (flagsOffset & 0x2000 || flagsOffset & 0x1fff) return { kind: "skip", reason: "ipv4-fragment" };
  const src = `${f[at + 12]}.${f[at + 13]}.${f[at + 14]}.${f[at + 15]}`;
  const dst = `${f[at + 16]}.${f[at + 17]}.${f[at + 18]}.${f[at + 19]}`;
  // Ethernet pads short frames to 60 bytes: the IP total length, not the frame, ends the packet.
  return decodeTransport(f[at + 9] as number, f.subarray(at + ihl, at + total), src, dst);
}

/** RFC 8200 §3–4: fixed 40-byte header, then a chain of extension headers. */
function decodeIpv6(f: Buffer, at: number): DecodedPacket {
  if (f.length < at + 40) return { kind: "skip", reason: "truncated" };
  if ((f[at] as number) >> 4 !== 6) return { kind: "skip", reason: "bad-ip-header" };
  const payloadLength = f.readUInt16BE(at + 4);
  // RFC 2675: a zero payload length means a Hop-by-Hop jumbo payload option; not on a LAN.
  if (payloadLength === 0) return { kind: "skip", reason: "ipv6-jumbogram" };
  const end = at + 40 + payloadLength;
  if (f.length < end) return { kind: "skip", reason: "truncated" };
  let next = f[at + 6] as number;
  let p = at + 40;
  for (let hops = 0; hops < 8; hops++) {
    if (next === 44) return { kind: "skip", reason: "ipv6-fragment" };
    // Hop-by-Hop (0), Routing (43), Destination Options (60): length in 8-byte units beyond the first 8.
    // AH (51, RFC 4302 §2.2): length in 4-byte units, minus 2.
    if (next !== 0 && next !== 43 && next !== 60 && next !== 51) break;
    if (end < p + 2) return { kind: "skip", reason: "bad-ip-header" };
    const len = next === 51 ? ((f[p + 1] as number) + 2) * 4 : ((f[p + 1] as number) + 1) * 8;
    next = f[p] as number;
    p += len;
    if (p > end) return { kind: "skip", reason: "bad-ip-header" };
  }
  return decodeTransport(next, f.subarray(p, end), ipv6Text(f, at + 8), ipv6Text(f, at + 24));
}

function decodeTransport(protocol: number, seg: Buffer, srcIp: string, dstIp: string): DecodedPacket {
  if (protocol === 17) {
    // RFC 768: length covers header and data.
    if (seg.length < 8) return { kind: "skip", reason: "bad-udp-header" };
    const length = seg.readUInt16BE(4);
    if (length < 8 || length > seg.length) return { kind: "skip", reason: "bad-udp-header" };
    return {
      kind: "udp",
      src: { address: srcIp, port: seg.readUInt16BE(0) },
      dst: { address: dstIp, port: seg.readUInt16BE(2) },
      payload: seg.subarray(8, length),
    };
  }
  if (protocol === 6) {
    // RFC 9293 §3.1: data offset in 32-bit words; flags FIN 0x01, SYN 0x02, RST 0x04.
    if (seg.length < 20) return { kind: "skip", reason: "bad-tcp-header" };
    const dataOffset = ((seg[12] as number) >> 4) * 4;
    if (dataOffset < 20 || dataOffset > seg.length) return { kind: "skip", reason: "bad-tcp-header" };
    const flags = seg[13] as number;
    return {
      kind: "tcp",
      src: { address: srcIp, port: seg.readUInt16BE(0) },
      dst: { address: dstIp, port: seg.readUInt16BE(2) },
      seq: seg.readUInt32BE(4),
      fin: (flags & 0x01) !== 0,
      syn: (flags & 0x02) !== 0,
      rst: (flags & 0x04) !== 0,
      payload: seg.subarray(dataOffset),
    };
  }
  return { kind: "skip", reason: "not-udp-tcp" };
}

/** RFC 5952 §4: lower case, leading zeros dropped, the longest run (≥ 2) of zero groups as `::`. */
export function ipv6Text(b: Buffer, at: number): string {
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push(b.readUInt16BE(at + i * 2));
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) [bestStart, bestLen] = [i, j - i];
    i = j;
  }
  const hex = (g: number[]) => g.map((x) => x.toString(16)).join(":");
  if (bestStart < 0) return hex(groups);
  return `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLen))}`;
}
