/**
 * Field check: every recorded `show` output in ../shared/field/cli/cisco_ios (real devices, collected by
 * ntc-templates and genieparser) parsed by patchkast and compared with that project's expected result, plus
 * the two real running-configs in ../shared/field/configs. The folder sits beside the checkout in CI and is
 * never copied into the repository (shared/field/README.md); without it this file skips with a message.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { packageRoot } from "../../agent/paths.js";
import { type IosCommand, iosParsers } from "../../drivers/ios/parse/index.js";
import { parseShowInventory } from "../../drivers/ios/parse/show-inventory.js";
import {
  diffConfig,
  parseShowRunningConfig,
  renderConfig,
} from "../../drivers/ios/parse/show-running-config.js";
import { parseShowVersion } from "../../drivers/ios/parse/show-version.js";
import { parsePythonLiteral } from "../helpers/python-literal.js";
import { genieMaps } from "./genie-maps.js";
import { errata } from "./ntc-errata.js";
import { ntcMaps } from "./ntc-maps.js";

const fieldDir = join(packageRoot, "..", "shared", "field");
const cliDir = join(fieldDir, "cli", "cisco_ios");
const present = existsSync(cliDir);

/** Folder → the command whose parser reads it. */
const COMMANDS: Record<string, IosCommand> = {
  show_archive: "show archive",
  show_archive_config_differences: "show archive config differences",
  show_cdp_neighbors_detail: "show cdp neighbors detail",
  show_interfaces_status: "show interfaces status",
  show_interfaces_switchport: "show interfaces switchport",
  show_inventory: "show inventory",
  show_ip_dhcp_binding: "show ip dhcp binding",
  show_ip_nat_translations: "show ip nat translations",
  show_lldp_neighbors_detail: "show lldp neighbors detail",
  show_policy_map_interface: "show policy-map interface",
  show_power_inline: "show power inline",
  show_version: "show version",
  show_vlan_brief: "show vlan brief",
};

const cases = present
  ? readdirSync(cliDir)
      .sort()
      .flatMap((dir) =>
        readdirSync(join(cliDir, dir))
          .filter((f) => f.endsWith(".raw"))
          .sort()
          .map((file) => ({ dir, file })),
      )
  : [];
const results = new Map<string, boolean>();

const oracleForm = (v: unknown): unknown =>
  typeof v === "string" ? v.trim() : Array.isArray(v) ? v.map(oracleForm) : v;

function checkNtc(dir: string, file: string, parsed: unknown): void {
  const map = ntcMaps[dir];
  if (!map) throw new Error(`no ntc mapping for ${dir}`);
  const yml = readFileSync(join(cliDir, dir, file.replace(/\.raw$/, ".yml")), "utf8");
  const oracle = (parseYaml(yml) as { parsed_sample: Record<string, unknown>[] }).parsed_sample;
  const ours = map.records(parsed);
  expect(ours.length, `${file}: record count`).toBe(oracle.length);
  oracle.forEach((record, i) => {
    for (const [field, value] of Object.entries(record)) {
      const fm = map.fields[field];
      expect(fm, `${file}: oracle field "${field}" has no mapping`).toBeDefined();
      const mine = fm?.ours(ours[i]);
      const where = `${file} record ${i} (${JSON.stringify(Object.values(record)[0])}) field ${field}`;
      const erratum = errata[`${file}#${i}.${field}`];
      if (erratum) {
        expect(value, `${where}: the oracle no longer says what the erratum records`).toBe(erratum.oracle);
        expect(fm?.num ? mine : String(mine), `${where} (oracle wrong: ${erratum.reason})`).toEqual(
          erratum.raw,
        );
      } else if (fm?.num) expect(mine ?? "", where).toEqual(value === "" ? "" : Number(value));
      else expect(mine, where).toEqual(oracleForm(value));
    }
  });
}

function checkGenie(dir: string, file: string, parsed: unknown): void {
  const project = genieMaps[dir];
  if (!project) throw new Error(`no genie mapping for ${dir}`);
  const expected = parsePythonLiteral(
    readFileSync(join(cliDir, dir, file.replace(/\.raw$/, ".expected.py")), "utf8"),
  );
  expect(project(parsed), file).toEqual(expected);
}

