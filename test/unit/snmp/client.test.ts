/**
 * The real client (NetSnmpClient over net-snmp) against net-snmp's own Agent as an in-process v2c/v3
 * double (../shared/reference/libraries.md §1), and against a UDP socket that never answers. The
 * same client against snmpsim and the real recordings is test/field/snmp.test.ts.
 */
import { createSocket, type Socket } from "node:dgram";
import { inspect } from "node:util";
import snmp from "net-snmp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NetSnmpClient, type SnmpTarget, type SnmpV3User } from "../../../drivers/snmp/client.js";

const community = "c0mmunity-Secret";
const authKey = "auth-Secret-123";
const privKey = "priv-Secret-456";

let agent: ReturnType<typeof snmp.createAgent>;
let port = 0;
let silent: Socket;
let silentPort = 0;

async function freeUdpPort(): Promise<number> {
  const s = createSocket("udp4");
  await new Promise<void>((r) => s.bind(0, "127.0.0.1", r));
  const p = s.address().port;
  await new Promise<void>((r) => s.close(() => r()));
  return p;
}

beforeAll(async () => {
  port = await freeUdpPort();
  agent = snmp.createAgent({ port, address: "127.0.0.1" }, () => {});
  agent.getAuthorizer().addCommunity(community);
  agent.getAuthorizer().addUser({
    name: "pk",
    level: snmp.SecurityLevel.authPriv,
    authProtocol: snmp.AuthProtocols.sha,
    authKey,
    privProtocol: snmp.PrivProtocols.aes,
    privKey,
  });
  const mib = agent.getMib();
  mib.registerProvider({
    name: "sysUpTime",
    type: snmp.MibProviderType.Scalar,
    oid: "1.3.6.1.2.1.1.3",
    scalarType: snmp.ObjectType.TimeTicks,
    maxAccess: snmp.MaxAccess["read-only"],
  });
  mib.setScalarValue("sysUpTime", 718475737);
  mib.registerProvider({
    name: "sysName",
    type: snmp.MibProviderType.Scalar,
    oid: "1.3.6.1.2.1.1.5",
    scalarType: snmp.ObjectType.OctetString,
    maxAccess: snmp.MaxAccess["read-only"],
  });
  mib.setScalarValue("sysName", "sw1");
  silent = createSocket("udp4");
  await new Promise<void>((r) => silent.bind(0, "127.0.0.1", r));
  silentPort = silent.address().port;
});

afterAll(() => {
  agent?.close();
  silent?.close();
});

const v2c = (extra: Partial<SnmpTarget> = {}): SnmpTarget => ({
  host: "127.0.0.1",
  port,
  version: "2c",
  community,
  timeoutMs: 300,
  retries: 0,
  ...extra,
});
const user = (keys: { authKey?: string; privKey?: string } = {}): SnmpV3User => ({
  name: "pk",
  authProtocol: "sha",
  authKey: keys.authKey ?? authKey,
  privProtocol: "aes",
  privKey: keys.privKey ?? privKey,
});
const v3 = (keys: { authKey?: string; privKey?: string } = {}): SnmpTarget => ({
  host: "127.0.0.1",
  port,
  version: "3",
  user: user(keys),
  timeoutMs: 300,
  retries: 0,
});

function expectNoSecrets(text: string) {
  for (const s of [community, authKey, privKey, "wrong-Secret"]) expect(text).not.toContain(s);
}

