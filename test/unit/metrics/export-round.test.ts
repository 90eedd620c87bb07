import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { loadCatalog } from "../../../agent/catalog/load.js";
import type { CheckResult } from "../../../agent/checks/types.js";
import {
  exportCalls,
  exportRound,
  precreateSeries,
  recordSipProbe,
  sipFailureReasons,
} from "../../../agent/metrics/export-round.js";
import { createMonitorMetrics } from "../../../agent/metrics/monitor-metrics.js";
import type { Observations } from "../../../agent/monitor/observations.js";
import { loadSiteFile } from "../../../agent/site/load.js";
import { labSite } from "../../../lab/lab.js";

const catalog = loadCatalog();
const site = loadSiteFile(labSite, catalog);
const at = "2026-11-22T10:00:00.000Z";

function fresh() {
  const registry = new Registry();
  return { registry, m: createMonitorMetrics(registry) };
}

/** `name{a="b",…} value` lines of an exposition, for exact comparisons. */
async function samples(registry: Registry, name: string): Promise<string[]> {
  const text = await registry.metrics();
  return text.split("\n").filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));
}

function observations(over: Partial<Observations> = {}): Observations {
  return {
    at,
    devices: [
      {
        name: "lab-sw1",
        role: "switch",
        address: "127.20.0.2",
        snmp: {
          poe: {
            ok: true,
            at,
            source: "SNMP",
            value: {
              pses: [{ group: 1, budgetW: 370 }],
              ports: [
                { group: 1, port: 1, ifIndex: 10101, ifName: "Gi1/0/1", consumptionMw: 4200, powered: true },
                { group: 1, port: 2, ifIndex: 10102, ifName: "Gi1/0/2", consumptionMw: 0, powered: false },
              ],
              totals: { budgetW: 370, consumptionW: 4.2, ports: 2, poweredPorts: 1 },
            },
          },
          vlans: {
            ok: true,
            at,
            source: "SNMP",
            value: {
              vlans: [],
              ports: [
                { ifIndex: 10101, ifName: "Gi1/0/1", voiceVlan: { kind: "vlan", vlan: 30 } },
                { ifIndex: 10102, ifName: "Gi1/0/2", voiceVlan: { kind: "none" } },
                { ifIndex: 10125, ifName: "Gi1/0/25", voiceVlan: { kind: "none" } },
              ],
            },
          },
        },
        cli: {},
        drift: {
          ok: true,
          at,
          source: "drift",
          value: [{ op: "+", line: "logging host 192.0.2.9", path: [] }],
        },
      },
      {
        name: "lab-rtr1",
        role: "router",
        address: "127.20.0.1",
        snmp: {
          interfaces: {
            ok: false,
            at,
            source: "SNMP",
            code: "PK_ERR_SNMP_TIMEOUT",
            error: "timeout after 4 s",
          },
        },
        cli: {},
        drift: { ok: false, at, source: "drift", code: "PK_ERR_SSH", error: "connection refused" },
      },
    ],
    sipProbes: [],
    phones: {
      ok: true,
      at,
      source: "check-ins",
      value: [
        {
          mac: "001565aa0001",
          extension: "201",
          expectedModel: "Yealink T46U",
          expectedFirmware: "108.86.0.20",
          lastSeen: at,
          address: "10.20.30.11",
          reportedModel: "SIP-T46U",
          reportedFirmware: "108.86.0.20",
          firmwareCompliant: true,
          filesServed: 2,
        },
        {
          mac: "001565aa0002",
          extension: "202",
          expectedModel: "Yealink T46U",
          expectedFirmware: "108.86.0.20",
          lastSeen: null,
          address: null,
          reportedModel: null,
          reportedFirmware: null,
          firmwareCompliant: null,
          filesServed: 0,
        },
      ],
    },
    ...over,
  };
}

const results: CheckResult[] = [
  { id: "voice_vlan", title: "", status: "fail", summary: "", evidence: [] },
  { id: "poe", title: "", status: "pass", summary: "", evidence: [] },
  { id: "sip_proxy", title: "", status: "unknown", summary: "", evidence: [] },
];

