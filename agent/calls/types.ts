import type { Observations } from "../monitor/observations.js";

/**
 * One way of counting the site's concurrent calls (../shared/reference/monitoring.md, "the call-counting
 * problem"): phones register straight to the cloud PBX through NAT, so no single place sees every call.
 * Each source is exported separately as patchkast_calls_active{source}; none is trusted blindly.
 */
export type CallSourceName = "phone_events" | "capture" | "voice_mib" | "qos_estimate";

export interface CallSource {
  readonly name: CallSourceName;
  /** Calls up right now by this source's account; `now` lets pure sources expire stale state. */
  active(now: number): number;
  /**
   * False while the source has nothing to say (a router that is no voice gateway, an estimate without two
   * readings yet): its series is dropped rather than reported as 0 calls. Absent means always available.
   */
  readonly available?: boolean;
  /** Sources computed from the monitoring round's device readings take each round here. */
  onRound?(observations: Observations): void;
  /** Starts listening (a capture child, an HTTP route); idempotent. Failures reject with context. */
  start?(): Promise<void>;
  /** Stops and releases what start() took (child processes, timers). */
  stop?(): Promise<void>;
}
