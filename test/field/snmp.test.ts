/**
 * Every SNMP reader against the real recordings of ../shared/field/snmp/ (LibreNMS tests/snmpsim), served
 * by Debian's snmpsim and read with the real client over UDP. One test per (recording, reader) that
 * applies; expected values come from the recording text itself and from field/README.md.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packageRoot } from "../../agent/paths.js";
import { NetSnmpClient, vlanContext } from "../../drivers/snmp/client.js";
import { type DeviceReading, type DeviceReadings, readDevice } from "../../drivers/snmp/index.js";
import { findSnmpsim, type Snmpsim, startSnmpsim } from "../unit/snmp/snmpsim-process.js";

const fieldDir = join(packageRoot, "..", "shared", "field", "snmp");
const snmpsim = findSnmpsim();
const skipWhy = !existsSync(fieldDir)
  ? `${fieldDir} is absent (../shared/field beside the checkout)`
  : !snmpsim
    ? "snmpsim is not installed (Debian package snmpsim; .ci/run installs it)"
    : undefined;
if (skipWhy) console.warn(`field SNMP tests skipped: ${skipWhy}`);

/** The raw recording, for expectations independent of the readers. */
class Recording {
  readonly lines: Map<string, string>;
  constructor(readonly name: string) {
    const text = readFileSync(join(fieldDir, `${name}.snmprec`), "utf8");
    this.lines = new Map(
      text
        .split("\n")
        .filter((l) => l.includes("|"))
        .map((l) => [l.slice(0, l.indexOf("|")), l.slice(l.indexOf("|", l.indexOf("|") + 1) + 1)]),
    );
  }
  count(column: string): number {
    return [...this.lines.keys()].filter((oid) => oid.startsWith(`${column}.`)).length;
  }
  value(oid: string): string | undefined {
    return this.lines.get(oid);
  }
}

type Check<W extends DeviceReading> = (r: DeviceReadings[W], rec: Recording) => void;
interface Case {
  file: string;
  what: DeviceReading | "vlan-context";
  check: Check<never>;
}
const cases: Case[] = [];
function field<W extends DeviceReading>(file: string, what: W, check: Check<W>) {
  cases.push({ file, what, check: check as Check<never> });
}

const ifDescr = "1.3.6.1.2.1.2.2.1.2";
field("ios_2960x", "interfaces", (ifs, rec) => {
  expect(ifs).toHaveLength(rec.count(ifDescr));
  expect(ifs).toHaveLength(146);
  expect(ifs.filter((i) => i.counterBits === 64)).toHaveLength(rec.count("1.3.6.1.2.1.31.1.1.1.6"));
  const gi1 = ifs.find((i) => i.ifIndex === 10101);
  expect(gi1).toMatchObject({ name: "Gi1/0/1", descr: "GigabitEthernet1/0/1" });
  expect(gi1?.inOctets).toBe(BigInt(rec.value("1.3.6.1.2.1.31.1.1.1.6.10101") ?? "-1"));
});
field("ios_2960x", "poe", (poe, rec) => {
  expect(poe.pses).toEqual([
    { group: 1, budgetW: 370, operStatus: "on", consumptionW: 115, usageThresholdPct: 0 },
  ]);
  expect(poe.totals).toMatchObject({ budgetW: 370, consumptionW: 115, ports: 120, poweredPorts: 9 });
  expect(poe.ports.every((p) => p.ifIndex !== undefined)).toBe(true);
  expect(poe.ports[0]).toMatchObject({
    group: 1,
    port: 1,
    ifIndex: 10101,
    ifName: "Gi1/0/1",
    consumptionMw: 2509,
  });
  const powered = poe.ports.filter((p) => p.powered).map((p) => `${p.group}.${p.port}`);
  const fromFile = [...rec.lines].filter(
    ([o, v]) => o.startsWith("1.3.6.1.4.1.9.9.402.1.2.1.9.") && v !== "0",
  );
  expect(powered).toEqual(fromFile.map(([o]) => o.split(".").slice(-2).join(".")));
});
field("ios_2960x", "vlans", (v, rec) => {
  expect(v.vlans).toHaveLength(rec.count("1.3.6.1.4.1.9.9.46.1.3.1.1.4"));
  expect(v.ports.filter((p) => p.accessVlan !== undefined)).toHaveLength(115);
  expect(v.ports.filter((p) => p.trunk?.nativeVlan !== undefined)).toHaveLength(133);
  expect(v.ports.filter((p) => p.trunk?.encapsulation === "dot1Q").length).toBe(6);
});
field("ios_2960x", "cdp", (cdp) => {
  expect(cdp).toHaveLength(7);
  expect(cdp.filter((n) => n.platform === "cisco AIR-AP2702I-UXK9")).toHaveLength(5);
  expect(cdp.filter((n) => n.platform === "cisco WS-C3850-12S")).toHaveLength(2);
  expect(cdp[0]).toMatchObject({
    ifIndex: 10103,
    ifName: "Gi1/0/3",
    deviceId: "acme-fr-ap-011",
    address: "172.27.49.84",
  });
});
field("ios_2960x", "config", (c) => expect(c).toEqual({ supported: false, sysUpTimeSeconds: 7184757.37 }));

