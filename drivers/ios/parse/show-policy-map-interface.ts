import { type Line, ParseError, prepare, unrecognised } from "./common.js";
import { applyClassLine, applyQueueLine, type ClassState } from "./policy-map-class.js";
import {
  emptyClassAttrs,
  emptyQueueStats,
  type PolicyClassAttrs,
  type QueueStats,
} from "./policy-map-types.js";

export type { Police, PoliceAction, Priority, QueueStats } from "./policy-map-types.js";

const COMMAND = "show policy-map interface";

export interface PolicyClass extends PolicyClassAttrs {
  name: string;
  /** `match-any` / `match-all` from `Class-map: VOICE (match-any)`. */
  matchEvaluation: string | null;
  /** A nested `Service-policy : <child>` under this class (hierarchical shaper → queueing policy). */
  childPolicy: ServicePolicy | null;
}

/** `queue stats for all priority classes:` (IOS-XE): one block per priority level. */
export interface PriorityQueueStats extends QueueStats {
  level: number | null;
  queueing: boolean;
}

export interface ServicePolicy {
  /** Null for a child policy (`Service-policy : name`), which inherits its parent's direction. */
  direction: "input" | "output" | null;
  name: string;
  classes: PolicyClass[];
  /** Attached to the policy whose block prints it; genie attaches it to the top-level policy instead. */
  priorityQueues: PriorityQueueStats[];
}

/**
 * `show policy-map interface [<if>] [input|output]`: per interface, the attached policies with their
 * class counters, enough to check that the voice class exists, is a priority queue, and what it drops.
 *
 * @example
 * [{ interface: "GigabitEthernet0/0/0", policies: [{ direction: "output", name: "WAN-SHAPE", priorityQueues: [],
 *    classes: [{ name: "class-default", matchEvaluation: "match-any", shape: { type: "average", cirBps: 95000000, … },
 *      childPolicy: { direction: null, name: "WAN-QUEUE", priorityQueues: [], classes: [
 *        { name: "VOICE", matches: ["dscp ef (46)"], packets: 1234, offeredRateBps: 64000, dropRateBps: 0,
 *          priority: { strict: false, percent: 20, kbps: 19000, burstBytes: 475000, exceedDrops: 0, level: null },
 *          queueing: true, totalDrops: 0, … }, …] } }] }] }]
 */
export interface PolicyMapInterface {
  interface: string;
  policies: ServicePolicy[];
}

type Frame =
  | { kind: "policy"; indent: number; policy: ServicePolicy }
  | { kind: "class"; indent: number; cls: PolicyClass; state: ClassState }
  | { kind: "prio"; indent: number; stats: PriorityQueueStats };

const SERVICE_POLICY = /^Service-policy\s*(input|output)?\s*:\s*(\S+)/;
const CLASS_MAP = /^Class-map:\s*(\S+)(?:\s+\((match-any|match-all)\))?/;
const INTERFACE = /^ ?([A-Za-z][\w\-/.]*\d[\w/.:-]*?):?(?:\s.*)?$/;

const indentOf = (s: string) => s.length - s.trimStart().length;

function newClass(name: string, evaluation: string | null): PolicyClass {
  return { name, matchEvaluation: evaluation, ...emptyClassAttrs(), childPolicy: null };
}

function applyPrio(stats: PriorityQueueStats, t: string): boolean {
  const level = /^priority level:?\s*(\d+)$/i.exec(t);
  if (level) stats.level = Number(level[1]);
  else if (t === "Queueing") stats.queueing = true;
  else return applyQueueLine(stats, t);
  return true;
}

export function parseShowPolicyMapInterface(text: string): PolicyMapInterface[] {
  const lines = prepare(COMMAND, text, true).filter((l) => l.text.trim() !== "");
  const out: PolicyMapInterface[] = [];
  let stack: Frame[] = [];
  for (const line of lines as Line[]) {
    const t = line.text.trim();
    const indent = indentOf(line.text);
    const sp = SERVICE_POLICY.exec(t);
    const iface = !sp && indent <= 1 ? INTERFACE.exec(line.text) : null;
    if (iface) {
      out.push({ interface: iface[1] as string, policies: [] });
      stack = [];
      continue;
    }
    const current = out.at(-1);
    if (!current) throw unrecognised(COMMAND, line, "expected an interface name first");
    while (stack.length > 0 && (stack.at(-1) as Frame).indent >= indent) stack.pop();
    const top = stack.at(-1);
    const cm = CLASS_MAP.exec(t);
    if (sp) {
      const policy: ServicePolicy = {
        direction: (sp[1] as "input" | "output" | undefined) ?? null,
        name: sp[2] as string,
        classes: [],
        priorityQueues: [],
      };
      if (!top && policy.direction) current.policies.push(policy);
      else if (top?.kind === "class" && !top.cls.childPolicy) top.cls.childPolicy = policy;
      else throw unrecognised(COMMAND, line, "a service policy in an unexpected place");
      stack.push({ kind: "policy", indent, policy });
    } else if (cm) {
      if (top?.kind !== "policy") throw unrecognised(COMMAND, line, "a class-map outside a service policy");
      const cls = newClass(cm[1] as string, cm[2] ?? null);
      top.policy.classes.push(cls);
      stack.push({ kind: "class", indent, cls, state: { action: null, inSet: false, matchIndent: null } });
    } else if (/^queue stats for all priority classes:?$/i.test(t)) {
      if (top?.kind !== "policy") throw unrecognised(COMMAND, line, "priority-queue stats outside a policy");
      const stats: PriorityQueueStats = { ...emptyQueueStats(), level: null, queueing: false };
      top.policy.priorityQueues.push(stats);
      stack.push({ kind: "prio", indent, stats });
    } else if (top?.kind === "class") applyClassLine(top.cls, line.text, indent, top.state);
    else if (top?.kind === "prio") {
      // Several priority levels print one after another under the same heading.
      if (/^priority level/i.test(t) && top.stats.level !== null) {
        const policy = (stack.findLast((f) => f.kind === "policy") as { policy: ServicePolicy }).policy;
        top.stats = { ...emptyQueueStats(), level: null, queueing: top.stats.queueing };
        policy.priorityQueues.push(top.stats);
      }
      if (!applyPrio(top.stats, t)) throw unrecognised(COMMAND, line);
    } else throw unrecognised(COMMAND, line);
  }
  for (const entry of out)
    if (entry.policies.length === 0)
      throw new ParseError(
        "PK_ERR_PARSE_UNRECOGNISED",
        COMMAND,
        null,
        `${entry.interface}: no \`Service-policy input|output:\` under the interface line`,
      );
  return out;
}
