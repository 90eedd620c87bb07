/**
 * SIP over TCP from captured segments (drivers/capture/tcp-sip-stream.ts through the whole reader):
 * segmentation, coalescing, reordering, retransmission, gaps, mid-stream joins, sequence wraparound,
 * and the memory bounds.
 */
import { describe, expect, it } from "vitest";
import { LINKTYPE } from "../../../drivers/capture/packets.js";
import {
  type CapturedSip,
  SipCaptureReader,
  type SipCaptureReaderOptions,
} from "../../../drivers/capture/sip-reader.js";
import {
  ethernet,
  ipv4,
  pcapFile,
  sdp,
  seeded,
  sipRequest,
  sipResponse,
  type TcpFlags,
  tcp,
} from "./pcap-builder.js";

interface Seg {
  seq: number;
  payload?: Buffer;
  flags?: TcpFlags;
  /** Source port; 5060 is the caller side, default 40000. */
  sport?: number;
}

function run(segs: Seg[], opts: SipCaptureReaderOptions = {}) {
  const records = segs.map((s, i) => {
    const sport = s.sport ?? 40_000;
    const dport = sport === 40_000 ? 5060 : 40_000;
    const ip = ipv4(
      "192.0.2.10",
      "192.0.2.20",
      6,
      tcp(sport, dport, s.seq, s.payload ?? Buffer.alloc(0), s.flags),
    );
    return { timeMs: 1_000_000 + i, data: ethernet(ip) };
  });
  const got: CapturedSip[] = [];
  const reader = new SipCaptureReader((m) => got.push(m), opts);
  reader.push(pcapFile({ linkType: LINKTYPE.EN10MB }, records));
  return { got, stats: reader.stats() };
}

const msg = (n: number) =>
  sipRequest({ callId: `call-${n}@x`, fromTag: `f${n}`, cseq: n, method: "INVITE", body: sdp });
const callIds = (got: CapturedSip[]) => got.map((m) => m.message.callId);

/** Splits `bytes` at the given offsets into segments starting at `isn + 1`. */
function split(bytes: Buffer, cuts: number[], isn: number): Seg[] {
  const edges = [0, ...cuts, bytes.length];
  return edges.slice(1).map((end, i) => ({
    seq: (isn + 1 + (edges[i] as number)) >>> 0,
    payload: bytes.subarray(edges[i] as number, end),
  }));
}

