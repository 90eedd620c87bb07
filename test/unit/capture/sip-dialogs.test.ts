/**
 * The dialog state machine (agent/calls/sip-dialogs.ts): what counts as a call that is up, per
 * RFC 3261, with the retransmissions, re-INVITEs, forks and losses a capture sees.
 */
import { describe, expect, it } from "vitest";
import { type DialogTrackerOptions, SipDialogTracker } from "../../../agent/calls/sip-dialogs.js";
import { parseMessage } from "../../../drivers/sip/message.js";
import { sdp, sipRequest, sipResponse } from "./pcap-builder.js";

const T0 = 1_763_700_000_000;

/** One call between caller tag `a` and callee tag(s); `swap` sends a request from the callee. */
function call(callId: string, callerTag = "a") {
  const req = (method: string, cseq: number, toTag?: string, extra: string[] = []) =>
    parseMessage(
      sipRequest({
        callId,
        fromTag: callerTag,
        toTag,
        cseq,
        method,
        extra,
        body: method === "INVITE" ? sdp : "",
      }),
    );
  const res = (status: number, method: string, cseq: number, toTag?: string, extra: string[] = []) =>
    parseMessage(sipResponse(status, { callId, fromTag: callerTag, toTag, cseq, method, extra }));
  // From the callee: From and To swapped (§12.2.1.1).
  const calleeReq = (method: string, cseq: number, calleeTag: string) =>
    parseMessage(sipRequest({ callId, fromTag: calleeTag, toTag: callerTag, cseq, method }));
  const calleeRes = (status: number, method: string, cseq: number, calleeTag: string) =>
    parseMessage(sipResponse(status, { callId, fromTag: calleeTag, toTag: callerTag, cseq, method }));
  return {
    invite: (cseq = 1) => req("INVITE", cseq),
    reinvite: (cseq: number, toTag = "b") => req("INVITE", cseq, toTag),
    res,
    req,
    ack: (cseq = 1, toTag = "b") => req("ACK", cseq, toTag),
    bye: (cseq = 2, toTag = "b") => req("BYE", cseq, toTag),
    cancel: (cseq = 1) => req("CANCEL", cseq),
    calleeReq,
    calleeRes,
  };
}

