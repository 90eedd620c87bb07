/**
 * Readers against the self-written Catalyst fixture (test/fixtures/snmp/cat2960x-voice.snmprec), which
 * covers what the public recordings lack: voice VLAN per port, trunk status, Cisco pethPsePortTable.
 */
import { describe, expect, it } from "vitest";
import { parseInterfaces, readInterfaces } from "../../../drivers/snmp/if-mib.js";
import { readPoe } from "../../../drivers/snmp/poe.js";
import { readVlans, vlanRanges, vlansFromBitmaps, voiceVlanOf } from "../../../drivers/snmp/vlan.js";
import { fixtureClient } from "./helpers.js";

describe("IF-MIB", () => {
  it("reads names, statuses, speed and 64-bit counters per ifIndex", async () => {
    const ifs = await readInterfaces(fixtureClient("cat2960x-voice"));
    expect(ifs).toHaveLength(11);
    expect(ifs.find((i) => i.ifIndex === 10149)).toEqual({
      ifIndex: 10149,
      name: "Gi1/0/49",
      descr: "GigabitEthernet1/0/49",
      alias: "uplink havenbedrijf-rtr1",
      type: 6,
      adminStatus: "up",
      operStatus: "up",
      speedMbps: 1000,
      inOctets: 98765432101234n,
      outOctets: 12345678909876n,
      counterBits: 64,
      inErrors: 0,
      inDiscards: 0,
      outDiscards: 12,
    });
    expect(ifs.find((i) => i.ifIndex === 10108)).toMatchObject({ adminStatus: "down", operStatus: "down" });
  });

  it("falls back to 32-bit octets only when the device has no HC counters (as iosxe_c3850)", async () => {
    const hc = /^1\.3\.6\.1\.2\.1\.31\.1\.1\.1\.(6|10)\./;
    const client = fixtureClient("cat2960x-voice", (vb) => !hc.test(vb.oid));
    const ifs = await readInterfaces(client);
    expect(client.requests.some((r) => r.oid === "1.3.6.1.2.1.2.2.1.10")).toBe(true);
    expect(ifs[0]?.counterBits).toBeUndefined();
    const thirtyTwo = parseInterfaces([
      { oid: "1.3.6.1.2.1.2.2.1.10.7", type: "Counter32", value: 4294967295 },
    ]);
    expect(thirtyTwo).toEqual([{ ifIndex: 7, inOctets: 4294967295n, counterBits: 32 }]);
    const withHc = fixtureClient("cat2960x-voice");
    await readInterfaces(withHc);
    expect(withHc.requests.some((r) => r.oid === "1.3.6.1.2.1.2.2.1.10")).toBe(false);
  });

  it("keeps rows that lack most columns (ios_c3560 has no admin status, speed or counters)", () => {
    const ifs = parseInterfaces([{ oid: "1.3.6.1.2.1.2.2.1.8.10001", type: "Integer", value: 2 }]);
    expect(ifs).toEqual([{ ifIndex: 10001, operStatus: "down" }]);
    expect(
      parseInterfaces([{ oid: "1.3.6.1.2.1.2.2.1.8.9", type: "Integer", value: 9 }])[0]?.operStatus,
    ).toBe("unknown(9)");
  });
});

