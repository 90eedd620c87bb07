/**
 * Process plumbing shared by bench/tftp and bench/http: process groups that are always stopped, the
 * patchkast server child, memory and CPU readings from /proc, medians and table printing.
 *
 * Every server and client a benchmark starts goes through spawnGroup() and is registered for cleanup;
 * withCleanup() stops whatever is left in a finally block and on SIGINT/SIGTERM. Servers (forks: true)
 * get a session and process group of their own, and stop() signals the whole group (SIGTERM, then
 * SIGKILL), so forked children such as tftpd-hpa's per-transfer processes and nginx's workers go with
 * it. Clients (curl, atftp, wrk) do not fork and stay in the benchmark's own session: with the kernel's
 * autogroup scheduling (on by default) each session is one scheduling group, so every server competes for
 * the 2 cores as one group against one group of clients, the same for patchkast and its alternative.
 */
import { type ChildProcess, type SpawnOptions, spawn } from "node:child_process";
import { createSocket } from "node:dgram";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

// ---- process groups and cleanup ---------------------------------------------------------------------

export interface Group {
  child: ChildProcess;
  pid: number;
  /** Resolves with the exit code (null when killed by a signal) once the group leader exits. */
  exited: Promise<number | null>;
  stdout: () => string;
  stderr: () => string;
  /** SIGTERM to the whole group, SIGKILL to whatever is left after graceMs; resolves when the leader is gone. */
  stop(graceMs?: number): Promise<void>;
}

const cleanups = new Set<() => Promise<void>>();

/** Starts a program (a server in a session and process group of its own), registered for cleanup until stopped. */
export function spawnGroup(
  cmd: string,
  args: string[],
  opts: SpawnOptions & { forks?: boolean } = {},
): Group {
  const { forks, ...spawnOpts } = opts;
  const child = spawn(cmd, args, {
    stdio: ["ignore", "pipe", "pipe"],
    ...spawnOpts,
    detached: forks === true,
  });
  if (child.pid === undefined) throw new Error(`cannot start ${cmd}`);
  const pid = child.pid;
  let out = "";
  let err = "";
  child.stdout?.setEncoding("utf8").on("data", (d: string) => {
    if (out.length < 1 << 20) out += d;
  });
  child.stderr?.setEncoding("utf8").on("data", (d: string) => {
    if (err.length < 1 << 20) err += d;
  });
  let leaderGone = false;
  const exited = new Promise<number | null>((resolve) => {
    child.once("exit", (code) => {
      leaderGone = true;
      resolve(code);
    });
    child.once("error", () => {
      leaderGone = true;
      resolve(-1);
    });
  });
  let stopping: Promise<void> | undefined;
  const group: Group = {
    child,
    pid,
    exited,
    stdout: () => out,
    stderr: () => err,
    stop(graceMs = 3000) {
      stopping ??= (async () => {
        // A client that exited on its own has nothing left, and its pid may already be reused.
        if (leaderGone && !forks) {
          cleanups.delete(cleanup);
          return;
        }
        const target = forks ? -pid : pid;
        signal(target, "SIGTERM");
        const timer = new Promise((r) => setTimeout(r, graceMs).unref());
        await Promise.race([exited, timer]);
        // A server's leader may be gone while forked members linger: the group gets SIGKILL either way.
        if (forks || !leaderGone) signal(target, "SIGKILL");
        if (!leaderGone) await exited;
        cleanups.delete(cleanup);
      })();
      return stopping;
    },
  };
  const cleanup = () => group.stop();
  cleanups.add(cleanup);
  return group;
}

/** kill(2) without throwing: a negative target is a process group. */
function signal(target: number, sig: NodeJS.Signals): void {
  try {
    process.kill(target, sig);
  } catch {
    // ESRCH: already gone.
  }
}

/** Runs main, then stops every group still registered, also on error and on SIGINT/SIGTERM. */
export async function withCleanup(main: () => Promise<void>, extra: () => void = () => {}): Promise<void> {
  const cleanAll = async () => {
    await Promise.allSettled([...cleanups].map((c) => c()));
    extra();
  };
  const onSignal = (signal: NodeJS.Signals) => {
    console.error(`\n${signal}: stopping every server and client started by the benchmark`);
    void cleanAll().finally(() => process.exit(130));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    await main();
  } catch (err) {
    process.exitCode = 1;
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  } finally {
    await cleanAll();
  }
}

/** Runs a program to completion (killed after timeoutMs): exit code and output. */
export async function run(
  cmd: string,
  args: string[],
  timeoutMs = 120_000,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const g = spawnGroup(cmd, args);
  const timer = setTimeout(() => void g.stop(0), timeoutMs);
  const code = await g.exited;
  clearTimeout(timer);
  await g.stop(0);
  return { code, stdout: g.stdout(), stderr: g.stderr() };
}

/**
 * Bundles entries (`name=path`, or a path) into ES modules for plain `node`, npm packages left external, as
 * the benchmarks run patchkast code outside tsx. Output is `<outdir>/<name>.mjs`. Undefined when esbuild is
 * not installed; throws with esbuild's message when it fails.
 */
