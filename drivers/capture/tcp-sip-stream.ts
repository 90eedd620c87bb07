/**
 * Per-flow TCP reassembly for SIP (RFC 3261 §18.3: on a stream, Content-Length frames messages).
 * Passive, so we never see what the endpoints' kernels saw: segments may be retransmitted, overlap,
 * arrive out of order, or be missing from the capture altogether (kernel drops, a capture started
 * mid-connection). The rules, each bounded in memory:
 * - data before the expected sequence number is a retransmission; only its new tail is used;
 * - data after it waits in a small per-flow queue; when the queue overflows the gap is given up;
 * - after a gap, or when joining a flow mid-stream, bytes are skipped up to the next SIP start line;
 * - the flow table is an LRU with a cap; FIN and RST end a flow.
 * Sequence numbers are compared modulo 2^32 (RFC 9293 §3.4).
 */
import { defaultLimits, frameStream, type SipLimits } from "../sip/message.js";

export interface TcpStreamLimits {
  maxFlows: number;
  /** Out-of-order bytes held per flow before the gap is given up. */
  maxQueuedBytes: number;
  maxQueuedSegments: number;
  sip: SipLimits;
}

export const defaultTcpLimits: TcpStreamLimits = {
  maxFlows: 4096,
  maxQueuedBytes: 256 * 1024,
  maxQueuedSegments: 64,
  sip: defaultLimits,
};

export interface TcpSegment {
  seq: number;
  syn: boolean;
  fin: boolean;
  rst: boolean;
  payload: Buffer;
}

interface Flow {
  /** Next expected sequence number; undefined until the first SYN or data segment. */
  next: number | undefined;
  /** In-order bytes not yet framed into a message. */
  pending: Buffer;
  queue: Map<number, Buffer>;
  queuedBytes: number;
  /** Bytes before the next start line are not a message's beginning (after a gap, or mid-stream join). */
  resync: boolean;
}

/** Counter names; see SipCaptureReader.stats(). */
export type TcpCount =
  | "tcp-retransmission"
  | "tcp-out-of-order"
  | "tcp-gap"
  | "tcp-flow-evicted"
  | "tcp-skipped-bytes"
  | "tcp-framing-error";

