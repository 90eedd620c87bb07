/**
 * Counts calls from the events phones push (reference/call-events.md), without I/O: time comes in with
 * every call. Phones fire extra start events and miss end events on transfer, hold, SCA and intercom
 * (§3.3, §1.3, §8 item 2), so the tracker never adds and subtracts: it keeps a small state per device
 * (which calls are up, keyed by the call handle where the family reports one) and sets it from each
 * event. A repeated start changes nothing; a device-level idle event clears the device; a call that
 * nobody ends ages out (§8 item 3).
 */

/** What one phone request says, once the family's vocabulary is read (phone-event-requests.ts). */
export type PhoneSignal =
  /** A call is offered to the phone and rings. Not counted: group ringing rings many phones for one call. */
  | { kind: "offer"; call: string }
  /** A call is up on the phone (placed, answered, established): counted. */
  | { kind: "up"; call: string }
  /** The phone went off hook with no call identity (Polycom OffHookEvent): answers what rings, if anything. */
  | { kind: "answer" }
  /**
   * One call ended (Yealink call_terminated with its `$call_id`). `unanswered`: the end of a ringing call
   * (missed, rejected, forwarded), which never ends a call that is up.
   */
  | { kind: "end"; call: string; unanswered?: boolean }
  /** The whole device is idle: every call on it ended (Yealink busy_to_idle, Aastra onhook, Polycom OnHook). */
  | { kind: "idle" }
  /** The phone is alive and says nothing about calls (Yealink idle_to_busy, Aastra poll without a state). */
  | { kind: "seen" };

export interface PhoneEvent {
  /** The device (lower-case MAC) the token named. */
  device: string;
  at: number;
  signal: PhoneSignal;
  /**
   * How long the state this event sets holds without another event. Aastra polls every minute with its
   * line state (§3.3), so a polled state may expire after a few intervals; the defaults apply otherwise.
   */
  holdMs?: number;
}

export interface TrackerOptions {
  /** A ringing call nobody answered or ended is forgotten after this (no end event for a cancelled call, §1.3). */
  ringTimeoutMs: number;
  /** An up call without any event for this long is assumed to have ended with its end event lost. */
  callTimeoutMs: number;
  /** Calls one device may hold: a phone with a known token cannot inflate the site's count past this. */
  maxCallsPerDevice: number;
}

export const defaultTrackerOptions: TrackerOptions = {
  ringTimeoutMs: 3 * 60_000,
  callTimeoutMs: 4 * 60 * 60_000,
  maxCallsPerDevice: 4,
};

/** The key of a call on a device whose family reports no call handle (Aastra, Polycom's basic events). */
export const deviceCall = "";

interface CallState {
  state: "ringing" | "up";
  expiresAt: number;
}

export interface DeviceCalls {
  device: string;
  up: number;
  ringing: number;
  lastEventAt: number;
}

export class PhoneCallTracker {
  readonly #opts: TrackerOptions;
  readonly #devices = new Map<string, { calls: Map<string, CallState>; lastEventAt: number }>();

  constructor(opts: Partial<TrackerOptions> = {}) {
    this.#opts = { ...defaultTrackerOptions, ...opts };
  }

  apply(event: PhoneEvent): void {
    const entry = this.#devices.get(event.device) ?? { calls: new Map(), lastEventAt: event.at };
    this.#devices.set(event.device, entry);
    entry.lastEventAt = Math.max(entry.lastEventAt, event.at);
    const calls = entry.calls;
    this.#expire(calls, event.at);
    const s = event.signal;
    switch (s.kind) {
      case "offer": {
        const existing = calls.get(s.call);
        // A repeated or late offer never takes an answered call back to ringing.
        if (existing?.state === "up") existing.expiresAt = this.#until(event, "up");
        else this.#put(calls, s.call, { state: "ringing", expiresAt: this.#until(event, "ringing") });
        return;
      }
      case "up":
        this.#put(calls, s.call, { state: "up", expiresAt: this.#until(event, "up") });
        return;
      case "answer":
        for (const call of calls.values()) {
          if (call.state === "ringing") {
            call.state = "up";
            call.expiresAt = this.#until(event, "up");
          }
        }
        return;
      case "end": {
        if (s.unanswered) {
          if (calls.get(s.call)?.state === "ringing") calls.delete(s.call);
          return;
        }
        // The handle may differ between start and end (Yealink `$call_id` is "caller ID" in V7x guides,
        // §1.2): an unknown handle ends the device's only call, and leaves two or more for the idle reset.
        if (!calls.delete(s.call) && calls.size === 1) calls.clear();
        return;
      }
      case "idle":
        calls.clear();
        return;
      case "seen":
        return;
    }
  }

  /** Calls up on the site now: ringing calls are not counted, expired ones are dropped. */
  active(now: number): number {
    let n = 0;
    for (const d of this.devices(now)) n += d.up;
    return n;
  }

  /** Per-device state now, for the API and tests. */
  devices(now: number): DeviceCalls[] {
    const out: DeviceCalls[] = [];
    for (const [device, entry] of this.#devices) {
      this.#expire(entry.calls, now);
      let up = 0;
      for (const c of entry.calls.values()) if (c.state === "up") up += 1;
      out.push({ device, up, ringing: entry.calls.size - up, lastEventAt: entry.lastEventAt });
    }
    return out.sort((a, b) => a.device.localeCompare(b.device));
  }

  /** Drops devices no longer in the site (after a reload), so their calls stop counting. */
  retain(devices: ReadonlySet<string>): void {
    for (const device of this.#devices.keys()) if (!devices.has(device)) this.#devices.delete(device);
  }

  #until(event: PhoneEvent, state: CallState["state"]): number {
    const fallback = state === "up" ? this.#opts.callTimeoutMs : this.#opts.ringTimeoutMs;
    return event.at + (event.holdMs ?? fallback);
  }

  #put(calls: Map<string, CallState>, key: string, next: CallState): void {
    if (!calls.has(key) && calls.size >= this.#opts.maxCallsPerDevice) {
      // Full: the device's oldest-expiring entry makes room, so the count stays bounded.
      let oldest: string | undefined;
      for (const [k, c] of calls)
        if (oldest === undefined || c.expiresAt < (calls.get(oldest)?.expiresAt ?? 0)) oldest = k;
      if (oldest !== undefined) calls.delete(oldest);
    }
    calls.set(key, next);
  }

  #expire(calls: Map<string, CallState>, now: number): void {
    for (const [k, c] of calls) if (c.expiresAt <= now) calls.delete(k);
  }
}
