/**
 * The lab site after patchkast's standard configs are pushed (SCP + configure replace + confirm): what
 * the devices print, read with the agent's own parsers (drivers/ios/parse), agrees with the
 * configuration and with the phones on the switch. site-snmp.test.ts reads the same over SNMP.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseIos } from "../../drivers/ios/parse/index.js";
import type { CdpNeighbor as CliCdp } from "../../drivers/ios/parse/show-cdp-neighbors-detail.js";
import type { InterfaceStatus } from "../../drivers/ios/parse/show-interfaces-status.js";
import type { SwitchportInterface } from "../../drivers/ios/parse/show-interfaces-switchport.js";
import type { DhcpBinding } from "../../drivers/ios/parse/show-ip-dhcp-binding.js";
import type { LldpNeighbor as CliLldp } from "../../drivers/ios/parse/show-lldp-neighbors-detail.js";
import type { MlsQosInterface } from "../../drivers/ios/parse/show-mls-qos-interface.js";
import type { ShowPowerInline } from "../../drivers/ios/parse/show-power-inline.js";
import type { RunningConfig } from "../../drivers/ios/parse/show-running-config.js";
import type { ShowVersion } from "../../drivers/ios/parse/show-version.js";
import type { VlanBriefEntry } from "../../drivers/ios/parse/show-vlan-brief.js";
import type { IosSession } from "../../drivers/ios/session.js";
import { type Lab, type LabDevice, startLab } from "../../lab/lab.js";
import { open, pushStandardConfig, secrets } from "./helpers.js";

let lab: Lab;
let router: LabDevice;
let sw: LabDevice;
let cli: IosSession;
const show = async <T>(cmd: string, s = cli): Promise<T> => parseIos(cmd, await s.run(cmd)) as T;
const phonePorts = ["Gi1/0/1", "Gi1/0/2", "Gi1/0/3", "Gi1/0/4", "Gi1/0/5"];

beforeAll(async () => {
  lab = await startLab({ secrets, stateDir: null, sshPort: 0, snmpPort: 0 });
  [router, sw] = lab.devices as [LabDevice, LabDevice];
});
afterAll(async () => {
  cli?.close();
  await lab?.stop();
});

describe("before the first push: the bootstrap config", () => {
  it("listens on the management addresses of the site (127.20.0.0/24)", () => {
    expect(lab.devices.map((d) => [d.name, d.host])).toEqual([
      ["lab-rtr1", "127.20.0.1"],
      ["lab-sw1", "127.20.0.2"],
    ]);
  });
});

describe("after the push", () => {
  beforeAll(async () => {
    expect(await pushStandardConfig(lab, router)).toMatch(/Rollback Done/);
    expect(await pushStandardConfig(lab, sw)).toMatch(/Rollback Done/);
    cli = await open(lab, sw);
  });

  it("show version: the classic Catalyst on IOS 15.2", async () => {
    const v = await show<ShowVersion>("show version");
    expect(v).toMatchObject({
      os: "IOS",
      version: "15.2(7)E10",
      hostname: "lab-sw1",
      platform: "WS-C2960X-24PS-L",
    });
    expect(v.members[0]).toMatchObject({ switchNumber: 1, active: true, model: "WS-C2960X-24PS-L" });
  });

  it("show running-config: the rendered config, with what IOS changes (hashed secrets, hidden defaults)", async () => {
    const rc = await show<RunningConfig>("show running-config");
    expect(rc.hostname).toBe("lab-sw1");
    const lines = rc.nodes.map((n) => n.line);
    expect(lines).toEqual(expect.arrayContaining(["mls qos", "lldp run", "vtp mode transparent", "vlan 30"]));
    expect(lines).not.toContain("cdp run");
    expect(lines.find((l) => l.startsWith("enable secret"))).toMatch(/^enable secret 5 /);
  });

  it("show vlan brief: DATA, VOICE and MGMT, phone ports in the data and the voice VLAN", async () => {
    const vlans = await show<VlanBriefEntry[]>("show vlan brief");
    const byId = new Map(vlans.map((v) => [v.id, v]));
    expect([10, 30, 99].map((id) => byId.get(id)?.name)).toEqual(["DATA", "VOICE", "MGMT"]);
    for (const id of [10, 30]) expect(byId.get(id)?.ports).toEqual(expect.arrayContaining(phonePorts));
    expect(byId.get(1)?.ports).not.toContain("Gi1/0/25");
  });

  it("show interfaces switchport: access VLAN 10 + voice VLAN 30 on phone ports, a trunk for 10,30,99 on the uplink", async () => {
    const ports = new Map(
      (await show<SwitchportInterface[]>("show interfaces switchport")).map((p) => [p.interface, p]),
    );
    for (const p of phonePorts)
      expect(ports.get(p)).toMatchObject({
        adminMode: "static access",
        operMode: "static access",
        accessVlan: { id: 10, name: "DATA" },
        voiceVlan: { id: 30, name: "VOICE" },
      });
    expect(ports.get("Gi1/0/25")).toMatchObject({
      adminMode: "trunk",
      operMode: "trunk",
      trunkingVlans: "10,30,99",
    });
  });

  it("show interfaces status: phones connected, empty ports notconnect", async () => {
    const rows = new Map((await show<InterfaceStatus[]>("show interfaces status")).map((r) => [r.port, r]));
    for (const p of phonePorts) expect(rows.get(p)).toMatchObject({ status: "connected", vlan: "10" });
    expect(rows.get("Gi1/0/6")?.status).toBe("notconnect");
    expect(rows.get("Gi1/0/25")).toMatchObject({ status: "connected", vlan: "trunk" });
  });

  it("show power inline: class 2 phones drawing 3.4–6.5 W, the module total adds up", async () => {
    const poe = await show<ShowPowerInline>("show power inline");
    const on = poe.ports.filter((p) => p.oper === "on");
    expect(on.map((p) => p.interface)).toEqual(phonePorts);
    for (const p of on) {
      expect(p.class).toBe("2");
      expect(p.powerWatts).toBeGreaterThanOrEqual(3.4);
      expect(p.powerWatts).toBeLessThanOrEqual(6.5);
    }
    expect(poe.modules[0]?.usedWatts).toBeCloseTo(
      on.reduce((s, p) => s + p.powerWatts, 0),
      5,
    );
  });

  it("show lldp neighbors detail: the Yealink phones with the LLDP-MED voice policy of the port", async () => {
    const lldp = await show<CliLldp[]>("show lldp neighbors detail");
    expect(lldp.map((n) => n.localInterface)).toEqual(phonePorts.slice(0, 4));
    for (const n of lldp) {
      expect(n.med?.manufacturer).toBe("Yealink");
      expect(n.med?.networkPolicies).toEqual([
        { application: "Voice", vlanId: 30, tagged: true, l2Priority: 5, dscp: 46 },
        { application: "Voice Signal", vlanId: 30, tagged: true, l2Priority: 3, dscp: 24 },
      ]);
      expect(n.managementAddresses[0]?.address).toMatch(/^10\.20\.30\./);
    }
  });

  it("show cdp neighbors detail: the Cisco SPA504 and the router on the uplink", async () => {
    const cdp = await show<CliCdp[]>("show cdp neighbors detail");
    expect(cdp.map((n) => [n.localInterface, n.platform])).toEqual([
      ["GigabitEthernet1/0/5", "Cisco SPA504G"],
      ["GigabitEthernet1/0/25", "cisco ISR4321/K9"],
    ]);
    expect(cdp[0]?.capabilities).toEqual(["Host", "Phone"]);
  });

  it("show mls qos interface: DSCP trust on LLDP phones, trusted boundary trusts the Cisco phone", async () => {
    const q = await show<MlsQosInterface[]>("show mls qos interface");
    const at = (name: string) => q.find((i) => i.interface === name);
    expect(at("GigabitEthernet1/0/1")).toMatchObject({ trustState: "trust dscp", trusted: true });
    expect(at("GigabitEthernet1/0/5")).toMatchObject({
      trustState: "trust cos",
      trustDevice: "cisco-phone",
      trusted: true,
    });
  });

  it("show ip dhcp binding on the router: every phone has a lease in the voice VLAN", async () => {
    const r = await open(lab, router);
    const leases = await show<DhcpBinding[]>("show ip dhcp binding", r);
    r.close();
    expect(leases.map((l) => l.interface)).toEqual(Array(5).fill("GigabitEthernet0/0/1.30"));
    expect(leases.every((l) => /^10\.20\.30\.\d+$/.test(l.ipAddress))).toBe(true);
  });
});
