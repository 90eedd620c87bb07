import { aastraPollIntervalSeconds } from "../../drivers/phones/aastra.js";
import { deviceCall, type PhoneSignal } from "./phone-events.js";

/**
 * Reads one family's call-event request, as the phone sends it to the URLs drivers/phones/*.ts render,
 * into a tracker signal. Pure; every field the phone fills in is checked, nothing is trusted.
 */
export type EventFamily = "yealink" | "polycom" | "aastra";

export interface PhoneEventRequest {
  method: string;
  /** The last path segment: the event name (Yealink, Aastra) or "polycom". */
  event: string;
  query: Record<string, unknown>;
  body?: Buffer;
}

export type ReadEvent =
  | { ok: true; signal: PhoneSignal; holdMs?: number; mac?: string }
  | { ok: false; result: "wrong-method" | "unknown-event" | "malformed"; reason: string };

const malformed = (reason: string): ReadEvent => ({ ok: false, result: "malformed", reason });

export function readPhoneEvent(family: EventFamily, req: PhoneEventRequest): ReadEvent {
  switch (family) {
    case "yealink":
      return req.method === "GET" ? readYealink(req) : wrongMethod("GET");
    case "aastra":
      return req.method === "GET" ? readAastra(req) : wrongMethod("GET");
    case "polycom":
      return req.method === "POST" ? readPolycom(req) : wrongMethod("POST");
  }
}

function wrongMethod(expected: string): ReadEvent {
  return { ok: false, result: "wrong-method", reason: `this family sends ${expected}` };
}

/** One query value: absent, or a single short string of printable characters. Arrays (key twice) are malformed. */
function param(query: Record<string, unknown>, name: string): string | undefined | null {
  const v = query[name];
  if (v === undefined) return undefined;
  if (typeof v !== "string" || v.length > 256 || /[\u0000-\u001f\u007f]/.test(v)) return null;
  return v;
}

/** A variable the phone did not substitute is sent as written (`$call_id`, `$$LINESTATE$$`). */
const unsubstituted = (v: string) => v === "" || v.startsWith("$");

/** `$mac` as the phone fills it in; 12 hex digits with or without separators, or absent. */
function macParam(query: Record<string, unknown>): { ok: true; mac?: string } | { ok: false } {
  const raw = param(query, "mac");
  if (raw === null) return { ok: false };
  if (raw === undefined || unsubstituted(raw)) return { ok: true };
  const mac = raw.replace(/[:-]/g, "").toLowerCase();
  return /^[0-9a-f]{12}$/.test(mac) ? { ok: true, mac } : { ok: false };
}

/**
 * Yealink/Tiptel action URLs (call-events.md §1): `GET /events/<token>/<event>?mac=$mac&call_id=$call_id&…`.
 * `$call_id` is an opaque handle at best (§1.2); when it is missing the device's calls share one key.
 * `busy_to_idle` is the device-level reset (§1.3, §8 item 2); ringing calls that the caller abandons get
 * missed_call/reject/forward on V7x, or age out.
 */
const yealinkSignals: Readonly<Record<string, (call: string) => PhoneSignal>> = {
  incoming_call: (call) => ({ kind: "offer", call }),
  outgoing_call: (call) => ({ kind: "up", call }),
  call_established: (call) => ({ kind: "up", call }),
  answer_new_incoming_call: (call) => ({ kind: "up", call }),
  call_terminated: (call) => ({ kind: "end", call }),
  missed_call: (call) => ({ kind: "end", call, unanswered: true }),
  reject_incoming_call: (call) => ({ kind: "end", call, unanswered: true }),
  forward_incoming_call: (call) => ({ kind: "end", call, unanswered: true }),
  idle_to_busy: () => ({ kind: "seen" }),
  busy_to_idle: () => ({ kind: "idle" }),
};

function readYealink(req: PhoneEventRequest): ReadEvent {
  const make = Object.hasOwn(yealinkSignals, req.event) ? yealinkSignals[req.event] : undefined;
  if (!make) return { ok: false, result: "unknown-event", reason: "not a Yealink action URL event" };
  const mac = macParam(req.query);
  if (!mac.ok) return malformed("mac is not a MAC address");
  for (const name of ["local", "remote"]) {
    if (param(req.query, name) === null) return malformed(`${name} is not one short printable value`);
  }
  const callId = param(req.query, "call_id");
  if (callId === null) return malformed("call_id is not one short printable value");
  const call = callId === undefined || unsubstituted(callId) ? deviceCall : callId;
  return { ok: true, signal: make(call), ...(mac.mac ? { mac: mac.mac } : {}) };
}

/** `$$LINESTATE$$` values (call-events.md §3.2). */
const lineStates = new Set(["IDLE", "DIALING", "CALLING", "OUTGOING", "INCOMING", "CONNECTED", "CLEARING"]);

