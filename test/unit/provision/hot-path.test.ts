/**
 * Hand-written replacements on the per-request path must say exactly what the library calls they replaced
 * said: parseIpv4 what net.isIPv4 accepts, auditLine what JSON.stringify writes.
 */
import { isIPv4 } from "node:net";
import { describe, expect, it } from "vitest";
import { memoByString } from "../../../agent/memo.js";
import { type AuditRecord, auditLine } from "../../../agent/provision/audit-log.js";
import { contains, ipToInt, parseCidr, parseIpv4, withoutIpv4Mapping } from "../../../agent/site/ip.js";
import { pseudoRandomBytes } from "../../helpers/tftp-fixtures.js";

describe("parseIpv4", () => {
  const samples = [
    "10.60.20.10",
    "0.0.0.0",
    "255.255.255.255",
    "127.0.0.1",
    "1.2.3",
    "1.2.3.4.5",
    "01.2.3.4",
    "1.2.3.04",
    "256.1.1.1",
    "1.2.3.256",
    "1..2.3",
    ".1.2.3",
    "1.2.3.",
    "",
    "a.b.c.d",
    "1.2.3.4 ",
    " 1.2.3.4",
    "::1",
    "::ffff:10.0.0.1",
    "1.2.3.1000",
    "0.0.0.00",
    "100.200.250.255",
    "9.9.9.9\n",
    "1e1.2.3.4",
    "+1.2.3.4",
  ];
  it("accepts exactly what isIPv4 accepts, with ipToInt's value", () => {
    for (const s of samples) {
      expect(parseIpv4(s) !== undefined, s).toBe(isIPv4(s));
      if (isIPv4(s)) expect(parseIpv4(s), s).toBe(ipToInt(s));
    }
  });
  it("agrees with isIPv4 on 20,000 random dotted strings", () => {
    const bytes = pseudoRandomBytes(80_000, 42);
    for (let i = 0; i < 20_000; i++) {
      const parts = [0, 1, 2, 3].map((k) => {
        const b = bytes[i * 4 + k] as number;
        return b < 200 ? String(b + (b % 7 === 0 ? 100 : 0)) : b % 2 ? `0${b % 10}` : "x";
      });
      const s = parts.slice(0, 3 + (i % 2)).join(".");
      expect(parseIpv4(s) !== undefined, s).toBe(isIPv4(s));
    }
  });
  it("contains() still matches subnets", () => {
    const net = parseCidr("10.60.20.0/24");
    if (!net) throw new Error("cidr");
    expect(contains(net, "10.60.20.77")).toBe(true);
    expect(contains(net, "10.60.21.1")).toBe(false);
    expect(contains(net, "10.60.20.077")).toBe(false);
    expect(contains(net, "not an address")).toBe(false);
  });
});

describe("auditLine", () => {
  const base: AuditRecord = {
    time: "2026-11-22T10:00:00.000Z",
    protocol: "http",
    source: "10.60.20.31",
    method: "GET",
    path: "0015656b2001.cfg",
    result: "served",
    status: 200,
    bytes: 2345,
    family: "yealink",
    device: "0015656b2001",
    model: "SIP-T46S",
    firmware: "66.86.0.15",
    userAgent: "Yealink SIP-T46S 66.86.0.15 00:15:65:6b:20:01",
    reason: undefined,
  };
  const hostile = [
    '"',
    "\\",
    "\u0000",
    "\u001f",
    "\u007f",
    "\u2028",
    "caf\u00e9",
    "\ud800",
    "\udfff x",
    "\ud83d\ude00",
    "</script>",
    "a\r\nb",
  ];
  it("writes what JSON.stringify writes, for absent fields and hostile strings", () => {
    expect(auditLine(base)).toBe(`${JSON.stringify(base)}\n`);
    const sparse: AuditRecord = {
      time: base.time,
      protocol: "tftp",
      source: "1.2.3.4",
      method: "RRQ",
      path: "x",
      result: "not-found",
      status: 404,
      bytes: 0,
    };
    expect(auditLine(sparse)).toBe(`${JSON.stringify(sparse)}\n`);
    for (const s of hostile) {
      const r: AuditRecord = { ...base, path: s, userAgent: s, reason: s, model: s, source: s };
      expect(auditLine(r), JSON.stringify(s)).toBe(`${JSON.stringify(r)}\n`);
      expect(JSON.parse(auditLine(r))).toEqual(JSON.parse(JSON.stringify(r)));
    }
  });
});

describe("withoutIpv4Mapping", () => {
  it("turns an IPv4-mapped peer into its IPv4 address and leaves others alone", () => {
    expect(withoutIpv4Mapping("::ffff:10.60.20.31")).toBe("10.60.20.31");
    expect(withoutIpv4Mapping("10.60.20.31")).toBe("10.60.20.31");
    expect(withoutIpv4Mapping("fe80::1")).toBe("fe80::1");
  });
});

describe("memoByString", () => {
  it("computes each short key once, long keys every time, and empties itself when full", () => {
    const calls: string[] = [];
    const memo = memoByString(
      (k) => {
        calls.push(k);
        return k.length === 1 ? undefined : k.length;
      },
      { limit: 2, maxKeyLength: 4 },
    );
    expect([memo("a"), memo("a"), memo("bb"), memo("bb")]).toEqual([undefined, undefined, 2, 2]);
    expect(calls).toEqual(["a", "bb"]);
    expect([memo("long key"), memo("long key")]).toEqual([8, 8]);
    expect(calls).toEqual(["a", "bb", "long key", "long key"]);
    memo("ccc"); // full: emptied, then ccc kept
    memo("a");
    expect(calls.slice(4)).toEqual(["ccc", "a"]);
  });
});