function tracker(opts: Partial<DialogTrackerOptions> = {}) {
  const t = new SipDialogTracker(opts);
  let now = T0;
  return {
    t,
    feed: (...msgs: ReturnType<typeof parseMessage>[]) => {
      for (const m of msgs) {
        now += 10;
        t.observe(m, now);
      }
    },
    active: () => t.active(now),
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe("SIP dialog tracker", () => {
  it("a call is up from the 2xx to its INVITE until its BYE", () => {
    const { feed, active, t } = tracker();
    const c = call("c1");
    feed(c.invite(), c.res(100, "INVITE", 1), c.res(180, "INVITE", 1, "b"));
    expect(active()).toBe(0);
    expect(t.earlyCalls).toBe(1);
    feed(c.res(200, "INVITE", 1, "b"));
    expect(active()).toBe(1);
    feed(c.ack());
    expect(active()).toBe(1);
    feed(c.bye());
    expect(active()).toBe(0);
    feed(c.res(200, "BYE", 2, "b"));
    expect(active()).toBe(0);
    expect(t.earlyCalls).toBe(0);
    expect(t.stats()).toMatchObject({ callsStarted: 1, callsConfirmed: 1, dialogsEndedByBye: 1 });
  });

  it("retransmissions count once, and a 2xx retransmitted after the BYE does not bring the call back", () => {
    const { feed, active } = tracker();
    const c = call("c1");
    feed(c.invite(), c.invite(), c.res(180, "INVITE", 1, "b"), c.invite(), c.res(180, "INVITE", 1, "b"));
    feed(
      c.res(200, "INVITE", 1, "b"),
      c.res(200, "INVITE", 1, "b"),
      c.ack(),
      c.res(200, "INVITE", 1, "b"),
      c.ack(),
    );
    expect(active()).toBe(1);
    feed(c.bye(), c.bye(), c.res(200, "INVITE", 1, "b"), c.invite(), c.res(200, "BYE", 2, "b"));
    expect(active()).toBe(0);
  });

  it("re-INVITEs from either side, and their failures, neither double-count nor end the call", () => {
    const { feed, active } = tracker();
    const c = call("c1");
    feed(c.invite(), c.res(200, "INVITE", 1, "b"), c.ack());
    feed(c.reinvite(2), c.res(200, "INVITE", 2, "b"), c.ack(2));
    expect(active()).toBe(1);
    feed(c.calleeReq("INVITE", 1, "b"), c.calleeRes(200, "INVITE", 1, "b"), c.calleeReq("ACK", 1, "b"));
    expect(active()).toBe(1);
    feed(c.reinvite(3), c.res(491, "INVITE", 3, "b"), c.reinvite(4), c.res(488, "INVITE", 4, "b"));
    expect(active()).toBe(1);
    // The callee hangs up: BYE with the tags the other way round.
    feed(c.calleeReq("BYE", 2, "b"));
    expect(active()).toBe(0);
  });

  it("CANCEL ends nothing by itself; the 487 ends the call, and a late INVITE copy does not restart it", () => {
    const { feed, active, t } = tracker();
    const c = call("c1");
    feed(c.invite(), c.res(180, "INVITE", 1, "b"), c.cancel(), c.res(200, "CANCEL", 1));
    expect(t.earlyCalls).toBe(1);
    feed(c.res(487, "INVITE", 1, "b"), c.ack(1, "b"), c.invite());
    expect(t.earlyCalls).toBe(0);
    expect(active()).toBe(0);
  });

  it("CANCEL crossing a 200 OK: the call is up until the caller's BYE (§9.1)", () => {
    const { feed, active } = tracker();
    const c = call("c1");
    feed(c.invite(), c.cancel(), c.res(200, "INVITE", 1, "b"), c.res(200, "CANCEL", 1));
    expect(active()).toBe(1);
    feed(c.ack(), c.bye());
    expect(active()).toBe(0);
  });

  it("a new INVITE after a 407 challenge (same Call-ID and tag, higher CSeq) is the same call", () => {
    const { feed, active, t } = tracker();
    const c = call("c1");
    feed(c.invite(1), c.res(407, "INVITE", 1, "x"), c.ack(1, "x"), c.invite(2), c.res(200, "INVITE", 2, "b"));
    expect(active()).toBe(1);
    expect(t.stats()).toMatchObject({ callsFailed: 1, callsConfirmed: 1 });
  });

  it.each([302, 404, 486, 503, 603])("a %i to the INVITE ends the call attempt", (status) => {
    const { feed, active, t } = tracker();
    const c = call("c1");
    feed(c.invite(), c.res(180, "INVITE", 1, "b"), c.res(status, "INVITE", 1, "b"));
    expect(active()).toBe(0);
    expect(t.earlyCalls).toBe(0);
    expect(t.trackedCalls).toBe(0);
  });

  it("forked 2xx confirm two dialogs of one call: it counts once until both are gone", () => {
    const { feed, active } = tracker();
    const c = call("c1");
    feed(c.invite(), c.res(180, "INVITE", 1, "b1"), c.res(180, "INVITE", 1, "b2"));
    feed(c.res(200, "INVITE", 1, "b1"), c.res(200, "INVITE", 1, "b2"));
    expect(active()).toBe(1);
    // §13.2.2.4: the caller ACKs and then BYEs the extra one.
    feed(c.ack(1, "b1"), c.ack(1, "b2"), c.bye(2, "b2"));
    expect(active()).toBe(1);
    feed(c.bye(3, "b1"));
    expect(active()).toBe(0);
  });

  it("counts concurrent calls and ends the right ones", () => {
    const { feed, active } = tracker();
    const calls = Array.from({ length: 50 }, (_, i) => call(`c${i}`, `a${i}`));
    for (const c of calls) feed(c.invite());
    for (const c of calls) feed(c.res(200, "INVITE", 1, "b"));
    expect(active()).toBe(50);
    for (const c of calls.slice(0, 20)) feed(c.bye());
    expect(active()).toBe(30);
  });

  it("481 or 408 to a request inside the dialog ends it (§12.2.1.2)", () => {
    const { feed, active } = tracker();
    const c = call("c1");
    const d = call("c2");
    feed(c.invite(), c.res(200, "INVITE", 1, "b"), d.invite(), d.res(200, "INVITE", 1, "b"));
    feed(c.req("INFO", 2, "b"), c.res(481, "INFO", 2, "b"), d.reinvite(2), d.res(408, "INVITE", 2, "b"));
    expect(active()).toBe(0);
  });

  it("a 2xx in a dialog the capture never saw start counts it; its BYE ends it", () => {
    const { feed, active } = tracker();
    const c = call("c1");
    feed(c.calleeReq("INVITE", 7, "b"), c.calleeRes(200, "INVITE", 7, "b"));
    expect(active()).toBe(1);
    feed(c.bye(9));
    expect(active()).toBe(0);
  });

  it("expires a call that went quiet (a missed BYE), unless in-dialog traffic keeps it alive", () => {
    const { feed, active, advance } = tracker({ idleExpiryMs: 60_000 });
    const quiet = call("quiet");
    const talking = call("talking");
    feed(
      quiet.invite(),
      quiet.res(200, "INVITE", 1, "b"),
      talking.invite(),
      talking.res(200, "INVITE", 1, "b"),
    );
    advance(40_000);
    feed(talking.req("UPDATE", 2, "b"));
    advance(40_000);
    expect(active()).toBe(1);
    advance(60_000);
    expect(active()).toBe(0);
  });

  it("uses a shorter negotiated Session-Expires (RFC 4028 §10) as the idle limit", () => {
    const { feed, active, advance } = tracker({ idleExpiryMs: 3_600_000 });
    const c = call("c1");
    feed(c.invite(), c.res(200, "INVITE", 1, "b", ["Session-Expires: 90;refresher=uac"]));
    advance(100_000);
    expect(active()).toBe(1);
    advance(30_000);
    expect(active()).toBe(0);
  });

  it("unanswered calls expire and never count", () => {
    const { feed, active, advance, t } = tracker({ earlyExpiryMs: 10_000 });
    feed(call("c1").invite());
    advance(11_000);
    expect(active()).toBe(0);
    expect(t.earlyCalls).toBe(0);
  });

  it("hostile INVITE floods stay within maxEarlyCalls and do not evict calls that are up", () => {
    const { feed, active, t } = tracker({ maxEarlyCalls: 100, maxCalls: 1000 });
    const real = call("real");
    feed(real.invite(), real.res(200, "INVITE", 1, "b"));
    for (let i = 0; i < 5000; i++) feed(call(`flood${i}`, `x${i}`).invite());
    expect(t.earlyCalls).toBe(100);
    expect(t.trackedCalls).toBe(101);
    expect(active()).toBe(1);
    expect(t.stats().callsEvicted).toBe(4900);
    feed(real.bye());
    expect(active()).toBe(0);
  });

  it("maxCalls bounds confirmed calls too (oldest dropped first)", () => {
    const { feed, active } = tracker({ maxCalls: 10 });
    for (let i = 0; i < 25; i++) {
      const c = call(`c${i}`);
      feed(c.invite(), c.res(200, "INVITE", 1, "b"));
    }
    expect(active()).toBe(10);
  });
});
