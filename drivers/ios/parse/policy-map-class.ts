/**
 * The per-class lines of `show policy-map interface`. Line shapes follow genieparser's ShowPolicyMapInterface
 * fixtures (IOS-XE golden_output1/18 in /work/shared/field) and Cisco's classic-IOS LLQ output ("Strict
 * Priority", "Bandwidth 33 (%)", "(total drops/bytes drops)" — Cisco QoS configuration guide, "Low Latency
 * Queueing with Priority Percentage Support").
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

const n = (s: string | undefined): number | null => (s === undefined ? null : Number(s));

/** Queue counter lines shared by classes and the priority-queue block; true when the line was one. */
export function applyQueueLine(q: QueueStats, t: string): boolean {
  let m = /^queue limit (\d+) (\w+)$/.exec(t);
  if (m) q.queueLimit = { value: Number(m[1]), unit: m[2] as string };
  else if ((m = /^\((?:queue )?depth\/total drops\/no-buffer drops\) (\d+)\/(\d+)\/(\d+)$/.exec(t))) {
    [q.queueDepth, q.totalDrops, q.noBufferDrops] = [n(m[1]), n(m[2]), n(m[3])];
  } else if ((m = /^\(pkts output\/bytes output\) (\d+)\/(\d+)$/.exec(t))) {
    [q.pktsOutput, q.bytesOutput] = [n(m[1]), n(m[2])];
  } else if ((m = /^\(pkts matched\/bytes matched\) (\d+)\/(\d+)$/.exec(t))) {
    [q.pktsMatched, q.bytesMatched] = [n(m[1]), n(m[2])];
  } else if ((m = /^\(total drops\/bytes drops\) (\d+)\/(\d+)$/.exec(t))) {
    [q.totalDrops, q.bytesDrops] = [n(m[1]), n(m[2])];
  } else return false;
  return true;
}

const newPriority = (): Priority => ({
  strict: false,
  percent: null,
  kbps: null,
  burstBytes: null,
  exceedDrops: null,
  level: null,
});

function applyPriority(c: PolicyClassAttrs, t: string): boolean {
  let m = /^Priority:\s*(.*)$/.exec(t);
  if (m) {
    const p = (c.priority ??= newPriority());
    const v = m[1] as string;
    p.strict ||= /\bStrict\b/i.test(v);
    p.percent = n(/(\d+)%/.exec(v)?.[1]) ?? p.percent;
    p.kbps = n(/(\d+) kbps/.exec(v)?.[1]) ?? p.kbps;
    p.burstBytes = n(/burst bytes (\d+)/.exec(v)?.[1]) ?? p.burstBytes;
    p.exceedDrops = n(/b\/w exceed drops:\s*(\d+)/.exec(v)?.[1]) ?? p.exceedDrops;
    return true;
  }
  if ((m = /^priority level:?\s*(\d+)$/i.exec(t))) (c.priority ??= newPriority()).level = Number(m[1]);
  else if (/^Strict Priority$/i.test(t)) (c.priority ??= newPriority()).strict = true;
  // Classic LLQ prints the priority rate as `Bandwidth 33 (%)` / `Bandwidth 330 (kbps) Burst 8250 (Bytes)`.
  else if ((m = /^Bandwidth (\d+) \((%|kbps)\)(?: Burst (\d+) \(Bytes\))?$/.exec(t))) {
    const target = c.priority ?? (c.bandwidth ??= { percent: null, kbps: null, remainingPercent: null });
    if (m[2] === "%") target.percent = Number(m[1]);
    else target.kbps = Number(m[1]);
    if (c.priority && m[3] !== undefined) c.priority.burstBytes = Number(m[3]);
  } else return false;
  return true;
}

