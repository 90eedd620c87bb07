/**
 * Byte-level builders for self-written pcap fixtures: file header and records (draft-ietf-opsawg-pcap
 * §4–5) in either byte order, link-layer headers for every link type the reader supports, IPv4/IPv6,
 * UDP/TCP, and SIP message text. Checksums are left zero: the reader does not check them.
 */

export interface FileSpec {
  littleEndian?: boolean;
  nanoseconds?: boolean;
  linkType: number;
  snaplen?: number;
  /** Raw LinkType field override (FCS bits). */
  linkField?: number;
}

export interface RecordSpec {
  timeMs: number;
  data: Buffer;
  /** orig_len; defaults to data.length. */
  originalLength?: number;
}

export function pcapHeader(spec: FileSpec): Buffer {
  const b = Buffer.alloc(24);
  const le = spec.littleEndian ?? true;
  const u32 = (v: number, at: number) => (le ? b.writeUInt32LE(v >>> 0, at) : b.writeUInt32BE(v >>> 0, at));
  const u16 = (v: number, at: number) => (le ? b.writeUInt16LE(v, at) : b.writeUInt16BE(v, at));
  u32(spec.nanoseconds ? 0xa1b23c4d : 0xa1b2c3d4, 0);
  u16(2, 4);
  u16(4, 6);
  u32(spec.snaplen ?? 262_144, 16);
  u32(spec.linkField ?? spec.linkType, 20);
  return b;
}

export function pcapRecord(spec: FileSpec, rec: RecordSpec): Buffer {
  const b = Buffer.alloc(16);
  const le = spec.littleEndian ?? true;
  const u32 = (v: number, at: number) => (le ? b.writeUInt32LE(v >>> 0, at) : b.writeUInt32BE(v >>> 0, at));
  const sec = Math.floor(rec.timeMs / 1000);
  const subMs = rec.timeMs - sec * 1000;
  u32(sec, 0);
  u32(Math.round(spec.nanoseconds ? subMs * 1e6 : subMs * 1e3), 4);
  u32(rec.data.length, 8);
  u32(rec.originalLength ?? rec.data.length, 12);
  return Buffer.concat([b, rec.data]);
}

export function pcapFile(spec: FileSpec, records: RecordSpec[]): Buffer {
  return Buffer.concat([pcapHeader(spec), ...records.map((r) => pcapRecord(spec, r))]);
}

// ---- IP and transport ------------------------------------------------------------------------

export function ipv4Bytes(text: string): Buffer {
  return Buffer.from(text.split(".").map(Number));
}

export function ipv6Bytes(text: string): Buffer {
  const [head = "", tail = ""] = text.split("::");
  const h = head ? head.split(":") : [];
  const t = text.includes("::") && tail ? tail.split(":") : [];
  const groups = text.includes("::") ? [...h, ...Array(8 - h.length - t.length).fill("0"), ...t] : h;
  const b = Buffer.alloc(16);
  for (const [i, g] of groups.entries()) b.writeUInt16BE(Number.parseInt(g, 16), i * 2);
  return b;
}

export function udp(sport: number, dport: number, payload: Buffer): Buffer {
  const b = Buffer.alloc(8);
  b.writeUInt16BE(sport, 0);
  b.writeUInt16BE(dport, 2);
  b.writeUInt16BE(8 + payload.length, 4);
  return Buffer.concat([b, payload]);
}

export interface TcpFlags {
  syn?: boolean;
  fin?: boolean;
  rst?: boolean;
}

export function tcp(
  sport: number,
  dport: number,
  seq: number,
  payload: Buffer,
  flags: TcpFlags = {},
): Buffer {
  const b = Buffer.alloc(20);
  b.writeUInt16BE(sport, 0);
  b.writeUInt16BE(dport, 2);
  b.writeUInt32BE(seq >>> 0, 4);
  b[12] = 5 << 4;
  b[13] = 0x10 | (flags.fin ? 1 : 0) | (flags.syn ? 2 : 0) | (flags.rst ? 4 : 0) | (payload.length ? 8 : 0);
  b.writeUInt16BE(65535, 14);
  return Buffer.concat([b, payload]);
}

export function ipv4(src: string, dst: string, protocol: number, payload: Buffer, fragment = 0): Buffer {
  const b = Buffer.alloc(20);
  b[0] = 0x45;
  b.writeUInt16BE(20 + payload.length, 2);
  b.writeUInt16BE(fragment, 6);
  b[8] = 64;
  b[9] = protocol;
  ipv4Bytes(src).copy(b, 12);
  ipv4Bytes(dst).copy(b, 16);
  return Buffer.concat([b, payload]);
}

