/**
 * bench/sip: the OPTIONS probe round-trip time of patchkast's SIP client against sipsak 0.9.8 on the
 * same target, on loopback, in one run, checked against the truth on the wire.
 *
 * - targets: a SIPp UAS (test/fixtures/sipp/options-200.xml) on 127.0.0.60 over UDP and over TCP,
 *   and kamailio (test/fixtures/kamailio/kamailio.cfg, which answers OPTIONS with sl_send_reply 200)
 *   over UDP and TCP when it is installed (BENCH_KAMAILIO=0 leaves it out).
 * - tools, one probe each time, BENCH_GAP_MS (10) apart, as a monitor probes:
 *   - patchkast: `options()` from drivers/sip/client.ts in a loop inside one node process
 *     (bench/sip/probe-loop.ts compiled by esbuild, NODE_ENV=production), after BENCH_WARMUP probes;
 *   - patchkast CLI: one `node <tsc output>/agent/main.js probe sip <transport>:<addr>:<port>` process
 *     per probe (the code compiled with `tsc -p tsconfig.build.json` as `npm run build` does, into a
 *     temporary folder: dist/ is left alone); SIPp targets only, BENCH_CLI_PROBES per run;
 *   - sipsak: one `sipsak -s sip:ping@<addr>:<port> -vv -H 127.0.0.1 [-E tcp]` process per probe.
 * - per probe: the RTT the tool reports (patchkast: rttMs, first send to final response; CLI: the
 *   "in X.X ms" it prints, rounded to 0.1 ms; sipsak: "reply received after X ms"), the RTT on the
 *   wire (tcpdump on lo with nanosecond timestamps, one capture per run and tool; request to final
 *   response matched by Call-ID and CSeq, for TCP the segment that completes each message), and the
 *   wall time per probe (in-process: the options() call, socket to close; per process: spawn to exit,
 *   so process start is included).
 * - runs alternate tools (patchkast, sipsak, patchkast CLI, patchkast, …), BENCH_ROUNDS (3) runs of
 *   BENCH_PROBES (200) probes per tool and target. Every probe must get a 200 and be found in the
 *   capture, and the capture must have dropped nothing, or the benchmark fails.
 *
 * Run: npm run bench:sip   Needs sipp (sip-tester), sipsak and tcpdump (root, or CAP_NET_RAW), and
 * optionally kamailio: apt-get install sip-tester sipsak tcpdump kamailio.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { options } from "../../drivers/sip/client.js";
import { freePort } from "../../test/peers/sip-peers.js";
import {
  backgroundLoad,
  bundleForNode,
  type Group,
  machineBusySeconds,
  median,
  printTable,
  repoRoot,
  reportBackground,
  run,
  spawnGroup,
  withCleanup,
} from "../lib/procs.js";
import { readPcap, sipMessages, wireExchanges } from "./pcap.js";

const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const probes = Number(process.env.BENCH_PROBES ?? 200);
const cliProbes = Number(process.env.BENCH_CLI_PROBES ?? 20);
const warmup = Number(process.env.BENCH_WARMUP ?? 50);
const gapMs = Number(process.env.BENCH_GAP_MS ?? 10);
const address = process.env.BENCH_SIP_ADDR ?? "127.0.0.60";
const withKamailio = process.env.BENCH_KAMAILIO !== "0";

type Transport = "udp" | "tcp";
type Tool = "patchkast" | "patchkast CLI" | "sipsak";
type ServerKind = "SIPp" | "kamailio";

interface Target {
  server: ServerKind;
  transport: Transport;
  host: string;
  port: number;
}

interface Sample {
  /** What the tool reported, ms. */
  selfMs: number;
  /** Request to final response on the wire, ms. */
  wireMs: number;
  /** Per probe wall time, ms. */
  wallMs: number;
}

interface Block {
  samples: Sample[];
  /** Busy cores of the whole machine during the run (2 = both cores saturated). */
  busyCores: number;
}

/** Reporting step of each tool: sipsak prints µs, the CLI 0.1 ms, in-process is unrounded. */
const resolutionMs: Record<Tool, number> = { patchkast: 0, "patchkast CLI": 0.1, sipsak: 0.001 };

const work = mkdtempSync(join(tmpdir(), "pk-bench-sip-"));
const buildDir = join(repoRoot, "node_modules", ".cache", "patchkast-bench-sip", String(process.pid));

// ---- build --------------------------------------------------------------------------------------------

/**
 * The CLI as `npm run build` compiles it (tsc, one .js per module; --noCheck: type errors are
 * typecheck's business, not the benchmark's), and the in-process loop bundled by esbuild. Both under
 * node_modules/.cache so that agent/paths.ts finds the package root by walking up.
 */
