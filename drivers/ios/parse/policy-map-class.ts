/**
 * Reads the per-class lines of `show policy-map interface`. Line shapes follow genieparser's
 * ShowPolicyMapInterface fixtures (IOS-XE golden_output1/18 in /work/shared/field) and Cisco's classic-IOS
 * LLQ output ("Strict Priority", "Bandwidth 33 (%)", "(total drops/bytes drops)" — Cisco QoS configuration
 * guide, "Low Latency Queueing with Priority Percentage Support").
 */
import type { Police, PoliceAction, PolicyClassAttrs, Priority, QueueStats } from "./policy-map-types.js";

const n = (s: string | undefined): number | null => (s === undefined ? null : Number(s));

/** A line rule: the pattern and what a match does to the target. */
type Rule<T> = [RegExp, (target: T, m: RegExpExecArray) => void];

/** Applies the first rule whose pattern matches `t`; true when one did. */
function applyRules<T>(rules: readonly Rule<T>[], target: T, t: string): boolean {
  for (const [re, apply] of rules) {
    const m = re.exec(t);
    if (m) {
      apply(target, m);
      return true;
    }
  }
  return false;
}

const QUEUE_RULES: Rule<QueueStats>[] = [
  [/^queue limit (\d+) (\w+)$/, (q, m) => (q.queueLimit = { value: Number(m[1]), unit: m[2] as string })],
  // Classic IOS with fair-queue adds a fourth counter: `(queue depth/total drops/no-buffer drops/flowdrops)`.
  [
    /^\((?:queue )?depth\/total drops\/no-buffer drops(?:\/flowdrops)?\) (\d+)\/(\d+)\/(\d+)(?:\/\d+)?$/,
    (q, m) => ([q.queueDepth, q.totalDrops, q.noBufferDrops] = [n(m[1]), n(m[2]), n(m[3])]),
  ],
  [
    /^\(pkts output\/bytes output\) (\d+)\/(\d+)$/,
    (q, m) => ([q.pktsOutput, q.bytesOutput] = [n(m[1]), n(m[2])]),
  ],
  [
    /^\(pkts matched\/bytes matched\) (\d+)\/(\d+)$/,
    (q, m) => ([q.pktsMatched, q.bytesMatched] = [n(m[1]), n(m[2])]),
  ],
  [
    /^\(total drops\/bytes drops\) (\d+)\/(\d+)$/,
    (q, m) => ([q.totalDrops, q.bytesDrops] = [n(m[1]), n(m[2])]),
  ],
];

/** Queue counter lines shared by classes and the priority-queue block; true when the line was one. */
export function applyQueueLine(q: QueueStats, t: string): boolean {
  return applyRules(QUEUE_RULES, q, t);
}

const newPriority = (): Priority => ({
  strict: false,
  percent: null,
  kbps: null,
  burstBytes: null,
  exceedDrops: null,
  level: null,
});

function priorityOf(c: PolicyClassAttrs): Priority {
  c.priority ??= newPriority();
  return c.priority;
}

const PRIORITY_RULES: Rule<PolicyClassAttrs>[] = [
  // IOS-XE: `Priority: 20% (19000 kbps), burst bytes 475000, b/w exceed drops: 3` or `Priority: Strict, …`.
  [
    /^Priority:\s*(.*)$/,
    (c, m) => {
      const p = priorityOf(c);
      const v = m[1] as string;
      p.strict ||= /\bStrict\b/i.test(v);
      p.percent = n(/(\d+)%/.exec(v)?.[1]) ?? p.percent;
      p.kbps = n(/(\d+) kbps/.exec(v)?.[1]) ?? p.kbps;
      p.burstBytes = n(/burst bytes (\d+)/.exec(v)?.[1]) ?? p.burstBytes;
      p.exceedDrops = n(/b\/w exceed drops:\s*(\d+)/.exec(v)?.[1]) ?? p.exceedDrops;
    },
  ],
  [/^priority level:?\s*(\d+)$/i, (c, m) => (priorityOf(c).level = Number(m[1]))],
  [/^Strict Priority$/i, (c) => (priorityOf(c).strict = true)],
  // Classic LLQ prints the priority rate as `Bandwidth 33 (%)` / `Bandwidth 330 (kbps) Burst 8250 (Bytes)`.
  [
    /^Bandwidth (\d+) \((%|kbps)\)(?: Burst (\d+) \(Bytes\))?$/,
    (c, m) => {
      c.bandwidth ??= c.priority ? null : { percent: null, kbps: null, remainingPercent: null };
      const target = c.priority ?? c.bandwidth;
      if (!target) return;
      if (m[2] === "%") target.percent = Number(m[1]);
      else target.kbps = Number(m[1]);
      if (c.priority && m[3] !== undefined) c.priority.burstBytes = Number(m[3]);
    },
  ],
];

