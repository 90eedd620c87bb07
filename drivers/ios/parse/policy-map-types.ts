/**
 * The result shapes of a class in `show policy-map interface` (filled by policy-map-class.ts).
 */

export interface PoliceAction {
  packets: number | null;
  bytes: number | null;
  /** `transmit`, `drop`, `set-dscp-transmit ef`, … */
  actions: string[];
  bps: number | null;
}

export interface Police {
  /** How the rate line was printed: `rate 500000000 bps, burst 10240 bytes` or `cir 400000 bps, bc …`. */
  syntax: "rate" | "cir";
  rateBps: number | null;
  ratePercent: number | null;
  burstBytes: number | null;
  excessBurstBytes: number | null;
  conformed: PoliceAction | null;
  exceeded: PoliceAction | null;
  violated: PoliceAction | null;
}

export interface Priority {
  /** `Strict Priority` (classic IOS) or `Priority: Strict` (IOS-XE). */
  strict: boolean;
  percent: number | null;
  kbps: number | null;
  burstBytes: number | null;
  /** `b/w exceed drops: N` — packets dropped for exceeding the priority rate. */
  exceedDrops: number | null;
  level: number | null;
}

/** Queue counters printed under `Queueing` (class) or `queue stats for all priority classes`. */
export interface QueueStats {
  queueLimit: { value: number; unit: string } | null;
  queueDepth: number | null;
  totalDrops: number | null;
  noBufferDrops: number | null;
  pktsOutput: number | null;
  bytesOutput: number | null;
  pktsMatched: number | null;
  bytesMatched: number | null;
  bytesDrops: number | null;
}

export interface PolicyClassAttrs extends QueueStats {
  packets: number | null;
  bytes: number | null;
  rateIntervalSeconds: number | null;
  offeredRateBps: number | null;
  dropRateBps: number | null;
  /** `Match:` lines without the keyword: `dscp ef (46)`, `any`. */
  matches: string[];
  queueing: boolean;
  priority: Priority | null;
  bandwidth: { percent: number | null; kbps: number | null; remainingPercent: number | null } | null;
  shape: { type: string; cirBps: number; bc: number | null; be: number | null } | null;
  targetShapeRate: number | null;
  police: Police | null;
  /** `QoS Set` entries as printed (`dscp ef`, `ip precedence 1`), with their marker statistics line. */
  qosSet: { action: string; markerStatistics: string | null }[];
  /** Lines of this class that no rule above reads (WRED tables, fair-queue details), kept verbatim. */
  other: string[];
}

export function emptyQueueStats(): QueueStats {
  return {
    queueLimit: null,
    queueDepth: null,
    totalDrops: null,
    noBufferDrops: null,
    pktsOutput: null,
    bytesOutput: null,
    pktsMatched: null,
    bytesMatched: null,
    bytesDrops: null,
  };
}

export function emptyClassAttrs(): PolicyClassAttrs {
  return {
    ...emptyQueueStats(),
    packets: null,
    bytes: null,
    rateIntervalSeconds: null,
    offeredRateBps: null,
    dropRateBps: null,
    matches: [],
    queueing: false,
    priority: null,
    bandwidth: null,
    shape: null,
    targetShapeRate: null,
    police: null,
    qosSet: [],
    other: [],
  };
}
