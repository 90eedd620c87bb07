/** LLDP (with LLDP-MED of two IP phones) and CDP against test/fixtures/snmp/cat2960x-voice.snmprec. */
import { describe, expect, it } from "vitest";
import { cdpCapabilities, readCdp } from "../../../drivers/snmp/cdp.js";
import { parseLldp, readLldp } from "../../../drivers/snmp/lldp.js";
import type { Varbind } from "../../../drivers/snmp/types.js";
import { fixtureClient } from "./helpers.js";

describe("LLDP", () => {
  it("reads both phones with their LLDP-MED network policy under the 4795 arc", async () => {
    const [yealink, poly] = await readLldp(fixtureClient("cat2960x-voice"));
    expect(yealink).toMatchObject({
      localPortNum: 1,
      localPort: "Gi1/0/1",
      ifIndex: 10101,
      chassisId: "192.168.20.21",
      portId: "80:5e:c0:a1:b2:c3",
      sysName: "SIP-T54W",
      capabilities: { supported: ["bridge", "telephone"], enabled: ["bridge", "telephone"] },
      managementAddresses: ["192.168.20.21"],
    });
    expect(yealink?.med?.deviceClass).toBe("endpointClass3");
    expect(yealink?.med?.policies).toEqual([
      { application: "voiceSignaling", vlan: 20, priority: 3, dscp: 26, unknown: false, tagged: true },
      { application: "voice", vlan: 20, priority: 5, dscp: 46, unknown: false, tagged: true },
    ]);
    expect(yealink?.med?.inventory).toMatchObject({
      manufacturer: "Yealink",
      model: "SIP-T54W",
      firmwareRev: "96.86.0.100",
    });
    expect(poly).toMatchObject({
      localPortNum: 2,
      ifIndex: 10102,
      remIndex: 7,
      chassisId: "64:16:7f:aa:bb:cc",
      portId: "1",
      sysName: "",
      capabilities: { enabled: ["telephone"] },
    });
    expect(poly?.med?.policies).toEqual([
      { application: "voice", vlan: 20, priority: 5, dscp: 46, unknown: false, tagged: true },
    ]);
    expect(poly?.med?.inventory.model).toBe("VVX450");
  });

  it("maps lldpRemLocalPortNum through lldpLocPortId, never as an ifIndex (ios_c3560: port 1 = Gi0/1 = 10101)", () => {
    const vb = (oid: string, value: Varbind["value"], type: Varbind["type"] = "OctetString"): Varbind => ({
      oid,
      type,
      value,
    });
    const rows = [
      vb("1.0.8802.1.1.2.1.3.7.1.3.1", Buffer.from("Gi0/1")),
      vb("1.0.8802.1.1.2.1.4.1.1.5.0.1.1", Buffer.from("sw2")),
      vb("1.0.8802.1.1.2.1.4.1.1.5.0.5.2", Buffer.from("sw3")),
    ];
    const found = parseLldp(rows, [
      { ifIndex: 10101, name: "Gi0/1" },
      { ifIndex: 1, name: "Vl1" },
    ]);
    expect(found.map((n) => [n.localPortNum, n.ifIndex, n.chassisId, n.med])).toEqual([
      [1, 10101, "sw2", undefined],
      [5, undefined, "sw3", undefined],
    ]);
  });

  it("accepts the media-policy application as one arc too (raw BITS byte or bit number)", () => {
    const base = "1.0.8802.1.1.2.1.5.4795.1.3.2.1.2.0.1.1";
    const rows: Varbind[] = [
      { oid: "1.0.8802.1.1.2.1.4.1.1.5.0.1.1", type: "OctetString", value: Buffer.from("phone") },
      { oid: `${base}.64`, type: "Integer", value: 20 },
      { oid: `${base}.2`, type: "Integer", value: 21 },
    ];
    expect(parseLldp(rows)[0]?.med?.policies.map((p) => [p.application, p.vlan])).toEqual([
      ["voice", 20],
      ["voiceSignaling", 21],
    ]);
  });

  it("returns nothing and walks no interfaces when the device has no LLDP neighbours", async () => {
    const client = fixtureClient("isr4321-cbqos");
    expect(await readLldp(client)).toEqual([]);
    expect(client.requests.some((r) => r.oid.startsWith("1.3.6.1.2.1.31"))).toBe(false);
  });
});

describe("CDP", () => {
  it("reads the phone's voice VLAN and power and the router uplink, keyed by the local ifIndex", async () => {
    const cdp = await readCdp(fixtureClient("cat2960x-voice"));
    expect(cdp).toHaveLength(2);
    expect(cdp[0]).toMatchObject({
      ifIndex: 10103,
      deviceId: "SEP0023AB123456",
      address: "192.168.20.23",
      platform: "Cisco IP Phone 7841",
      devicePort: "Port 1",
      capabilities: ["host", "phone", "twoPortMacRelay"],
      voiceVlan: 20,
      powerMw: 3500,
      duplex: "fullduplex",
    });
    expect(cdp[1]).toMatchObject({
      ifIndex: 10149,
      platform: "cisco ISR4321/K9",
      nativeVlan: 99,
      capabilities: ["router", "switch", "igmp"],
    });
  });

  it("decodes the capability bits as ios_2960x's APs (0x26) and WS-C3850 (0x29) answer them", () => {
    expect(cdpCapabilities(Buffer.from("00000026", "hex"))).toEqual([
      "transBridge",
      "sourceRouteBridge",
      "igmp",
    ]);
    expect(cdpCapabilities(Buffer.from("00000029", "hex"))).toEqual(["router", "switch", "igmp"]);
    expect(cdpCapabilities(Buffer.alloc(0))).toEqual([]);
  });
});
