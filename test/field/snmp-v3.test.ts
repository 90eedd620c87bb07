/**
 * SNMPv3 authPriv (SHA/AES) against real agents: snmpsim serving our own fixtures (test/fixtures/snmp,
 * which also proves they are valid snmprec for snmpsim) and Debian's snmpd with a createUser line in a
 * temporary config. A wrong key must come back as PK_ERR_SNMP_AUTH, not as a timeout:
 * - wrong auth key, snmpd: a usmStatsWrongDigests report PDU (RFC 3414 §3.2 step 6) → "Wrong Digest";
 * - wrong auth key, snmpsim: an answer whose digest does not verify with our key;
 * - wrong privacy key, both: silence after a successful engine discovery.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packageRoot } from "../../agent/paths.js";
import { NetSnmpClient, type SnmpTarget } from "../../drivers/snmp/client.js";
import { FakeSnmpClient, readDevice } from "../../drivers/snmp/index.js";
import {
  findSnmpsim,
  freeUdpPort,
  hasProgram,
  type Snmpsim,
  startSnmpsim,
} from "../unit/snmp/snmpsim-process.js";

const fixtures = join(packageRoot, "test", "fixtures", "snmp");
const keys = { user: "pkfield", authKey: "field-auth-key-1", privKey: "field-priv-key-2" };
const target = (port: number, over: Partial<typeof keys> = {}, context = ""): SnmpTarget => ({
  host: "127.0.0.1",
  port,
  version: "3",
  context,
  user: {
    name: over.user ?? keys.user,
    authProtocol: "sha",
    authKey: over.authKey ?? keys.authKey,
    privProtocol: "aes",
    privKey: over.privKey ?? keys.privKey,
  },
  timeoutMs: 1500,
  retries: 1,
});

async function failure(t: SnmpTarget): Promise<{ code?: string; message: string }> {
  const client = NetSnmpClient.open(t);
  try {
    await client.get(["1.3.6.1.2.1.1.3.0"], "SNMPv2-MIB sysUpTime");
    return { message: "no error" };
  } catch (err) {
    const e = err as { code?: string; message: string };
    for (const secret of [keys.authKey, keys.privKey, "wrong-key-xyz"])
      expect(e.message).not.toContain(secret);
    return e;
  } finally {
    client.close();
  }
}

const snmpsim = findSnmpsim();
if (!snmpsim) console.warn("SNMPv3 snmpsim tests skipped: snmpsim is not installed (Debian package snmpsim)");

describe.skipIf(!snmpsim)("SNMPv3 against snmpsim serving test/fixtures/snmp", () => {
  let sim: Snmpsim;
  beforeAll(async () => {
    sim = await startSnmpsim({
      dataDir: fixtures,
      ready: { community: "isr4321-cbqos", oid: "1.3.6.1.2.1.1.3.0" },
      v3: keys,
    });
  }, 60_000);
  afterAll(async () => sim?.stop());

  it("reads the calls and QoS of the ISR fixture over authPriv, context = recording name", async () => {
    const client = NetSnmpClient.open(target(sim.port, {}, "isr4321-cbqos"));
    try {
      expect((await readDevice(client, "calls")).sip).toBe(3);
      const qos = await readDevice(client, "qos");
      expect(qos.policies.flatMap((p) => p.classes.filter((c) => c.priority).map((c) => c.name))).toEqual([
        "VOICE",
      ]);
    } finally {
      client.close();
    }
  });

  it("serves our Catalyst fixture over UDP exactly as FakeSnmpClient reads it", async () => {
    const client = NetSnmpClient.open({
      host: "127.0.0.1",
      port: sim.port,
      version: "2c",
      community: "cat2960x-voice",
    });
    const fake = FakeSnmpClient.fromFile(join(fixtures, "cat2960x-voice.snmprec"));
    try {
      for (const what of ["lldp", "vlans", "poe", "cdp", "interfaces"] as const)
        expect(await readDevice(client, what)).toEqual(await readDevice(fake, what));
    } finally {
      client.close();
    }
  });

  it("a wrong auth key is an authentication error", async () => {
    const err = await failure(target(sim.port, { authKey: "wrong-key-xyz" }, "isr4321-cbqos"));
    expect(err).toMatchObject({ code: "PK_ERR_SNMP_AUTH" });
    expect(err.message).toMatch(
      /SNMPv3 authentication failed: the answer's authentication digest does not verify/,
    );
  });

  it("a wrong privacy key is an authentication error too (the agent answered discovery, then nothing)", async () => {
    const err = await failure(target(sim.port, { privKey: "wrong-key-xyz" }, "isr4321-cbqos"));
    expect(err).toMatchObject({ code: "PK_ERR_SNMP_AUTH" });
    expect(err.message).toMatch(/answered SNMPv3 engine discovery but not the request/);
  });
});

const snmpd = hasProgram("snmpd") ? "snmpd" : hasProgram("/usr/sbin/snmpd") ? "/usr/sbin/snmpd" : undefined;
if (!snmpd) console.warn("SNMPv3 snmpd tests skipped: snmpd is not installed (Debian package snmpd)");

describe.skipIf(!snmpd)("SNMPv3 against Debian snmpd", () => {
  let port = 0;
  let dir = "";
  let stop: () => Promise<void> = async () => {};
  beforeAll(async () => {
    port = await freeUdpPort();
    dir = mkdtempSync(join(tmpdir(), "pk-snmpd-"));
    const conf = join(dir, "snmpd.conf");
    writeFileSync(
      conf,
      `agentAddress udp:127.0.0.1:${port}\ncreateUser ${keys.user} SHA "${keys.authKey}" AES "${keys.privKey}"\nrouser ${keys.user} priv\n`,
    );
    const env = { ...process.env, SNMP_PERSISTENT_DIR: dir, MIBS: "", MIBDIRS: dir };
    const child = spawn(snmpd as string, ["-f", "-Lo", "-C", "-c", conf, "-p", join(dir, "pid")], {
      env,
      stdio: "ignore",
    });
    const exited = new Promise<void>((r) => child.once("exit", () => r()));
    stop = async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
      rmSync(dir, { recursive: true, force: true });
    };
    for (let i = 0; i < 50 && (await failure(target(port))).message !== "no error"; i++)
      await new Promise((r) => setTimeout(r, 100));
  }, 30_000);
  afterAll(async () => stop());

  it("reads sysUpTime with the right keys", async () => {
    expect(await failure(target(port))).toEqual({ message: "no error" });
  });

  it("maps the usmStatsWrongDigests report of a wrong auth key to PK_ERR_SNMP_AUTH", async () => {
    const err = await failure(target(port, { authKey: "wrong-key-xyz" }));
    expect(err).toMatchObject({ code: "PK_ERR_SNMP_AUTH" });
    expect(err.message).toMatch(
      /^getting SNMPv2-MIB sysUpTime on 127\.0\.0\.1:\d+: SNMPv3 authentication failed: the agent reports Wrong Digest/,
    );
  });

  it("maps an unknown user and a wrong privacy key to PK_ERR_SNMP_AUTH", async () => {
    expect((await failure(target(port, { user: "nobody-here" }))).message).toMatch(
      /the agent reports Unknown User Name/,
    );
    expect(await failure(target(port, { privKey: "wrong-key-xyz" }))).toMatchObject({
      code: "PK_ERR_SNMP_AUTH",
    });
  });
});
