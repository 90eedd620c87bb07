/**
 * The lab's configuration grammar: every line patchkast renders for the example sites and the lab site is
 * accepted by a device of the same model, and a typo gets IOS's answer with the caret where IOS puts it.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sitesDir } from "../../agent/paths.js";
import { loadSiteFile } from "../../agent/site/load.js";
import { LabClock } from "../../lab/clock.js";
import { IosDevice } from "../../lab/device/device.js";
import { hardwareFor, membersFor } from "../../lab/device/hardware.js";
import { catalog, rendered } from "./helpers.js";

const clock = new LabClock();
const sites = ["example-vdsl", "example-fibre", "lab"].map((n) =>
  loadSiteFile(join(sitesDir, `${n}.yaml`), catalog),
);
const devices = sites.flatMap((site) => [
  { site, name: site.router.name, model: site.router.model, ports: [] as string[] },
  ...site.switches.map((s) => ({ site, name: s.name, model: s.model, ports: [s.uplink, ...s.phone_ports] })),
]);

function deviceFor(model: string, ports: string[] = [], name = "dut"): IosDevice {
  return new IosDevice({ name, hw: hardwareFor(model, name, membersFor(ports)), clock });
}

/** Lines IOS stores differently from how they are typed, or not at all (defaults, hidden SNMPv3 users). */
const transformed = [
  /^enable secret 0 /,
  /^username \S+ privilege 15 secret 0 /,
  /^ppp chap password 0 /,
  /^snmp-server user /,
  /^cdp run$/,
  /^power inline auto$/,
];

describe("every rendered line is a command the device knows", () => {
  it.each(devices.map((d) => [d.name, d.model, d] as const))("%s (%s)", (_name, model, d) => {
    const dev = deviceFor(model, d.ports, d.name);
    const text = rendered(d.site, d.name);
    const parsed = dev.parse(text);
    expect(parsed.failed).toEqual([]);
    dev.install(parsed.root, parsed.users, "test");
    const running = new Set(
      dev
        .configText()
        .split("\n")
        .map((l) => l.trim()),
    );
    const missing = text
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l !== "" && !l.startsWith("!") && !running.has(l))
      .filter((l) => !transformed.some((re) => re.test(l)));
    // Everything else comes back verbatim in show running-config.
    expect(missing).toEqual([]);
    // The secrets come back hashed the way the platform hashes them (type 9 on IOS-XE, type 5 on IOS 15).
    const hash = dev.hw.kind === "classic" ? /secret 5 \$1\$/ : /secret 9 \$9\$/;
    expect(dev.configText()).toMatch(hash);
    expect(dev.snmpUsers.get(d.site.snmp.user)?.priv).toBe("aes128");
  });

  it("prints the running-config in IOS order, whatever order the lines came in", () => {
    const a = deviceFor("WS-C2960X-24PS-L");
    const b = deviceFor("WS-C2960X-24PS-L");
    const lines = [
      "interface Gi1/0/3",
      " spanning-tree portfast",
      " switchport mode access",
      " description x",
      "vlan 30",
      "hostname sw",
    ];
    const forward = a.parse(lines.join("\n"));
    const backward = b.parse(
      [
        "hostname sw",
        "vlan 30",
        "interface Gi1/0/3",
        " description x",
        " switchport mode access",
        " spanning-tree portfast",
      ].join("\n"),
    );
    a.install(forward.root, forward.users, "t");
    b.install(backward.root, backward.users, "t");
    expect(a.configText()).toBe(b.configText());
    expect(a.configText()).toContain(
      "interface GigabitEthernet1/0/3\n description x\n switchport mode access\n spanning-tree portfast\n",
    );
  });
});