async function build(): Promise<{ cliMain: string; loop: string }> {
  mkdirSync(buildDir, { recursive: true });
  const cliMain = join(buildDir, "cli", "agent", "main.js");
  if (cliProbes > 0) {
    const tsc = join(repoRoot, "node_modules", ".bin", "tsc");
    const t = await run(
      tsc,
      ["-p", join(repoRoot, "tsconfig.build.json"), "--outDir", join(buildDir, "cli"), "--noCheck"],
      600_000,
    );
    if (!existsSync(cliMain)) throw new Error(`tsc did not emit ${cliMain}: ${t.stdout}${t.stderr}`);
  }
  const loop = join(buildDir, "probe-loop.mjs");
  if (!(await bundleForNode([join(repoRoot, "bench", "sip", "probe-loop.ts")], buildDir))) {
    throw new Error("esbuild is not installed (npm ci)");
  }
  return { cliMain, loop };
}

// ---- servers ------------------------------------------------------------------------------------------

/** Waits until the target answers an OPTIONS with 200 (probes from this process, outside any capture). */
async function waitReady(target: Target, group: Group, name: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const r = await options(target, { timeoutMs: 1000 });
    if (r.status === 200) return;
    if (Date.now() > deadline)
      throw new Error(
        `${name} did not answer on ${target.transport}:${target.host}:${target.port}: ${r.reason}`,
      );
    const code = await Promise.race([group.exited, sleep(200).then(() => "running")]);
    if (code !== "running") throw new Error(`${name} exited (${code}): ${group.stderr().slice(-1500)}`);
  }
}

async function startSipp(transport: Transport): Promise<{ group: Group; target: Target }> {
  const port = await freePort(address);
  const dir = mkdtempSync(join(work, "sipp-"));
  const scenario = join(repoRoot, "test", "fixtures", "sipp", "options-200.xml");
  const group = spawnGroup(
    "sipp",
    [
      ...["-sf", scenario, "-i", address, "-p", String(port)],
      ...["-t", transport === "udp" ? "u1" : "t1", "-nostdin", "-max_socket", "1000"],
    ],
    { cwd: dir, forks: true, stdio: ["ignore", "ignore", "pipe"] },
  );
  const target: Target = { server: "SIPp", transport, host: address, port };
  await waitReady(target, group, "sipp");
  return { group, target };
}

/** kamailio in the foreground (-DD), one instance listening on UDP and TCP. */
async function startKamailio(): Promise<{ group: Group; port: number }> {
  const port = await freePort(address);
  const dir = mkdtempSync(join(work, "kamailio-"));
  const cfg = join(repoRoot, "test", "fixtures", "kamailio", "kamailio.cfg");
  const group = spawnGroup(
    "kamailio",
    [
      ...["-f", cfg, "-DD", "-E", "-Y", dir, "-w", dir, "-m", "32", "-M", "4"],
      ...["-l", `udp:${address}:${port}`, "-l", `tcp:${address}:${port}`],
    ],
    { cwd: dir, forks: true, stdio: ["ignore", "ignore", "pipe"] },
  );
  for (const transport of ["udp", "tcp"] as const)
    await waitReady({ server: "kamailio", transport, host: address, port }, group, "kamailio");
  return { group, port };
}

// ---- capture ------------------------------------------------------------------------------------------

interface Capture {
  stop(): Promise<{ file: string; dropped: number; captured: number }>;
}

let captureCount = 0;

/** tcpdump on lo for one target, nanosecond timestamps; resolves once it is listening. */
async function startCapture(target: Target): Promise<Capture> {
  const file = join(work, `capture-${++captureCount}.pcap`);
  const filter = `${target.transport} and host ${target.host} and port ${target.port}`;
  const group = spawnGroup("tcpdump", [
    // --immediate-mode: without it packets wait in the kernel's ring for a block to fill or a 1 s
    // timeout, and those still there when tcpdump is stopped never reach the file (nor "dropped").
    ...["-i", "lo", "-n", "-U", "--immediate-mode", "-B", "8192", "-Z", "root"],
    ...["--time-stamp-precision=nano", "-w", file, filter],
  ]);
  const closed = new Promise<void>((resolve) => group.child.once("close", () => resolve()));
  const deadline = Date.now() + 10_000;
  while (!group.stderr().includes("listening on")) {
    const code = await Promise.race([group.exited, sleep(10).then(() => "running")]);
    if (code !== "running") throw new Error(`tcpdump exited (${code}): ${group.stderr()}`);
    if (Date.now() > deadline) throw new Error(`tcpdump did not start: ${group.stderr()}`);
  }
  return {
    async stop() {
      // Let the last response reach the capture file before tcpdump is stopped.
      await sleep(200);
      await group.stop();
      await Promise.race([closed, sleep(2000)]);
      const err = group.stderr();
      const dropped = Number(/(\d+) packets? dropped by kernel/.exec(err)?.[1] ?? Number.NaN);
      const captured = Number(/(\d+) packets? captured/.exec(err)?.[1] ?? Number.NaN);
      return { file, dropped, captured };
    },
  };
}

