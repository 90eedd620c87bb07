/**
 * A self-written snmprec recording of a 48-port PoE access switch for bench/snmp, modelled on the
 * ios_2960x field recording (same OID layout: ifIndex 101xx, PoE group.port with CISCO-STACK-MIB
 * portIfIndex, cpeExtPsePortTable's 15 columns, a VTP table with the default VLANs, vlanTrunkPortTable
 * rows for every port) plus what a voice site adds: vmVoiceVlanId and 40 IP phones seen over LLDP-MED.
 * Deterministic: the same text every run.
 */
import { compareOids, formatSnmprec } from "../../drivers/snmp/snmprec.js";
import type { SnmpType, Varbind } from "../../drivers/snmp/types.js";

const ports = 48;
const uplinks = 4;
const phones = 40;

export function switch48Recording(): string {
  const out: Varbind[] = [];
  const add = (oid: string, type: SnmpType, value: Varbind["value"]) => out.push({ oid, type, value });
  const str = (oid: string, s: string) => add(oid, "OctetString", Buffer.from(s, "latin1"));
  const int = (oid: string, n: number) => add(oid, "Integer", n);
  const gauge = (oid: string, n: number) => add(oid, "Gauge32", n);
  const c32 = (oid: string, n: number) => add(oid, "Counter32", n);
  const c64 = (oid: string, n: bigint) => add(oid, "Counter64", n);

  str("1.3.6.1.2.1.1.1.0", "Cisco IOS Software, C2960X Software (C2960X-UNIVERSALK9-M), Version 15.2(7)E8");
  add("1.3.6.1.2.1.1.2.0", "OID", "1.3.6.1.4.1.9.1.1208");
  add("1.3.6.1.2.1.1.3.0", "TimeTicks", 718475737);
  str("1.3.6.1.2.1.1.5.0", "bench-sw48");

  const ifs: { idx: number; descr: string; name: string; type: number; up: boolean }[] = [
    { idx: 1, descr: "Vlan1", name: "Vl1", type: 53, up: true },
  ];
  for (let p = 1; p <= ports + uplinks; p++)
    ifs.push({
      idx: 10100 + p,
      descr: `GigabitEthernet1/0/${p}`,
      name: `Gi1/0/${p}`,
      type: 6,
      up: p % 5 !== 0,
    });
  for (const i of ifs) {
    const t = "1.3.6.1.2.1.2.2.1";
    const x = "1.3.6.1.2.1.31.1.1.1";
    str(`${t}.2.${i.idx}`, i.descr);
    int(`${t}.3.${i.idx}`, i.type);
    gauge(`${t}.5.${i.idx}`, i.up ? 1_000_000_000 : 10_000_000);
    int(`${t}.7.${i.idx}`, 1);
    int(`${t}.8.${i.idx}`, i.up ? 1 : 2);
    add(`${t}.9.${i.idx}`, "TimeTicks", 1000 + i.idx);
    for (const col of [13, 14, 19, 20]) c32(`${t}.${col}.${i.idx}`, (i.idx * col) % 97);
    str(`${x}.1.${i.idx}`, i.name);
    for (const col of [2, 3, 4, 5]) c32(`${x}.${col}.${i.idx}`, i.idx * col);
    for (const col of [6, 7, 8, 9, 10, 11, 12, 13])
      c64(`${x}.${col}.${i.idx}`, BigInt(i.idx) * 1_000_003n * BigInt(col));
    int(`${x}.14.${i.idx}`, 1);
    gauge(`${x}.15.${i.idx}`, i.up ? 1000 : 10);
    int(`${x}.16.${i.idx}`, 2);
    int(`${x}.17.${i.idx}`, 1);
    str(`${x}.18.${i.idx}`, i.idx <= 10100 + phones ? `phone ${i.idx - 10100}` : "");
    add(`${x}.19.${i.idx}`, "TimeTicks", 0);
  }

  gauge("1.3.6.1.2.1.105.1.3.1.1.2.1", 370);
  int("1.3.6.1.2.1.105.1.3.1.1.3.1", 1);
  gauge("1.3.6.1.2.1.105.1.3.1.1.4.1", 115);
  int("1.3.6.1.2.1.105.1.3.1.1.5.1", 0);
  for (let p = 1; p <= ports; p++) {
    const powered = p <= phones;
    const ix = `1.${p}`;
    for (const [col, v] of [
      [3, 1],
      [4, 1],
      [5, 1],
      [6, powered ? 3 : 2],
      [7, 3],
      [8, 1],
      [10, powered ? 3 : 1],
    ] as const)
      int(`1.3.6.1.2.1.105.1.1.1.${col}.${ix}`, v);
    str(`1.3.6.1.2.1.105.1.1.1.9.${ix}`, "");
    for (const col of [11, 12, 13, 14]) c32(`1.3.6.1.2.1.105.1.1.1.${col}.${ix}`, 0);
    const c = "1.3.6.1.4.1.9.9.402.1.2.1";
    int(`${c}.1.${ix}`, 1);
    int(`${c}.2.${ix}`, 1);
    int(`${c}.3.${ix}`, 2);
    int(`${c}.4.${ix}`, powered ? 1 : 2);
    add(`${c}.5.${ix}`, "OctetString", Buffer.from([0]));
    gauge(`${c}.6.${ix}`, 30000);
    gauge(`${c}.7.${ix}`, powered ? 7000 : 0);
    gauge(`${c}.8.${ix}`, powered ? 7000 : 0);
    gauge(`${c}.9.${ix}`, powered ? 2500 + p * 17 : 0);
    gauge(`${c}.10.${ix}`, powered ? 2800 + p * 17 : 0);
    int(`${c}.11.${ix}`, 1009 + p);
    int(`${c}.12.${ix}`, 1);
    int(`${c}.13.${ix}`, 2);
    int(`${c}.14.${ix}`, 1);
    gauge(`${c}.15.${ix}`, 0);
    int(`1.3.6.1.4.1.9.5.1.4.1.1.11.${ix}`, 10100 + p);
  }

  const vlans: [number, string][] = [
    [1, "default"],
    [10, "DATA"],
    [20, "VOICE"],
    [99, "MGMT"],
    [1002, "fddi-default"],
    [1003, "token-ring-default"],
    [1004, "fddinet-default"],
    [1005, "trnet-default"],
  ];
  for (const [id, name] of vlans) {
    int(`1.3.6.1.4.1.9.9.46.1.3.1.1.2.1.${id}`, 1);
    int(`1.3.6.1.4.1.9.9.46.1.3.1.1.3.1.${id}`, 1);
    str(`1.3.6.1.4.1.9.9.46.1.3.1.1.4.1.${id}`, name);
  }
  const allVlans = Buffer.alloc(128, 0xff);
  for (let p = 1; p <= ports + uplinks; p++) {
    const idx = 10100 + p;
    const trunk = p > ports;
    if (!trunk) {
      int(`1.3.6.1.4.1.9.9.68.1.2.2.1.1.${idx}`, 1);
      int(`1.3.6.1.4.1.9.9.68.1.2.2.1.2.${idx}`, 10);
      int(`1.3.6.1.4.1.9.9.68.1.2.2.1.3.${idx}`, 2);
      int(`1.3.6.1.4.1.9.9.68.1.5.1.1.1.${idx}`, 20);
    }
    const t = "1.3.6.1.4.1.9.9.46.1.6.1.1";
    add(`${t}.4.${idx}`, "OctetString", allVlans);
    int(`${t}.5.${idx}`, trunk ? 99 : 1);
    int(`${t}.13.${idx}`, trunk ? 1 : 2);
    int(`${t}.14.${idx}`, trunk ? 1 : 2);
    int(`${t}.16.${idx}`, trunk ? 4 : 6);
    for (const col of [17, 18, 19]) add(`${t}.${col}.${idx}`, "OctetString", allVlans);
  }

  for (let p = 1; p <= ports + uplinks; p++) {
    int(`1.0.8802.1.1.2.1.3.7.1.2.${p}`, 5);
    str(`1.0.8802.1.1.2.1.3.7.1.3.${p}`, `Gi1/0/${p}`);
    str(`1.0.8802.1.1.2.1.3.7.1.4.${p}`, `GigabitEthernet1/0/${p}`);
  }
  const rem = "1.0.8802.1.1.2.1.4.1.1";
  const med = "1.0.8802.1.1.2.1.5.4795.1.3";
  for (let p = 1; p <= phones; p++) {
    const ix = `0.${p}.${p}`;
    const macBytes = Buffer.from([0x80, 0x5e, 0xc0, 0, 0, p]);
    int(`${rem}.4.${ix}`, 5);
    add(`${rem}.5.${ix}`, "OctetString", Buffer.from([1, 192, 168, 20, p]));
    int(`${rem}.6.${ix}`, 3);
    add(`${rem}.7.${ix}`, "OctetString", macBytes);
    str(`${rem}.8.${ix}`, "WAN PORT");
    str(`${rem}.9.${ix}`, "SIP-T54W");
    str(`${rem}.10.${ix}`, "SIP-T54W 96.86.0.100");
    add(`${rem}.11.${ix}`, "OctetString", Buffer.from([0x24, 0]));
    add(`${rem}.12.${ix}`, "OctetString", Buffer.from([0x24, 0]));
    int(`1.0.8802.1.1.2.1.4.2.1.3.${ix}.1.4.192.168.20.${p}`, 2);
    add(`${med}.1.1.2.${ix}`, "OctetString", Buffer.from([0xcc]));
    int(`${med}.1.1.3.${ix}`, 3);
    for (const [col, v] of [
      [2, 20],
      [3, 5],
      [4, 46],
      [5, 2],
      [6, 1],
    ] as const)
      int(`${med}.2.1.${col}.${ix}.1.64`, v);
    const inv = [
      "54.0.0.0.0.0.0",
      "96.86.0.100",
      "96.86.0.100",
      `805EC00000${p.toString(16).padStart(2, "0")}`,
      "Yealink",
      "SIP-T54W",
    ];
    for (const [i, v] of inv.entries()) str(`${med}.3.1.${i + 1}.${ix}`, v);
  }
  // SNMP-FRAMEWORK-MIB snmpEngineTime, as iosxe_c9200l has it: walks of absent Cisco subtrees then end by
  // leaving the subtree instead of at endOfMibView, which snmpbulkwalk would print max-repetitions times.
  int("1.3.6.1.6.3.10.2.1.3.0", 7334995);
  // snmpsim indexes the file in line order, so it must be sorted the way agents order OIDs.
  return formatSnmprec(out.sort((a, b) => compareOids(a.oid, b.oid)));
}
