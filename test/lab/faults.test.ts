/**
 * Each lab fault (lab/faults.ts) on a lab with the standard config pushed, seen the way the agent sees
 * it: over SNMPv3 with drivers/snmp, over SSH with drivers/ios (show commands and their parsers), with the
 * SIP client, and as drift against the rendered config. Clearing puts the running-config back line for
 * line, and the readings back to what they were.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { snmpTargetOf } from "../../agent/cli/show.js";
import { configDrift } from "../../drivers/ios/drift.js";
import { parseIos } from "../../drivers/ios/parse/index.js";
import type { SwitchportInterface } from "../../drivers/ios/parse/show-interfaces-switchport.js";
import type { MlsQosInterface } from "../../drivers/ios/parse/show-mls-qos-interface.js";
import type { ShowPowerInline } from "../../drivers/ios/parse/show-power-inline.js";
import type { IosSession } from "../../drivers/ios/session.js";
import { options } from "../../drivers/sip/client.js";
import { NetSnmpClient, readDevice, type SnmpClient } from "../../drivers/snmp/index.js";
import type { IosDevice } from "../../lab/device/device.js";
import { driftLoggingHost, faultNames, injectFault, olderFirmware, portLines } from "../../lab/faults.js";
import { type Lab, type LabDevice, startLab } from "../../lab/lab.js";
import { siteAsRunning } from "../../lab/sip-site.js";
import { open, pushStandardConfig, rendered, secrets } from "./helpers.js";

let lab: Lab;
let router: LabDevice;
let sw: LabDevice;
let cli: IosSession;
let snmp: SnmpClient;
const show = async <T>(cmd: string): Promise<T> => parseIos(cmd, await cli.run(cmd)) as T;

beforeAll(async () => {
  lab = await startLab({ secrets, stateDir: null, sshPort: 0, snmpPort: 0 });
  [router, sw] = lab.devices as [LabDevice, LabDevice];
  await pushStandardConfig(lab, router);
  await pushStandardConfig(lab, sw);
  cli = await open(lab, sw);
  snmp = NetSnmpClient.open({ ...snmpTargetOf(siteAsRunning(lab), sw.name, secrets), timeoutMs: 2000 });
}, 60_000);
afterAll(async () => {
  snmp?.close();
  cli?.close();
  await lab?.stop();
});

/** The running-config without the change stamps in its header. */
const config = (dev: IosDevice) =>
  dev
    .configText()
    .split("\n")
    .filter((l) => !/^! (Last configuration change|NVRAM config last updated)/.test(l))
    .join("\n");

const vlanPort = async (ifName: string) =>
  (await readDevice(snmp, "vlans")).ports.find((p) => p.ifName === ifName);
const poePort = async (ifName: string) =>
  (await readDevice(snmp, "poe")).ports.find((p) => p.ifName === ifName);
const lldpOn = async (port: string) => (await readDevice(snmp, "lldp")).find((n) => n.localPort === port);