// ---- one run of one tool ------------------------------------------------------------------------------

interface Probe {
  selfMs: number;
  wallMs: number;
  /** From the response; undefined for the CLI, matched by order instead. */
  callId?: string;
}

/** Runs one program to exit; wall time from spawn to the exit event, then its whole output. */
async function timedProcess(
  cmd: string,
  args: string[],
  env?: NodeJS.ProcessEnv,
): Promise<{ code: number | null; wallMs: number; out: string }> {
  const t0 = performance.now();
  const g = spawnGroup(cmd, args, env ? { env, cwd: repoRoot } : { cwd: repoRoot });
  const closed = new Promise<void>((resolve) => g.child.once("close", () => resolve()));
  const killer = setTimeout(() => void g.stop(0), 60_000);
  const code = await g.exited;
  const wallMs = performance.now() - t0;
  clearTimeout(killer);
  await Promise.race([closed, sleep(2000)]);
  await g.stop(0);
  return { code, wallMs, out: g.stdout() + g.stderr() };
}

function sipsakArgs(t: Target): string[] {
  return [
    ...["-s", `sip:ping@${t.host}:${t.port}`, "-vv", "-H", "127.0.0.1"],
    ...(t.transport === "tcp" ? ["-E", "tcp"] : []),
  ];
}

async function sipsakProbe(t: Target): Promise<Probe> {
  const r = await timedProcess("sipsak", sipsakArgs(t));
  // With a retransmission sipsak prints "X ms after first send and Y ms after last send".
  const m = /reply received (?:after )?([\d.]+) ms/.exec(r.out);
  const status = /^SIP\/2\.0 (\d{3})/m.exec(r.out)?.[1];
  const callId = /^(?:Call-ID|i):\s*(\S+)/im.exec(r.out)?.[1];
  if (r.code !== 0 || !m || status !== "200" || !callId)
    throw new Error(`sipsak exited ${r.code} without a 200 and an RTT:\n${r.out.slice(0, 1500)}`);
  return { selfMs: Number(m[1]), wallMs: r.wallMs, callId };
}

const productionEnv = () => ({ ...process.env, NODE_ENV: "production" });

async function cliProbe(t: Target, cliMain: string): Promise<Probe> {
  const r = await timedProcess(
    process.execPath,
    [cliMain, "probe", "sip", `${t.transport}:${t.host}:${t.port}`, "--timeout", "5"],
    productionEnv(),
  );
  const m = / (\d{3}) .*? in ([\d.]+) ms/.exec(r.out);
  if (r.code !== 0 || !m || m[1] !== "200")
    throw new Error(`patchkast probe sip exited ${r.code}:\n${r.out.slice(0, 1500)}`);
  return { selfMs: Number(m[2]), wallMs: r.wallMs };
}

/** One process running `count` probes after `warm` untimed ones (probe-loop.ts). */
async function loopProbes(t: Target, loop: string, warm: number, count: number): Promise<Probe[]> {
  const spec = { host: t.host, port: t.port, transport: t.transport, warmup: warm, count, gapMs };
  const r = await timedProcess(process.execPath, [loop, JSON.stringify(spec)], productionEnv());
  if (r.code !== 0) throw new Error(`probe loop exited ${r.code}:\n${r.out.slice(0, 1500)}`);
  const rows = r.out
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map(
      (l) =>
        JSON.parse(l) as {
          warm: boolean;
          wallMs: number;
          rttMs: number | null;
          status: number | null;
          callId: string | null;
          failure: string | null;
        },
    );
  if (rows.length !== warm + count) throw new Error(`probe loop printed ${rows.length} probes:\n${r.out}`);
  return rows
    .filter((x) => !x.warm)
    .map((x) => {
      if (x.status !== 200 || x.rttMs === null || !x.callId)
        throw new Error(`patchkast probe failed: ${JSON.stringify(x)}`);
      return { selfMs: x.rttMs, wallMs: x.wallMs, callId: x.callId };
    });
}

