/**
 * The lab site over SNMP, read with the agent's SNMP readers (drivers/snmp): before the push with the
 * bootstrap's v2c community, after it with the site's SNMPv3 user; the answers agree with the CLI.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseIos } from "../../drivers/ios/parse/index.js";
import type { DhcpBinding } from "../../drivers/ios/parse/show-ip-dhcp-binding.js";
import type { LldpNeighbor as CliLldp } from "../../drivers/ios/parse/show-lldp-neighbors-detail.js";
import type { ShowPowerInline } from "../../drivers/ios/parse/show-power-inline.js";
import type { IosSession } from "../../drivers/ios/session.js";
import { NetSnmpClient, readDevice, type SnmpTarget } from "../../drivers/snmp/index.js";
import { type Lab, type LabDevice, startLab } from "../../lab/lab.js";
import { open, pushStandardConfig, secrets } from "./helpers.js";

let lab: Lab;
let router: LabDevice;
let sw: LabDevice;
let cli: IosSession;
const show = async <T>(cmd: string, s = cli): Promise<T> => parseIos(cmd, await s.run(cmd)) as T;
const phonePorts = ["Gi1/0/1", "Gi1/0/2", "Gi1/0/3", "Gi1/0/4", "Gi1/0/5"];

function v3(d: LabDevice): SnmpTarget {
  return {
    host: d.host,
    port: d.snmpPort,
    version: "3",
    timeoutMs: 1000,
    user: {
      name: lab.site.snmp.user,
      authProtocol: "sha",
      authKey: secrets.resolve(lab.site.snmp.auth_key).reveal(),
      privProtocol: "aes",
      privKey: secrets.resolve(lab.site.snmp.priv_key).reveal(),
    },
  };
}

beforeAll(async () => {
  lab = await startLab({ secrets, stateDir: null, sshPort: 0, snmpPort: 0 });
  [router, sw] = lab.devices as [LabDevice, LabDevice];
});
afterAll(async () => {
  cli?.close();
  await lab?.stop();
});

describe("before the first push", () => {
  it("answers SNMPv2c with the bootstrap community, and reports no LLDP (lldp run is not configured)", async () => {
    const c = NetSnmpClient.open({
      host: sw.host,
      port: sw.snmpPort,
      version: "2c",
      community: lab.community,
    });
    try {
      expect((await readDevice(c, "interfaces")).length).toBe(29);
      expect(await readDevice(c, "lldp")).toEqual([]);
    } finally {
      c.close();
    }
  });
});

describe("after the push", () => {
  beforeAll(async () => {
    await pushStandardConfig(lab, router);
    await pushStandardConfig(lab, sw);
    cli = await open(lab, sw);
  });

  it("SNMPv3 with the site's user agrees with the CLI (VLANs, voice VLAN, PoE, LLDP-MED, CDP)", async () => {
    const c = NetSnmpClient.open(v3(sw));
    try {
      const names = new Map((await readDevice(c, "interfaces")).map((i) => [i.name, i]));
      for (const p of phonePorts) expect(names.get(p)).toMatchObject({ operStatus: "up", adminStatus: "up" });
      expect(names.get("Gi1/0/6")?.operStatus).toBe("down");
      const vlans = await readDevice(c, "vlans");
      expect(vlans.vlans.filter((v) => [10, 30, 99].includes(v.id)).map((v) => v.name)).toEqual([
        "DATA",
        "VOICE",
        "MGMT",
      ]);
      for (const p of phonePorts)
        expect(vlans.ports.find((x) => x.ifName === p)).toMatchObject({
          accessVlan: 10,
          voiceVlan: { kind: "vlan", vlan: 30 },
        });
      expect(vlans.ports.find((x) => x.ifName === "Gi1/0/25")).toMatchObject({
        mode: "trunk",
        trunk: { allowedVlans: "10,30,99" },
      });
      const poe = await readDevice(c, "poe");
      const cliPoe = await show<ShowPowerInline>("show power inline");
      for (const p of cliPoe.ports) {
        const row = poe.ports.find((x) => x.ifName === p.interface);
        expect(row?.consumptionMw).toBe(Math.round(p.powerWatts * 1000));
        expect(row?.powered).toBe(p.oper === "on");
      }
      const lldp = await readDevice(c, "lldp");
      expect(lldp.map((n) => n.localPort)).toEqual(phonePorts.slice(0, 4));
      // Walked in OID order: the index is the PolicyAppType bit (voiceSignaling 0x20 before voice 0x40).
      expect(lldp[0]?.med?.policies).toEqual([
        { application: "voiceSignaling", vlan: 30, priority: 3, dscp: 24, unknown: false, tagged: true },
        { application: "voice", vlan: 30, priority: 5, dscp: 46, unknown: false, tagged: true },
      ]);
      const cdp = await readDevice(c, "cdp");
      expect(cdp.find((n) => n.ifName === "Gi1/0/5")).toMatchObject({
        platform: "Cisco SPA504G",
        voiceVlan: 30,
      });
    } finally {
      c.close();
    }
  });

  it("a config change moves ccmHistoryRunningLastChanged; power inline never turns a phone off everywhere", async () => {
    const c = NetSnmpClient.open(v3(sw));
    try {
      const before = await readDevice(c, "config");
      await cli.run("configure terminal");
      await cli.run("interface GigabitEthernet1/0/2");
      await cli.run("power inline never");
      await cli.run("end");
      const after = await readDevice(c, "config");
      expect(after.runningLastChanged?.ticks).toBeGreaterThan(before.runningLastChanged?.ticks ?? 0);
      expect(after.unsavedChanges).toBe(true);
      const row = (await readDevice(c, "poe")).ports.find((p) => p.ifName === "Gi1/0/2");
      expect(row).toMatchObject({
        detectionStatus: "disabled",
        consumptionMw: 0,
        adminEnable: false,
        powered: false,
      });
      const poe = await show<ShowPowerInline>("show power inline");
      expect(poe.ports.find((p) => p.interface === "Gi1/0/2")).toMatchObject({
        admin: "off",
        oper: "off",
        powerWatts: 0,
      });
      expect(
        (await show<CliLldp[]>("show lldp neighbors detail")).map((n) => n.localInterface),
      ).not.toContain("Gi1/0/2");
      const r = await open(lab, router);
      expect((await show<DhcpBinding[]>("show ip dhcp binding", r)).length).toBe(4);
      r.close();
    } finally {
      c.close();
    }
  });

  it("the bootstrap community no longer answers: the standard config has no v2c community", async () => {
    const c = NetSnmpClient.open({
      host: sw.host,
      port: sw.snmpPort,
      version: "2c",
      community: lab.community,
      timeoutMs: 300,
      retries: 0,
    });
    try {
      await expect(readDevice(c, "config")).rejects.toThrow(/timeout/);
    } finally {
      c.close();
    }
  });
});
