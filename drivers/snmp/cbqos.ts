/**
 * Class-based QoS from CISCO-CLASS-BASED-QOS-MIB (1.3.6.1.4.1.9.9.166). OIDs as verified in
 * ../shared/reference/monitoring.md §2.5; the join follows snmp_exporter's chained lookups (PR #757):
 *
 *   cbQosServicePolicyTable [policyIndex]          → ifIndex, direction
 *   cbQosObjectsTable       [policyIndex.objectsIndex] → configIndex, objectsType, parentObjectsIndex
 *   cbQosPolicyMapName / cbQosCMName [configIndex] → names
 *   cbQosQueueingCfgTable   [configIndex]          → priority (LLQ) flag, bandwidth
 *   cbQosCMStatsTable       [policyIndex.objectsIndex] → pre/post-policy bytes, drops (Counter64)
 *
 * A class is a priority class when one of its child objects is queueing(4) whose config has
 * cbQosQueueingCfgPriorityEnabled = true ("priority" in the policy-map). Nested (hierarchical) policies
 * show up as a classmap whose child is a policymap; each class carries the name of its own policy-map.
 * No public recording has cbQoS on an ISR (monitoring.md §3); test/fixtures/snmp/ has one.
 */

import { dropUndefined } from "./if-mib.js";
import type { SnmpClient, Varbind } from "./types.js";
import { big, enumOf, num, rowsOf, text, truth, walkColumns } from "./values.js";

const q = "1.3.6.1.4.1.9.9.166.1";

export const cbQosColumns = {
  cbQosPolicyDirection: `${q}.1.1.1.3`,
  cbQosIfIndex: `${q}.1.1.1.4`,
  cbQosConfigIndex: `${q}.5.1.1.2`,
  cbQosObjectsType: `${q}.5.1.1.3`,
  cbQosParentObjectsIndex: `${q}.5.1.1.4`,
  cbQosPolicyMapName: `${q}.6.1.1.1`,
  cbQosCMName: `${q}.7.1.1.1`,
  cbQosQueueingCfgBandwidth: `${q}.9.1.1.1`,
  cbQosQueueingCfgBandwidthUnits: `${q}.9.1.1.2`,
  cbQosQueueingCfgPriorityEnabled: `${q}.9.1.1.4`,
  cbQosCMPrePolicyPkt64: `${q}.15.1.1.3`,
  cbQosCMPrePolicyByte64: `${q}.15.1.1.6`,
  cbQosCMPostPolicyByte64: `${q}.15.1.1.10`,
  cbQosCMDropPkt64: `${q}.15.1.1.14`,
  cbQosCMDropByte64: `${q}.15.1.1.17`,
  cbQosCMNoBufDropPkt64: `${q}.15.1.1.21`,
} as const;

export interface QosClass {
  /** The policy-map this class belongs to (a child policy's name for nested policies). */
  policy?: string;
  name?: string;
  objectsIndex: number;
  priority: boolean;
  /** kbps when the queueing config is in kbps(1); percentages are not converted. */
  bandwidthKbps?: number;
  bandwidthPercent?: number;
  prePolicyPkts?: bigint;
  prePolicyBytes?: bigint;
  postPolicyBytes?: bigint;
  dropPkts?: bigint;
  dropBytes?: bigint;
  noBufferDropPkts?: bigint;
}

export interface QosPolicy {
  policyIndex: number;
  ifIndex?: number;
  /** Filled in by readDevice. */
  ifName?: string;
  direction?: "input" | "output";
  name?: string;
  classes: QosClass[];
}

export interface Qos {
  policies: QosPolicy[];
}

/** The priority (LLQ) classes of every attached policy, with where they sit: the "voice class" check. */
export function priorityClasses(qos: Qos): { policy: QosPolicy; cls: QosClass }[] {
  return qos.policies.flatMap((policy) =>
    policy.classes.filter((c) => c.priority).map((cls) => ({ policy, cls })),
  );
}

/** Pure: walked cbQoS columns → attached policies with their classes and counters. */
export function parseCbQos(varbinds: readonly Varbind[]): Qos {
  const rows = rowsOf(cbQosColumns, varbinds);
  const at = (index: string) => rows.get(index) ?? {};
  const objects = [...rows].filter(([index, r]) => index.includes(".") && r.cbQosObjectsType !== undefined);
  const policies: QosPolicy[] = [];
  for (const [index, r] of rows) {
    if (index.includes(".") || (r.cbQosIfIndex === undefined && r.cbQosPolicyDirection === undefined))
      continue;
    const mine = objects.filter(([oi]) => oi.startsWith(`${index}.`));
    const nameOf = (objectsIndex: number | undefined) => {
      const o = mine.find(([oi]) => oi === `${index}.${objectsIndex}`)?.[1];
      const cfg = at(String(num(o?.cbQosConfigIndex)));
      return num(o?.cbQosObjectsType) === 1 ? text(cfg.cbQosPolicyMapName) : undefined;
    };
    const top = mine.find(([, o]) => num(o.cbQosObjectsType) === 1 && num(o.cbQosParentObjectsIndex) === 0);
    const classes: QosClass[] = [];
    for (const [oi, o] of mine) {
      if (num(o.cbQosObjectsType) !== 2) continue;
      const objectsIndex = Number(oi.slice(index.length + 1));
      const cfg = at(String(num(o.cbQosConfigIndex)));
      const queueing = mine
        .filter(([, c]) => num(c.cbQosObjectsType) === 4 && num(c.cbQosParentObjectsIndex) === objectsIndex)
        .map(([, c]) => at(String(num(c.cbQosConfigIndex))));
      const prio = queueing.find((c) => truth(c.cbQosQueueingCfgPriorityEnabled));
      const bw = prio ?? queueing[0];
      const units = num(bw?.cbQosQueueingCfgBandwidthUnits);
      const stats = at(oi);
      classes.push(
        dropUndefined({
          policy: nameOf(num(o.cbQosParentObjectsIndex)),
          name: text(cfg.cbQosCMName),
          objectsIndex,
          priority: prio !== undefined,
          bandwidthKbps: units === 1 ? num(bw?.cbQosQueueingCfgBandwidth) : undefined,
          bandwidthPercent: units === 2 ? num(bw?.cbQosQueueingCfgBandwidth) : undefined,
          prePolicyPkts: big(stats.cbQosCMPrePolicyPkt64),
          prePolicyBytes: big(stats.cbQosCMPrePolicyByte64),
          postPolicyBytes: big(stats.cbQosCMPostPolicyByte64),
          dropPkts: big(stats.cbQosCMDropPkt64),
          dropBytes: big(stats.cbQosCMDropByte64),
          noBufferDropPkts: big(stats.cbQosCMNoBufDropPkt64),
        }),
      );
    }
    policies.push(
      dropUndefined({
        policyIndex: Number(index),
        ifIndex: num(r.cbQosIfIndex),
        direction: enumOf(r.cbQosPolicyDirection, { 1: "input", 2: "output" } as const),
        name: top ? text(at(String(num(top[1].cbQosConfigIndex))).cbQosPolicyMapName) : undefined,
        classes: classes.sort((a, b) => a.objectsIndex - b.objectsIndex),
      }),
    );
  }
  return { policies: policies.sort((a, b) => a.policyIndex - b.policyIndex) };
}

export async function readCbQos(client: SnmpClient): Promise<Qos> {
  return parseCbQos(await walkColumns(client, "CISCO-CLASS-BASED-QOS-MIB", cbQosColumns));
}
