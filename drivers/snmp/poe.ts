/**
 * PoE from POWER-ETHERNET-MIB (RFC 3621, 1.3.6.1.2.1.105) and CISCO-POWER-ETHERNET-EXT-MIB
 * (1.3.6.1.4.1.9.9.402). OIDs as verified in ../shared/reference/monitoring.md §2.2–2.3.
 *
 * - pethMainPsePower / ConsumptionPower are whole watts; every cpeExt* power value is milliwatts.
 * - Per-port watts are not in RFC 3621: Cisco puts them in cpeExtPsePortTable, which AUGMENTS
 *   pethPsePortEntry (same group.port index). The ios_2960x recording has cpeExt but no pethPsePortTable,
 *   so a port is "powered" by its detection status when the device has one, else by consumption > 0.
 * - cpeExtPsePortDeviceDetected is false(2) on all 120 rows of ios_2960x, even the 9 powered ones, so it
 *   is not read; cpeExtPsePortIeeePd is.
 * - group.port → ifIndex: CISCO-STACK-MIB portIfIndex (ios_2960x: 1.1 → 10101), else ENTITY-MIB
 *   entAliasMappingIdentifier of cpeExtPsePortEntPhyIndex (ios_2960x: 1010 → ifIndex.10101), the way
 *   LibreNMS ports.inc.php maps them.
 */

import { dropUndefined } from "./if-mib.js";
import type { SnmpClient, Varbind } from "./types.js";
import { enumOf, num, rowsOf, suffix, text, truth, walkColumns } from "./values.js";

export const pseColumns = {
  pethMainPsePower: "1.3.6.1.2.1.105.1.3.1.1.2",
  pethMainPseOperStatus: "1.3.6.1.2.1.105.1.3.1.1.3",
  pethMainPseConsumptionPower: "1.3.6.1.2.1.105.1.3.1.1.4",
  pethMainPseUsageThreshold: "1.3.6.1.2.1.105.1.3.1.1.5",
  cpeExtMainPseDescr: "1.3.6.1.4.1.9.9.402.1.3.1.2",
  cpeExtMainPseUsedPower: "1.3.6.1.4.1.9.9.402.1.3.1.4",
  cpeExtMainPseRemainingPower: "1.3.6.1.4.1.9.9.402.1.3.1.5",
} as const;

export const poePortColumns = {
  pethPsePortAdminEnable: "1.3.6.1.2.1.105.1.1.1.3",
  pethPsePortDetectionStatus: "1.3.6.1.2.1.105.1.1.1.6",
  pethPsePortPowerPriority: "1.3.6.1.2.1.105.1.1.1.7",
  pethPsePortPowerClassifications: "1.3.6.1.2.1.105.1.1.1.10",
  cpeExtPsePortEnable: "1.3.6.1.4.1.9.9.402.1.2.1.1",
  cpeExtPsePortIeeePd: "1.3.6.1.4.1.9.9.402.1.2.1.4",
  cpeExtPsePortPwrAllocated: "1.3.6.1.4.1.9.9.402.1.2.1.7",
  cpeExtPsePortPwrConsumption: "1.3.6.1.4.1.9.9.402.1.2.1.9",
  cpeExtPsePortMaxPwrDrawn: "1.3.6.1.4.1.9.9.402.1.2.1.10",
  cpeExtPsePortEntPhyIndex: "1.3.6.1.4.1.9.9.402.1.2.1.11",
} as const;

export const poeMapColumns = {
  /** CISCO-STACK-MIB portIfIndex, INDEX portModuleIndex, portIndex. */
  portIfIndex: "1.3.6.1.4.1.9.5.1.4.1.1.11",
} as const;

/** ENTITY-MIB (RFC 6933) entAliasMappingIdentifier, INDEX entPhysicalIndex, entAliasLogicalIndexOrZero. */
export const entAliasMappingIdentifier = "1.3.6.1.2.1.47.1.3.2.1.2";

export type DetectionStatus = "disabled" | "searching" | "deliveringPower" | "fault" | "test" | "otherFault";

export interface PoePse {
  group: number;
  budgetW?: number;
  operStatus?: "on" | "off" | "faulty";
  consumptionW?: number;
  usageThresholdPct?: number;
  descr?: string;
  usedMw?: number;
  remainingMw?: number;
}

export interface PoePort {
  group: number;
  port: number;
  ifIndex?: number;
  /** Filled in by readDevice. */
  ifName?: string;
  adminEnable?: boolean;
  detectionStatus?: DetectionStatus;
  priority?: "critical" | "high" | "low";
  /** IEEE class 0–4 (RFC 3621 class0(1) … class4(5)). */
  powerClass?: number;
  mode?: "auto" | "static" | "limit" | "disable";
  ieeePd?: boolean;
  consumptionMw?: number;
  allocatedMw?: number;
  maxDrawnMw?: number;
  powered: boolean;
}