function applyPolice(c: PolicyClassAttrs, t: string, state: { action: PoliceAction | null }): boolean {
  if (t === "police:") {
    c.police = {
      syntax: "cir",
      rateBps: null,
      ratePercent: null,
      burstBytes: null,
      excessBurstBytes: null,
      conformed: null,
      exceeded: null,
      violated: null,
    };
    return true;
  }
  const p = c.police;
  if (!p) return false;
  const rules: Rule<Police>[] = [
    [
      /^(cir|rate) (\d+) ?(bps|%)(?:, (?:bc|burst) (\d+) bytes)?(?:, be (\d+) bytes)?$/,
      (p, m) => {
        p.syntax = m[1] as "cir" | "rate";
        if (m[3] === "%") p.ratePercent = Number(m[2]);
        else p.rateBps = Number(m[2]);
        [p.burstBytes, p.excessBurstBytes] = [n(m[4]), n(m[5])];
      },
    ],
    [
      /^(conformed|exceeded|violated) (?:(\d+) packets, )?(\d+) bytes; actions:$/,
      (p, m) => {
        state.action = { packets: n(m[2]), bytes: n(m[3]), actions: [], bps: null };
        p[m[1] as "conformed" | "exceeded" | "violated"] = state.action;
      },
    ],
    [
      /^conformed (\d+) bps, exceeded (\d+) bps(?:, violated (\d+) bps)?$/,
      (p, m) => {
        const rates = [n(m[1]), n(m[2]), n(m[3])];
        (["conformed", "exceeded", "violated"] as const).forEach((k, i) => {
          const a = p[k];
          if (a) a.bps = rates[i] ?? null;
        });
      },
    ],
  ];
  return applyRules(rules, p, t);
}

/** Per-class reading state: which police action or QoS Set list the next bare line belongs to. */
export interface ClassState {
  action: PoliceAction | null;
  inSet: boolean;
  matchIndent: number | null;
}

/** Action lines under `conformed …; actions:`: `transmit`, `drop`, `set-dscp-transmit ef`. */
const ACTION = /^[a-z][\w-]*(?: \S+)?$/;

const CLASS_RULES: Rule<PolicyClassAttrs>[] = [
  [/^(\d+) packets(?:, (\d+) bytes)?$/, (c, m) => ([c.packets, c.bytes] = [n(m[1]), n(m[2])])],
  [
    /^(\d+) (minute|second)s? offered rate (\d+) bps(?:, drop rate (\d+) bps)?$/,
    (c, m) => {
      c.rateIntervalSeconds = Number(m[1]) * (m[2] === "minute" ? 60 : 1);
      [c.offeredRateBps, c.dropRateBps] = [n(m[3]), n(m[4])];
    },
  ],
  [/^Queueing$/, (c) => (c.queueing = true)],
  [
    /^bandwidth (?:(remaining) )?(\d+)%(?: \((\d+) kbps\))?$/i,
    (c, m) => {
      const pct = Number(m[2]);
      c.bandwidth = { percent: m[1] ? null : pct, kbps: n(m[3]), remainingPercent: m[1] ? pct : null };
    },
  ],
  [
    /^bandwidth (\d+) kbps$/i,
    (c, m) => (c.bandwidth = { percent: null, kbps: Number(m[1]), remainingPercent: null }),
  ],
  [
    /^shape \((\w+)\) cir (\d+)(?:, bc (\d+))?(?:, be (\d+))?$/,
    (c, m) => (c.shape = { type: m[1] as string, cirBps: Number(m[2]), bc: n(m[3]), be: n(m[4]) }),
  ],
  [/^target shape rate (\d+)$/, (c, m) => (c.targetShapeRate = Number(m[1]))],
];

/** The counter and queueing lines of a class; true when the line was one of them. */
function applyKnown(c: PolicyClassAttrs, t: string, indent: number, st: ClassState): boolean {
  const match = /^Match:\s*(.*)$/.exec(t);
  if (match) {
    c.matches.push(match[1] as string);
    st.matchIndent = indent;
    return true;
  }
  return (
    applyRules(CLASS_RULES, c, t) ||
    applyQueueLine(c, t) ||
    applyRules(PRIORITY_RULES, c, t) ||
    applyPolice(c, t, st)
  );
}

/** Applies one line of a class body; lines no rule reads land in `other`, never silently dropped. */
export function applyClassLine(c: PolicyClassAttrs, line: string, indent: number, st: ClassState): void {
  const t = line.trim();
  // Classic IOS prints per-match counters under each `Match:`; they are not the class totals.
  if (st.matchIndent !== null && indent > st.matchIndent && /^\d+ (packets|(minute|second)s? rate)/.test(t))
    return;
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
