/**
 * bench/snmp: one full poll of a 48-port PoE access switch (IF-MIB, PoE, VLAN, LLDP/LLDP-MED) against
 * Debian's snmpsim serving a self-written recording (bench/snmp/recording.ts, modelled on ios_2960x),
 * patchkast's client vs net-snmp's `snmpbulkwalk` walking the same subtrees with the same max-repetitions.
 *
 * - patchkast: a fresh NetSnmpClient per run, then readInterfaces, readPoe, readVlans and readLdp in turn
 *   (every walk a GETBULK subtree walk, parsed into typed results) — the poll the agent does.
 * - snmpbulkwalk: the exact list of subtrees patchkast walked (recorded in a warm-up run), one
 *   `snmpbulkwalk -v2c -Cr<n> -On -m ""` per subtree, one after the other in one shell, output to /dev/null.
 * - Runs alternate sides; the table shows every run, the medians and the ratio of medians. Both sides
 *   fetch the same varbinds (checked in the warm-up). snmpsim (Python) does most of the work on both sides.
 *
 * Run: npm run bench:snmp   (BENCH_ROUNDS=7 BENCH_MAXREP=20). Needs snmpsim and snmp (apt-get install snmpsim snmp).
 */
import { spawn } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { NetSnmpClient } from "../../drivers/snmp/client.js";
import { readInterfaces } from "../../drivers/snmp/if-mib.js";
import { readLldp } from "../../drivers/snmp/lldp.js";
import { readPoe } from "../../drivers/snmp/poe.js";
import type { SnmpClient, Varbind, WalkOptions } from "../../drivers/snmp/types.js";
import { readVlans } from "../../drivers/snmp/vlan.js";
import { findSnmpsim, hasProgram, startSnmpsim } from "../../test/unit/snmp/snmpsim-process.js";
import { switch48Recording } from "./recording.js";

const rounds = Number(process.env.BENCH_ROUNDS ?? 7);
const maxRep = Number(process.env.BENCH_MAXREP ?? 20);
const community = "bench48";

/** Wraps a client to record which subtrees a poll walks and how many varbinds came back. */
class Recorder implements SnmpClient {
  readonly walks: string[] = [];
  varbinds = 0;
  constructor(readonly inner: SnmpClient) {}
  get target() {
    return this.inner.target;
  }
  get(oids: readonly string[], label?: string) {
    return this.inner.get(oids, label);
  }
  async walk(oid: string, opts?: WalkOptions): Promise<Varbind[]> {
    const rows = await this.inner.walk(oid, opts);
    this.walks.push(oid);
    this.varbinds += rows.length;
    return rows;
  }
  close() {
    this.inner.close();
  }
}

async function poll(client: SnmpClient): Promise<number> {
  const ifs = await readInterfaces(client);
  const poe = await readPoe(client);
  const vlans = await readVlans(client);
  const lldp = await readLldp(client);
  return ifs.length + poe.ports.length + vlans.ports.length + lldp.length;
}

function shell(script: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn("sh", ["-c", script], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      out += d;
    });
    child.once("exit", (code) => resolve({ code, out }));
  });
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

async function main(): Promise<void> {
  if (!findSnmpsim() || !hasProgram("snmpbulkwalk")) {
    console.error("bench:snmp needs snmpsim and snmpbulkwalk: apt-get install snmpsim snmp");
    process.exitCode = 1;
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), "pk-bench-snmp-"));
  chmodSync(dir, 0o755); // snmpsim drops to nobody when started as root
  writeFileSync(join(dir, `${community}.snmprec`), switch48Recording(), { mode: 0o644 });
  const sim = await startSnmpsim({
    dataDir: dir,
    ready: { community, oid: "1.3.6.1.2.1.1.3.0" },
    maxVarbinds: Math.max(64, maxRep),
  });
  const target = {
    host: "127.0.0.1",
    port: sim.port,
    version: "2c" as const,
    community,
    maxRepetitions: maxRep,
    timeoutMs: 5000,
  };
  try {
    const recorder = new Recorder(NetSnmpClient.open(target));
    const rows = await poll(recorder);
    recorder.close();
    const script = `for oid in ${recorder.walks.join(" ")}; do snmpbulkwalk -v2c -c ${community} -Cr${maxRep} -On -m "" -t 5 -r 1 127.0.0.1:${sim.port} "$oid" || exit 1; done`;
    const check = await shell(script);
    const theirs = check.out
      .split("\n")
      .filter((l) => l.startsWith(".1.") && !/ = No (Such|more)/.test(l)).length;
    console.log(
      `poll: ${recorder.walks.length} subtrees, ${recorder.varbinds} varbinds (snmpbulkwalk: ${theirs}), ${rows} rows; max-repetitions ${maxRep}; ${rounds} rounds each`,
    );
    if (check.code !== 0 || theirs !== recorder.varbinds)
      throw new Error("snmpbulkwalk did not fetch the same varbinds");
    const ours: number[] = [];
    const bulk: number[] = [];
    const runOurs = async () => {
      const t = performance.now();
      const client = NetSnmpClient.open(target);
      await poll(client);
      client.close();
      ours.push(performance.now() - t);
    };
    const runBulk = async () => {
      const t = performance.now();
      const r = await shell(`${script} > /dev/null`);
      if (r.code !== 0) throw new Error("snmpbulkwalk failed");
      bulk.push(performance.now() - t);
    };
    for (let i = 0; i < rounds; i++) {
      if (i % 2 === 0) await runOurs().then(runBulk);
      else await runBulk().then(runOurs);
    }
    const ms = (x: number) => `${x.toFixed(0)} ms`;
    console.log("| run | patchkast (net-snmp 3.29.2) | snmpbulkwalk 5.9.3 |");
    console.log("|---|---|---|");
    for (const [i, o] of ours.entries())
      console.log(`| ${i + 1} | ${ms(o)} | ${ms(bulk[i] ?? Number.NaN)} |`);
    const ratio = median(ours) / median(bulk);
    console.log(`| **median** | **${ms(median(ours))}** | **${ms(median(bulk))}** |`);
    console.log(`ratio patchkast / snmpbulkwalk (medians): ${ratio.toFixed(2)}× (goal ≤ 1.20×)`);
  } finally {
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exitCode = 1;
});
