/**
 * observeSite with the real SNMP, SSH and SIP drivers against the lab, then runChecks: after the standard
 * config is pushed every network check passes; a change made by hand on the switch fails exactly the check
 * that covers it, naming the port. Phones' check-ins are not given (no provisioning service here), so
 * phone_config_fetched is unknown, never pass; phone_firmware reads what the phones announce over LLDP/CDP.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runChecks } from "../../agent/checks/index.js";
import type { CheckResult } from "../../agent/checks/types.js";
import type { Observations } from "../../agent/monitor/observations.js";
import { observeSite } from "../../agent/monitor/observe.js";
import { realObserveDeps } from "../../agent/monitor/observe-real.js";
import type { Site } from "../../agent/site/schema.js";
import { MemoryHostKeyStore } from "../../drivers/ios/host-keys.js";
import { injectFault } from "../../lab/faults.js";
import { type Lab, type LabDevice, startLab } from "../../lab/lab.js";
import { catalog, open, pushStandardConfig, secrets } from "./helpers.js";

let lab: Lab;
let site: Site;
const hostKeys = new MemoryHostKeyStore();

/** The lab site with the ports the lab picked (tests run labs side by side on free ports). */
function siteWithLabPorts(l: Lab): Site {
  const of = (name: string) => l.devices.find((d) => d.name === name) as LabDevice;
  return {
    ...l.site,
    router: {
      ...l.site.router,
      ssh_port: of(l.site.router.name).sshPort,
      snmp_port: of(l.site.router.name).snmpPort,
    },
    switches: l.site.switches.map((s) => ({
      ...s,
      ssh_port: of(s.name).sshPort,
      snmp_port: of(s.name).snmpPort,
    })),
  };
}

function observe(): Promise<Observations> {
  return observeSite({
    ...realObserveDeps({ site, catalog, secrets, hostKeys, sipTimeoutMs: 2000 }),
    // The site names the proxy's address; the lab may have moved its port.
    sipTargets: () => [{ host: lab.sip.host, port: lab.sip.port, transport: "udp" }],
    stepTimeoutMs: 20_000,
    deviceBudgetMs: 60_000,
  });
}

/** Every secret of the site, revealed: none may show up in observations or results. */
function siteSecrets(): string[] {
  const refs = [
    site.router.credentials.password,
    site.router.credentials.enable_secret,
    ...site.switches.flatMap((s) => [s.credentials.password, s.credentials.enable_secret]),
    site.snmp.auth_key,
    site.snmp.priv_key,
    site.phone_admin_password,
    ...site.phones.map((p) => p.sip.password),
  ];
  return refs.filter((r): r is string => r !== undefined).map((r) => secrets.resolve(r).reveal());
}

const byId = (results: CheckResult[], id: string) => results.find((r) => r.id === id) as CheckResult;
const failing = (r: CheckResult) => r.evidence.filter((e) => e.ok === false).map((e) => e.subject);

beforeAll(async () => {
  lab = await startLab({ secrets, stateDir: null, sshPort: 0, snmpPort: 0, timeScale: 60 });
  site = siteWithLabPorts(lab);
  for (const d of lab.devices) await pushStandardConfig(lab, d);
}, 120_000);
afterAll(async () => lab?.stop());

const network = [
  "switch_vlans",
  "voice_vlan",
  "uplink_trunk",
  "phone_port_qos",
  "poe",
  "wan_priority_queue",
  "dhcp_provisioning_options",
  "sip_proxy_reachable",
  "phone_port",
  // The lab's phones announce their firmware over LLDP-MED and CDP, so this one needs no check-ins.
  "phone_firmware",
  "config_drift",
];

describe("observeSite + runChecks against the lab", () => {
  it("every network check passes on the freshly pushed standard config", async () => {
    const obs = await observe();
    const sw = obs.devices.find((d) => d.role === "switch");
    // Both drivers answered (the checks prefer the CLI; SNMP feeds the metrics).
    expect(sw?.snmp.poe?.ok, JSON.stringify(sw?.snmp.poe)).toBe(true);
    expect(sw?.cli["show interfaces switchport"]?.ok).toBe(true);
    const results = runChecks({ site, catalog, observations: obs });
    const bad = results
      .filter((r) => network.includes(r.id) && r.status !== "pass")
      .map((r) => `${r.id} ${r.status}: ${r.summary}`);
    expect(bad).toEqual([]);
    const text = JSON.stringify({ obs, results }, (_k, v) => (typeof v === "bigint" ? String(v) : v));
    // Lab secrets are 9-digit placeholders: match them as whole numbers, not inside a longer counter.
    for (const secret of siteSecrets())
      expect(new RegExp(`(?<![0-9])${secret}(?![0-9])`).test(text), "a secret in the observations").toBe(
        false,
      );
    // No check-ins were given: that check cannot know, so it must not pass.
    expect(byId(results, "phone_config_fetched").status).toBe("unknown");
  }, 120_000);

  it("a hand-made change on the switch fails the matching check, naming the port", async () => {
    const d = lab.devices.find((x) => x.role === "switch") as LabDevice;
    const s = await open(lab, d, hostKeys);
    try {
      for (const line of [
        "configure terminal",
        "interface GigabitEthernet1/0/3",
        "no switchport voice vlan",
        "interface GigabitEthernet1/0/4",
        "power inline never",
        "interface GigabitEthernet1/0/2",
        "no mls qos trust dscp",
        "end",
      ])
        await s.run(line);
    } finally {
      s.close();
    }
    const results = runChecks({ site, catalog, observations: await observe() });
    expect(failing(byId(results, "voice_vlan"))).toEqual(["lab-sw1 Gi1/0/3"]);
    expect(failing(byId(results, "poe"))).toEqual(["lab-sw1 Gi1/0/4 (phone 203)"]);
    expect(failing(byId(results, "phone_port_qos"))).toEqual(["lab-sw1 Gi1/0/2"]);
    expect(failing(byId(results, "config_drift"))).toEqual(["lab-sw1"]);
    // The phone on Gi1/0/4 lost power, so the switch no longer sees it over LLDP.
    expect(failing(byId(results, "phone_port"))).toEqual(["phone 203 (00:15:65:1a:b0:04)"]);
    for (const id of ["switch_vlans", "uplink_trunk", "wan_priority_queue", "dhcp_provisioning_options"])
      expect(byId(results, id).status, id).toBe("pass");
  }, 120_000);

  it("a phone announcing older firmware fails phone_firmware, naming the phone (lab fault wrong-firmware)", async () => {
    const fault = await injectFault(lab, "wrong-firmware", { phone: "202" });
    try {
      const r = byId(runChecks({ site, catalog, observations: await observe() }), "phone_firmware");
      expect(failing(r)).toEqual(["phone 202 (Yealink T32G, 00:15:65:1a:b0:03)"]);
      expect(r.evidence.find((e) => e.ok === false)?.observed).toMatch(/^announces \S+ over LLDP$/);
    } finally {
      await fault.clear();
    }
  }, 60_000);

  it("the SIP check fails when the provider's proxy stops answering", async () => {
    await lab.sip.stop();
    const obs = await observe();
    const sip = byId(runChecks({ site, catalog, observations: obs }), "sip_proxy_reachable");
    expect(sip.status).toBe("fail");
    expect(sip.evidence[0]?.observed).toMatch(/^no answer/);
  }, 60_000);
});
