import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { loadCatalog } from "../../../agent/catalog/load.js";
import type { CheckResult } from "../../../agent/checks/types.js";
import { createMonitorMetrics } from "../../../agent/metrics/monitor-metrics.js";
import { createMonitor } from "../../../agent/monitor/daemon.js";
import type { Observations } from "../../../agent/monitor/observations.js";
import { loadSiteFile } from "../../../agent/site/load.js";
import { labSite } from "../../../lab/lab.js";

const site = loadSiteFile(labSite, loadCatalog());
const silentLog = { info() {}, warn() {}, error() {} } as unknown as import("../../../agent/log.js").Logger;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function obs(): Observations {
  const at = new Date().toISOString();
  return {
    at,
    devices: [{ name: "lab-sw1", role: "switch", address: "127.20.0.2", snmp: {}, cli: {} }],
    sipProbes: [],
    phones: { ok: true, at, source: "check-ins", value: [] },
  };
}

describe("createMonitor", () => {
  it("runs rounds, probes and call counting; status and metrics follow; a failing round keeps the last good one", async () => {
    const registry = new Registry();
    const metrics = createMonitorMetrics(registry);
    let fail = false;
    let active = 2;
    const results: CheckResult[] = [
      { id: "poe", title: "PoE", status: "pass", summary: "ok", evidence: [] },
      { id: "voice_vlan", title: "Voice VLAN", status: "fail", summary: "Gi1/0/3 has none", evidence: [] },
    ];
    const monitor = createMonitor({
      site: () => site,
      log: silentLog,
      metrics,
      observe: async () => {
        if (fail) throw new Error("reading lab-sw1: timeout after 4 s");
        return obs();
      },
      check: () => results,
      probeSip: async () => [
        {
          target: "127.20.0.5:5060",
          transport: "udp",
          at: new Date().toISOString(),
          inMaintenance: false,
          result: { status: 200, reason: "OK", rttMs: 3, reachable: true, retransmissions: 0 },
        },
      ],
      callSources: [{ name: "phone_events", active: () => active }],
      capacity: () => 8,
      inMaintenanceWindow: () => false,
      intervals: { roundMs: 20, sipProbeMs: 20, callsMs: 10 },
    });
    await monitor.start();
    await sleep(60);
    const s = monitor.status();
    expect(s.state).toBe("degraded");
    expect(s.checks.counts).toEqual({ pass: 1, fail: 1, unknown: 0 });
    expect(s.calls).toEqual({ bySource: { phone_events: 2 }, capacity: 8, utilization: 0.25 });
    expect(s.sip[0]).toMatchObject({ target: "127.20.0.5:5060", reachable: true, rttMs: 3 });
    const good = monitor.latest();
    fail = true;
    active = 6;
    await monitor.runRound().catch(() => undefined);
    await sleep(30);
    expect(monitor.latest()).toBe(good);
    expect(monitor.status().calls.bySource.phone_events).toBe(6);
    await monitor.stop();
    const text = await registry.metrics();
    expect(text).toMatch(/patchkast_collector_success\{collector="round"\} 0/);
    expect(text).toMatch(/patchkast_collector_success\{collector="sip_probe"\} 1/);
    expect(text).toMatch(/patchkast_check_status\{check="voice_vlan"\} 0/);
    expect(text).toMatch(/patchkast_line_utilization_ratio 0.75/);
    expect(text).toMatch(/patchkast_maintenance_window 0/);
    expect(text).toMatch(
      /patchkast_sip_probes_total\{target="127.20.0.5:5060",transport="udp",in_maintenance="false"\} [1-9]/,
    );
  });

  it("a call source that cannot start is logged and the rest runs", async () => {
    const errors: string[] = [];
    const log = {
      info() {},
      warn() {},
      error: (_o: unknown, m: string) => errors.push(m),
    } as unknown as import("../../../agent/log.js").Logger;
    const monitor = createMonitor({
      site: () => site,
      log,
      metrics: createMonitorMetrics(new Registry()),
      observe: async () => obs(),
      check: () => [],
      callSources: [
        {
          name: "capture",
          active: () => 0,
          start: async () => {
            throw new Error("tcpdump: lo: You don't have permission to capture on that device");
          },
        },
      ],
      capacity: () => null,
      inMaintenanceWindow: () => true,
      intervals: { roundMs: 1000, callsMs: 1000 },
    });
    await monitor.start();
    await monitor.runRound();
    expect(errors).toEqual(["call source capture did not start"]);
    expect(monitor.status().inMaintenanceWindow).toBe(true);
    await monitor.stop();
  });
});
