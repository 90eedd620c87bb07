/**
 * The truth on the wire for bench/sip: reads a tcpdump capture (pcap, micro- or nanosecond
 * timestamps) of SIP over UDP or TCP on IPv4 and pairs every request with its first final response by
 * Call-ID and CSeq. Only what the benchmark's own capture contains is supported: Ethernet (what `lo`
 * gives), Linux cooked v1/v2, IPv4, no IP fragments, TCP in order (loopback does not reorder; a
 * retransmitted segment is skipped by its sequence number).
 */

export interface CapturedPacket {
  /** Capture time, ns since the epoch. */
  tsNs: bigint;
  proto: "udp" | "tcp";
  src: string;
  dst: string;
  payload: Buffer;
  /** TCP only. */
  seq?: number;
  syn?: boolean;
}

export interface SipOnWire {
  tsNs: bigint;
  kind: "request" | "response";
  method: string;
  status: number;
  callId: string;
  cseq: string;
}

export interface WireExchange {
  callId: string;
  cseq: string;
  /** First copy of the request on the wire. */
  requestNs: bigint;
  /** First final (>= 200) response on the wire; undefined when none was captured. */
  responseNs?: bigint;
  status?: number;
  /** Copies of the request after the first (retransmissions). */
  retransmissions: number;
  /** Final response minus request, ms. */
  rttMs?: number;
}

/** Parses the capture file's packets (IPv4 UDP and TCP with a payload, plus SYNs). */
export function readPcap(file: Buffer): { packets: CapturedPacket[]; linktype: number } {
  if (file.length < 24) throw new Error("pcap: file shorter than its header");
  const magicLe = file.readUInt32LE(0);
  let le: boolean;
  let nano: boolean;
  if (magicLe === 0xa1b2c3d4 || magicLe === 0xa1b23c4d) {
    le = true;
    nano = magicLe === 0xa1b23c4d;
  } else {
    const magicBe = file.readUInt32BE(0);
    if (magicBe !== 0xa1b2c3d4 && magicBe !== 0xa1b23c4d)
      throw new Error(`pcap: unknown magic 0x${magicLe.toString(16)} (pcapng is not supported)`);
    le = false;
    nano = magicBe === 0xa1b23c4d;
  }
  const u32 = (off: number) => (le ? file.readUInt32LE(off) : file.readUInt32BE(off));
  const linktype = u32(20) & 0x0fffffff;
  const packets: CapturedPacket[] = [];
  let off = 24;
  while (off + 16 <= file.length) {
    const sec = BigInt(u32(off));
    const frac = BigInt(u32(off + 4));
    const incl = u32(off + 8);
    const data = file.subarray(off + 16, off + 16 + incl);
    off += 16 + incl;
    const tsNs = sec * 1_000_000_000n + (nano ? frac : frac * 1000n);
    const ip = ipv4Of(data, linktype);
    if (!ip) continue;
    const p = transportOf(ip, tsNs);
    if (p) packets.push(p);
  }
  return { packets, linktype };
}

/** The IPv4 datagram inside one captured frame, or undefined for anything else. */
function ipv4Of(frame: Buffer, linktype: number): Buffer | undefined {
  let ethertype: number;
  let start: number;
  if (linktype === 1) {
    // Ethernet: dst(6) src(6) type(2)
    if (frame.length < 14) return undefined;
    ethertype = frame.readUInt16BE(12);
    start = 14;
  } else if (linktype === 113) {
    // Linux cooked v1: 16 bytes, protocol at 14
    if (frame.length < 16) return undefined;
    ethertype = frame.readUInt16BE(14);
    start = 16;
  } else if (linktype === 276) {
    // Linux cooked v2: 20 bytes, protocol at 0
    if (frame.length < 20) return undefined;
    ethertype = frame.readUInt16BE(0);
    start = 20;
  } else if (linktype === 101 || linktype === 228) {
    // Raw IP / raw IPv4
    ethertype = 0x0800;
    start = 0;
  } else throw new Error(`pcap: link type ${linktype} is not supported`);
  if (ethertype !== 0x0800) return undefined;
  return frame.subarray(start);
}

const dotted = (b: Buffer, off: number) => `${b[off]}.${b[off + 1]}.${b[off + 2]}.${b[off + 3]}`;

function transportOf(ip: Buffer, tsNs: bigint): CapturedPacket | undefined {
  if (ip.length < 20 || ip[0] === undefined || ip[0] >> 4 !== 4) return undefined;
  const ihl = (ip[0] & 0x0f) * 4;
  const total = Math.min(ip.readUInt16BE(2), ip.length);
  const flagsFrag = ip.readUInt16BE(6);
  // More fragments, or not the first fragment: the benchmark's messages are far below the MTU of lo.
  if ((flagsFrag & 0x2000) !== 0 || (flagsFrag & 0x1fff) !== 0) return undefined;
  const proto = ip[9];
  const src = dotted(ip, 12);
  const dst = dotted(ip, 16);
  const seg = ip.subarray(ihl, total);
  if (proto === 17) {
    if (seg.length < 8) return undefined;
    return {
      tsNs,
      proto: "udp",
      src: `${src}:${seg.readUInt16BE(0)}`,
      dst: `${dst}:${seg.readUInt16BE(2)}`,
      payload: seg.subarray(8),
    };
  }
  if (proto === 6) {
    if (seg.length < 20 || seg[12] === undefined || seg[13] === undefined) return undefined;
    const dataOff = (seg[12] >> 4) * 4;
    return {
      tsNs,
      proto: "tcp",
      src: `${src}:${seg.readUInt16BE(0)}`,
      dst: `${dst}:${seg.readUInt16BE(2)}`,
      payload: seg.subarray(dataOff),
      seq: seg.readUInt32BE(4),
      syn: (seg[13] & 0x02) !== 0,
    };
  }
  return undefined;
}

