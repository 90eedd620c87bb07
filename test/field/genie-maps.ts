/**
 * How patchkast's parse maps onto genieparser's expected dicts (`*.expected.py`): per command, a projection
 * that writes our result in genie's shape and key names, field by field, so the whole expected dict can be
 * compared with `toEqual`. A key genie has and we do not produce fails the comparison.
 */
import type { ShowArchiveConfigDifferences } from "../../drivers/ios/parse/show-archive-config-differences.js";
import type {
  PolicyClass,
  PolicyMapInterface,
  PriorityQueueStats,
  QueueStats,
  ServicePolicy,
} from "../../drivers/ios/parse/show-policy-map-interface.js";
import type { VlanBriefEntry } from "../../drivers/ios/parse/show-vlan-brief.js";
import type { PyValue } from "../helpers/python-literal.js";

type Dict = { [key: string]: PyValue };

/** Only the keys whose value is not null/undefined (genie omits what the device did not print). */
function defined(entries: Record<string, PyValue | undefined>): Dict {
  const out: Dict = {};
  for (const [k, v] of Object.entries(entries)) if (v !== null && v !== undefined) out[k] = v;
  return out;
}

function vlanBrief(vlans: VlanBriefEntry[]): PyValue {
  const vlan: Dict = {};
  for (const v of vlans)
    vlan[`vlan${v.id}`] = defined({
      vlan_name: v.name,
      vlan_status: v.status,
      vlan_port: v.ports.length > 0 ? v.ports : undefined,
    });
  return { vlan };
}

function archiveDiff(d: ShowArchiveConfigDifferences): PyValue {
  // Genie keeps sign + command; the parent path (always [] in these fixtures) has no place in its schema.
  return { diff: d.entries.map((e) => `${e.op}${e.line}`) };
}

/** genie splits `ip precedence 1` into field `ip precedence` and value `1`; these are its multi-word fields. */
const SET_FIELDS = ["mpls experimental imposition", "mpls experimental topmost", "ip precedence", "ip dscp"];

function qosSet(c: PolicyClass): PyValue | undefined {
  if (c.qosSet.length === 0) return undefined;
  const out: { [field: string]: Dict } = {};
  for (const s of c.qosSet) {
    const field = SET_FIELDS.find((f) => s.action.startsWith(`${f} `)) ?? (s.action.split(" ")[0] as string);
    const value = s.action.slice(field.length + 1);
    out[field] = { ...out[field], [value]: defined({ marker_statistics: s.markerStatistics }) };
  }
  return out;
}

function queue(q: QueueStats): Dict {
  return defined({
    queue_limit_packets: q.queueLimit?.unit === "packets" ? String(q.queueLimit.value) : undefined,
    queue_depth: q.queueDepth,
    total_drops: q.totalDrops,
    no_buffer_drops: q.noBufferDrops,
    pkts_output: q.pktsOutput,
    bytes_output: q.bytesOutput,
  });
}

function police(c: PolicyClass): PyValue | undefined {
  const p = c.police;
  if (!p) return undefined;
  const action = (a: typeof p.conformed) =>
    a
      ? defined({
          packets: a.packets,
          bytes: a.bytes,
          bps: a.bps,
          actions: Object.fromEntries(a.actions.map((x) => [x, true])),
        })
      : undefined;
  const rate =
    p.syntax === "rate"
      ? { rate_bps: p.rateBps, burst_bytes: p.burstBytes }
      : { cir_bps: p.rateBps, cir_bc_bytes: p.burstBytes };
  return defined({
    ...rate,
    conformed: action(p.conformed),
    exceeded: action(p.exceeded),
    violated: action(p.violated),
  });
}

function klass(c: PolicyClass): Dict {
  return defined({
    match_evaluation: c.matchEvaluation,
    packets: c.packets,
    bytes: c.bytes,
    rate:
      c.rateIntervalSeconds === null
        ? undefined
        : {
            interval: c.rateIntervalSeconds,
            offered_rate_bps: c.offeredRateBps,
            drop_rate_bps: c.dropRateBps,
          },
    match: c.matches,
    queueing: c.queueing ? true : undefined,
    ...queue(c),
    shape_type: c.shape?.type,
    shape_cir_bps: c.shape?.cirBps,
    shape_bc_bps: c.shape?.bc,
    shape_be_bps: c.shape?.be,
    target_shape_rate: c.targetShapeRate,
    bandwidth_percent: c.bandwidth?.percent,
    bandwidth_kbps: c.bandwidth?.kbps,
    police: police(c),
    qos_set: qosSet(c),
    child_policy_name: c.childPolicy
      ? { [c.childPolicy.name]: { class_map: classes(c.childPolicy) } }
      : undefined,
  });
}

const classes = (p: ServicePolicy): Dict => Object.fromEntries(p.classes.map((c) => [c.name, klass(c)]));

/** Every priority-queue block in a policy and its children. */
function allPriorityQueues(p: ServicePolicy): PriorityQueueStats[] {
  return [
    ...p.priorityQueues,
    ...p.classes.flatMap((c) => (c.childPolicy ? allPriorityQueues(c.childPolicy) : [])),
  ];
}

function policyMap(interfaces: PolicyMapInterface[]): PyValue {
  const out: Dict = {};
  for (const i of interfaces) {
    const byDirection: { [direction: string]: { policy_name: Dict } } = {};
    for (const p of i.policies) {
      // genie hoists `queue stats for all priority classes` to the top-level policy; we keep it on the
      // (child) policy whose block prints it (`leeaf` in golden_output18), so the projection hoists.
      const prio = allPriorityQueues(p);
      const entry = defined({
        class_map: classes(p),
        queue_stats_for_all_priority_classes:
          prio.length === 0
            ? undefined
            : {
                priority_level: Object.fromEntries(
                  prio.map((q) => [
                    String(q.level),
                    defined({ queueing: q.queueing ? true : undefined, ...queue(q) }),
                  ]),
                ),
              },
      });
      const dir = p.direction ?? "unknown";
      byDirection[dir] = { policy_name: { ...byDirection[dir]?.policy_name, [p.name]: entry } };
    }
    out[i.interface] = { service_policy: byDirection };
  }
  return out;
}

/** Folder name under cli/cisco_ios → projection into genie's shape. */
export const genieMaps: Record<string, (parsed: unknown) => PyValue> = {
  show_vlan_brief: (p) => vlanBrief(p as VlanBriefEntry[]),
  show_archive_config_differences: (p) => archiveDiff(p as ShowArchiveConfigDifferences),
  show_policy_map_interface: (p) => policyMap(p as PolicyMapInterface[]),
};