interface Built {
  cliMain: string;
  loop: string;
}

async function probeRun(tool: Tool, t: Target, n: number, built: Built): Promise<Probe[]> {
  if (tool === "patchkast") return loopProbes(t, built.loop, warmup, n);
  const out: Probe[] = [];
  for (let i = 0; i < n; i++) {
    await sleep(gapMs);
    out.push(tool === "sipsak" ? await sipsakProbe(t) : await cliProbe(t, built.cliMain));
  }
  return out;
}

/** One run: capture, n probes, stop the capture, pair every probe with its exchange on the wire. */
async function block(tool: Tool, t: Target, n: number, built: Built): Promise<Block> {
  const cap = await startCapture(t);
  const busyBefore = machineBusySeconds();
  const started = performance.now();
  const got = await probeRun(tool, t, n, built);
  const busyCores = (machineBusySeconds() - busyBefore) / ((performance.now() - started) / 1000);
  const { file, dropped, captured } = await cap.stop();
  if (dropped !== 0) throw new Error(`tcpdump dropped ${dropped} packets (${captured} captured)`);
  const exchanges = wireExchanges(sipMessages(readPcap(readFileSync(file)).packets)).filter((x) =>
    x.cseq.endsWith(" OPTIONS"),
  );
  rmSync(file, { force: true });
  const byCallId = new Map(exchanges.map((x) => [x.callId, x]));
  // In-process warm-up probes are in the capture too; the CLI's are not (they run before the capture).
  if (tool === "patchkast CLI" && exchanges.length !== got.length)
    throw new Error(`capture has ${exchanges.length} exchanges for ${got.length} CLI probes`);
  const samples = got.map((p, i) => {
    const x = p.callId === undefined ? exchanges[i] : byCallId.get(p.callId);
    if (!x || x.rttMs === undefined || x.status !== 200)
      throw new Error(
        `${tool} probe ${i} (${p.callId ?? "by order"}) has no 200 in the capture ` +
          `(${captured} packets, ${exchanges.length} exchanges: ${exchanges
            .slice(0, 3)
            .map((e) => `${e.callId} ${e.status}`)
            .join(", ")})`,
      );
    return { selfMs: p.selfMs, wireMs: x.rttMs, wallMs: p.wallMs };
  });
  return { samples, busyCores };
}

// ---- numbers ------------------------------------------------------------------------------------------

/** Nearest-rank percentile. */
function pct(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] as number;
}

const f3 = (ms: number) => (ms < 10 ? ms.toFixed(3) : ms.toFixed(1));
const pair = (xs: number[]) => `${f3(median(xs))} / ${f3(pct(xs, 99))}`;

