/**
 * The example sites' standard configs, applied to lab devices of the same models over SSH: line by line
 * in configuration mode, and as a full candidate uploaded by SCP and installed with configure replace.
 * Not a single `% Invalid input` may come back.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sitesDir } from "../../agent/paths.js";
import { MemoryHostKeyStore } from "../../drivers/ios/host-keys.js";
import { parseIos } from "../../drivers/ios/parse/index.js";
import type { ShowPowerInline } from "../../drivers/ios/parse/show-power-inline.js";
import type { ShowVersion } from "../../drivers/ios/parse/show-version.js";
import { IosSession } from "../../drivers/ios/session.js";
import { type Lab, type LabDevice, startLab } from "../../lab/lab.js";
import { credentials, open, rawShell, rendered, scpUpload, secrets } from "./helpers.js";

const configLines = (text: string) => text.split("\n").filter((l) => l.trim() !== "");

describe.each(["example-vdsl", "example-fibre"])("%s on lab devices", (name) => {
  let lab: Lab;
  let router: LabDevice;
  let sw: LabDevice;
  beforeAll(async () => {
    lab = await startLab({
      site: join(sitesDir, `${name}.yaml`),
      secrets,
      stateDir: null,
      bindAddress: "127.0.0.1",
      sshPort: 0,
      snmpPort: 0,
    });
    [router, sw] = lab.devices as [LabDevice, LabDevice];
  });
  afterAll(() => lab?.stop());

  it("the switch config, line by line through the agent's IOS session driver", async () => {
    const s = await open(lab, sw);
    expect(await s.run("configure terminal")).toContain("Enter configuration commands");
    const refused: string[] = [];
    for (const line of configLines(rendered(lab.site, sw.name))) {
      const out = await s.run(line);
      if (/^% (Invalid|Incomplete|Ambiguous)/m.test(out)) refused.push(`${line}\n${out}`);
    }
    expect(refused).toEqual([]);
    await s.run("end");
    expect(s.prompt.text).toBe(`${sw.name}#`);
    const running = await s.run("show running-config");
    expect(running).toContain(`hostname ${sw.name}`);
    expect(running).toContain(` switchport voice vlan ${lab.site.vlans.voice.id}`);
    s.close();
  });

  it("the router config, line by line over a plain shell (the driver cannot read `(dhcp-config)#`)", async () => {
    const shell = await rawShell({ host: router.host, port: router.sshPort, ...credentials(lab, router) });
    await shell.run("terminal length 0");
    await shell.run("configure terminal");
    const refused: string[] = [];
    for (const line of configLines(rendered(lab.site, router.name))) {
      const out = await shell.run(line);
      if (/^% (Invalid|Incomplete|Ambiguous)/m.test(out)) refused.push(`${line}\n${out}`);
    }
    expect(refused).toEqual([]);
    expect(shell.transcript()).toContain(`${router.name}(dhcp-config)#`);
    expect(shell.transcript()).toContain(`${router.name}(config-pmap-c)#`);
    await shell.run("end");
    shell.close();
  });

  // IOS's DHCP pool mode is `Router(dhcp-config)#` (Cisco IOS IP Addressing Configuration Guide,
  // "Configuring the Cisco IOS DHCP Server"): the session driver must read it as a prompt.
  it("the IOS session driver reads the (dhcp-config)# prompt", async () => {
    const s = await IosSession.open(
      {
        name: router.name,
        host: router.host,
        port: router.sshPort,
        ...credentials(lab, router),
        commandTimeoutMs: 1500,
      },
      new MemoryHostKeyStore(),
    );
    try {
      await s.run("configure terminal");
      await s.run("ip dhcp pool LABTEST");
      await s.run("end");
    } finally {
      s.close();
    }
  });

  it.each(["router", "switch"] as const)(
    "the %s config as a candidate: SCP upload, then configure replace",
    async (role) => {
      const d = role === "router" ? router : sw;
      const candidate = rendered(lab.site, d.name);
      const up = await scpUpload(
        { host: d.host, port: d.sshPort, ...credentials(lab, d) },
        "flash:patchkast-candidate.cfg",
        candidate,
      );
      expect(up).toEqual({ status: 0, stderr: "" });
      const s = await open(lab, d);
      expect(await s.run("dir flash:")).toMatch(
        new RegExp(`\\s${Buffer.byteLength(candidate)}\\s.*patchkast-candidate\\.cfg`),
      );
      const out = await s.run(
        "configure replace flash:patchkast-candidate.cfg force revert trigger error",
        60_000,
      );
      expect(out).not.toMatch(/Invalid input|Failed to apply|error/i);
      expect(out).toMatch(/Total number of passes: [01]\nRollback Done/);
      // What still differs is what IOS stores differently: hashed secrets, defaults it does not print.
      const diff = await s.run(
        "show archive config differences flash:patchkast-candidate.cfg system:running-config",
      );
      const changed = diff
        .split("\n")
        .filter((l) => /^\s*[+-]/.test(l))
        .map((l) => l.trim());
      const expected =
        /^[+-](enable secret|username \S+ privilege 15 secret|snmp-server user|cdp run|power inline auto|ppp chap password|interface (GigabitEthernet|TenGigabitEthernet)\S+$)/;
      expect(changed.filter((l) => !expected.test(l))).toEqual([]);
      s.close();
    },
  );

  it("after the replace, every show command of the platform parses with drivers/ios/parse", async () => {
    const commands: Record<"router" | "switch", string[]> = {
      router: [
        "show version",
        "show inventory",
        "show running-config",
        "show startup-config",
        "show archive",
        "show cdp neighbors detail",
        "show ip dhcp binding",
      ],
      switch: [
        "show version",
        "show inventory",
        "show running-config",
        "show vlan brief",
        "show interfaces switchport",
        "show interfaces status",
        "show power inline",
        "show lldp neighbors detail",
        "show cdp neighbors detail",
        "show archive",
      ],
    };
    if (sw.device.hw.kind === "classic") commands.switch.push("show mls qos interface");
    for (const d of [router, sw]) {
      const s = await open(lab, d);
      for (const cmd of commands[d.role]) {
        const out = await s.run(cmd);
        expect(() => parseIos(cmd, out), `${d.name}: ${cmd}`).not.toThrow();
      }
      s.close();
    }
  });

  it("a Catalyst 9000 prints the IOS-XE forms: members in show version, Totals under show power inline", async () => {
    if (sw.device.hw.kind !== "c9k") return;
    const s = await open(lab, sw);
    const version = parseIos("show version", await s.run("show version")) as ShowVersion;
    expect(version).toMatchObject({ os: "IOS-XE", version: "17.9.4a", platform: "C9300-48P" });
    expect(version.members.map((m) => m.switchNumber)).toEqual([1, 2]);
    const poe = parseIos("show power inline", await s.run("show power inline")) as ShowPowerInline;
    expect(poe.modules.map((m) => m.module)).toEqual(["1", "2"]);
    expect(poe.totals?.portsOn).toBe(poe.ports.filter((p) => p.oper === "on").length);
    expect(await s.run("show mls qos interface")).toContain("% Invalid input detected at '^' marker.");
    s.close();
  });
});
