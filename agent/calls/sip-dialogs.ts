/**
 * Passive SIP dialog tracker: counts calls that are up from the messages a capture sees, in either
 * direction and in any order the network delivers them. Pure: messages and times in, a count out.
 *
 * A call is the INVITE of one caller (Call-ID + From tag, RFC 3261 §12: the dialog's caller half).
 * Each To tag that answers it is a dialog (§12.1): provisional responses with a tag make early
 * dialogs, a 2xx confirms one (§13.2.2.4), and the call is up while at least one dialog is confirmed.
 * Forking (§16.7, §13.2.2.4) can confirm several dialogs of one call; the caller BYEs the extra
 * ones, so the call still counts once. Re-INVITEs (§14) carry a To tag and never start a call; their
 * 2xx only refreshes the dialog, and their failures (e.g. 491, 488) leave it up (§14.1), except 481
 * and 408, which end it (§12.2.1.2). BYE ends a dialog when it is sent (§15.1.1); the UAC considers
 * the session over then, whatever the answer. CANCEL (§9) changes nothing until the 487 arrives.
 * Lookups are symmetric in the tags: the callee's requests carry the tags the other way round.
 *
 * Capture misses things. A 2xx to an INVITE inside an unknown dialog (a re-INVITE or session refresh
 * seen after the capture started) proves a call is up, so it counts. Dialogs that see nothing for
 * `idleExpiryMs` (or the negotiated Session-Expires, RFC 4028 §10) expire, so a missed BYE does not
 * count forever. Ended dialogs leave a tombstone for `tombstoneMs` so that retransmitted 2xx (the
 * UAS repeats it until the ACK, for up to 64·T1 = 32 s, §13.3.1.4) do not resurrect them.
 * Memory is bounded against hostile traffic: at most `maxEarlyCalls` unanswered calls (oldest
 * evicted first; they do not count anyway) and `maxCalls` in all.
 */
import type { SipMessage, SipResponse } from "../../drivers/sip/message.js";

export interface DialogTrackerOptions {
  /** A confirmed call that sees no message for this long is dropped (a BYE was missed). */
  idleExpiryMs: number;
  /** An unanswered call is dropped after this long (RFC 3261 §16.6 Timer C is "greater than 3 minutes"). */
  earlyExpiryMs: number;
  tombstoneMs: number;
  maxEarlyCalls: number;
  maxCalls: number;
  maxTombstones: number;
}

export const defaultDialogTrackerOptions: DialogTrackerOptions = {
  idleExpiryMs: 2 * 60 * 60 * 1000,
  earlyExpiryMs: 5 * 60 * 1000,
  tombstoneMs: 64 * 1000,
  maxEarlyCalls: 5_000,
  maxCalls: 20_000,
  maxTombstones: 20_000,
};

export interface DialogTrackerStats {
  messages: number;
  callsStarted: number;
  callsConfirmed: number;
  dialogsEndedByBye: number;
  dialogsEndedByError: number;
  callsFailed: number;
  callsExpired: number;
  callsEvicted: number;
  ignored: number;
}

interface Call {
  callId: string;
  callerTag: string;
  /** CSeq of the INVITE that started it; a new INVITE with a higher one (after 401/407) revives a failed call. */
  inviteSeq: number;
  /** Callee tag → confirmed? */
  dialogs: Map<string, boolean>;
  confirmed: number;
  lastSeen: number;
  /** Idle limit for this call (Session-Expires when shorter than the configured one). */
  idleMs: number;
}

const SEP = "\u0000";

export class SipDialogTracker {
  private readonly opts: DialogTrackerOptions;
  /** Least recently seen first (re-inserted on every message). */
  private readonly calls = new Map<string, Call>();
  /** Key → INVITE CSeq (failed calls) or 0 (ended dialogs), with the time it may be forgotten; oldest first. */
  private readonly tombstones = new Map<string, { seq: number; until: number }>();
  private early = 0;
  private lastSweep = Number.NEGATIVE_INFINITY;
  private readonly counters: DialogTrackerStats = {
    messages: 0,
    callsStarted: 0,
    callsConfirmed: 0,
    dialogsEndedByBye: 0,
    dialogsEndedByError: 0,
    callsFailed: 0,
    callsExpired: 0,
    callsEvicted: 0,
    ignored: 0,
  };

  constructor(opts: Partial<DialogTrackerOptions> = {}) {
    this.opts = { ...defaultDialogTrackerOptions, ...opts };
  }

  /** Calls with at least one confirmed dialog, after expiring stale state as of `now`. */
  active(now: number): number {
    this.sweep(now, true);
    let up = 0;
    for (const call of this.calls.values()) if (call.confirmed > 0) up++;
    return up;
  }