export async function bundleForNode(entries: string[], outdir: string): Promise<true | undefined> {
  const esbuild = join(repoRoot, "node_modules", ".bin", "esbuild");
  if (!existsSync(esbuild)) return undefined;
  const r = await run(esbuild, [
    ...entries,
    "--bundle",
    "--platform=node",
    "--format=esm",
    "--target=node20",
    "--packages=external",
    "--log-level=warning",
    `--outdir=${outdir}`,
    "--out-extension:.js=.mjs",
  ]);
  if (r.code !== 0) throw new Error(`esbuild failed: ${r.stderr.slice(0, 500)}`);
  return true;
}

// ---- free ports ---------------------------------------------------------------------------------------

export function freeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createSocket("udp4");
    s.once("error", reject);
    s.bind(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

export function freeTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const addr = s.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

// ---- the patchkast server child ----------------------------------------------------------------------

export interface PatchkastChild {
  group: Group;
  pid: number;
  tftpPort: number;
  httpPort: number;
}

/**
 * Compiles bench/lib/patchkast-child.ts and the agent code it imports into one ES module with esbuild
 * (tsx's own compiler; npm packages stay external), so the server runs under plain `node` as in
 * production (Dockerfile: node dist/agent/main.js, NODE_ENV=production) without tsx's loader thread and
 * esbuild service process in its memory figures. The output goes under node_modules/.cache so that
 * agent/paths.ts still finds the package root by walking up. Falls back to `--import tsx` when esbuild is
 * not installed; the returned label says which.
 */
async function compileChild(): Promise<{ entry: string[]; label: string; cleanup: () => void }> {
  const source = join(repoRoot, "bench", "lib", "patchkast-child.ts");
  const dir = join(repoRoot, "node_modules", ".cache", "patchkast-bench", String(process.pid));
  mkdirSync(dir, { recursive: true });
  // The TFTP server starts its transfer threads from transfer-worker.<ext> next to its own module
  // (agent/serve/tftp/pool.ts), so the worker is a second entry bundled beside the child.
  const worker = join(repoRoot, "agent", "serve", "tftp", "transfer-worker.ts");
  try {
    if (await bundleForNode([`patchkast-child=${source}`, `transfer-worker=${worker}`], dir)) {
      return {
        entry: [join(dir, "patchkast-child.mjs")],
        label: "node (esbuild-compiled, NODE_ENV=production)",
        cleanup: () => rmSync(dir, { recursive: true, force: true }),
      };
    }
  } catch (err) {
    console.error(`${(err as Error).message}; running the server under tsx instead`);
  }
  rmSync(dir, { recursive: true, force: true });
  return { entry: ["--import", "tsx", source], label: "node --import tsx", cleanup: () => {} };
}

export interface PatchkastChild {
  group: Group;
  pid: number;
  tftpPort: number;
  httpPort: number;
  /** How the server was run, for the report. */
  runtime: string;
}

/**
 * Starts the patchkast server child (see patchkast-child.ts) as one node process, so /proc readings are
 * the server's own. nodeFlags go before the script, e.g. --cpu-prof.
 */
export async function startPatchkast(opts: {
  stateDir: string;
  firmwareDir?: string;
  /** More arguments for bench/lib/patchkast-child.ts (e.g. --tftp-engine js). */
  childArgs?: string[];
  nodeFlags?: string[];
}): Promise<PatchkastChild> {
  const compiled = await compileChild();
  const args = [
    ...(opts.nodeFlags ?? []),
    ...compiled.entry,
    "--state-dir",
    opts.stateDir,
    ...(opts.firmwareDir ? ["--firmware-dir", opts.firmwareDir] : []),
    ...(opts.childArgs ?? []),
  ];
  const group = spawnGroup(process.execPath, args, {
    cwd: repoRoot,
    stdio: ["pipe", "pipe", "inherit"],
    env: { ...process.env, NODE_ENV: "production" },
    forks: true,
  });
  // The compiled module is loaded once the child prints its ports; it is removed with the group.
  const stop = group.stop.bind(group);
  group.stop = async (graceMs) => {
    await stop(graceMs);
    compiled.cleanup();
  };
  const ports = await new Promise<{ tftp: number; http: number; tftpEngine?: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("patchkast child did not start within 60 s")), 60_000);
    const poll = setInterval(() => {
      const line = group.stdout().split("\n")[0];
      if (group.stdout().includes("\n") && line) {
        clearInterval(poll);
        clearTimeout(timer);
        try {
          resolve(JSON.parse(line) as { tftp: number; http: number; tftpEngine?: string });
        } catch {
          reject(new Error(`patchkast child said: ${line}`));
        }
      }
    }, 20);
    void group.exited.then((code) => {
      clearInterval(poll);
      clearTimeout(timer);
      reject(new Error(`patchkast child exited with ${code} before listening`));
    });
  });
  const runtime = `${compiled.label}, TFTP engine ${ports.tftpEngine ?? "?"}`;
  return { group, pid: group.pid, tftpPort: ports.tftp, httpPort: ports.http, runtime };
}