describe("exportRound", () => {
  it("sets device, PoE, voice VLAN (phone ports of the site only), drift, checks and phones", async () => {
    const { registry, m } = fresh();
    exportRound(m, site, observations(), results);
    expect(await samples(registry, "patchkast_device_up")).toEqual([
      'patchkast_device_up{device="lab-sw1",role="switch"} 1',
      'patchkast_device_up{device="lab-rtr1",role="router"} 0',
    ]);
    expect(await samples(registry, "patchkast_poe_port_power_watts")).toEqual([
      'patchkast_poe_port_power_watts{device="lab-sw1",port="Gi1/0/1"} 4.2',
      'patchkast_poe_port_power_watts{device="lab-sw1",port="Gi1/0/2"} 0',
    ]);
    expect(await samples(registry, "patchkast_poe_budget_watts")).toEqual([
      'patchkast_poe_budget_watts{device="lab-sw1"} 370',
    ]);
    // The uplink Gi1/0/25 is not a phone port: no series for it (a 0 there would page VoiceVlanMissing).
    expect(await samples(registry, "patchkast_port_voice_vlan")).toEqual([
      'patchkast_port_voice_vlan{device="lab-sw1",port="GigabitEthernet1/0/1"} 30',
      'patchkast_port_voice_vlan{device="lab-sw1",port="GigabitEthernet1/0/2"} 0',
    ]);
    expect(await samples(registry, "patchkast_config_drift")).toEqual([
      'patchkast_config_drift{device="lab-sw1"} 1',
    ]);
    expect(await samples(registry, "patchkast_check_status")).toEqual([
      'patchkast_check_status{check="voice_vlan"} 0',
      'patchkast_check_status{check="poe"} 1',
    ]);
    expect(await samples(registry, "patchkast_phone_info")).toEqual([
      'patchkast_phone_info{mac="001565aa0001",model="SIP-T46U",firmware="108.86.0.20"} 1',
    ]);
    expect(await samples(registry, "patchkast_phone_firmware_compliant")).toEqual([
      'patchkast_phone_firmware_compliant{mac="001565aa0001"} 1',
    ]);
  });

  it("drops a switch's per-port series when it cannot be read, and a check's series when it turns unknown", async () => {
    const { registry, m } = fresh();
    exportRound(m, site, observations(), results);
    const failed = observations();
    const sw = failed.devices[0];
    if (!sw) throw new Error("fixture");
    sw.snmp = {
      vlans: { ok: false, at, source: "SNMP", code: "PK_ERR_SNMP_TIMEOUT", error: "timeout" },
      poe: { ok: false, at, source: "SNMP", code: "PK_ERR_SNMP_TIMEOUT", error: "timeout" },
    };
    exportRound(m, site, failed, [
      { id: "voice_vlan", title: "", status: "unknown", summary: "", evidence: [] },
    ]);
    expect(await samples(registry, "patchkast_port_voice_vlan")).toEqual([]);
    expect(await samples(registry, "patchkast_poe_budget_watts")).toEqual([]);
    expect(await samples(registry, "patchkast_check_status")).toEqual([
      'patchkast_check_status{check="poe"} 1',
    ]);
  });
});

describe("SIP probe counters", () => {
  it("pre-creates every target × transport × in_maintenance × reason series at 0", async () => {
    const { registry, m } = fresh();
    precreateSeries(m, site);
    const target = `${site.provider.sip_proxy.host}:${site.provider.sip_proxy.port}`;
    expect(await samples(registry, "patchkast_sip_probes_total")).toHaveLength(2);
    const failures = await samples(registry, "patchkast_sip_probe_failures_total");
    expect(failures).toHaveLength(2 * sipFailureReasons.length);
    expect(failures.every((l) => l.includes(`target="${target}"`) && l.endsWith(" 0"))).toBe(true);
  });

  it("counts one probe once, a failure once more with its reason, both with the probe's window", async () => {
    const { registry, m } = fresh();
    const base = { target: "127.20.0.5:5060", transport: "udp" as const, at };
    recordSipProbe(m, {
      ...base,
      inMaintenance: false,
      result: { status: 200, reason: "OK", rttMs: 12, reachable: true, retransmissions: 0 },
    });
    recordSipProbe(m, {
      ...base,
      inMaintenance: true,
      result: {
        status: null,
        reason: "timeout",
        rttMs: null,
        reachable: false,
        failure: "timeout",
        retransmissions: 6,
      },
    });
    recordSipProbe(m, {
      ...base,
      inMaintenance: false,
      result: { status: 503, reason: "Service Unavailable", rttMs: 9, reachable: false, retransmissions: 0 },
    });
    const t = 'target="127.20.0.5:5060",transport="udp"';
    expect(await samples(registry, "patchkast_sip_probes_total")).toEqual([
      `patchkast_sip_probes_total{${t},in_maintenance="false"} 2`,
      `patchkast_sip_probes_total{${t},in_maintenance="true"} 1`,
    ]);
    expect(await samples(registry, "patchkast_sip_probe_failures_total")).toEqual([
      `patchkast_sip_probe_failures_total{${t},in_maintenance="true",reason="timeout"} 1`,
      `patchkast_sip_probe_failures_total{${t},in_maintenance="false",reason="unexpected_status"} 1`,
    ]);
    expect(await samples(registry, "patchkast_sip_probe_success")).toEqual([
      `patchkast_sip_probe_success{${t}} 0`,
    ]);
    expect(await samples(registry, "patchkast_sip_probe_duration_seconds")).toEqual([
      `patchkast_sip_probe_duration_seconds{${t}} 0.012`,
    ]);
  });
});

describe("exportCalls", () => {
  it("exports each source, the capacity and the busiest source's share of it", async () => {
    const { registry, m } = fresh();
    exportCalls(m, { phone_events: 3, capture: 5 }, 8);
    expect(await samples(registry, "patchkast_calls_active")).toEqual([
      'patchkast_calls_active{source="phone_events"} 3',
      'patchkast_calls_active{source="capture"} 5',
    ]);
    expect(await samples(registry, "patchkast_line_capacity_calls")).toEqual([
      "patchkast_line_capacity_calls 8",
    ]);
    expect(await samples(registry, "patchkast_line_utilization_ratio")).toEqual([
      "patchkast_line_utilization_ratio 0.625",
    ]);
  });
});