/** Header value by full or compact name (RFC 3261 §7.3.3), case-insensitive; the first occurrence. */
function header(lines: string[], names: string[]): string | undefined {
  for (const line of lines) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    if (names.includes(line.slice(0, colon).trim().toLowerCase())) return line.slice(colon + 1).trim();
  }
  return undefined;
}

/** Start line, Call-ID and CSeq of one SIP message; undefined when it is none. */
function sipOf(bytes: Buffer, tsNs: bigint): SipOnWire | undefined {
  const text = bytes.toString("latin1");
  const end = text.indexOf("\r\n\r\n");
  const lines = (end >= 0 ? text.slice(0, end) : text).split(/\r?\n/);
  const first = lines[0] ?? "";
  const callId = header(lines, ["call-id", "i"]);
  const cseqRaw = header(lines, ["cseq"]);
  if (!callId || !cseqRaw) return undefined;
  const cseq = cseqRaw.replace(/\s+/g, " ");
  const resp = /^SIP\/2\.0 (\d{3})/.exec(first);
  if (resp) {
    return {
      tsNs,
      kind: "response",
      method: cseq.split(" ")[1] ?? "",
      status: Number(resp[1]),
      callId,
      cseq,
    };
  }
  const req = /^([A-Z]+) \S+ SIP\/2\.0$/.exec(first);
  if (req) return { tsNs, kind: "request", method: req[1] as string, status: 0, callId, cseq };
  return undefined;
}

/** Length of the first complete SIP message at the start of a stream buffer, 0 when incomplete. */
function framed(buf: Buffer): number {
  // Keep-alive CRLFs (RFC 5626) between messages are skipped by the caller.
  const end = buf.indexOf("\r\n\r\n");
  if (end < 0) return 0;
  const head = buf.subarray(0, end).toString("latin1").split(/\r?\n/);
  const cl = Number(header(head, ["content-length", "l"]) ?? "0");
  const total = end + 4 + (Number.isFinite(cl) ? cl : 0);
  return buf.length >= total ? total : 0;
}

/**
 * Every SIP message in the capture, in capture order. A TCP message carries the time of the segment
 * that completed it (when the receiver could act on it); a UDP message the time of its datagram.
 */
export function sipMessages(packets: CapturedPacket[]): SipOnWire[] {
  const out: SipOnWire[] = [];
  const streams = new Map<string, { next: number | undefined; buf: Buffer }>();
  for (const p of packets) {
    if (p.proto === "udp") {
      const m = sipOf(p.payload, p.tsNs);
      if (m) out.push(m);
      continue;
    }
    const key = `${p.src}>${p.dst}`;
    let s = streams.get(key);
    if (p.syn || !s) {
      s = { next: p.syn ? ((p.seq as number) + 1) >>> 0 : p.seq, buf: Buffer.alloc(0) };
      streams.set(key, s);
      if (p.syn) continue;
    }
    if (p.payload.length === 0) continue;
    let data = p.payload;
    const seq = p.seq as number;
    if (s.next !== undefined) {
      const behind = (s.next - seq) >>> 0;
      // A retransmission (entirely before what we have) or a partial overlap.
      if (behind > 0 && behind < 0x80000000) {
        if (behind >= data.length) continue;
        data = data.subarray(behind);
      }
    }
    s.next = (seq + p.payload.length) >>> 0;
    s.buf = s.buf.length === 0 ? data : Buffer.concat([s.buf, data]);
    for (;;) {
      let skip = 0;
      while (skip < s.buf.length && (s.buf[skip] === 0x0d || s.buf[skip] === 0x0a)) skip++;
      if (skip > 0) s.buf = s.buf.subarray(skip);
      const len = framed(s.buf);
      if (len === 0) break;
      const m = sipOf(s.buf.subarray(0, len), p.tsNs);
      if (m) out.push(m);
      s.buf = s.buf.subarray(len);
    }
  }
  return out;
}

/** Requests paired with their first final response by Call-ID + CSeq, in order of the first request. */
export function wireExchanges(messages: SipOnWire[]): WireExchange[] {
  const byKey = new Map<string, WireExchange>();
  for (const m of messages) {
    const key = `${m.callId}\n${m.cseq}`;
    const x = byKey.get(key);
    if (m.kind === "request") {
      if (x) x.retransmissions++;
      else byKey.set(key, { callId: m.callId, cseq: m.cseq, requestNs: m.tsNs, retransmissions: 0 });
      continue;
    }
    if (!x || m.status < 200 || x.responseNs !== undefined) continue;
    x.responseNs = m.tsNs;
    x.status = m.status;
    x.rttMs = Number(m.tsNs - x.requestNs) / 1e6;
  }
  return [...byKey.values()].sort((a, b) => (a.requestNs < b.requestNs ? -1 : 1));
}
