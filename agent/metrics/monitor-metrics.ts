import { Counter, Gauge, type Registry } from "prom-client";

/**
 * The monitoring half of the metric contract (DESIGN.md "Metrics", monitoring/README.md "What the agent
 * must export"). Names and labels are what the rules and the dashboard read: change them there too.
 */
export interface MonitorMetrics {
  deviceUp: Gauge<"device" | "role">;
  collectorSuccess: Gauge<"collector">;
  collectorDuration: Gauge<"collector">;
  sipProbeSuccess: Gauge<"target" | "transport">;
  sipProbeDuration: Gauge<"target" | "transport">;
  sipProbes: Counter<"target" | "transport" | "in_maintenance">;
  sipProbeFailures: Counter<"target" | "transport" | "in_maintenance" | "reason">;
  maintenanceWindow: Gauge;
  callsActive: Gauge<"source">;
  lineCapacity: Gauge;
  lineUtilization: Gauge;
  poePortPower: Gauge<"device" | "port">;
  poeBudget: Gauge<"device">;
  portVoiceVlan: Gauge<"device" | "port">;
  checkStatus: Gauge<"check">;
  phoneInfo: Gauge<"mac" | "model" | "firmware">;
  phoneFirmwareCompliant: Gauge<"mac">;
  configDrift: Gauge<"device">;
  phoneEvents: Counter<"family" | "result">;
}

export function createMonitorMetrics(registry: Registry): MonitorMetrics {
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    new Gauge<L>({ name, help, labelNames, registers: [registry] });
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    new Counter<L>({ name, help, labelNames, registers: [registry] });
  return {
    deviceUp: gauge("patchkast_device_up", "1 when the agent could read the device in the last round.", [
      "device",
      "role",
    ]),
    collectorSuccess: gauge("patchkast_collector_success", "1 when the collector's last run worked.", [
      "collector",
    ]),
    collectorDuration: gauge(
      "patchkast_collector_duration_seconds",
      "Duration of the collector's last run.",
      ["collector"],
    ),
    sipProbeSuccess: gauge(
      "patchkast_sip_probe_success",
      "Last SIP OPTIONS probe of the provider's proxy: reachable (1) or not (0).",
      ["target", "transport"],
    ),
    sipProbeDuration: gauge(
      "patchkast_sip_probe_duration_seconds",
      "Round-trip time of the last answered SIP OPTIONS probe.",
      ["target", "transport"],
    ),
    sipProbes: counter(
      "patchkast_sip_probes_total",
      "SIP OPTIONS probes sent, labelled with whether the site was in its maintenance window at the time.",
      ["target", "transport", "in_maintenance"],
    ),
    sipProbeFailures: counter(
      "patchkast_sip_probe_failures_total",
      "SIP OPTIONS probes that failed, by reason, labelled like patchkast_sip_probes_total.",
      ["target", "transport", "in_maintenance", "reason"],
    ),
    maintenanceWindow: gauge(
      "patchkast_maintenance_window",
      "1 while the site's local time is inside the SLA maintenance window.",
      [],
    ),
    callsActive: gauge("patchkast_calls_active", "Concurrent calls as each source counts them.", ["source"]),
    lineCapacity: gauge(
      "patchkast_line_capacity_calls",
      "Maximum concurrent calls of the site's access line (line catalog).",
      [],
    ),
    lineUtilization: gauge(
      "patchkast_line_utilization_ratio",
      "Highest call count over the sources divided by the line's capacity.",
      [],
    ),
    poePortPower: gauge("patchkast_poe_port_power_watts", "PoE power drawn per switch port.", [
      "device",
      "port",
    ]),
    poeBudget: gauge("patchkast_poe_budget_watts", "PoE budget of the switch (sum over stack members).", [
      "device",
    ]),
    portVoiceVlan: gauge(
      "patchkast_port_voice_vlan",
      "Voice VLAN id configured on each phone port of the site file; 0 = none.",
      ["device", "port"],
    ),
    checkStatus: gauge("patchkast_check_status", "Result of each check: 1 pass, 0 fail (absent: unknown).", [
      "check",
    ]),
    phoneInfo: gauge(
      "patchkast_phone_info",
      "Always 1 per inventory phone seen; model and firmware it reports.",
      ["mac", "model", "firmware"],
    ),
    phoneFirmwareCompliant: gauge(
      "patchkast_phone_firmware_compliant",
      "1 when the phone runs the catalog's firmware, 0 when not.",
      ["mac"],
    ),
    configDrift: gauge(
      "patchkast_config_drift",
      "1 when the device's running-config differs from the rendered standard config.",
      ["device"],
    ),
    phoneEvents: counter(
      "patchkast_phone_events_total",
      "Call-state events the phones sent, by family and result: accepted, or why refused.",
      ["family", "result"],
    ),
  };
}