field("ios_c3560", "interfaces", (ifs, rec) => {
  expect(ifs).toHaveLength(rec.count(ifDescr));
  expect(ifs).toHaveLength(58);
  expect(ifs.every((i) => i.counterBits === undefined && i.operStatus !== undefined)).toBe(true);
});
field("ios_c3560", "vlans", (v) => {
  expect(v.vlans.filter((x) => x.name)).toHaveLength(20);
  expect(v.vlans.find((x) => x.id === 178)?.name).toBe("LAN-Thuis");
  expect(v.ports.filter((p) => p.accessVlan !== undefined)).toHaveLength(45);
});

field("iosxe_c3850", "interfaces", (ifs, rec) => {
  expect(ifs).toHaveLength(174);
  expect(ifs.filter((i) => i.counterBits === 32)).toHaveLength(rec.count("1.3.6.1.2.1.2.2.1.10"));
});
field("iosxe_c3850", "vlans", (v) => {
  expect(v.vlans).toHaveLength(32);
  expect(v.vlans.find((x) => x.id === 140)).toMatchObject({ name: "VOICE", domain: 1 });
  expect(v.ports.filter((p) => p.accessVlan !== undefined)).toHaveLength(98);
});

field("iosxe_c9200l", "poe", (poe) => {
  expect(poe.pses.map((p) => [p.group, p.budgetW, p.consumptionW, p.usedMw])).toEqual([
    [1, 740, 9, 26100],
    [2, 740, 19, 52200],
    [3, 740, 24, 89700],
  ]);
  expect(poe.pses[0]?.descr).toBe("Switch 1 - Power Supply A");
  expect(poe.totals).toEqual({ budgetW: 2220, consumptionW: 52, ports: 0, poweredPorts: 0 });
});
field("iosxe_c9200l", "config", (c) => expect(c.sysUpTimeSeconds).toBe(7585438.93));

field("iosxe_isr4321", "calls", (calls) => {
  expect(calls.sip).toBe(2);
  expect(calls).toMatchObject({ supported: true, byProtocol: { h323: 0, sip: 2, telephony: 0 } });
});
field("iosxe_isr4321", "interfaces", (ifs) => {
  expect(ifs).toHaveLength(12);
  expect(ifs.filter((i) => i.type === 104).map((i) => i.name)).toEqual([
    "VoiceOverIpPeer200",
    "VoiceOverIpPeer410",
    "VoiceOverIpPeer440",
    "VoiceOverIpPeer450",
  ]);
  expect(ifs.find((i) => i.ifIndex === 10)?.operStatus).toBe("testing");
  expect(ifs.find((i) => i.ifIndex === 8)?.alias).toMatch(/^SIP-TRUNK:/);
});
field("iosxe_isr4321", "poe", (poe) =>
  expect(poe.pses).toEqual([
    { group: 1, budgetW: 0, operStatus: "off", consumptionW: 0, usageThresholdPct: 0 },
  ]),
);

// The per-VLAN recordings answer "community string indexing" (community@vlan), monitoring.md §2.4.
for (const file of ["ios_c3560@10", "iosxe_c3850@140"])
  cases.push({ file, what: "vlan-context", check: () => {} });

const recordings = skipWhy
  ? []
  : readdirSync(fieldDir)
      .filter((f) => f.endsWith(".snmprec"))
      .map((f) => f.slice(0, -8));
const failed = new Set<string>();

describe.skipIf(skipWhy !== undefined)("SNMP readers on the field recordings (snmpsim)", () => {
  let sim: Snmpsim;
  beforeAll(async () => {
    sim = await startSnmpsim({
      dataDir: fieldDir,
      ready: { community: "ios_2960x", oid: "1.3.6.1.2.1.1.3.0" },
    });
  }, 120_000);
  afterAll(async () => {
    await sim?.stop();
    const passed = recordings.filter((r) => !failed.has(r)).length;
    console.log(`${passed}/${recordings.length} field recordings pass`);
  });

  it("has a case for every recording in the folder", () => {
    expect(new Set(cases.map((c) => c.file))).toEqual(new Set(recordings));
  });

  it.each(cases.map((c) => [`${c.file}: ${c.what}`, c] as const))("%s", async (_name, c) => {
    const vlan = /@(\d+)$/.exec(c.file)?.[1];
    const community = c.file.replace(/@\d+$/, "");
    const base = {
      host: "127.0.0.1",
      port: sim.port,
      version: "2c" as const,
      community,
      timeoutMs: 5000,
      retries: 2,
    };
    const client = NetSnmpClient.open(vlan ? vlanContext(base, Number(vlan)) : base);
    let ok = false;
    try {
      const rec = new Recording(c.file);
      if (c.what === "vlan-context") {
        const rows = await client.walk("1.3.6.1.2.1.17.1.4.1.2", {
          label: "BRIDGE-MIB dot1dBasePortIfIndex",
        });
        expect(rows.length).toBe(rec.count("1.3.6.1.2.1.17.1.4.1.2"));
        expect(rows.length).toBeGreaterThan(0);
      } else c.check((await readDevice(client, c.what)) as never, rec);
      ok = true;
    } finally {
      if (!ok) failed.add(c.file);
      client.close();
    }
  });
});
