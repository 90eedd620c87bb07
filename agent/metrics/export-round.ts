import { canonicalInterfaceName } from "../../drivers/ios/parse/interface-name.js";
import type { CheckResult } from "../checks/types.js";
import { deviceReadable, type Observations, type SipProbeObservation } from "../monitor/observations.js";
import { defaultSipTargets } from "../monitor/observe.js";
import { phonePorts } from "../render/switch-view.js";
import type { Site } from "../site/schema.js";
import type { MonitorMetrics } from "./monitor-metrics.js";

/** Every `reason` label value of patchkast_sip_probe_failures_total (monitoring/README.md). */
export const sipFailureReasons = [
  "timeout",
  "refused",
  "dns",
  "malformed",
  "network",
  "unexpected_status",
] as const;

/** The SIP probe targets of a site as the metrics label them: "host:port" × transport, as observe probes them. */
export function sipProbeTargets(site: Site): { target: string; transport: "udp" | "tcp" }[] {
  return defaultSipTargets(site).map((t) => ({ target: `${t.host}:${t.port}`, transport: t.transport }));
}

/**
 * Creates every SIP probe series at 0 before the first probe (monitoring/README.md: `rate()` never loses a
 * first increment, and the failure ratio exists while nothing fails).
 */
export function precreateSeries(m: MonitorMetrics, site: Site): void {
  for (const { target, transport } of sipProbeTargets(site)) {
    for (const in_maintenance of ["true", "false"]) {
      m.sipProbes.inc({ target, transport, in_maintenance }, 0);
      for (const reason of sipFailureReasons)
        m.sipProbeFailures.inc({ target, transport, in_maintenance, reason }, 0);
    }
  }
}

/** One probe counts once in total and, when it failed, once in failures, with the window of its moment. */
export function recordSipProbe(m: MonitorMetrics, probe: SipProbeObservation): void {
  const labels = { target: probe.target, transport: probe.transport };
  const in_maintenance = probe.inMaintenance ? "true" : "false";
  m.sipProbes.inc({ ...labels, in_maintenance });
  const r = probe.result;
  m.sipProbeSuccess.set(labels, r.reachable ? 1 : 0);
  if (r.reachable && r.rttMs !== null) m.sipProbeDuration.set(labels, r.rttMs / 1000);
  if (!r.reachable) {
    const reason = r.failure ?? "unexpected_status";
    m.sipProbeFailures.inc({ ...labels, in_maintenance, reason });
  }
}

/** Interface names as the site writes them and as devices print them compare equal after this. */
const samePort = (a: string, b: string) => canonicalInterfaceName(a) === canonicalInterfaceName(b);

/**
 * Sets the per-round gauges from one round's observations and check results. Series of a device that
 * could not be read are dropped (they go stale) rather than set to 0: a 0 voice VLAN would page the NOC
 * for a read error (monitoring/README.md).
 */
export function exportRound(
  m: MonitorMetrics,
  site: Site,
  obs: Observations,
  results: readonly CheckResult[],
): void {
  for (const d of obs.devices) {
    m.deviceUp.set({ device: d.name, role: d.role }, deviceReadable(d) ? 1 : 0);
    if (d.drift?.ok) m.configDrift.set({ device: d.name }, d.drift.value.length > 0 ? 1 : 0);
    else m.configDrift.remove({ device: d.name });
    if (d.role !== "switch") continue;
    const sw = site.switches.find((s) => s.name === d.name);
    const poe = d.snmp.poe;
    if (poe?.ok) {
      m.poeBudget.set({ device: d.name }, poe.value.totals.budgetW);
      for (const p of poe.value.ports) {
        const port = p.ifName ?? `${p.group}/${p.port}`;
        m.poePortPower.set({ device: d.name, port }, (p.consumptionMw ?? 0) / 1000);
      }
    } else {
      m.poeBudget.remove({ device: d.name });
    }
    const vlans = d.snmp.vlans;
    if (sw && vlans?.ok) {
      for (const port of phonePorts(sw)) {
        const row = vlans.value.ports.find((p) => p.ifName !== undefined && samePort(p.ifName, port));
        if (!row) continue;
        const vv = row.voiceVlan;
        m.portVoiceVlan.set({ device: d.name, port }, vv?.kind === "vlan" ? vv.vlan : 0);
      }
    } else if (sw) {
      for (const port of phonePorts(sw)) m.portVoiceVlan.remove({ device: d.name, port });
    }
  }
  for (const r of results) {
    if (r.status === "unknown") m.checkStatus.remove({ check: r.id });
    else m.checkStatus.set({ check: r.id }, r.status === "pass" ? 1 : 0);
  }
  if (obs.phones.ok) {
    m.phoneInfo.reset();
    for (const p of obs.phones.value) {
      if (p.lastSeen === null) continue;
      m.phoneInfo.set({ mac: p.mac, model: p.reportedModel ?? "", firmware: p.reportedFirmware ?? "" }, 1);
      if (p.firmwareCompliant === null) m.phoneFirmwareCompliant.remove({ mac: p.mac });
      else m.phoneFirmwareCompliant.set({ mac: p.mac }, p.firmwareCompliant ? 1 : 0);
    }
  }
}

/** Calls per source, the line's capacity and the utilisation of the busiest source. */
export function exportCalls(
  m: MonitorMetrics,
  bySource: Record<string, number>,
  capacity: number | null,
): void {
  for (const [source, n] of Object.entries(bySource)) m.callsActive.set({ source }, n);
  if (capacity === null || capacity <= 0) return;
  m.lineCapacity.set(capacity);
  const most = Math.max(0, ...Object.values(bySource));
  m.lineUtilization.set(most / capacity);
}