/** A SIP start line at the beginning of the buffer or after a CRLF (§7.1 Request-Line, §7.2 Status-Line). */
const startLine =
  /(?:^|\r\n)(?=SIP\/2\.0 [1-6][0-9][0-9] |[A-Za-z!%*+`'~._-]+ [A-Za-z][A-Za-z0-9+.-]*:[^ \r\n]+ SIP\/2\.0\r\n)/g;

const EMPTY = Buffer.alloc(0);

export class TcpSipStreams {
  private readonly flows = new Map<string, Flow>();

  constructor(
    private readonly count: (what: TcpCount, n?: number) => void,
    private readonly limits: TcpStreamLimits = defaultTcpLimits,
  ) {}

  get flowCount(): number {
    return this.flows.size;
  }

  /** Feeds one segment of flow `key` (one direction of a connection); calls `emit` per framed message. */
  segment(key: string, seg: TcpSegment, emit: (message: Buffer) => void): void {
    if (seg.rst) {
      this.flows.delete(key);
      return;
    }
    // A bare ACK of a flow we do not follow carries nothing: do not let it take a table slot.
    if (!seg.syn && seg.payload.length === 0 && !this.flows.has(key)) return;
    const flow = this.touch(key);
    let seq = seg.seq;
    if (seg.syn) {
      seq = (seg.seq + 1) >>> 0;
      Object.assign(flow, { next: seq, pending: EMPTY, queuedBytes: 0, resync: false });
      flow.queue.clear();
    }
    if (seg.payload.length > 0) this.data(flow, seq, seg.payload);
    this.frame(flow, emit);
    if (seg.fin) this.flows.delete(key);
  }

  private touch(key: string): Flow {
    let flow = this.flows.get(key);
    if (flow) {
      // Re-insert so the Map's order is least recently used first.
      this.flows.delete(key);
    } else {
      flow = { next: undefined, pending: EMPTY, queue: new Map(), queuedBytes: 0, resync: true };
      if (this.flows.size >= this.limits.maxFlows) {
        const oldest = this.flows.keys().next().value as string;
        this.flows.delete(oldest);
        this.count("tcp-flow-evicted");
      }
    }
    this.flows.set(key, flow);
    return flow;
  }

  private data(flow: Flow, seq: number, payload: Buffer): void {
    if (flow.next === undefined) flow.next = seq;
    const ahead = (seq - flow.next) | 0;
    if (ahead <= 0) {
      if (ahead + payload.length <= 0) {
        this.count("tcp-retransmission");
        return;
      }
      this.append(flow, payload.subarray(-ahead));
      this.dequeue(flow);
      return;
    }
    this.count("tcp-out-of-order");
    if (!flow.queue.has(seq)) {
      // Copied: a subarray would keep the whole capture chunk it came from alive.
      flow.queue.set(seq, Buffer.from(payload));
      flow.queuedBytes += payload.length;
    }
    if (flow.queuedBytes > this.limits.maxQueuedBytes || flow.queue.size > this.limits.maxQueuedSegments)
      this.giveUpGap(flow);
  }

  private append(flow: Flow, bytes: Buffer): void {
    flow.pending = flow.pending.length === 0 ? Buffer.from(bytes) : Buffer.concat([flow.pending, bytes]);
    flow.next = ((flow.next as number) + bytes.length) >>> 0;
  }

  /** Moves queued segments that now touch the expected sequence number into the stream. */
  private dequeue(flow: Flow): void {
    let progressed = true;
    while (progressed && flow.queue.size > 0) {
      progressed = false;
      for (const [seq, bytes] of flow.queue) {
        const ahead = (seq - (flow.next as number)) | 0;
        if (ahead > 0) continue;
        flow.queue.delete(seq);
        flow.queuedBytes -= bytes.length;
        if (ahead + bytes.length > 0) this.append(flow, bytes.subarray(-ahead));
        else this.count("tcp-retransmission");
        progressed = true;
      }
    }
  }

  /** The missing bytes are not coming (not in the capture): continue at the earliest queued segment. */
  private giveUpGap(flow: Flow): void {
    this.count("tcp-gap");
    let earliest: number | undefined;
    for (const seq of flow.queue.keys())
      if (earliest === undefined || ((seq - earliest) | 0) < 0) earliest = seq;
    this.count("tcp-skipped-bytes", flow.pending.length);
    flow.pending = EMPTY;
    flow.resync = true;
    flow.next = earliest;
    this.dequeue(flow);
  }

  private frame(flow: Flow, emit: (message: Buffer) => void): void {
    for (;;) {
      if (flow.resync && !this.resync(flow, 0)) return;
      let framed: { skip: number; length: number };
      try {
        framed = frameStream(flow.pending, this.limits.sip);
      } catch {
        // No usable Content-Length or too large: drop this start line and look for the next one.
        this.count("tcp-framing-error");
        flow.resync = true;
        if (!this.resync(flow, 1)) return;
        continue;
      }
      if (framed.length === 0) {
        flow.pending = flow.pending.subarray(framed.skip);
        return;
      }
      const end = framed.skip + framed.length;
      emit(flow.pending.subarray(framed.skip, end));
      flow.pending = flow.pending.subarray(end);
    }
  }

  /** Skips to the first start line at or after `from`; false when none is buffered yet. */
  private resync(flow: Flow, from: number): boolean {
    const text = flow.pending.toString("latin1");
    startLine.lastIndex = from;
    const m = startLine.exec(text);
    if (!m) {
      // Keep a tail in which a start line may have begun; the longest one we accept fits a header line.
      const keep = Math.min(flow.pending.length, 512);
      this.count("tcp-skipped-bytes", flow.pending.length - keep);
      flow.pending = flow.pending.subarray(flow.pending.length - keep);
      return false;
    }
    const at = m.index + (m[0].startsWith("\r\n") ? 2 : 0);
    this.count("tcp-skipped-bytes", at);
    flow.pending = flow.pending.subarray(at);
    flow.resync = false;
    return true;
  }
}