describe("TCP reassembly for SIP", () => {
  it("joins a message split over segments and splits coalesced messages", () => {
    const stream = Buffer.concat([msg(1), msg(2), msg(3)]);
    const a = msg(1).length;
    const { got, stats } = run([{ seq: 99, flags: { syn: true } }, ...split(stream, [10, a - 5, a + 3], 99)]);
    expect(callIds(got)).toEqual(["call-1@x", "call-2@x", "call-3@x"]);
    expect(got[0]?.transport).toBe("tcp");
    expect(got[0]?.message.body.toString()).toBe(sdp);
    expect(stats.skipped).toEqual({});
  });

  it("puts out-of-order segments back in order", () => {
    const segs = split(Buffer.concat([msg(1), msg(2)]), [100, 300, 500], 5);
    const { got, stats } = run([
      { seq: 5, flags: { syn: true } },
      segs[2],
      segs[0],
      segs[3],
      segs[1],
    ] as Seg[]);
    expect(callIds(got)).toEqual(["call-1@x", "call-2@x"]);
    expect(stats.skipped["tcp-out-of-order"]).toBe(2);
  });

  it("ignores retransmissions and uses only the new tail of an overlapping segment", () => {
    const bytes = Buffer.concat([msg(1), msg(2)]);
    const segs = split(bytes, [300, 600], 0);
    const overlap = { seq: 1 + 250, payload: bytes.subarray(250, 650) };
    const { got, stats } = run([
      { seq: 0, flags: { syn: true } },
      segs[0],
      segs[0],
      overlap,
      segs[1],
      segs[2],
    ] as Seg[]);
    expect(callIds(got)).toEqual(["call-1@x", "call-2@x"]);
    expect(stats.skipped["tcp-retransmission"]).toBe(2);
  });

  it("handles sequence numbers wrapping around 2^32", () => {
    const isn = 0xffff_ff00;
    const { got } = run([
      { seq: isn, flags: { syn: true } },
      ...split(Buffer.concat([msg(1), msg(2)]), [200, 500], isn),
    ]);
    expect(callIds(got)).toEqual(["call-1@x", "call-2@x"]);
  });

  it("gives up a gap the capture never fills, and resumes at the next start line", () => {
    const stream = Buffer.concat([msg(1), msg(2), msg(3), msg(4)]);
    const m = msg(1).length;
    const segs = split(stream, [100, 200, m, 2 * m, 3 * m], 0);
    // Segment 1 (bytes 100–200 of call-1) is lost; the queue holds 2 segments before giving up.
    const { got, stats } = run([{ seq: 0, flags: { syn: true } }, segs[0], ...segs.slice(2)] as Seg[], {
      tcp: { maxQueuedSegments: 2 },
    });
    expect(callIds(got)).toEqual(["call-2@x", "call-3@x", "call-4@x"]);
    expect(stats.skipped["tcp-gap"]).toBe(1);
  });

  it("joins a connection mid-stream at the first start line", () => {
    const stream = Buffer.concat([msg(1), msg(2)]);
    const { got, stats } = run(split(stream, [100], 1000).slice(1));
    expect(callIds(got)).toEqual(["call-2@x"]);
    expect(stats.skipped["tcp-skipped-bytes"]).toBe(msg(1).length - 100);
  });

  it("a message without Content-Length is a framing error; the next message still parses (§18.3)", () => {
    const bad = Buffer.from("OPTIONS sip:a@b SIP/2.0\r\nCall-ID: x\r\n\r\n");
    const { got, stats } = run([
      { seq: 0, flags: { syn: true } },
      ...split(Buffer.concat([bad, msg(2)]), [], 0),
    ]);
    expect(callIds(got)).toEqual(["call-2@x"]);
    expect(stats.skipped["tcp-framing-error"]).toBe(1);
  });

  it("keeps the two directions apart and ends flows on FIN and RST", () => {
    const ok = sipResponse(200, { callId: "call-1@x", fromTag: "f1", toTag: "t", cseq: 1, method: "INVITE" });
    const { got } = run([
      { seq: 0, flags: { syn: true } },
      { seq: 500, sport: 5060, flags: { syn: true } },
      { seq: 1, payload: msg(1).subarray(0, 50) },
      { seq: 501, sport: 5060, payload: ok },
      { seq: 51, payload: msg(1).subarray(50), flags: { fin: true } },
      { seq: 501 + ok.length, sport: 5060, flags: { rst: true } },
      // After the RST, a segment of the old flow starts a new one mid-stream: no start line, nothing out.
      { seq: 9999, sport: 5060, payload: ok.subarray(10) },
    ]);
    expect(got.map((m) => m.message.kind)).toEqual(["response", "request"]);
  });

  it("bounds the flow table (LRU eviction) and the out-of-order queue", () => {
    const segs: Seg[] = [];
    for (let flow = 0; flow < 5; flow++)
      segs.push({ seq: 0, sport: 41_000 + flow, payload: msg(flow).subarray(0, 40) });
    const { stats } = run(segs, { tcp: { maxFlows: 3 } });
    expect(stats.skipped["tcp-flow-evicted"]).toBe(2);
    const far: Seg[] = [{ seq: 0, flags: { syn: true } }];
    for (let i = 0; i < 10; i++) far.push({ seq: 100_000 + i * 2000, payload: Buffer.alloc(1000, 0x41) });
    const bounded = run(far, { tcp: { maxQueuedBytes: 4000 } });
    expect(bounded.stats.skipped["tcp-gap"]).toBeGreaterThanOrEqual(2);
  });

  it("random segmentation, local reordering and duplicates: every message exactly once (seeded)", () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const rnd = seeded(seed);
      const msgs = Array.from({ length: 20 }, (_, i) => msg(i));
      const stream = Buffer.concat(msgs);
      const cuts: number[] = [];
      for (let at = 0; at < stream.length; ) {
        at += 1 + Math.floor(rnd() * 700);
        if (at < stream.length) cuts.push(at);
      }
      const isn = Math.floor(rnd() * 2 ** 32);
      const segs = split(stream, cuts, isn);
      const wire: Seg[] = [];
      for (let i = 0; i < segs.length; i++) {
        if (i + 1 < segs.length && rnd() < 0.2) {
          wire.push(segs[i + 1] as Seg, segs[i] as Seg);
          i++;
        } else wire.push(segs[i] as Seg);
        if (rnd() < 0.1) wire.push(segs[Math.floor(rnd() * (i + 1))] as Seg);
      }
      const { got } = run([{ seq: isn, flags: { syn: true } }, ...wire]);
      expect(callIds(got)).toEqual(msgs.map((_, i) => `call-${i}@x`));
    }
  });
});