  /** Calls tracked but not (yet) answered; bounded by maxEarlyCalls. */
  get earlyCalls(): number {
    return this.early;
  }

  get trackedCalls(): number {
    return this.calls.size;
  }

  stats(): DialogTrackerStats {
    return { ...this.counters };
  }

  /** Feeds one message seen at `now` (ms). */
  observe(msg: SipMessage, now: number): void {
    this.counters.messages++;
    this.sweep(now, false);
    const fromTag = msg.from.tag ?? "";
    const toTag = msg.to.tag;
    if (msg.kind === "request") {
      if (msg.method === "INVITE" && toTag === undefined) this.invite(msg.callId, fromTag, msg.cseq.seq, now);
      else if (msg.method === "BYE" && toTag !== undefined)
        this.endDialog(msg.callId, fromTag, toTag, "bye", now);
      else this.refresh(msg.callId, fromTag, toTag, now);
      return;
    }
    // §12.2.1.2: a 481 or 408 to any request inside a confirmed dialog ends it.
    if ((msg.status === 481 || msg.status === 408) && toTag !== undefined) {
      const found = this.find(msg.callId, fromTag, toTag);
      if (found?.calleeTag !== undefined && found.call.dialogs.get(found.calleeTag) === true) {
        this.endDialog(msg.callId, fromTag, toTag, "error", now);
        return;
      }
    }
    if (msg.cseq.method === "INVITE") this.inviteResponse(msg, fromTag, toTag, now);
    else this.refresh(msg.callId, fromTag, toTag, now);
  }

  private invite(callId: string, callerTag: string, seq: number, now: number): void {
    const key = callKey(callId, callerTag);
    const known = this.calls.get(key);
    if (known) {
      known.inviteSeq = Math.max(known.inviteSeq, seq);
      this.touch(key, known, now);
      return;
    }
    // A retransmission of an INVITE that already failed (same CSeq) must not start it again;
    // a new INVITE after a 401/407 challenge has a higher CSeq (§22.2) and does.
    const failed = this.tombstones.get(failedKey(callId, callerTag));
    if (failed !== undefined && seq <= failed.seq) {
      this.counters.ignored++;
      return;
    }
    this.create(callId, callerTag, seq, now);
  }

  private create(callId: string, callerTag: string, seq: number, now: number): Call {
    if (this.early >= this.opts.maxEarlyCalls) this.evict(true);
    if (this.calls.size >= this.opts.maxCalls) this.evict(false);
    const call: Call = {
      callId,
      callerTag,
      inviteSeq: seq,
      dialogs: new Map(),
      confirmed: 0,
      lastSeen: now,
      idleMs: this.opts.idleExpiryMs,
    };
    this.calls.set(callKey(callId, callerTag), call);
    this.early++;
    this.counters.callsStarted++;
    return call;
  }

  private inviteResponse(msg: SipResponse, fromTag: string, toTag: string | undefined, now: number): void {
    const key = callKey(msg.callId, fromTag);
    const call = this.calls.get(key);
    if (msg.status < 200) {
      // 100 Trying has no To tag (§8.2.6.2); a 1xx with one creates an early dialog (§12.1.2).
      if (!call || toTag === undefined) return;
      if (!call.dialogs.has(toTag)) call.dialogs.set(toTag, false);
      this.touch(key, call, now);
      return;
    }
    if (msg.status < 300) {
      this.answered(msg, fromTag, toTag, now);
      return;
    }
    // 3xx–6xx: ends that early dialog, and the call when nothing was confirmed (§13.2.2.3);
    // a failed re-INVITE leaves the session as it was (§14.1).
    if (!call) return;
    if (toTag !== undefined && call.dialogs.get(toTag) === false) call.dialogs.delete(toTag);
    if (call.confirmed > 0) {
      this.touch(key, call, now);
      return;
    }
    this.remove(key, call);
    this.counters.callsFailed++;
    this.bury(failedKey(msg.callId, fromTag), call.inviteSeq, now);
  }

  /** A 2xx to an INVITE: confirms a dialog, refreshes a known one, or reveals a call we saw no INVITE of. */
  private answered(msg: SipResponse, fromTag: string, toTag: string | undefined, now: number): void {
    if (toTag === undefined) {
      this.counters.ignored++;
      return;
    }
    const found = this.find(msg.callId, fromTag, toTag);
    if (found?.calleeTag !== undefined && found.call.dialogs.get(found.calleeTag) === true) {
      this.touch(found.key, found.call, now);
      return;
    }
    if (this.tombstones.has(dialogKey(msg.callId, fromTag, toTag))) {
      this.counters.ignored++;
      return;
    }
    const key = callKey(msg.callId, fromTag);
    const call = this.calls.get(key) ?? this.create(msg.callId, fromTag, msg.cseq.seq, now);
    call.dialogs.set(toTag, true);
    if (call.confirmed++ === 0) {
      this.early--;
      this.counters.callsConfirmed++;
    }
    call.idleMs = Math.min(this.opts.idleExpiryMs, sessionExpiresMs(msg) ?? Number.POSITIVE_INFINITY);
    this.touch(key, call, now);
  }