function applyPolice(c: PolicyClassAttrs, t: string, state: { action: PoliceAction | null }): boolean {
  if (t === "police:") {
    c.police = { syntax: "cir", rateBps: null, ratePercent: null, burstBytes: null, excessBurstBytes: null, conformed: null, exceeded: null, violated: null };
    return true;
  }
  const p = c.police;
  if (!p) return false;
  let m = /^(cir|rate) (\d+) ?(bps|%)(?:, (?:bc|burst) (\d+) bytes)?(?:, be (\d+) bytes)?$/.exec(t);
  if (m) {
    p.syntax = m[1] as "cir" | "rate";
    if (m[3] === "%") p.ratePercent = Number(m[2]);
    else p.rateBps = Number(m[2]);
    [p.burstBytes, p.excessBurstBytes] = [n(m[4]), n(m[5])];
  } else if ((m = /^(conformed|exceeded|violated) (?:(\d+) packets, )?(\d+) bytes; actions:$/.exec(t))) {
    state.action = { packets: n(m[2]), bytes: n(m[3]), actions: [], bps: null };
    p[m[1] as "conformed" | "exceeded" | "violated"] = state.action;
  } else if ((m = /^conformed (\d+) bps, exceeded (\d+) bps(?:, violated (\d+) bps)?$/.exec(t))) {
    const rates = [n(m[1]), n(m[2]), n(m[3])];
    (["conformed", "exceeded", "violated"] as const).forEach((k, i) => {
      const a = p[k];
      if (a) a.bps = rates[i] ?? null;
    });
    state.action = null;
  } else return false;
  return true;
}

/** Per-class reading state: which police action or QoS Set list the next bare line belongs to. */
export interface ClassState {
  action: PoliceAction | null;
  inSet: boolean;
  matchIndent: number | null;
}

/** Action lines under `conformed …; actions:`: `transmit`, `drop`, `set-dscp-transmit ef`. */
const ACTION = /^[a-z][\w-]*(?: \S+)?$/;

/** The counter and queueing lines of a class; true when the line was one of them. */
function applyKnown(c: PolicyClassAttrs, t: string, indent: number, st: ClassState): boolean {
  let m: RegExpExecArray | null;
  if ((m = /^(\d+) packets(?:, (\d+) bytes)?$/.exec(t))) [c.packets, c.bytes] = [n(m[1]), n(m[2])];
  else if ((m = /^(\d+) (minute|second)s? offered rate (\d+) bps(?:, drop rate (\d+) bps)?$/.exec(t))) {
    c.rateIntervalSeconds = Number(m[1]) * (m[2] === "minute" ? 60 : 1);
    [c.offeredRateBps, c.dropRateBps] = [n(m[3]), n(m[4])];
  } else if ((m = /^Match:\s*(.*)$/.exec(t))) {
    c.matches.push(m[1] as string);
    st.matchIndent = indent;
  } else if (t === "Queueing") c.queueing = true;
  else if ((m = /^bandwidth (?:(remaining) )?(\d+)%(?: \((\d+) kbps\))?$/i.exec(t))) {
    const pct = Number(m[2]);
    c.bandwidth = { percent: m[1] ? null : pct, kbps: n(m[3]), remainingPercent: m[1] ? pct : null };
  } else if ((m = /^bandwidth (\d+) kbps$/i.exec(t)))
    c.bandwidth = { percent: null, kbps: Number(m[1]), remainingPercent: null };
  else if ((m = /^shape \((\w+)\) cir (\d+)(?:, bc (\d+))?(?:, be (\d+))?$/.exec(t)))
    c.shape = { type: m[1] as string, cirBps: Number(m[2]), bc: n(m[3]), be: n(m[4]) };
  else if ((m = /^target shape rate (\d+)$/.exec(t))) c.targetShapeRate = Number(m[1]);
  else return applyQueueLine(c, t) || applyPriority(c, t) || applyPolice(c, t, st);
  return true;
}

/** Applies one line of a class body; lines no rule reads land in `other`, never silently dropped. */
export function applyClassLine(c: PolicyClassAttrs, line: string, indent: number, st: ClassState): void {
  const t = line.trim();
  // Classic IOS prints per-match counters under each `Match:`; they are not the class totals.
  if (st.matchIndent !== null && indent > st.matchIndent && /^\d+ (packets|(minute|second)s? rate)/.test(t)) return;
  st.matchIndent = null;
  if (st.action && ACTION.test(t)) {
    st.action.actions.push(t);
    return;
  }
  st.action = null;
  const marker = /^Marker statistics:\s*(.*)$/.exec(t);
  const lastSet = c.qosSet.at(-1);
  if (t === "QoS Set") st.inSet = true;
  else if (marker && lastSet) lastSet.markerStatistics = marker[1] as string;
  else if (applyKnown(c, t, indent, st)) st.inSet = false;
  else if (st.inSet) c.qosSet.push({ action: t, markerStatistics: null });
  else c.other.push(t);
}