// ---- /proc readings -----------------------------------------------------------------------------------

const clockTicks = 100; // USER_HZ on Linux/x86-64

/** VmRSS and VmHWM (peak RSS) of one process, in bytes. */
export function rssOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0) * 1024;
  return { rss: kib("VmRSS"), peak: kib("VmHWM") };
}

function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Field 2 (comm) may contain spaces; everything after its closing parenthesis is space-separated.
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return undefined;
  }
}

/** The processes in a process group (the leader and its forked children, e.g. nginx workers). */
export function groupMembers(pgid: number): number[] {
  const pids: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const f = statFields(Number(name));
    // After comm: state(0) ppid(1) pgrp(2) ...
    if (f && Number(f[2]) === pgid) pids.push(Number(name));
  }
  return pids;
}

/** user+system CPU seconds of one process so far (all its threads), or undefined once it is gone. */
export function cpuSecondsOf(pid: number): number | undefined {
  const f = statFields(pid);
  // After comm: utime is field 11 and stime field 12, counted from the state field.
  return f ? (Number(f[11]) + Number(f[12])) / clockTicks : undefined;
}

/** Busy CPU seconds of the whole machine so far (all cores, everything but idle and iowait). */
export function machineBusySeconds(): number {
  const cpu =
    readFileSync("/proc/stat", "utf8").split("\n")[0]?.trim().split(/\s+/).slice(1).map(Number) ?? [];
  // user nice system idle iowait irq softirq steal
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = cpu;
  return (user + nice + system + irq + softirq + steal) / clockTicks;
}

export interface GroupSample {
  /** Peak of the group's summed PSS, in bytes. */
  peakPss: number;
  /** The most processes the group had at one sample. */
  processes: number;
  /**
   * CPU seconds the group's processes used while sampled: the last reading of each process, minus its
   * reading at the start. Exact for long-lived processes; for forked ones that exit between samples
   * (tftpd-hpa's per-transfer children, which it reaps without collecting their times) the last
   * interval is missed, so it is a lower bound.
   */
  cpuS: number;
}

/**
 * Samples a process group's memory and CPU every intervalMs until the returned function is called; with
 * single, only the one process pgid (a client that is no group leader, such as wrk).
 */
export function sampleGroup(pgid: number, intervalMs = 100, single = false): () => GroupSample {
  let peakPss = 0;
  let processes = 0;
  const first = new Map<number, number>();
  const last = new Map<number, number>();
  const take = (initial: boolean) => {
    const members = single ? [pgid] : groupMembers(pgid);
    let pss = 0;
    let alive = 0;
    for (const pid of members) {
      const cpu = cpuSecondsOf(pid);
      if (cpu === undefined) continue;
      if (!first.has(pid)) first.set(pid, initial ? cpu : 0);
      last.set(pid, cpu);
      try {
        const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8");
        pss += Number(/^Pss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0) * 1024;
        alive++;
      } catch {
        // Exited between listing and reading.
      }
    }
    peakPss = Math.max(peakPss, pss);
    processes = Math.max(processes, alive);
  };
  take(true);
  const timer = setInterval(() => take(false), intervalMs);
  return () => {
    clearInterval(timer);
    take(false);
    let cpuS = 0;
    for (const [pid, v] of last) cpuS += v - (first.get(pid) ?? 0);
    return { peakPss, processes, cpuS };
  };
}

// ---- numbers and tables ------------------------------------------------------------------------------

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

export const mib = (bytes: number) => `${(bytes / 1048576).toFixed(0)} MiB`;

export function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] as number)).join(" | ")} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  for (const r of rows) console.log(line(r));
}

/**
 * How busy the machine is before the benchmark starts anything: busy cores over a short window. The
 * project's box is shared; a figure well above 0 means other work (tests, builds) is competing for the
 * 2 cores and the run should be repeated when it is quiet.
 */
export async function backgroundLoad(ms = 3000): Promise<number> {
  const before = machineBusySeconds();
  await new Promise((r) => setTimeout(r, ms));
  return (machineBusySeconds() - before) / (ms / 1000);
}

export function reportBackground(cores: number): string {
  const note =
    cores > 0.2 ? "  WARNING: other work is running; figures are not comparable to a quiet run" : "";
  return `background load before the run: ${cores.toFixed(2)} of 2 cores busy${note}`;
}

/**
 * CPU seconds of the benchmark process itself and of its children it has reaped (the clients: curl,
 * atftp, wrk; their times are added to ours when they exit). Machine busy time minus the server, these
 * and this process leaves softirq time the kernel does not charge to a task, plus any other work on the
 * box: printed per round as "other" so a run disturbed by someone else's build shows.
 */
export function benchCpuSeconds(): { self: number; children: number } {
  const f = statFields(process.pid) ?? [];
  const n = (i: number) => Number(f[i] ?? 0) / clockTicks;
  return { self: n(11) + n(12), children: n(13) + n(14) };
}
