/**
 * pcap bytes → SIP messages: PcapStream (framing) → decodePacket (link, IP, UDP/TCP) → one SIP
 * message per UDP datagram (RFC 3261 §18.1.1) or Content-Length framing per TCP flow (§18.3).
 * Pure and streaming. Only a broken pcap file header or record framing throws (PcapFormatError);
 * every packet or message we cannot use is counted by reason and skipped.
 */
import { parseMessage, type SipLimits, type SipMessage } from "../sip/message.js";
import { decodePacket, type Endpoint, supportedLinkTypes } from "./packets.js";
import { PcapFormatError, type PcapHeader, type PcapRecord, PcapStream } from "./pcap.js";
import { defaultTcpLimits, TcpSipStreams, type TcpStreamLimits } from "./tcp-sip-stream.js";

export interface CapturedSip {
  /** Capture time, ms since the epoch. */
  timeMs: number;
  transport: "udp" | "tcp";
  src: Endpoint;
  dst: Endpoint;
  message: SipMessage;
}

export interface CaptureStats {
  packets: number;
  sipMessages: number;
  /** Reason → count: packet-level skips (packets.ts), TCP events, `sip-malformed:<reason>`, `keepalive`. */
  skipped: Record<string, number>;
}

export interface SipCaptureReaderOptions {
  tcp?: Partial<TcpStreamLimits>;
  sip?: SipLimits;
}

export class SipCaptureReader {
  private readonly pcap: PcapStream;
  private readonly tcp: TcpSipStreams;
  private linkType = -1;
  private readonly counts: CaptureStats = { packets: 0, sipMessages: 0, skipped: {} };
  private readonly sipLimits: SipLimits | undefined;

  constructor(
    private readonly onMessage: (captured: CapturedSip) => void,
    opts: SipCaptureReaderOptions = {},
  ) {
    this.sipLimits = opts.sip;
    const tcpLimits = { ...defaultTcpLimits, ...opts.tcp, ...(opts.sip ? { sip: opts.sip } : {}) };
    this.tcp = new TcpSipStreams((what, n) => this.skip(what, n), tcpLimits);
    this.pcap = new PcapStream(
      (h) => this.header(h),
      (r) => this.record(r),
    );
  }

  /** Feeds bytes of a pcap stream, in any chunking. Throws only PcapFormatError (see pcap.ts). */
  push(chunk: Buffer): void {
    this.pcap.push(chunk);
  }

  get fileHeader(): PcapHeader | undefined {
    return this.pcap.fileHeader;
  }

  /** A snapshot of the counters. */
  stats(): CaptureStats {
    return { ...this.counts, skipped: { ...this.counts.skipped } };
  }

  private skip(reason: string, n = 1): void {
    if (n <= 0) return;
    this.counts.skipped[reason] = (this.counts.skipped[reason] ?? 0) + n;
  }

  private header(h: PcapHeader): void {
    if (!supportedLinkTypes.has(h.linkType))
      throw new PcapFormatError(`unsupported link-layer type ${h.linkType} in the pcap file header`, [
        "supported: 0 NULL, 1 EN10MB, 101 RAW, 108 LOOP, 113 LINUX_SLL, 228 IPV4, 229 IPV6, 276 LINUX_SLL2",
      ]);
    this.linkType = h.linkType;
  }

  private record(r: PcapRecord): void {
    this.counts.packets++;
    const p = decodePacket(this.linkType, r.data);
    if (p.kind === "skip") {
      // A record cut by the snaplen is "truncated" whatever layer noticed it first.
      this.skip(r.data.length < r.originalLength ? "truncated" : p.reason);
      return;
    }
    if (p.kind === "udp") {
      // RFC 5626 §4.4.1 / §3.5.1: CRLF keep-alives; STUN keep-alives are 20+ bytes starting with 0x00/0x01.
      if (isKeepalive(p.payload)) {
        this.skip("keepalive");
        return;
      }
      this.deliver(p.payload, false, r.timeMs, "udp", p.src, p.dst);
      return;
    }
    const key = `${p.src.address}|${p.src.port}|${p.dst.address}|${p.dst.port}`;
    this.tcp.segment(key, p, (bytes) => this.deliver(bytes, true, r.timeMs, "tcp", p.src, p.dst));
  }

  private deliver(
    bytes: Buffer,
    stream: boolean,
    timeMs: number,
    transport: "udp" | "tcp",
    src: Endpoint,
    dst: Endpoint,
  ): void {
    let message: SipMessage;
    try {
      message = parseMessage(bytes, { stream, ...(this.sipLimits ? { limits: this.sipLimits } : {}) });
    } catch (err) {
      const reason = (err as { reason?: string }).reason ?? "unknown";
      this.skip(`sip-malformed:${reason}`);
      return;
    }
    this.counts.sipMessages++;
    this.onMessage({ timeMs, transport, src, dst, message });
  }
}

function isKeepalive(payload: Buffer): boolean {
  if (payload.length === 0) return true;
  if (payload[0] === 0x00 || payload[0] === 0x01) return payload.length >= 20;
  for (const byte of payload) if (byte !== 0x0d && byte !== 0x0a) return false;
  return true;
}
