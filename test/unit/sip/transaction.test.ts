/**
 * The non-INVITE client transaction's timers (RFC 3261 §17.1.2.2) and response matching
 * (§17.1.3), driven by fake timers and a fake flow that records when each copy was sent.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  type Clock,
  type FlowEvent,
  runNonInviteTransaction,
  type TransactionFlow,
  type TransactionOutcome,
} from "../../../drivers/sip/transaction.js";

const branch = "z9hG4bKtest0001";

class FakeFlow implements TransactionFlow {
  readonly sentAt: number[] = [];
  #listener: ((event: FlowEvent) => void) | undefined;
  constructor(readonly reliable: boolean) {}
  send(): void {
    this.sentAt.push(Date.now());
  }
  subscribe(listener: (event: FlowEvent) => void): () => void {
    this.#listener = listener;
    return () => {
      this.#listener = undefined;
    };
  }
  emit(event: FlowEvent): void {
    this.#listener?.(event);
  }
  respond(status: number, opts: { branch?: string; method?: string; extraVia?: boolean } = {}): void {
    const vias = [`Via: SIP/2.0/UDP 127.0.0.1:5062;branch=${opts.branch ?? branch};rport=5062`];
    if (opts.extraVia) vias.push("Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKother");
    const text = [
      `SIP/2.0 ${status} Reason`,
      ...vias,
      "From: <sip:patchkast@127.0.0.1>;tag=a",
      "To: <sip:proxy>;tag=b",
      "Call-ID: call1",
      `CSeq: 1 ${opts.method ?? "OPTIONS"}`,
      "Content-Length: 0",
      "",
      "",
    ].join("\r\n");
    this.emit({ type: "data", bytes: Buffer.from(text) });
  }
}

const clock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

function start(flow: FakeFlow) {
  let outcome: TransactionOutcome | undefined;
  const request = { bytes: Buffer.from("OPTIONS"), method: "OPTIONS", branch };
  void runNonInviteTransaction(flow, request, { clock }).then((o) => {
    outcome = o;
  });
  return { outcome: () => outcome };
}

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

const gaps = (times: number[]) => times.slice(1).map((t, i) => t - (times[i] as number));

describe("Timer E and F over UDP", () => {
  it("retransmits at 500, 1000, 2000, then every 4000 ms, and gives up at F = 32 s", async () => {
    const flow = new FakeFlow(false);
    const t = start(flow);
    await vi.advanceTimersByTimeAsync(31_999);
    expect(t.outcome()).toBeUndefined();
    expect(flow.sentAt).toEqual([0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500]);
    expect(gaps(flow.sentAt)).toEqual([500, 1000, 2000, 4000, 4000, 4000, 4000, 4000, 4000, 4000]);
    await vi.advanceTimersByTimeAsync(1);
    expect(t.outcome()).toMatchObject({
      kind: "timeout",
      retransmissions: 10,
      elapsedMs: 32_000,
      malformed: 0,
    });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(flow.sentAt).toHaveLength(11);
  });

  it("after a provisional response the next Timer E is reset to T2", async () => {
    const flow = new FakeFlow(false);
    const t = start(flow);
    await vi.advanceTimersByTimeAsync(700);
    flow.respond(100);
    // E was due at 1500 (interval 1000); when it fires in Proceeding it resets to T2 = 4000.
    await vi.advanceTimersByTimeAsync(9_300);
    expect(flow.sentAt).toEqual([0, 500, 1500, 5500, 9500]);
    flow.respond(200);
    await vi.advanceTimersByTimeAsync(0);
    expect(t.outcome()).toMatchObject({ kind: "final", rttMs: 10_000, retransmissions: 4, provisionals: 1 });
    await vi.advanceTimersByTimeAsync(30_000);
    expect(flow.sentAt).toHaveLength(5);
  });

  it("a provisional before the first retransmission moves straight to T2 spacing", async () => {
    const flow = new FakeFlow(false);
    const t = start(flow);
    await vi.advanceTimersByTimeAsync(200);
    flow.respond(180);
    await vi.advanceTimersByTimeAsync(31_800);
    expect(flow.sentAt).toEqual([0, 500, 4500, 8500, 12500, 16500, 20500, 24500, 28500]);
    expect(t.outcome()).toMatchObject({ kind: "timeout", retransmissions: 8 });
  });

  it("a final response ends the transaction and stops retransmitting", async () => {
    const flow = new FakeFlow(false);
    const t = start(flow);
    await vi.advanceTimersByTimeAsync(1600);
    flow.respond(404);
    await vi.advanceTimersByTimeAsync(0);
    expect(t.outcome()).toMatchObject({ kind: "final", rttMs: 1600, retransmissions: 2 });
    const response = (t.outcome() as Extract<TransactionOutcome, { kind: "final" }>).response;
    expect(response.status).toBe(404);
    await vi.advanceTimersByTimeAsync(40_000);
    expect(flow.sentAt).toHaveLength(3);
  });
});

describe("Timer F only over TCP", () => {
  it("sends once and times out at 32 s", async () => {
    const flow = new FakeFlow(true);
    const t = start(flow);
    await vi.advanceTimersByTimeAsync(31_999);
    expect(t.outcome()).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(flow.sentAt).toEqual([0]);
    expect(t.outcome()).toMatchObject({ kind: "timeout", retransmissions: 0 });
  });
});

describe("response matching (§17.1.3) and discards", () => {
  it("ignores other branches, other CSeq methods, extra Vias and requests; counts malformed ones", async () => {
    const flow = new FakeFlow(true);
    const t = start(flow);
    flow.respond(200, { branch: "z9hG4bKsomeoneelse" });
    flow.respond(200, { method: "REGISTER" });
    flow.respond(200, { extraVia: true });
    const request = [
      "NOTIFY sip:patchkast@127.0.0.1 SIP/2.0",
      `Via: SIP/2.0/UDP 10.0.0.1;branch=${branch}`,
      "From: <sip:proxy>;tag=c",
      "To: <sip:patchkast@127.0.0.1>",
      "Call-ID: call2",
      "CSeq: 1 NOTIFY",
      "Content-Length: 0",
      "",
      "",
    ];
    flow.emit({ type: "data", bytes: Buffer.from(request.join("\r\n")) });
    flow.emit({ type: "data", bytes: Buffer.from("garbage") });
    await vi.advanceTimersByTimeAsync(32_000);
    expect(t.outcome()).toMatchObject({ kind: "timeout", malformed: 1 });
  });

  it("the first final wins; a later one is ignored", async () => {
    const flow = new FakeFlow(false);
    const t = start(flow);
    flow.respond(503);
    flow.respond(200);
    await vi.advanceTimersByTimeAsync(0);
    const outcome = t.outcome() as Extract<TransactionOutcome, { kind: "final" }>;
    expect(outcome.response.status).toBe(503);
  });

  it("a transport error ends the transaction at once (§17.1.4)", async () => {
    const flow = new FakeFlow(false);
    const t = start(flow);
    await vi.advanceTimersByTimeAsync(600);
    flow.emit({ type: "error", failure: "refused", message: "ICMP port unreachable" });
    await vi.advanceTimersByTimeAsync(0);
    expect(t.outcome()).toEqual({
      kind: "failed",
      failure: "refused",
      message: "ICMP port unreachable",
      retransmissions: 1,
      elapsedMs: 600,
    });
    await vi.advanceTimersByTimeAsync(40_000);
    expect(flow.sentAt).toHaveLength(2);
  });
});

describe("round-trip time", () => {
  it("ends when the response came off the socket, not when we got round to parsing it", async () => {
    vi.useRealTimers();
    const flow = new FakeFlow(false);
    const request = { bytes: Buffer.from("OPTIONS"), method: "OPTIONS", branch };
    const done = runNonInviteTransaction(flow, request);
    const arrived = performance.now();
    // The event loop is busy for 40 ms between the datagram's arrival and its delivery to the transaction.
    while (performance.now() - arrived < 40) {
      /* busy */
    }
    const text = [
      "SIP/2.0 200 OK",
      `Via: SIP/2.0/UDP 127.0.0.1:5062;branch=${branch}`,
      "From: <sip:patchkast@127.0.0.1>;tag=a",
      "To: <sip:proxy>;tag=b",
      "Call-ID: call1",
      "CSeq: 1 OPTIONS",
      "Content-Length: 0",
      "",
      "",
    ].join("\r\n");
    flow.emit({ type: "data", bytes: Buffer.from(text), receivedAt: arrived });
    const outcome = await done;
    expect(outcome.kind).toBe("final");
    if (outcome.kind !== "final") return;
    expect(outcome.rttMs).toBeGreaterThanOrEqual(0);
    expect(outcome.rttMs).toBeLessThan(40);
  });
});