  /** Any other message inside a dialog (ACK, UPDATE, INFO, re-INVITE, …) keeps it from expiring. */
  private refresh(callId: string, tagA: string, tagB: string | undefined, now: number): void {
    const found = this.find(callId, tagA, tagB);
    if (found) this.touch(found.key, found.call, now);
  }

  private endDialog(callId: string, tagA: string, tagB: string, why: "bye" | "error", now: number): void {
    const found = this.find(callId, tagA, tagB);
    if (found?.calleeTag === undefined) return;
    const { key, call, calleeTag } = found;
    const wasConfirmed = call.dialogs.get(calleeTag) === true;
    call.dialogs.delete(calleeTag);
    this.bury(dialogKey(callId, call.callerTag, calleeTag), 0, now);
    if (!wasConfirmed) return;
    this.counters[why === "bye" ? "dialogsEndedByBye" : "dialogsEndedByError"]++;
    // The last confirmed dialog of a call is gone: so is the call.
    if (--call.confirmed === 0) this.calls.delete(key);
  }

  /** The call of a dialog, trying both tag orders; calleeTag is set when the dialog itself is known. */
  private find(
    callId: string,
    tagA: string,
    tagB: string | undefined,
  ): { key: string; call: Call; calleeTag: string | undefined } | undefined {
    const orders: [string, string | undefined][] =
      tagB === undefined
        ? [[tagA, undefined]]
        : [
            [tagA, tagB],
            [tagB, tagA],
          ];
    for (const [caller, callee] of orders) {
      const key = callKey(callId, caller);
      const call = this.calls.get(key);
      if (!call) continue;
      // A request of the caller before any answer (CANCEL, PRACK) refreshes the call itself.
      if (callee === undefined) return { key, call, calleeTag: undefined };
      if (call.dialogs.has(callee)) return { key, call, calleeTag: callee };
    }
    return undefined;
  }

  private touch(key: string, call: Call, now: number): void {
    call.lastSeen = Math.max(call.lastSeen, now);
    this.calls.delete(key);
    this.calls.set(key, call);
  }

  private remove(key: string, call: Call): void {
    if (this.calls.delete(key) && call.confirmed === 0) this.early--;
  }

  private bury(key: string, seq: number, now: number): void {
    this.tombstones.delete(key);
    if (this.tombstones.size >= this.opts.maxTombstones) {
      const oldest = this.tombstones.keys().next().value as string;
      this.tombstones.delete(oldest);
    }
    this.tombstones.set(key, { seq, until: now + this.opts.tombstoneMs });
  }

  /** Oldest first; `early` restricts it to unanswered calls. */
  private evict(early: boolean): void {
    for (const [key, call] of this.calls) {
      if (early && call.confirmed > 0) continue;
      this.remove(key, call);
      this.counters.callsEvicted++;
      return;
    }
  }

  /** Expires stale calls and tombstones; at most once a second unless forced by active(). */
  private sweep(now: number, force: boolean): void {
    if (!force && now - this.lastSweep < 1000) return;
    this.lastSweep = now;
    for (const [key, call] of this.calls) {
      const limit = call.confirmed > 0 ? call.idleMs : this.opts.earlyExpiryMs;
      if (now - call.lastSeen < limit) continue;
      this.remove(key, call);
      this.counters.callsExpired++;
    }
    for (const [key, stone] of this.tombstones) {
      if (stone.until > now) break;
      this.tombstones.delete(key);
    }
  }
}

function callKey(callId: string, callerTag: string): string {
  return `${callId}${SEP}${callerTag}`;
}

function dialogKey(callId: string, callerTag: string, calleeTag: string): string {
  return `d${SEP}${callId}${SEP}${callerTag}${SEP}${calleeTag}`;
}

function failedKey(callId: string, callerTag: string): string {
  return `f${SEP}${callId}${SEP}${callerTag}`;
}

/** RFC 4028 §4: `Session-Expires: 1800;refresher=uac` (compact `x`), in a 2xx to INVITE. */
function sessionExpiresMs(msg: SipMessage): number | undefined {
  const header = msg.headers.find((h) => h.name === "session-expires" || h.name === "x");
  const seconds = header ? /^\s*(\d{1,9})/.exec(header.value)?.[1] : undefined;
  // §10: without a refresh the session ends at expiry; a margin covers a late refresh on the wire.
  return seconds === undefined ? undefined : (Number(seconds) + 32) * 1000;
}
