/**
 * Counts requests for unknown MAC-named files per source address and blocks a source that makes too many:
 * guessing `<mac>.cfg` names is how SIP passwords are harvested (reference/provisioning.md §3.1; Wazo and
 * FusionPBX feed the same signal to fail2ban, §3.2). Pure apart from the clock passed in.
 */
export interface MissPolicy {
  threshold: number;
  windowMs: number;
  blockMs: number;
}

export interface MissOutcome {
  /** Misses from this source inside the window, this one included. */
  count: number;
  /** Set when this miss crossed the threshold and the source is now blocked until then. */
  blockedUntil?: number;
}

export class MissTracker {
  readonly #policy: MissPolicy;
  readonly #misses = new Map<string, number[]>();
  readonly #blocked = new Map<string, number>();
  /** Bounds memory under a spoofed-source flood: the oldest sources are forgotten first. */
  readonly #maxSources: number;

  constructor(policy: MissPolicy, maxSources = 10_000) {
    this.#policy = policy;
    this.#maxSources = maxSources;
  }

  /** Until when `source` is blocked, or undefined. */
  blockedUntil(source: string, now: number): number | undefined {
    const until = this.#blocked.get(source);
    if (until === undefined) return undefined;
    if (until <= now) {
      this.#blocked.delete(source);
      return undefined;
    }
    return until;
  }

  recordMiss(source: string, now: number): MissOutcome {
    const since = now - this.#policy.windowMs;
    const times = (this.#misses.get(source) ?? []).filter((t) => t > since);
    times.push(now);
    this.#misses.delete(source);
    this.#misses.set(source, times);
    if (this.#misses.size > this.#maxSources) {
      const oldest = this.#misses.keys().next().value;
      if (oldest !== undefined) this.#misses.delete(oldest);
    }
    if (times.length >= this.#policy.threshold && this.blockedUntil(source, now) === undefined) {
      const until = now + this.#policy.blockMs;
      this.#blocked.set(source, until);
      this.#misses.delete(source);
      return { count: times.length, blockedUntil: until };
    }
    return { count: times.length };
  }

  blockedSources(now: number): string[] {
    return [...this.#blocked.keys()].filter((s) => this.blockedUntil(s, now) !== undefined);
  }
}