/** A polled state holds for three poll intervals, so a phone that stops polling loses its call in minutes. */
const aastraPollHoldMs = 3 * aastraPollIntervalSeconds * 1000;

/**
 * Aastra action URIs (call-events.md §3): `GET /events/<token>/<event>?state=$$LINESTATE$$[&remote=…]`.
 * No MAC and no call id: each phone is busy or idle (§3.3). `outgoing` also fires for the second call of a
 * transfer or conference, and `connected` for paging, streaming and retrieved SCA calls, so neither adds a
 * call; `connected` only marks a ringing call answered. `disconnected` fires on any active→idle transition
 * and `onhook` after an active call: both reset the phone. The poll (every minute) carries the line state
 * and corrects what the events got wrong, both ways (§8 item 3).
 */
function readAastra(req: PhoneEventRequest): ReadEvent {
  const state = param(req.query, "state");
  if (state === null) return malformed("state is not one short printable value");
  if (param(req.query, "remote") === null) return malformed("remote is not one short printable value");
  const known = state !== undefined && lineStates.has(state) ? state : undefined;
  if (state !== undefined && known === undefined && !unsubstituted(state)) {
    return malformed("state is not an Aastra line state");
  }
  switch (req.event) {
    case "incoming":
      return { ok: true, signal: { kind: "offer", call: deviceCall } };
    case "outgoing":
      return { ok: true, signal: { kind: "up", call: deviceCall } };
    case "connected":
      return { ok: true, signal: { kind: "answer" } };
    case "disconnected":
    case "onhook":
      return { ok: true, signal: { kind: "idle" } };
    case "poll":
      return { ok: true, ...aastraPolled(known), holdMs: aastraPollHoldMs };
    default:
      return { ok: false, result: "unknown-event", reason: "not an Aastra action URI event" };
  }
}

function aastraPolled(state: string | undefined): { signal: PhoneSignal } {
  switch (state) {
    case "IDLE":
      return { signal: { kind: "idle" } };
    case "CONNECTED":
    case "OUTGOING":
    case "CALLING":
      return { signal: { kind: "up", call: deviceCall } };
    case "INCOMING":
      return { signal: { kind: "offer", call: deviceCall } };
    default:
      // DIALING, CLEARING, or a firmware that does not bind the variable on poll (inf in §3.3).
      return { signal: { kind: "seen" } };
  }
}

/**
 * Polycom telephony notifications (call-events.md §2.2): `POST /events/<token>/polycom` with one event
 * element, bare (UCS 5.0 guide) or inside `PolycomIPPhone` (SIP 3.1 guide). On/off-hook carry no call
 * identity, so each phone is busy or idle: an incoming call rings until OffHook answers it, OnHook ends
 * everything on the phone. Other events (lock, registration, login) only show the phone is alive.
 */
const polycomSignals: Readonly<Record<string, PhoneSignal>> = {
  IncomingCallEvent: { kind: "offer", call: deviceCall },
  OutgoingCallEvent: { kind: "up", call: deviceCall },
  OffHookEvent: { kind: "answer" },
  OnHookEvent: { kind: "idle" },
};
const polycomOtherEvents = new Set([
  "PhoneLockedEvent",
  "PhoneUnlockedEvent",
  "CallStateChangeEvent",
  "LineRegistrationEvent",
  "LineUnregistrationEvent",
  "UserLoginOutEvent",
]);

function readPolycom(req: PhoneEventRequest): ReadEvent {
  if (req.event !== "polycom")
    return { ok: false, result: "unknown-event", reason: "Polycom posts to /polycom" };
  const text = req.body?.toString("utf8") ?? "";
  // No DTD, entity or processing trick belongs in a phone's event; refusing them keeps the reader simple.
  if (text.length === 0 || /<!DOCTYPE|<!ENTITY|<!\[CDATA\[/i.test(text))
    return malformed("not a Polycom event");
  const root = /^\s*(?:<\?xml[^>]{0,200}\?>\s*)?(?:<PolycomIPPhone>\s*)?<([A-Za-z]{1,40})>/.exec(text);
  const name = root?.[1];
  if (name === undefined || !text.includes(`</${name}>`)) return malformed("not a Polycom event document");
  const macText = /<MACAddress>\s*([0-9A-Fa-f]{12})\s*<\/MACAddress>/.exec(text)?.[1];
  if (/<MACAddress>/.test(text) && macText === undefined) return malformed("MACAddress is not 12 hex digits");
  const mac = macText === undefined ? {} : { mac: macText.toLowerCase() };
  const signal = Object.hasOwn(polycomSignals, name) ? polycomSignals[name] : undefined;
  if (signal) return { ok: true, signal, ...mac };
  if (polycomOtherEvents.has(name)) return { ok: true, signal: { kind: "seen" }, ...mac };
  return { ok: false, result: "unknown-event", reason: "not a Polycom telephony event" };
}