describe("the lab's faults", () => {
  it("are the six of issue 5's acceptance, and each names what it did", () => {
    expect(faultNames).toEqual([
      "voice-vlan-missing",
      "poe-off",
      "qos-trust-missing",
      "sip-proxy-unreachable",
      "wrong-firmware",
      "config-drift",
    ]);
    expect(olderFirmware("7.61.115.7")).toBe("7.61.115.6");
    expect(olderFirmware("7.4.9a")).toBe("7.4.8a");
    expect(olderFirmware("32.70.0.10")).toBe("32.70.0.09");
  });

  it("voice-vlan-missing: SNMP and `show interfaces switchport` lose the voice VLAN on the port", async () => {
    const before = config(sw.device);
    expect(await vlanPort("Gi1/0/1")).toMatchObject({ voiceVlan: { kind: "vlan", vlan: 30 } });
    const fault = await injectFault(lab, "voice-vlan-missing", { phone: "200" });
    expect(fault).toMatchObject({ device: "lab-sw1", port: "GigabitEthernet1/0/1" });
    expect(fault.description).toContain("no switchport voice vlan");
    expect((await vlanPort("Gi1/0/1"))?.voiceVlan).toMatchObject({ kind: "none" });
    const [sp] = await show<SwitchportInterface[]>("show interfaces GigabitEthernet1/0/1 switchport");
    expect(sp).toMatchObject({ voiceVlan: null, voiceVlanMode: "none" });
    expect((await vlanPort("Gi1/0/2"))?.voiceVlan).toMatchObject({ kind: "vlan", vlan: 30 });
    await fault.clear();
    expect(config(sw.device)).toBe(before);
    expect(await vlanPort("Gi1/0/1")).toMatchObject({ voiceVlan: { kind: "vlan", vlan: 30 } });
  });

  it("poe-off: detection leaves deliveringPower, the link goes down and the phone leaves LLDP", async () => {
    const before = config(sw.device);
    expect(await poePort("Gi1/0/2")).toMatchObject({ detectionStatus: "deliveringPower", powered: true });
    expect(await lldpOn("Gi1/0/2")).toBeDefined();
    const fault = await injectFault(lab, "poe-off", { phone: "201" });
    expect(portLines(sw.device, "Gi1/0/2")).toContain("power inline never");
    expect(await poePort("Gi1/0/2")).toMatchObject({
      detectionStatus: "disabled",
      powered: false,
      consumptionMw: 0,
    });
    expect(await lldpOn("Gi1/0/2")).toBeUndefined();
    const ifs = await readDevice(snmp, "interfaces");
    expect(ifs.find((i) => i.name === "Gi1/0/2")?.operStatus).toBe("down");
    const poe = await show<ShowPowerInline>("show power inline");
    expect(poe.ports.find((p) => p.interface === "Gi1/0/2")).toMatchObject({ admin: "off", oper: "off" });
    await fault.clear();
    expect(config(sw.device)).toBe(before);
    expect(await poePort("Gi1/0/2")).toMatchObject({ detectionStatus: "deliveringPower", powered: true });
    expect(await lldpOn("Gi1/0/2")).toBeDefined();
  });

  it("qos-trust-missing: `show mls qos interface` says not trusted, on an LLDP and on the CDP phone's port", async () => {
    const before = config(sw.device);
    for (const [phone, port, lines] of [
      ["202", "GigabitEthernet1/0/3", ["no mls qos trust dscp"]],
      ["204", "GigabitEthernet1/0/5", ["no mls qos trust device cisco-phone", "no mls qos trust cos"]],
    ] as const) {
      const [q0] = await show<MlsQosInterface[]>(`show mls qos interface ${port}`);
      expect(q0?.trusted).toBe(true);
      const fault = await injectFault(lab, "qos-trust-missing", { phone });
      expect(fault.description).toContain(lines.join(", "));
      expect(portLines(sw.device, port).filter((l) => l.includes("trust"))).toEqual([]);
      const [q] = await show<MlsQosInterface[]>(`show mls qos interface ${port}`);
      expect(q).toMatchObject({ trustState: "not trusted", trusted: false });
      await fault.clear();
      expect(config(sw.device)).toBe(before);
    }
  });

  it("sip-proxy-unreachable: the SIP probe is refused on UDP and TCP, and answered again after clearing", async () => {
    const target = { host: lab.sip.host, port: lab.sip.port };
    const fast = { timers: { t1Ms: 50, t2Ms: 400 }, timeoutMs: 2000 };
    expect((await options({ ...target, transport: "udp" }, fast)).status).toBe(200);
    const fault = await injectFault(lab, "sip-proxy-unreachable");
    expect(await options({ ...target, transport: "udp" }, fast)).toMatchObject({
      reachable: false,
      failure: "refused",
    });
    expect(await options({ ...target, transport: "tcp" }, fast)).toMatchObject({
      reachable: false,
      failure: "refused",
    });
    await fault.clear();
    expect((await options({ ...target, transport: "tcp" }, fast)).status).toBe(200);
  });

  it("wrong-firmware: LLDP-MED and CDP report the older firmware; clearing restores it", async () => {
    const yealink = await injectFault(lab, "wrong-firmware", { phone: "202" });
    const spa = await injectFault(lab, "wrong-firmware", { phone: "204", firmware: "7.4.8a" });
    expect((await lldpOn("Gi1/0/3"))?.med?.inventory).toMatchObject({ firmwareRev: "32.70.115.6" });
    const cdp = (await readDevice(snmp, "cdp")).find((n) => n.ifName === "Gi1/0/5");
    expect(cdp?.version).toBe("7.4.8a");
    await yealink.clear();
    await spa.clear();
    expect((await lldpOn("Gi1/0/3"))?.med?.inventory).toMatchObject({ firmwareRev: "32.70.115.7" });
    expect((await readDevice(snmp, "cdp")).find((n) => n.ifName === "Gi1/0/5")?.version).toBe("7.4.9a");
  });

  it("config-drift: the router drifts by exactly its logging host, and the change stamp moves", async () => {
    const s = await open(lab, router);
    try {
      const intent = rendered(lab.site, router.name);
      const baseline = configDrift(intent, await s.run("show running-config"));
      const stamp = router.device.changedAt.running;
      const fault = await injectFault(lab, "config-drift");
      const drift = configDrift(intent, await s.run("show running-config"));
      expect(drift.length).toBe(baseline.length + 1);
      expect(
        drift.filter((d) => !baseline.some((b) => JSON.stringify(b) === JSON.stringify(d))),
      ).toMatchObject([{ op: "+", line: `logging host ${driftLoggingHost}` }]);
      expect(router.device.changedAt.running?.getTime()).toBeGreaterThanOrEqual(stamp?.getTime() ?? 0);
      expect(router.device.changedAt.by).toBe("lab-fault");
      await fault.clear();
      expect(configDrift(intent, await s.run("show running-config"))).toEqual(baseline);
    } finally {
      s.close();
    }
  });

  it("refuses a fault that cannot apply, with a code and what was found", async () => {
    await expect(injectFault(lab, "poe-off", { phone: "999" })).rejects.toMatchObject({
      code: "PK_ERR_USAGE",
    });
    const first = await injectFault(lab, "voice-vlan-missing", { phone: "203" });
    await expect(injectFault(lab, "voice-vlan-missing", { phone: "203" })).rejects.toThrow(
      /nothing to break/,
    );
    await first.clear();
    const dark = await injectFault(lab, "poe-off", { phone: "203" });
    await expect(injectFault(lab, "poe-off", { phone: "203" })).rejects.toThrow(/nothing to break/);
    await dark.clear();
    const drift = await injectFault(lab, "config-drift");
    await expect(injectFault(lab, "config-drift")).rejects.toThrow(/already logs to 127\.20\.0\.99/);
    await drift.clear();
    const sip = await injectFault(lab, "sip-proxy-unreachable");
    await expect(injectFault(lab, "sip-proxy-unreachable")).rejects.toThrow(/already stopped/);
    await sip.clear();
    expect(lab.sip.running).toBe(true);
  });
});