describe("PoE", () => {
  it("reads the PSE budget and every port's detection status, class and milliwatts", async () => {
    const poe = await readPoe(fixtureClient("cat2960x-voice"));
    expect(poe.pses).toEqual([
      { group: 1, budgetW: 370, operStatus: "on", consumptionW: 27, usageThresholdPct: 90 },
    ]);
    expect(poe.totals).toEqual({ budgetW: 370, consumptionW: 27, ports: 8, poweredPorts: 5 });
    expect(poe.ports.map((p) => p.detectionStatus)).toEqual([
      "deliveringPower",
      "deliveringPower",
      "deliveringPower",
      "deliveringPower",
      "searching",
      "deliveringPower",
      "fault",
      "disabled",
    ]);
    expect(poe.ports[5]).toMatchObject({
      ifIndex: 10106,
      powerClass: 4,
      consumptionMw: 12950,
      allocatedMw: 30000,
    });
    expect(poe.ports[7]).toMatchObject({ adminEnable: false, mode: "disable", powered: false });
  });

  it("maps PoE ports to ifIndex through ENTITY-MIB when CISCO-STACK-MIB portIfIndex is absent", async () => {
    const client = fixtureClient("cat2960x-voice", (vb) => !vb.oid.startsWith("1.3.6.1.4.1.9.5.1.4.1.1.11."));
    const poe = await readPoe(client);
    expect(poe.ports.map((p) => p.ifIndex)).toEqual([10101, 10102, 10103, 10104, 10105, 10106, 10107, 10108]);
    expect(client.requests.map((r) => r.oid)).toContain("1.3.6.1.2.1.47.1.3.2.1.2");
  });

  it("without pethPsePortTable (ios_2960x) a port is powered when it draws power", async () => {
    const client = fixtureClient("cat2960x-voice", (vb) => !vb.oid.startsWith("1.3.6.1.2.1.105.1.1."));
    const poe = await readPoe(client);
    expect(poe.ports.filter((p) => p.powered).map((p) => p.port)).toEqual([1, 2, 3, 4, 6]);
    expect(poe.ports[0]?.detectionStatus).toBeUndefined();
  });

  it("reports no ports and no mapping walks on a device without PoE", async () => {
    const client = fixtureClient("isr4321-cbqos");
    expect(await readPoe(client)).toEqual({
      pses: [],
      ports: [],
      totals: { budgetW: 0, consumptionW: 0, ports: 0, poweredPorts: 0 },
    });
    expect(client.requests.some((r) => r.oid.startsWith("1.3.6.1.4.1.9.5"))).toBe(false);
  });
});

describe("VLANs", () => {
  it("reads VTP names, access VLAN, voice VLAN and trunk status per port", async () => {
    const v = await readVlans(fixtureClient("cat2960x-voice"));
    expect(v.vlans.map((x) => `${x.id}:${x.name}`)).toEqual([
      "1:default",
      "10:DATA",
      "20:VOICE",
      "99:MGMT",
      "1002:fddi-default",
      "1003:token-ring-default",
      "1004:fddinet-default",
      "1005:trnet-default",
    ]);
    const port = (ifIndex: number) => v.ports.find((p) => p.ifIndex === ifIndex);
    expect(port(10101)).toMatchObject({
      mode: "access",
      accessVlan: 10,
      voiceVlan: { kind: "vlan", vlan: 20 },
      portStatus: "active",
    });
    expect(port(10105)?.voiceVlan).toEqual({ kind: "none" });
    expect(port(10106)?.voiceVlan).toEqual({ kind: "dot1p" });
    expect(port(10107)?.voiceVlan).toEqual({ kind: "untagged" });
    expect(port(10108)?.portStatus).toBe("shutdown");
    expect(port(10149)).toEqual({
      ifIndex: 10149,
      mode: "trunk",
      trunk: {
        dynamicStatus: "trunking",
        dynamicState: "on",
        nativeVlan: 99,
        encapsulation: "dot1Q",
        allowedVlans: "10,20,99",
      },
    });
    expect(port(10150)?.trunk).toMatchObject({ dynamicState: "desirable", dynamicStatus: "notTrunking" });
    expect(port(10150)?.mode).toBe("access");
  });

  it("decodes the VTP bitmaps and voice VLAN special values", () => {
    const first = Buffer.alloc(128);
    first[0] = 0x40; // VLAN 1
    first[127] = 0x01; // VLAN 1023
    const fourth = Buffer.alloc(128);
    fourth[127] = 0x02; // VLAN 3072 + 1022 = 4094
    expect(vlansFromBitmaps([first, undefined, undefined, fourth])).toEqual([1, 1023, 4094]);
    expect(vlanRanges([1, 2, 3, 5, 7, 8])).toBe("1-3,5,7-8");
    expect([0, 1, 4094, 4095, 4096].map(voiceVlanOf)).toEqual([
      { kind: "dot1p" },
      { kind: "vlan", vlan: 1 },
      { kind: "vlan", vlan: 4094 },
      { kind: "untagged" },
      { kind: "none" },
    ]);
  });
});
