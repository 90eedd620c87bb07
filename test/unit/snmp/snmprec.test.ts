import { describe, expect, it } from "vitest";
import { PatchkastError } from "../../../agent/errors.js";
import { FakeSnmpClient } from "../../../drivers/snmp/fake-client.js";
import { compareOids, formatSnmprec, parseSnmprec } from "../../../drivers/snmp/snmprec.js";

describe("parseSnmprec", () => {
  it("reads every snmpsim tag the LibreNMS recordings use, with x (hex) and e (escaped) values", () => {
    const { varbinds } = parseSnmprec(
      [
        "1.3.6.1.2.1.1.1.0|4x|436973636f0a494f53",
        "1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.9.1.1208",
        "1.3.6.1.2.1.1.3.0|67|718475737",
        "1.3.6.1.2.1.1.4.0|4e|a\\tb\\x41\\\\",
        "1.3.6.1.2.1.2.2.1.7.1|2|-1",
        "1.3.6.1.2.1.4.20.1.1.10.0.0.1|64|10.0.0.1",
        "1.3.6.1.2.1.4.20.1.1.10.0.0.2|64x|0a000002",
        "1.3.6.1.2.1.2.2.1.10.1|65|4294967295",
        "1.3.6.1.2.1.105.1.3.1.1.2.1|66|370",
        "1.3.6.1.2.1.31.1.1.1.6.10101|70|18446744073709551615",
        "1.3.6.1.2.1.31.1.1.1.6.10102|70x|ffffffffffffffff",
        "1.3.6.1.2.1.99.1|68x|0102",
        "1.3.6.1.2.1.99.2|5|",
        "",
        "# a comment",
      ].join("\n"),
    );
    const byOid = new Map(varbinds.map((vb) => [vb.oid, vb]));
    expect(byOid.get("1.3.6.1.2.1.1.1.0")).toEqual({
      oid: "1.3.6.1.2.1.1.1.0",
      type: "OctetString",
      value: Buffer.from("Cisco\nIOS"),
    });
    expect(byOid.get("1.3.6.1.2.1.1.2.0")?.value).toBe("1.3.6.1.4.1.9.1.1208");
    expect(byOid.get("1.3.6.1.2.1.1.3.0")).toMatchObject({ type: "TimeTicks", value: 718475737 });
    expect(byOid.get("1.3.6.1.2.1.1.4.0")?.value).toEqual(Buffer.from("a\tbA\\"));
    expect(byOid.get("1.3.6.1.2.1.2.2.1.7.1")?.value).toBe(-1);
    expect(byOid.get("1.3.6.1.2.1.4.20.1.1.10.0.0.2")).toMatchObject({
      type: "IpAddress",
      value: "10.0.0.2",
    });
    expect(byOid.get("1.3.6.1.2.1.2.2.1.10.1")).toMatchObject({ type: "Counter32", value: 4294967295 });
    expect(byOid.get("1.3.6.1.2.1.31.1.1.1.6.10101")).toMatchObject({
      type: "Counter64",
      value: 2n ** 64n - 1n,
    });
    expect(byOid.get("1.3.6.1.2.1.31.1.1.1.6.10102")?.value).toBe(2n ** 64n - 1n);
    expect(byOid.get("1.3.6.1.2.1.99.1")).toMatchObject({ type: "Opaque", value: Buffer.from([1, 2]) });
    expect(byOid.get("1.3.6.1.2.1.99.2")).toMatchObject({ type: "Null", value: null });
  });

  it("keeps the '|' inside a value and reads plain strings as latin-1, as snmpsim does", () => {
    const { varbinds } = parseSnmprec("1.3.6.1.2.1.31.1.1.1.18.1|4|a|b caf\u00e9");
    expect(varbinds[0]?.value).toEqual(Buffer.from("a|b caf\u00e9", "latin1"));
  });

  it("sorts by arc number, not by text", () => {
    const { varbinds } = parseSnmprec("1.3.6.1.10|2|1\n1.3.6.1.9|2|1\n1.3.6.1.9.1|2|1");
    expect(varbinds.map((v) => v.oid)).toEqual(["1.3.6.1.9", "1.3.6.1.9.1", "1.3.6.1.10"]);
    expect(compareOids("1.3.6.1.2", "1.3.6.1.10")).toBeLessThan(0);
  });

  it("names the file and line of a bad record, or skips it when lenient (anonymised MACs in LibreNMS ios.snmprec)", () => {
    const bad = "1.3.6.1.2.1.1.3.0|67|1\n1.3.6.1.2.1.2.2.1.6.1|4x|0011XXYYZZ\n";
    expect(() => parseSnmprec(bad, "ios")).toThrow(PatchkastError);
    expect(() => parseSnmprec(bad, "ios")).toThrow(/ios:2: .*not hex/);
    expect(() => parseSnmprec("1.3.6.1|99|1", "x")).toThrow(/x:1: unknown tag "99"/);
    expect(() => parseSnmprec("not an oid|2|1", "x")).toThrow(/not a numeric OID/);
    const lenient = parseSnmprec(bad, "ios", true);
    expect(lenient.varbinds).toHaveLength(1);
    expect(lenient.skipped).toEqual([expect.stringMatching(/^ios:2:/)]);
  });

  it("formatSnmprec writes what parseSnmprec reads back", () => {
    const text =
      "1.3.6.1.2.1.1.1.0|4|sw1\n1.3.6.1.2.1.1.2.0|4x|00ff7c\n1.3.6.1.2.1.31.1.1.1.6.1|70|12345678901234\n";
    const once = parseSnmprec(text).varbinds;
    expect(parseSnmprec(formatSnmprec(once)).varbinds).toEqual(once);
  });
});

