/**
 * Non-INVITE client transaction (RFC 3261 §17.1.2). Over UDP, Timer E retransmits the request
 * at T1, 2·T1, 4·T1 … capped at T2, and at T2 once a provisional response arrived; Timer F ends
 * the transaction. Over TCP only Timer F runs: the transport is reliable (§17.1.2.2).
 *
 * Timer K (Completed state, T4 on UDP) only absorbs retransmitted final responses. We hand the
 * result over at once instead: the flow is closed right after, or the next transaction on it
 * ignores stray responses because they carry another branch (§17.1.3).
 */
import { parseMessage, type SipLimits, type SipResponse } from "./message.js";

export interface SipTimers {
  /** RTT estimate, 500 ms by default (§17.1.1.1). */
  t1Ms: number;
  /** Cap for non-INVITE retransmissions, 4 s by default. */
  t2Ms: number;
  /** Transaction timeout; 64·T1 = 32 s by default. */
  timerFMs: number;
}

export const rfc3261Timers: SipTimers = { t1Ms: 500, t2Ms: 4000, timerFMs: 32_000 };

/** What a transport can fail with; "malformed" is a TCP stream we cannot frame any more. */
export type TransportFailure = "refused" | "dns" | "network" | "malformed" | "timeout";

export type FlowEvent =
  /**
   * `receivedAt`: performance.now() when the bytes came off the socket, so the round trip excludes our own
   * parsing and any wait in the event loop after arrival (bench/README.md "sip": parsing added ~0.3 ms).
   */
  | { type: "data"; bytes: Buffer; receivedAt?: number }
  | { type: "error"; failure: TransportFailure; message: string };

/** The part of a transport a transaction needs. Implemented by transport.ts and by test fakes. */
export interface TransactionFlow {
  readonly reliable: boolean;
  /** Sends one message; transport errors arrive as events. */
  send(bytes: Buffer): void;
  /** Registers a listener; returns the function that removes it. */
  subscribe(listener: (event: FlowEvent) => void): () => void;
}

/** Injected for tests with fake timers; defaults to the globals at call time. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface OutgoingRequest {
  bytes: Buffer;
  method: string;
  branch: string;
}

export type TransactionOutcome =
  | { kind: "final"; response: SipResponse; rttMs: number; retransmissions: number; provisionals: number }
  | { kind: "timeout"; retransmissions: number; elapsedMs: number; malformed: number; lastMalformed?: string }
  | {
      kind: "failed";
      failure: TransportFailure;
      message: string;
      retransmissions: number;
      elapsedMs: number;
    };

export interface TransactionOptions {
  timers?: SipTimers;
  clock?: Clock;
  limits?: SipLimits;
}

/** Runs one transaction to its end; never rejects. */
export function runNonInviteTransaction(
  flow: TransactionFlow,
  request: OutgoingRequest,
  opts: TransactionOptions = {},
): Promise<TransactionOutcome> {
  const timers = opts.timers ?? rfc3261Timers;
  const clock = opts.clock ?? systemClock;
  return new Promise((resolve) => {
    const start = clock.now();
    let proceeding = false;
    let done = false;
    let retransmissions = 0;
    let provisionals = 0;
    let malformed = 0;
    let lastMalformed: string | undefined;
    let interval = timers.t1Ms;
    let nextAt = start + interval;
    let timerE: unknown;
    let timerF: unknown;
    let unsubscribe = () => {};

    const finish = (outcome: TransactionOutcome) => {
      if (done) return;
      done = true;
      clock.clearTimeout(timerE);
      clock.clearTimeout(timerF);
      unsubscribe();
      resolve(outcome);
    };

    // Timer E is kept on an absolute schedule (start + 500, + 1500, + 3500 …) so that event-loop
    // delays do not accumulate and shift retransmissions past Timer F.
    const armE = () => {
      timerE = clock.setTimeout(fireE, Math.max(0, nextAt - clock.now()));
    };
    const fireE = () => {
      if (done) return;
      retransmissions++;
      flow.send(request.bytes);
      // §17.1.2.2: in Trying the interval doubles up to T2; in Proceeding it is T2.
      interval = proceeding ? timers.t2Ms : Math.min(2 * interval, timers.t2Ms);
      nextAt += interval;
      armE();
    };

    // The transport's arrival stamp is on the system clock; a test's fake clock keeps its own time.
    const arrival = (at: number | undefined) =>
      opts.clock === undefined && at !== undefined ? at : clock.now();
    const onResponse = (response: SipResponse, receivedAt: number | undefined) => {
      // §17.1.3: a response belongs to us when the top Via branch and the CSeq method match.
      if (response.via[0]?.branch !== request.branch || response.cseq.method !== request.method) return;
      if (response.status < 200) {
        provisionals++;
        proceeding = true;
        return;
      }
      finish({ kind: "final", response, rttMs: arrival(receivedAt) - start, retransmissions, provisionals });
    };

    unsubscribe = flow.subscribe((event) => {
      if (done) return;
      if (event.type === "error") {
        const { failure, message } = event;
        finish({ kind: "failed", failure, message, retransmissions, elapsedMs: clock.now() - start });
        return;
      }
      let msg: ReturnType<typeof parseMessage>;
      try {
        msg = parseMessage(event.bytes, { stream: flow.reliable, limits: opts.limits });
      } catch (err) {
        // §18.1.2 / §18.3: a malformed response is discarded; we remember it for the report.
        malformed++;
        lastMalformed = err instanceof Error ? err.message : String(err);
        return;
      }
      // §8.1.3.3: a response with more than one Via is not for a UAC; requests are not for us.
      if (msg.kind === "response" && msg.via.length === 1) onResponse(msg, event.receivedAt);
    });

    timerF = clock.setTimeout(() => {
      const elapsedMs = clock.now() - start;
      finish({ kind: "timeout", retransmissions, elapsedMs, malformed, lastMalformed });
    }, timers.timerFMs);

    flow.send(request.bytes);
    if (!flow.reliable && !done) armE();
  });
}