/** `extensions` are [next-header, bytes] pairs inserted between the fixed header and `payload`. */
export function ipv6(
  src: string,
  dst: string,
  protocol: number,
  payload: Buffer,
  extensions: number[] = [],
): Buffer {
  const exts: Buffer[] = [];
  // Each extension (Hop-by-Hop 0, Destination 60, Fragment 44) as an 8-byte header naming the next.
  const chain = [...extensions, protocol];
  for (let i = 0; i < extensions.length; i++) {
    const e = Buffer.alloc(8);
    e[0] = chain[i + 1] as number;
    exts.push(e);
  }
  const body = Buffer.concat([...exts, payload]);
  const b = Buffer.alloc(40);
  b[0] = 0x60;
  b.writeUInt16BE(body.length, 4);
  b[6] = chain[0] as number;
  b[7] = 64;
  ipv6Bytes(src).copy(b, 8);
  ipv6Bytes(dst).copy(b, 24);
  return Buffer.concat([b, body]);
}

// ---- link layers -----------------------------------------------------------------------------

export function ethernet(ip: Buffer, vlans: number[] = []): Buffer {
  const type = (ip[0] as number) >> 4 === 6 ? 0x86dd : 0x0800;
  const parts = [Buffer.from([2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2])];
  for (const vid of vlans) {
    const tag = Buffer.alloc(4);
    tag.writeUInt16BE(0x8100, 0);
    tag.writeUInt16BE(vid, 2);
    parts.push(tag);
  }
  const t = Buffer.alloc(2);
  t.writeUInt16BE(type, 0);
  const frame = Buffer.concat([...parts, t, ip]);
  // Ethernet minimum frame: 60 bytes without FCS; the padding must not reach the IP layer.
  return frame.length < 60 ? Buffer.concat([frame, Buffer.alloc(60 - frame.length, 0xee)]) : frame;
}

export function linuxSll(ip: Buffer): Buffer {
  const h = Buffer.alloc(16);
  h.writeUInt16BE(0, 0); // to us
  h.writeUInt16BE(772, 2); // ARPHRD_LOOPBACK
  h.writeUInt16BE(6, 4);
  h.writeUInt16BE((ip[0] as number) >> 4 === 6 ? 0x86dd : 0x0800, 14);
  return Buffer.concat([h, ip]);
}

export function linuxSll2(ip: Buffer): Buffer {
  const h = Buffer.alloc(20);
  h.writeUInt16BE((ip[0] as number) >> 4 === 6 ? 0x86dd : 0x0800, 0);
  h.writeUInt32BE(1, 4); // ifindex
  h.writeUInt16BE(1, 8); // ARPHRD_ETHER
  h[10] = 4; // outgoing
  h[11] = 6;
  return Buffer.concat([h, ip]);
}

/** BSD loopback: the address family in the capturing host's byte order. */
export function nullLoopback(ip: Buffer, littleEndian: boolean, af6 = 30): Buffer {
  const h = Buffer.alloc(4);
  const family = (ip[0] as number) >> 4 === 6 ? af6 : 2;
  if (littleEndian) h.writeUInt32LE(family, 0);
  else h.writeUInt32BE(family, 0);
  return Buffer.concat([h, ip]);
}

// ---- SIP text --------------------------------------------------------------------------------

export interface SipSpec {
  callId: string;
  fromTag: string;
  toTag?: string;
  cseq: number;
  method: string;
  branch?: string;
  body?: string;
  extra?: string[];
}

function headers(spec: SipSpec): string[] {
  const body = spec.body ?? "";
  return [
    `Via: SIP/2.0/UDP 192.0.2.10:5060;branch=${spec.branch ?? `z9hG4bK${spec.callId}${spec.cseq}`}`,
    `From: <sip:alice@example.net>;tag=${spec.fromTag}`,
    `To: <sip:bob@example.net>${spec.toTag ? `;tag=${spec.toTag}` : ""}`,
    `Call-ID: ${spec.callId}`,
    `CSeq: ${spec.cseq} ${spec.method}`,
    ...(spec.extra ?? []),
    `Content-Length: ${Buffer.byteLength(body)}`,
    "",
    body,
  ];
}

export function sipRequest(spec: SipSpec): Buffer {
  return Buffer.from([`${spec.method} sip:bob@example.net SIP/2.0`, ...headers(spec)].join("\r\n"));
}

export function sipResponse(status: number, spec: SipSpec): Buffer {
  const reason = status === 200 ? "OK" : status === 180 ? "Ringing" : "Reason";
  return Buffer.from([`SIP/2.0 ${status} ${reason}`, ...headers(spec)].join("\r\n"));
}

export const sdp = [
  "v=0",
  "o=- 1 1 IN IP4 192.0.2.10",
  "s=-",
  "c=IN IP4 192.0.2.10",
  "t=0 0",
  "m=audio 4000 RTP/AVP 8",
  "a=rtpmap:8 PCMA/8000",
  "",
].join("\r\n");

/** A deterministic PRNG for chunking and fuzzing: the lossy proxy's mulberry32. */
export { seededRandom as seeded } from "../../helpers/lossy-udp-proxy.js";
