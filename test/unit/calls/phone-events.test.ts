import { describe, expect, it } from "vitest";
import { type EventFamily, readPhoneEvent } from "../../../agent/calls/phone-event-requests.js";
import { PhoneCallTracker, type PhoneSignal } from "../../../agent/calls/phone-events.js";

const t0 = Date.parse("2026-11-22T10:00:00Z");
const sec = 1000;
const min = 60 * sec;

/** Applies signals to one device at the given offsets and returns the count after each. */
function run(tracker: PhoneCallTracker, device: string, steps: [number, PhoneSignal][]): number[] {
  return steps.map(([at, signal]) => {
    tracker.apply({ device, at: t0 + at, signal });
    return tracker.active(t0 + at);
  });
}

describe("PhoneCallTracker", () => {
  it("counts a duplicated start once and ends the call with one end", () => {
    const tr = new PhoneCallTracker();
    const counts = run(tr, "a", [
      [0, { kind: "up", call: "1" }],
      [1 * sec, { kind: "up", call: "1" }],
      [2 * sec, { kind: "up", call: "1" }],
      [3 * sec, { kind: "end", call: "1" }],
      [4 * sec, { kind: "end", call: "1" }],
    ]);
    expect(counts).toEqual([1, 1, 1, 0, 0]);
  });

  it("does not count ringing, and ages out a ring nobody ends", () => {
    const tr = new PhoneCallTracker({ ringTimeoutMs: 3 * min });
    tr.apply({ device: "a", at: t0, signal: { kind: "offer", call: "7" } });
    expect(tr.active(t0)).toBe(0);
    expect(tr.devices(t0)).toEqual([{ device: "a", up: 0, ringing: 1, lastEventAt: t0 }]);
    expect(tr.devices(t0 + 3 * min)[0]?.ringing).toBe(0);
  });

  it("ages out an up call whose end got lost, and not before", () => {
    const tr = new PhoneCallTracker({ callTimeoutMs: 2 * 60 * min });
    tr.apply({ device: "a", at: t0, signal: { kind: "up", call: "1" } });
    expect(tr.active(t0 + 2 * 60 * min - 1)).toBe(1);
    expect(tr.active(t0 + 2 * 60 * min)).toBe(0);
  });

  it("a late offer does not take an answered call back to ringing", () => {
    const tr = new PhoneCallTracker();
    expect(
      run(tr, "a", [
        [0, { kind: "offer", call: "1" }],
        [1 * sec, { kind: "up", call: "1" }],
        [2 * sec, { kind: "offer", call: "1" }],
      ]),
    ).toEqual([0, 1, 1]);
  });

  it("a device-level idle clears every call of that device only", () => {
    const tr = new PhoneCallTracker();
    tr.apply({ device: "a", at: t0, signal: { kind: "up", call: "1" } });
    tr.apply({ device: "a", at: t0, signal: { kind: "up", call: "2" } });
    tr.apply({ device: "b", at: t0, signal: { kind: "up", call: "1" } });
    expect(tr.active(t0)).toBe(3);
    tr.apply({ device: "a", at: t0 + sec, signal: { kind: "idle" } });
    expect(tr.active(t0 + sec)).toBe(1);
  });

  it("an end with an unknown handle ends the device's only call, never one of two", () => {
    const tr = new PhoneCallTracker();
    expect(
      run(tr, "a", [
        [0, { kind: "up", call: "0612345678" }],
        [1 * sec, { kind: "end", call: "33093" }],
        [2 * sec, { kind: "up", call: "1" }],
        [3 * sec, { kind: "up", call: "2" }],
        [4 * sec, { kind: "end", call: "3" }],
      ]),
    ).toEqual([1, 0, 1, 2, 2]);
  });

  it("the end of an unanswered call never ends a call that is up (call waiting, lost incoming_call)", () => {
    const tr = new PhoneCallTracker();
    expect(
      run(tr, "a", [
        [0, { kind: "up", call: "5" }],
        [1 * sec, { kind: "end", call: "9", unanswered: true }],
        [2 * sec, { kind: "offer", call: "9" }],
        [3 * sec, { kind: "end", call: "9", unanswered: true }],
        [4 * sec, { kind: "end", call: "5", unanswered: true }],
      ]),
    ).toEqual([1, 1, 1, 1, 1]);
    expect(tr.devices(t0 + 4 * sec)[0]).toMatchObject({ up: 1, ringing: 0 });
  });

  it("one device cannot hold more than maxCallsPerDevice calls", () => {
    const tr = new PhoneCallTracker({ maxCallsPerDevice: 4 });
    for (let i = 0; i < 50; i += 1)
      tr.apply({ device: "a", at: t0 + i, signal: { kind: "up", call: `${i}` } });
    expect(tr.active(t0 + 50)).toBe(4);
  });

  it("holdMs shortens how long a polled state lasts", () => {
    const tr = new PhoneCallTracker();
    tr.apply({ device: "a", at: t0, signal: { kind: "up", call: "" }, holdMs: 3 * min });
    expect(tr.active(t0 + 3 * min - 1)).toBe(1);
    expect(tr.active(t0 + 3 * min)).toBe(0);
  });

  it("retain() forgets devices that left the site", () => {
    const tr = new PhoneCallTracker();
    tr.apply({ device: "a", at: t0, signal: { kind: "up", call: "1" } });
    tr.apply({ device: "b", at: t0, signal: { kind: "up", call: "1" } });
    tr.retain(new Set(["b"]));
    expect(tr.active(t0)).toBe(1);
  });
});