describe("IOS's answers to lines it does not take", () => {
  const sw = () => deviceFor("WS-C2960X-24PS-L").session();
  const prompt = "sw1(config-if)#";

  it.each([
    // `swit` still leads to switchport, `h` does not; `ac` to access; `edg` to edge; `s` to static.
    ["swithport mode access", "swithport", 4],
    ["switchport mode acess", "acess", 2],
    ["switchport access vlan 5000", "5000", 0],
    ["spanning-tree portfast edgy", "edgy", 3],
    ["power inline sometimes", "sometimes", 1],
  ])("%s: caret under the first character IOS could not take", (line, word, offset) => {
    const s = sw();
    s.apply("interface GigabitEthernet1/0/1");
    const r = s.apply(line, prompt.length);
    expect(r.failed).toBe(true);
    const [caretLine, message] = r.out.split("\n");
    expect(message).toBe("% Invalid input detected at '^' marker.");
    expect(caretLine?.indexOf("^")).toBe(prompt.length + line.indexOf(word) + offset);
    expect(caretLine?.trim()).toBe("^");
  });

  it("global configuration: caret under the typo of interfase", () => {
    const s = sw();
    const r = s.apply("interfase GigabitEthernet1/0/1", "sw1(config)#".length);
    expect(r.out).toBe(
      `${" ".repeat("sw1(config)#interfa".length)}^\n% Invalid input detected at '^' marker.\n`,
    );
  });

  it("incomplete and ambiguous commands", () => {
    const s = sw();
    s.apply("interface Gi1/0/1");
    expect(s.apply("switchport access").out).toBe("% Incomplete command.\n");
    expect(s.apply("s").out).toBe('% Ambiguous command:  "s"\n');
  });

  it("abbreviations are taken and stored in full", () => {
    const dev = deviceFor("WS-C2960X-24PS-L");
    const s = dev.session();
    for (const l of ["int gi1/0/7", "sw mo acc", "sw acc vl 10", "sw vo vl 30", "power inl never"])
      expect(s.apply(l).failed).toBe(false);
    expect(dev.configText()).toContain(
      "interface GigabitEthernet1/0/7\n switchport access vlan 10\n switchport mode access\n switchport voice vlan 30\n power inline never\n",
    );
    expect(dev.configText()).toMatch(/^vlan 10\n!\nvlan 30\n/m);
  });

  it("platform grammar: a 2960-X refuses trunk encapsulation, a 9000 refuses mls qos, a router refuses VLANs", () => {
    const classic = deviceFor("WS-C2960X-24PS-L").session();
    classic.apply("interface GigabitEthernet1/0/25");
    expect(classic.apply("switchport trunk encapsulation dot1q").failed).toBe(true);
    expect(classic.apply("mls qos trust dscp").failed).toBe(false);
    const c9k = deviceFor("C9300-48P").session();
    expect(c9k.apply("mls qos").failed).toBe(true);
    c9k.apply("interface GigabitEthernet1/0/1");
    expect(c9k.apply("auto qos voip cisco-phone").failed).toBe(false);
    const router = deviceFor("ISR4321").session();
    expect(router.apply("vlan 10").failed).toBe(true);
    expect(router.apply("interface GigabitEthernet1/0/1").failed).toBe(true);
    expect(router.apply("interface GigabitEthernet0/0/1.30").failed).toBe(false);
  });

  it("no removes the line; defaults that are on store the no form; physical interfaces stay", () => {
    const dev = deviceFor("ISR4321");
    const s = dev.session();
    for (const l of [
      "ip http server",
      "no ip http server",
      "cdp run",
      "no cdp run",
      "interface Gi0/0/1",
      " description LAN",
      " no description",
      " no ip address",
    ])
      expect(s.apply(l).failed).toBe(false);
    const text = dev.configText();
    expect(text).toContain("no ip http server\n");
    expect(text).not.toMatch(/^ip http server$/m);
    expect(text).toContain("no cdp run\n");
    expect(text).toContain("interface GigabitEthernet0/0/1\n no ip address\n");
    expect(s.apply("exit").failed).toBe(false);
    expect(s.apply("no interface GigabitEthernet0/0/1").failed).toBe(true);
  });
});