// ---- main ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  for (const tool of ["sipp", "sipsak", "tcpdump"]) {
    const r = await run("sh", ["-c", `command -v ${tool}`]);
    if (r.code !== 0) throw new Error(`${tool} not found: apt-get install -y sip-tester sipsak tcpdump`);
  }
  const kamailio = withKamailio && (await run("sh", ["-c", "command -v kamailio"])).code === 0;
  const background = await backgroundLoad();
  console.error("building: tsc (tsconfig.build.json) and esbuild (probe-loop) …");
  const built = await build();

  const versions = {
    sipsak: /sipsak [\d.]+/.exec((await run("sipsak", ["-V"])).stdout)?.[0] ?? "sipsak",
    sipp: /SIPp v[\w.-]+/.exec((await run("sipp", ["-v"])).stdout)?.[0] ?? "SIPp",
    node: process.version,
  };

  const results = new Map<string, Block[]>();
  const order: Tool[] = ["patchkast", "sipsak", "patchkast CLI"];

  const measure = async (target: Target) => {
    const tools = order.filter((t) => t !== "patchkast CLI" || (target.server === "SIPp" && cliProbes > 0));
    const name = `${target.server} ${target.transport}`;
    // Untimed warm-up of the per-process tools (page cache, the target's first calls).
    for (let i = 0; i < 10; i++) await sipsakProbe(target);
    if (tools.includes("patchkast CLI")) for (let i = 0; i < 2; i++) await cliProbe(target, built.cliMain);
    for (let r = 0; r < rounds; r++) {
      for (const tool of tools) {
        const n = tool === "patchkast CLI" ? cliProbes : probes;
        const b = await block(tool, target, n, built);
        const key = `${name}|${tool}`;
        results.set(key, [...(results.get(key) ?? []), b]);
        const s = b.samples;
        console.error(
          `${name.padEnd(12)} ${tool.padEnd(13)} run ${r + 1}: ${n} probes, self ${pair(s.map((x) => x.selfMs))} ms, ` +
            `wire ${pair(s.map((x) => x.wireMs))} ms, wall ${pair(s.map((x) => x.wallMs))} ms (median / p99); ` +
            `machine ${b.busyCores.toFixed(2)} of 2 cores busy`,
        );
      }
    }
  };

  const targets: Target[] = [];
  for (const transport of ["udp", "tcp"] as const) {
    const sipp = await startSipp(transport);
    targets.push(sipp.target);
    try {
      await measure(sipp.target);
    } finally {
      await sipp.group.stop();
    }
  }
  if (kamailio) {
    const k = await startKamailio();
    try {
      for (const transport of ["udp", "tcp"] as const) {
        const target: Target = { server: "kamailio", transport, host: address, port: k.port };
        targets.push(target);
        await measure(target);
      }
    } finally {
      await k.group.stop();
    }
  }

  console.log(
    `\nbench/sip: OPTIONS probe RTT on ${address}, ${versions.sipsak} vs patchkast (${versions.node}), ` +
      `${rounds} alternating runs of ${probes} probes per tool (CLI: ${cliProbes}), ${gapMs} ms apart; ` +
      `wire = tcpdump on lo, request to final response by Call-ID/CSeq; UAS ${versions.sipp}\n`,
  );
  const rows: string[][] = [];
  const ratioRows: string[][] = [];
  for (const t of targets) {
    const name = `${t.server} ${t.transport}`;
    const med: Partial<Record<Tool, { self: number; wire: number; wall: number }>> = {};
    for (const tool of order) {
      const blocks = results.get(`${name}|${tool}`);
      if (!blocks) continue;
      const s = blocks.flatMap((b) => b.samples);
      const self = s.map((x) => x.selfMs);
      const wire = s.map((x) => x.wireMs);
      const err = s.map((x) => x.selfMs - x.wireMs);
      const below = s.filter((x) => x.selfMs < x.wireMs - resolutionMs[tool] / 2).length;
      med[tool] = { self: median(self), wire: median(wire), wall: median(s.map((x) => x.wallMs)) };
      rows.push([
        name,
        tool,
        String(s.length),
        pair(self),
        blocks.map((b) => f3(median(b.samples.map((x) => x.selfMs)))).join(" / "),
        pair(wire),
        `${f3(median(err))} / ${f3(pct(err, 1))} / ${f3(pct(err, 99))}`,
        `${below} (${((100 * below) / s.length).toFixed(0)} %)`,
        pair(s.map((x) => x.wallMs)),
        blocks.map((b) => b.busyCores.toFixed(2)).join(" / "),
      ]);
    }
    const pk = med.patchkast;
    const ss = med.sipsak;
    const cli = med["patchkast CLI"];
    if (pk && ss)
      ratioRows.push([
        name,
        `${(pk.self / ss.self).toFixed(1)}×`,
        `${(pk.self / ss.wire).toFixed(2)}×`,
        `${(pk.wire / ss.wire).toFixed(2)}×`,
        `${(pk.wall / ss.wall).toFixed(2)}×`,
        cli ? `${(cli.wall / ss.wall).toFixed(1)}×` : "–",
        cli ? `${(cli.self / ss.self).toFixed(0)}×` : "–",
      ]);
  }
  printTable(
    [
      "target",
      "tool",
      "probes",
      "self-reported ms med / p99",
      "self med per run",
      "wire ms med / p99",
      "self − wire ms med / p1 / p99",
      "self < wire",
      "wall per probe ms med / p99",
      "machine busy cores per run",
    ],
    rows,
  );
  console.log("\nratios of medians, patchkast (in-process unless named) / sipsak:\n");
  printTable(
    [
      "target",
      "self-reported",
      "pk self / sipsak wire",
      "wire",
      "wall (in-process vs process)",
      "wall CLI / sipsak",
      "self CLI / sipsak",
    ],
    ratioRows,
  );
  console.log(
    '\n"self < wire": probes whose reported RTT is below the RTT on the wire (by more than half the reporting' +
      " step: sipsak 1 µs, CLI 0.1 ms): impossible for a client that starts its clock before the send and stops it after the receive.",
  );
  console.log(`${reportBackground(background)}; after it: ${(await backgroundLoad()).toFixed(2)} of 2 cores`);
}

await withCleanup(main, () => {
  rmSync(work, { recursive: true, force: true });
  rmSync(buildDir, { recursive: true, force: true });
  try {
    // The parent folder too, unless another run of this benchmark is using it.
    rmdirSync(dirname(buildDir));
  } catch {
    // not empty, or already gone
  }
});