/** A phone's requests, in the family's own vocabulary, read and applied in order. */
function replay(family: EventFamily, steps: [number, string, Record<string, string>, string?][]) {
  const tr = new PhoneCallTracker();
  return steps.map(([at, event, query, body]) => {
    const method = family === "polycom" ? "POST" : "GET";
    const read = readPhoneEvent(family, {
      method,
      event,
      query,
      ...(body === undefined ? {} : { body: Buffer.from(body) }),
    });
    if (!read.ok) throw new Error(`${event}: ${read.reason}`);
    tr.apply({
      device: "dev",
      at: t0 + at,
      signal: read.signal,
      ...(read.holdMs === undefined ? {} : { holdMs: read.holdMs }),
    });
    return tr.active(t0 + at);
  });
}

const yl = (callId: string) => ({
  mac: "0015656b2009",
  call_id: callId,
  local: "sip:31104567801@sip.example.net",
  remote: "sip:0612345678@sip.example.net",
});

describe("Yealink sequences (call-events.md §1.3)", () => {
  it("attended transfer: the consultation is a second call; busy_to_idle resets when call_terminated is missing", () => {
    expect(
      replay("yealink", [
        [0, "incoming_call", yl("101")],
        [2 * sec, "call_established", yl("101")],
        [30 * sec, "outgoing_call", yl("102")],
        [32 * sec, "call_established", yl("102")],
        // transfer_finished: neither call_terminated arrives, only the device-level event
        [60 * sec, "busy_to_idle", yl("$call_id")],
      ]),
    ).toEqual([0, 1, 2, 2, 0]);
  });

  it("hold and unhold fire nothing we count; a duplicate established changes nothing", () => {
    expect(
      replay("yealink", [
        [0, "outgoing_call", yl("5")],
        [3 * sec, "call_established", yl("5")],
        [10 * sec, "call_established", yl("5")],
        [20 * sec, "idle_to_busy", yl("$call_id")],
        [90 * sec, "call_terminated", yl("5")],
        [91 * sec, "busy_to_idle", yl("$call_id")],
      ]),
    ).toEqual([1, 1, 1, 1, 0, 0]);
  });

  it("an abandoned incoming call closes with missed_call and never counts", () => {
    expect(
      replay("yealink", [
        [0, "incoming_call", yl("9")],
        [20 * sec, "missed_call", yl("9")],
      ]),
    ).toEqual([0, 0]);
  });

  it("call waiting: a second call rejected during the first leaves the first up", () => {
    expect(
      replay("yealink", [
        [0, "outgoing_call", yl("0612345678")],
        [5 * sec, "call_established", yl("0612345678")],
        [30 * sec, "incoming_call", yl("0301234567")],
        [35 * sec, "reject_incoming_call", yl("0301234567")],
        [40 * sec, "missed_call", yl("0209999999")],
        [90 * sec, "call_terminated", yl("0612345678")],
      ]),
    ).toEqual([1, 1, 1, 1, 1, 0]);
  });

  it("reads an unsubstituted $call_id as the device's one call", () => {
    expect(
      replay("yealink", [
        [0, "outgoing_call", yl("$call_id")],
        [1 * sec, "call_terminated", yl("$call_id")],
      ]),
    ).toEqual([1, 0]);
  });
});

const aa = (state: string, remote?: string) => ({ state, ...(remote ? { remote } : {}) });

