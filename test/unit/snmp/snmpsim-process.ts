/**
 * Starts Debian's snmpsim (0.4.5: `snmpsimd`; newer releases: `snmpsim-command-responder`) in the
 * foreground as a child process on 127.0.0.1, for test/field/snmp*.test.ts and bench/snmp.
 *
 * snmpsim only reads the data dir, so ../shared/field/snmp (read-only) is served in place; the .dbm
 * indexes it builds go to a temporary --cache-dir. As root it refuses to run without
 * --process-user/--process-group, and then the cache dir must be writable by that user.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createSocket } from "node:dgram";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NetSnmpClient } from "../../../drivers/snmp/client.js";

export interface Snmpsim {
  port: number;
  /** What snmpsim printed (stderr), for failure messages. */
  log(): string;
  stop(): Promise<void>;
}

export interface SnmpsimOptions {
  dataDir: string;
  /** A community (recording name) and OID that answer once snmpsim is ready. */
  ready: { community: string; oid: string };
  v3?: { user: string; authKey: string; privKey: string };
  /** snmpsim caps a response at 64 varbinds unless told otherwise. */
  maxVarbinds?: number;
  startTimeoutMs?: number;
}

/** The snmpsim responder on PATH, or undefined when the Debian package is not installed. */
export function findSnmpsim(): string | undefined {
  for (const cmd of ["snmpsim-command-responder", "snmpsimd"]) {
    if (spawnSync("sh", ["-c", `command -v ${cmd}`]).status === 0) return cmd;
  }
  return undefined;
}

export function hasProgram(cmd: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${cmd}`]).status === 0;
}

export async function freeUdpPort(): Promise<number> {
  const s = createSocket("udp4");
  await new Promise<void>((r) => s.bind(0, "127.0.0.1", r));
  const port = s.address().port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

export async function startSnmpsim(opts: SnmpsimOptions): Promise<Snmpsim> {
  const cmd = findSnmpsim();
  if (!cmd) throw new Error("snmpsim is not installed (Debian package snmpsim)");
  const port = await freeUdpPort();
  const cacheDir = mkdtempSync(join(tmpdir(), "pk-snmpsim-"));
  chmodSync(cacheDir, 0o777);
  const args = [
    `--data-dir=${opts.dataDir}`,
    `--cache-dir=${cacheDir}`,
    `--agent-udpv4-endpoint=127.0.0.1:${port}`,
    `--max-varbinds=${opts.maxVarbinds ?? 64}`,
  ];
  if (process.getuid?.() === 0) args.push("--process-user=nobody", "--process-group=nogroup");
  if (opts.v3)
    args.push(
      `--v3-user=${opts.v3.user}`,
      `--v3-auth-key=${opts.v3.authKey}`,
      "--v3-auth-proto=SHA",
      `--v3-priv-key=${opts.v3.privKey}`,
      "--v3-priv-proto=AES",
    );
  const child: ChildProcess = spawn(cmd, args, { stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  child.stderr?.setEncoding("utf8").on("data", (d: string) => {
    if (log.length < 200_000) log += d;
  });
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(cacheDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + (opts.startTimeoutMs ?? 60_000);
  const probe = NetSnmpClient.open({
    host: "127.0.0.1",
    port,
    version: "2c",
    community: opts.ready.community,
    timeoutMs: 250,
    retries: 0,
  });
  try {
    for (;;) {
      if (child.exitCode !== null)
        throw new Error(`snmpsim exited (${child.exitCode}):\n${log.slice(-2000)}`);
      const ok = await probe.get([opts.ready.oid]).then(
        (vbs) => vbs[0]?.type !== "NoSuchObject",
        () => false,
      );
      if (ok) break;
      if (Date.now() > deadline)
        throw new Error(`snmpsim did not answer within the start timeout:\n${log.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  } catch (err) {
    await stop();
    throw err;
  } finally {
    probe.close();
  }
  return { port, log: () => log, stop };
}