describe("FakeSnmpClient", () => {
  const client = FakeSnmpClient.fromText(
    "1.3.6.1.2.1.1.3.0|67|100\n1.3.6.1.2.1.2.2.1.2.1|4|Gi0/1\n1.3.6.1.2.1.2.2.1.2.2|4|Gi0/2\n1.3.6.1.2.1.2.2.1.3.1|2|6\n",
    "fake-sw",
  );

  it("walks the instances strictly below an OID, in order, like snmpbulkwalk", async () => {
    const rows = await client.walk("1.3.6.1.2.1.2.2.1.2");
    expect(rows.map((r) => r.oid)).toEqual(["1.3.6.1.2.1.2.2.1.2.1", "1.3.6.1.2.1.2.2.1.2.2"]);
    expect(await client.walk("1.3.6.1.2.1.1.3.0")).toEqual([]);
    expect(await client.walk("1.3.6.1.2.1.2.2.1.2.1")).toEqual([]);
  });

  it("answers get with noSuchInstance / noSuchObject like a v2c agent", async () => {
    const [up, noInstance, noObject] = await client.get([
      "1.3.6.1.2.1.1.3.0",
      "1.3.6.1.2.1.1.3.1",
      "1.3.6.1.4.1.9.9.43.1.1.1.0",
    ]);
    expect(up).toMatchObject({ type: "TimeTicks", value: 100 });
    expect(noInstance?.type).toBe("NoSuchInstance");
    expect(noObject?.type).toBe("NoSuchObject");
  });

  it("fails the requests a test picks, and refuses work once closed", async () => {
    const failing = FakeSnmpClient.fromText("1.3.6.1.2.1.1.3.0|67|1").failWhen((oid) =>
      oid.startsWith("1.3.6.1.2.1.2") ? new Error("boom") : undefined,
    );
    await expect(failing.walk("1.3.6.1.2.1.2.2.1.2")).rejects.toThrow("boom");
    expect(await failing.get(["1.3.6.1.2.1.1.3.0"])).toHaveLength(1);
    failing.close();
    await expect(failing.get(["1.3.6.1.2.1.1.3.0"])).rejects.toMatchObject({ code: "PK_ERR_SNMP_REQUEST" });
  });
});
