import { priorityClasses } from "../../drivers/snmp/index.js";
import type { Observations } from "../monitor/observations.js";
import type { CallSource } from "./types.js";

/**
 * The two call sources computed from each monitoring round's SNMP readings of the router
 * (../shared/reference/monitoring.md §2.6, options c and d). Both only speak when they can: a router
 * that is no voice gateway has no call-volume rows, and the estimate needs two readings of the counters.
 */

/** A round's router observations, or undefined when the router was not read. */
function router(obs: Observations) {
  return obs.devices.find((d) => d.role === "router");
}

/**
 * CISCO-VOICE-DIAL-CONTROL-MIB cvCallVolConnActiveConnection.sip(2): call legs on the router's own SIP
 * stack. A CUBE is a back-to-back user agent, so one call is two legs (monitoring.md §2.6 (d)).
 */
export class VoiceMibSource implements CallSource {
  readonly name = "voice_mib" as const;
  #calls: number | null = null;

  onRound(obs: Observations): void {
    const calls = router(obs)?.snmp.calls;
    if (!calls?.ok || !calls.value.supported) {
      this.#calls = null;
      return;
    }
    this.#calls = Math.ceil((calls.value.sip ?? 0) / 2);
  }

  /** Whether the router answered with call-volume rows in the last round. */
  get available(): boolean {
    return this.#calls !== null;
  }

  active(): number {
    return this.#calls ?? 0;
  }
}

/**
 * One G.711 call upstream at 20 ms packetisation: 50 packets/s of 160 bytes payload + 40 bytes
 * IPv4/UDP/RTP = 80 kbit/s, as cbQoS counts bytes at layer 3. The provider's line table allows
 * 115–128 kbit/s per call on voice-only lines (seeds.md §1.3), i.e. this plus margin.
 */
export const kbpsPerCall = 80;

/**
 * Estimate from the WAN priority (LLQ) class: bits/s through the class since the previous round divided
 * by one call's rate (monitoring.md §2.6 (c)). Silence suppression and other codecs make it an estimate;
 * it exists to cross-check the other sources on a router that sees no signalling.
 */
export class QosEstimateSource implements CallSource {
  readonly name = "qos_estimate" as const;
  #last: { bytes: bigint; atMs: number } | null = null;
  #calls: number | null = null;

  onRound(obs: Observations): void {
    const qos = router(obs)?.snmp.qos;
    if (!qos?.ok) {
      this.#calls = null;
      this.#last = null;
      return;
    }
    const outputs = priorityClasses(qos.value).filter((p) => p.policy.direction !== "input");
    if (outputs.length === 0) {
      this.#calls = null;
      this.#last = null;
      return;
    }
    const bytes = outputs.reduce((sum, p) => sum + (p.cls.postPolicyBytes ?? p.cls.prePolicyBytes ?? 0n), 0n);
    const atMs = Date.parse(qos.at);
    const last = this.#last;
    this.#last = { bytes, atMs };
    // A counter that went backwards (a reload, a policy re-attached) starts a new baseline.
    if (last === null || bytes < last.bytes || atMs <= last.atMs) return;
    const kbps = (Number(bytes - last.bytes) * 8) / (atMs - last.atMs);
    this.#calls = Math.round(kbps / kbpsPerCall);
  }

  get available(): boolean {
    return this.#calls !== null;
  }

  active(): number {
    return this.#calls ?? 0;
  }
}