if (!present) {
  console.warn(`field tests skipped: ${fieldDir} is absent (it sits beside the checkout in CI)`);
  describe("field data (../shared/field)", () => {
    it.skip(`skipped: ${fieldDir} is absent`, () => {});
  });
}

describe.skipIf(!present)("field: recorded Cisco IOS show output against ntc-templates / genieparser", () => {
  for (const { dir, file } of cases) {
    it(`${dir}/${file}`, () => {
      results.set(file, false);
      const command = COMMANDS[dir];
      if (!command) throw new Error(`no command for folder ${dir}`);
      const parsed = iosParsers[command](readFileSync(join(cliDir, dir, file), "utf8"));
      if (file.startsWith("genie_")) checkGenie(dir, file, parsed);
      else checkNtc(dir, file, parsed);
      results.set(file, true);
    });
  }

  it("summary", () => {
    const passed = [...results.values()].filter(Boolean).length;
    const line = `${passed}/${cases.length} field cases pass`;
    console.log(line);
    expect(line).toBe(`${cases.length}/${cases.length} field cases pass`);
    expect(cases.length).toBeGreaterThan(0);
  });
});

/** Oxidized simulation files hold each output as a Ruby dumped string: undo `\"`, `\\`, `\xHH`, `\t` (model_helper.rb `undump`). */
function rubyUndump(text: string): string {
  const simple: Record<string, string> = { n: "\n", t: "\t", r: "\r", e: "\x1b", a: "\x07", b: "\b", s: " " };
  return text.replace(/\\(x[0-9a-fA-F]{2}|u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|.)/g, (_m, esc: string) => {
    if (esc.startsWith("x")) return String.fromCharCode(Number.parseInt(esc.slice(1), 16));
    if (esc.startsWith("u")) return String.fromCodePoint(Number.parseInt(esc.replace(/[u{}]/g, ""), 16));
    return simple[esc] ?? esc;
  });
}