describe("Aastra sequences (call-events.md §3.3)", () => {
  it("transfer: the second outgoing does not add a call; disconnected resets the phone", () => {
    expect(
      replay("aastra", [
        [0, "outgoing", aa("OUTGOING", "0612345678")],
        [5 * sec, "connected", aa("CONNECTED")],
        [30 * sec, "outgoing", aa("OUTGOING", "201")],
        [40 * sec, "disconnected", aa("CONNECTED")],
      ]),
    ).toEqual([1, 1, 1, 0]);
  });

  it("connected alone (paging, streaming) adds nothing; it answers a ringing call", () => {
    expect(
      replay("aastra", [
        [0, "connected", aa("CONNECTED")],
        [1 * sec, "incoming", aa("INCOMING", "0612345678")],
        [3 * sec, "connected", aa("CONNECTED")],
        [60 * sec, "onhook", aa("IDLE")],
      ]),
    ).toEqual([0, 0, 1, 0]);
  });

  it("the poll corrects both ways: CONNECTED after a lost start, IDLE after a lost end, expiry when polls stop", () => {
    const counts = replay("aastra", [
      [0, "poll", aa("CONNECTED")],
      [60 * sec, "poll", aa("CONNECTED")],
      [120 * sec, "poll", aa("IDLE")],
      [180 * sec, "outgoing", aa("OUTGOING")],
      [240 * sec, "poll", aa("OUTGOING")],
    ]);
    expect(counts).toEqual([1, 1, 0, 1, 1]);
  });

  it("a poll whose state the firmware did not bind changes nothing", () => {
    expect(
      replay("aastra", [
        [0, "outgoing", aa("OUTGOING")],
        [60 * sec, "poll", aa("$$LINESTATE$$")],
      ]),
    ).toEqual([1, 1]);
  });
});

const polycom = (event: string, wrapped = true) => {
  const inner = `<${event}><PhoneIP>10.60.20.120</PhoneIP><MACAddress>0004f26b2010</MACAddress><TimeStamp>2026-11-22T11:00:00+01:00</TimeStamp></${event}>`;
  return `<?xml version="1.0"?>\n${wrapped ? `<PolycomIPPhone>${inner}</PolycomIPPhone>` : inner}`;
};

describe("Polycom sequences (call-events.md §2.2)", () => {
  it("incoming rings, off-hook answers, on-hook ends; both document shapes are read", () => {
    expect(
      replay("polycom", [
        [0, "polycom", {}, polycom("IncomingCallEvent")],
        [4 * sec, "polycom", {}, polycom("OffHookEvent", false)],
        [4 * sec, "polycom", {}, polycom("OffHookEvent")],
        [80 * sec, "polycom", {}, polycom("OnHookEvent", false)],
      ]),
    ).toEqual([0, 1, 1, 0]);
  });

  it("lifting the handset without a call counts nothing; an outgoing call counts once however often reported", () => {
    expect(
      replay("polycom", [
        [0, "polycom", {}, polycom("OffHookEvent")],
        [5 * sec, "polycom", {}, polycom("OutgoingCallEvent")],
        [6 * sec, "polycom", {}, polycom("OutgoingCallEvent")],
        [7 * sec, "polycom", {}, polycom("LineRegistrationEvent")],
        [60 * sec, "polycom", {}, polycom("OnHookEvent")],
      ]),
    ).toEqual([0, 1, 1, 1, 0]);
  });
});

describe("readPhoneEvent refuses what a phone never sends", () => {
  it.each([
    ["yealink", "GET", "incoming_call", { call_id: ["1", "2"] }, undefined, "malformed"],
    ["yealink", "GET", "incoming_call", { mac: "not-a-mac" }, undefined, "malformed"],
    ["yealink", "GET", "incoming_call", { call_id: "a\u0000b" }, undefined, "malformed"],
    ["yealink", "GET", "incoming_call", { remote: "x".repeat(300) }, undefined, "malformed"],
    ["yealink", "GET", "reboot", {}, undefined, "unknown-event"],
    ["yealink", "GET", "__proto__", {}, undefined, "unknown-event"],
    ["yealink", "POST", "incoming_call", {}, undefined, "wrong-method"],
    ["aastra", "GET", "poll", { state: "ON FIRE" }, undefined, "malformed"],
    ["aastra", "GET", "startup", {}, undefined, "unknown-event"],
    ["polycom", "GET", "polycom", {}, undefined, "wrong-method"],
    ["polycom", "POST", "polycom", {}, "", "malformed"],
    [
      "polycom",
      "POST",
      "polycom",
      {},
      '<!DOCTYPE x [<!ENTITY e "x">]><OnHookEvent>&e;</OnHookEvent>',
      "malformed",
    ],
    ["polycom", "POST", "polycom", {}, "<OnHookEvent><MACAddress>zz</MACAddress></OnHookEvent>", "malformed"],
    ["polycom", "POST", "polycom", {}, "<RebootEvent></RebootEvent>", "unknown-event"],
    ["polycom", "POST", "other", {}, polycom("OnHookEvent"), "unknown-event"],
  ] as const)("%s %s /%s %j", (family, method, event, query, body, result) => {
    const read = readPhoneEvent(family, {
      method,
      event,
      query: query as Record<string, unknown>,
      ...(body === undefined ? {} : { body: Buffer.from(body) }),
    });
    expect(read.ok ? "ok" : read.result).toBe(result);
  });
});