export interface Poe {
  pses: PoePse[];
  ports: PoePort[];
  totals: { budgetW: number; consumptionW: number; ports: number; poweredPorts: number };
}

const detection: Record<number, DetectionStatus> = {
  1: "disabled",
  2: "searching",
  3: "deliveringPower",
  4: "fault",
  5: "test",
  6: "otherFault",
};

/** Pure: walked PoE columns (and the optional mapping columns) → PSEs, ports and totals. */
export function parsePoe(varbinds: readonly Varbind[]): Poe {
  const pses: PoePse[] = [];
  for (const [index, r] of rowsOf(pseColumns, varbinds)) {
    pses.push(
      dropUndefined({
        group: Number(index),
        budgetW: num(r.pethMainPsePower),
        operStatus: enumOf(r.pethMainPseOperStatus, { 1: "on", 2: "off", 3: "faulty" } as const),
        consumptionW: num(r.pethMainPseConsumptionPower),
        usageThresholdPct: num(r.pethMainPseUsageThreshold),
        descr: text(r.cpeExtMainPseDescr),
        usedMw: num(r.cpeExtMainPseUsedPower),
        remainingMw: num(r.cpeExtMainPseRemainingPower),
      }),
    );
  }
  const byStack = new Map<string, number>();
  for (const [index, r] of rowsOf(poeMapColumns, varbinds)) {
    const ifIndex = num(r.portIfIndex);
    if (ifIndex) byStack.set(index, ifIndex);
  }
  const byEntity = new Map<number, number>();
  for (const vb of varbinds) {
    const idx = suffix(vb.oid, entAliasMappingIdentifier);
    const target = typeof vb.value === "string" ? suffix(vb.value, "1.3.6.1.2.1.2.2.1.1") : undefined;
    if (idx?.[0] !== undefined && target?.[0] !== undefined) byEntity.set(idx[0], target[0]);
  }
  const ports: PoePort[] = [];
  for (const [index, r] of rowsOf(poePortColumns, varbinds)) {
    const [group = 0, port = 0] = index.split(".").map(Number);
    const status = enumOf(r.pethPsePortDetectionStatus, detection);
    const consumptionMw = num(r.cpeExtPsePortPwrConsumption);
    const cls = num(r.pethPsePortPowerClassifications);
    const entPhy = num(r.cpeExtPsePortEntPhyIndex);
    ports.push(
      dropUndefined({
        group,
        port,
        ifIndex: byStack.get(index) ?? (entPhy === undefined ? undefined : byEntity.get(entPhy)),
        adminEnable: truth(r.pethPsePortAdminEnable),
        detectionStatus: status,
        priority: enumOf(r.pethPsePortPowerPriority, { 1: "critical", 2: "high", 3: "low" } as const),
        powerClass: cls === undefined ? undefined : cls - 1,
        mode: enumOf(r.cpeExtPsePortEnable, { 1: "auto", 2: "static", 3: "limit", 4: "disable" } as const),
        ieeePd: truth(r.cpeExtPsePortIeeePd),
        consumptionMw,
        allocatedMw: num(r.cpeExtPsePortPwrAllocated),
        maxDrawnMw: num(r.cpeExtPsePortMaxPwrDrawn),
        powered: status !== undefined ? status === "deliveringPower" : (consumptionMw ?? 0) > 0,
      }),
    );
  }
  ports.sort((a, b) => a.group - b.group || a.port - b.port);
  return {
    pses,
    ports,
    totals: {
      budgetW: pses.reduce((s, p) => s + (p.budgetW ?? 0), 0),
      consumptionW: pses.reduce((s, p) => s + (p.consumptionW ?? 0), 0),
      ports: ports.length,
      poweredPorts: ports.filter((p) => p.powered).length,
    },
  };
}

/** Walks the PSE and port tables, then whichever ifIndex mapping the device has. */
export async function readPoe(client: SnmpClient): Promise<Poe> {
  const walked = await walkColumns(client, "POWER-ETHERNET-MIB", pseColumns);
  const portRows = await walkColumns(client, "POWER-ETHERNET-MIB", poePortColumns);
  walked.push(...portRows);
  if (portRows.length > 0) {
    const stack = await walkColumns(client, "CISCO-STACK-MIB", poeMapColumns);
    walked.push(...stack);
    const hasEntPhy = portRows.some((vb) => vb.oid.startsWith(`${poePortColumns.cpeExtPsePortEntPhyIndex}.`));
    if (stack.length === 0 && hasEntPhy)
      walked.push(
        ...(await client.walk(entAliasMappingIdentifier, { label: "ENTITY-MIB entAliasMappingIdentifier" })),
      );
  }
  return parsePoe(walked);
}