describe.skipIf(!present)("field: real running-configs (napalm CSR1000v, oxidized C9200L session)", () => {
  it("the napalm running-config normalises: no volatile lines, secrets masked, stanzas by indentation", () => {
    const text = readFileSync(join(fieldDir, "configs", "napalm_ios_show_running_config.txt"), "utf8");
    const config = parseShowRunningConfig(text);
    const lines = renderConfig(config.nodes);
    expect(config.hostname).toBe("CSR1");
    expect(config.version).toBe("15.5");
    expect(
      lines.filter((l) => /Building configuration|Current configuration|Last configuration change/.test(l)),
    ).toEqual([]);
    expect(lines.filter((l) => l.trim().startsWith("!") || l.trim() === "" || l === "end")).toEqual([]);
    expect(lines).toContain("enable password <secret>");
    expect(lines).toContain("username cisco privilege 15 password 0 <secret>");
    expect(lines.join("\n")).not.toMatch(/password (0 )?cisco/);
    const ospf = config.nodes.find((n) => n.line === "router ospf 1");
    expect(ospf?.children.map((c) => c.line)).toEqual([
      "redistribute connected subnets",
      "network 10.1.1.0 0.0.0.255 area 0",
    ]);
    expect(config.nodes.filter((n) => n.line.startsWith("interface ")).map((n) => n.line)).toEqual([
      "interface Loopback0",
      "interface GigabitEthernet1",
      "interface GigabitEthernet2",
      "interface GigabitEthernet3",
    ]);
  });

  const session = () => {
    const yaml = readFileSync(
      join(fieldDir, "configs", "oxidized_C9200L-24P-4G_17.09.04a_simulation.yaml"),
      "utf8",
    );
    const commands = (parseYaml(yaml) as { commands: Record<string, string> }).commands;
    const output = (cmd: string) => rubyUndump(commands[`${cmd}\n`] ?? "");
    return { output };
  };

  it("C9200L session: show version and show inventory parse as recorded (echo and prompt included)", () => {
    const { output } = session();
    const version = parseShowVersion(output("show version"));
    expect(version).toMatchObject({
      os: "IOS-XE",
      version: "17.9.4a",
      softwareImage: "CAT9K_LITE_IOSXE",
      release: "fc3",
      hostname: "LAB-SW123_9200L",
      uptimeParts: { years: 0, weeks: 44, days: 4, hours: 1, minutes: 16 },
      systemImage: "flash:cat9k_lite_iosxe.17.09.04a.SPA.bin",
      reloadReason: "Reload Command",
      platform: "C9200L-24P-4G",
      configRegister: "0x102",
    });
    expect(version.members).toEqual([
      {
        switchNumber: 1,
        active: true,
        model: "C9200L-24P-4G",
        serialNumber: "JAE24FFFFFF",
        macAddress: "40:f0:78:00:00:00",
        ports: 28,
        swVersion: "17.09.04a",
        swImage: "CAT9K_LITE_IOSXE",
        mode: "BUNDLE",
      },
    ]);
    expect(parseShowInventory(output("show inventory")).map((i) => [i.name, i.pid, i.serialNumber])).toEqual([
      ["c92xxL Stack", "C9200L-24P-4G", "JAE24FFFFFF"],
      ["Switch 1", "C9200L-24P-4G", "JAE24FFFFFF"],
      ["Switch 1 - Power Supply A", "PWR-C5-600WAC", "QCS24XXXXXX"],
    ]);
  });

  it("C9200L session: show running-config becomes a tree with its interfaces, secrets masked", () => {
    const { output } = session();
    const config = parseShowRunningConfig(output("show running-config"));
    expect(config.hostname).toBe("LAB-SW123_9200L");
    expect(config.version).toBe("17.9");
    const interfaces = config.nodes.filter((n) => n.line.startsWith("interface "));
    expect(interfaces.map((n) => n.line.slice("interface ".length))).toEqual([
      "GigabitEthernet0/0",
      "GigabitEthernet1/0/1",
      "GigabitEthernet1/0/2",
      "GigabitEthernet1/0/24",
      "GigabitEthernet1/1/1",
      "GigabitEthernet1/1/2",
      "GigabitEthernet1/1/3",
      "GigabitEthernet1/1/4",
      "Vlan1",
      "Vlan2",
    ]);
    expect(interfaces[1]?.children.map((c) => c.line)).toEqual([
      "description oxidized test one",
      "switchport access vlan 2",
      "switchport mode access",
      "no snmp trap link-status",
      "spanning-tree portfast",
    ]);
    const text = renderConfig(config.nodes).join("\n");
    expect(text).not.toMatch(
      /Building configuration|Current configuration|NVRAM config last updated|LAB-SW123_9200L#/,
    );
    expect(text).not.toMatch(/\$9\$|AAAAAAAAAABBBBBBBBBB|community public/);
    expect(text).toContain("enable secret 9 <secret>");
    expect(text).toContain("username oxidized secret 9 <secret>");
    expect(text).toContain(" client 10.10.20.20 server-key 7 <secret>");
    expect(text).toContain("snmp-server community <secret> RW 5");
    expect(text).toContain(
      "snmp-server host 10.42.0.36 vrf Mgmt-vrf informs version 3 auth oxidized  bfd bridge transceiver",
    );
    const banner = config.nodes.find((n) => n.line === "banner login ^C");
    expect(banner?.children.map((c) => c.line)).toEqual([".", "Login banner.", "."]);
    expect(config.nodes.at(-1)?.line).toBe("banner login ^C");
  });

  it("C9200L session: a voice VLAN added to one port shows as one change under that interface", () => {
    const { output } = session();
    const before = parseShowRunningConfig(output("show running-config"));
    const edited = output("show running-config").replace(
      " switchport access vlan 3\n",
      " switchport access vlan 3\n switchport voice vlan 200\n",
    );
    expect(diffConfig(before.nodes, parseShowRunningConfig(edited).nodes)).toEqual([
      { op: "+", line: "switchport voice vlan 200", path: ["interface GigabitEthernet1/0/2"] },
    ]);
  });
});
