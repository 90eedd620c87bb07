import type { PolicyClass, ServicePolicy } from "../../drivers/ios/parse/show-policy-map-interface.js";
import type { ConfigNode } from "../../drivers/ios/parse/show-running-config.js";
import { deviceObs, samePort } from "./site-facts.js";
import type { Check, CheckContext, Evidence } from "./types.js";
import { notObserved, verdict } from "./verdict.js";

const meta = {
  id: "wan_priority_queue",
  title: "The router's WAN output policy has a priority (LLQ) class for voice",
};

interface PriorityClass {
  policy: string;
  cls: string;
  priority: string;
  matches: string[];
}

/**
 * Priority classes reachable from policy-map `name`, through nested `service-policy` (the standard config
 * shapes in WAN-SHAPE and queues in its child WAN-QUEUE). `seen` stops a policy that nests itself.
 */
function priorityClasses(
  nodes: readonly ConfigNode[],
  name: string,
  seen = new Set<string>(),
): PriorityClass[] {
  if (seen.has(name)) return [];
  seen.add(name);
  const policy = nodes.find((n) => n.line === `policy-map ${name}`);
  return (policy?.children ?? []).flatMap((c) => {
    const cls = /^class (\S+)$/.exec(c.line)?.[1];
    if (!cls) return [];
    const prio = c.children.find((l) => /^priority\b/.test(l.line));
    const child = c.children.map((l) => /^service-policy (\S+)$/.exec(l.line)?.[1]).find((x) => x);
    const here: PriorityClass[] = prio
      ? [{ policy: name, cls, priority: prio.line, matches: classMatches(nodes, cls) }]
      : [];
    return child ? [...here, ...priorityClasses(nodes, child, seen)] : here;
  });
}

function classMatches(nodes: readonly ConfigNode[], cls: string): string[] {
  const map = nodes.find((n) => new RegExp(`^class-map (match-any |match-all )?${cls}$`).test(n.line));
  return map?.children.map((c) => c.line) ?? [];
}

/** The WAN interfaces: the site's, and the dialer a PPPoE WAN puts its policy on. */
function wanStanzas(nodes: readonly ConfigNode[], wanInterface: string): ConfigNode[] {
  return nodes.filter((n) => {
    const name = /^interface (\S+)$/.exec(n.line)?.[1];
    return name !== undefined && (samePort(name, wanInterface) || /^Dialer\d+$/.test(name));
  });
}

/** What `show policy-map interface` says is live, when it could be read: the priority classes it lists. */
function livePriority(policies: readonly ServicePolicy[]): string[] {
  const walk = (p: ServicePolicy): PolicyClass[] =>
    p.classes.flatMap((c) => [c, ...(c.childPolicy ? walk(c.childPolicy) : [])]);
  return policies
    .filter((p) => p.direction === "output")
    .flatMap(walk)
    .filter((c) => c.priority !== null)
    .map((c) => c.name);
}

export const wanPriorityQueue: Check = {
  ...meta,
  run(ctx: CheckContext) {
    const router = ctx.site.router;
    const subject = `${router.name} ${ctx.site.wan.interface}`;
    const expected = "service-policy output with a priority class matching dscp ef";
    const dev = deviceObs(ctx.observations, router.name);
    const run = dev?.cli["show running-config"];
    const evidence: Evidence[] = [];
    if (!run?.ok) {
      evidence.push(notObserved(subject, expected, "the running-config", run));
      return verdict(meta, evidence, "WAN interfaces", "voice has a priority queue on the WAN");
    }
    const nodes = run.value.nodes;
    const attached = wanStanzas(nodes, ctx.site.wan.interface).flatMap((s) =>
      s.children
        .map((c) => /^service-policy output (\S+)$/.exec(c.line)?.[1])
        .filter((p): p is string => p !== undefined)
        .map((policy) => ({ iface: s.line.replace(/^interface /, ""), policy })),
    );
    const found = attached.flatMap((a) =>
      priorityClasses(nodes, a.policy).map((p) => ({ ...p, iface: a.iface, attached: a.policy })),
    );
    const voice = found.find((p) => p.matches.some((m) => /^match (ip )?dscp .*\b(ef|46)\b/.test(m)));
    evidence.push({
      subject,
      expected,
      observed:
        attached.length === 0
          ? "no output service-policy on the WAN interface"
          : voice
            ? `${voice.iface} output ${voice.attached} → ${voice.policy} class ${voice.cls}: ${voice.priority} (${voice.matches.join("; ")})`
            : found.length > 0
              ? `priority class ${found.map((f) => f.cls).join(", ")} does not match dscp ef`
              : `policy ${attached.map((a) => a.policy).join(", ")} has no priority class`,
      ok: voice !== undefined,
      source: run.source,
    });
    const live = dev?.cli["show policy-map interface"];
    if (live?.ok) {
      const entry = live.value.find((e) => samePort(e.interface, voice?.iface ?? ctx.site.wan.interface));
      const classes = entry ? livePriority(entry.policies) : [];
      evidence.push({
        subject,
        expected: "the priority class live on the interface",
        observed: classes.length > 0 ? `priority class ${classes.join(", ")} live` : "no live priority class",
        ok: classes.length > 0,
        source: live.source,
      });
    }
    return verdict(meta, evidence, "WAN interfaces", "voice has a priority queue on the WAN");
  },
};