describe("NetSnmpClient", () => {
  it("gets and walks over v2c, values in our shapes", async () => {
    const client = NetSnmpClient.open(v2c());
    try {
      const [up, name, missing] = await client.get([
        "1.3.6.1.2.1.1.3.0",
        "1.3.6.1.2.1.1.5.0",
        "1.3.6.1.2.1.1.6.0",
      ]);
      expect(up).toEqual({ oid: "1.3.6.1.2.1.1.3.0", type: "TimeTicks", value: 718475737 });
      expect(name).toEqual({ oid: "1.3.6.1.2.1.1.5.0", type: "OctetString", value: Buffer.from("sw1") });
      expect(missing?.type).toMatch(/^NoSuch/);
      const walked = await client.walk("1.3.6.1.2.1.1", { label: "SNMPv2-MIB system" });
      expect(walked.map((v) => v.oid)).toEqual(["1.3.6.1.2.1.1.3.0", "1.3.6.1.2.1.1.5.0"]);
    } finally {
      client.close();
    }
  });

  it("a walk past the agent's last object ends, though net-snmp's Agent answers noSuchObject there", async () => {
    // net-snmp's Agent (and the lab's, built on it) answers GETBULK past its last object with the
    // requested OID as noSuchObject instead of endOfMibView; net-snmp's walk then asked again, forever.
    const client = NetSnmpClient.open(v2c());
    try {
      const hung = new Promise((_, reject) => setTimeout(() => reject(new Error("walk did not end")), 2000));
      const walked = await Promise.race([client.walk("1.3.6.1.4.1.9.9.166.1.1.1.1.3"), hung]);
      expect(walked).toEqual([]);
    } finally {
      client.close();
    }
  });

  it("gets over v3 authPriv SHA/AES", async () => {
    const client = NetSnmpClient.open(v3());
    try {
      expect((await client.get(["1.3.6.1.2.1.1.3.0"]))[0]?.value).toBe(718475737);
    } finally {
      client.close();
    }
  });

  it("reports a silent agent as a timeout naming what, where and how long, without the community", async () => {
    const client = NetSnmpClient.open(v2c({ port: silentPort, timeoutMs: 200, retries: 1 }));
    try {
      const err = await client.walk("1.3.6.1.2.1.2.2", { label: "IF-MIB ifTable" }).catch((e: unknown) => e);
      expect(err).toMatchObject({
        code: "PK_ERR_SNMP_TIMEOUT",
        message: `walking IF-MIB ifTable on 127.0.0.1:${silentPort}: timeout after 0.4 s (unreachable, or a wrong community: agents drop those silently)`,
      });
      expectNoSecrets(inspect(err, { depth: 5 }));
    } finally {
      client.close();
    }
  });

  it("a v3 agent that answers discovery but not the request is an authentication error, not a timeout", async () => {
    // net-snmp's Agent drops a wrong digest silently (snmpd and snmpsim send a report: test/field/snmp-v3.test.ts).
    for (const keys of [{ authKey: "wrong-Secret-1" }, { privKey: "wrong-Secret-2" }]) {
      const client = NetSnmpClient.open(v3(keys));
      try {
        const err = await client.get(["1.3.6.1.2.1.1.3.0"], "sysUpTime").catch((e: unknown) => e);
        expect(err).toMatchObject({ code: "PK_ERR_SNMP_AUTH" });
        expect((err as Error).message).toMatch(
          /^getting sysUpTime on 127\.0\.0\.1:\d+: the agent answered SNMPv3 engine discovery/,
        );
        expectNoSecrets(inspect(err, { depth: 5 }));
      } finally {
        client.close();
      }
    }
  });

  it("refuses unusable settings before sending anything", () => {
    expect(() => NetSnmpClient.open({ host: "10.0.0.2", version: "2c" })).toThrow(/v2c needs a community/);
    expect(() => NetSnmpClient.open({ ...v3(), user: { ...user(), privKey: "" } })).toThrow(
      /auth and privacy keys/,
    );
    const des = { ...v3(), user: { ...user(), privProtocol: "des" as "aes" } };
    expect(() => NetSnmpClient.open(des)).toThrow(/DES privacy needs --openssl-legacy-provider/);
  });

  it("never shows a secret when inspected", () => {
    const client = NetSnmpClient.open({ ...v3(), name: "sw1" });
    try {
      expect(client.target).toBe(`sw1 (127.0.0.1:${port})`);
      expectNoSecrets(inspect(client, { depth: 5 }) + JSON.stringify(client));
    } finally {
      client.close();
    }
  });
});
