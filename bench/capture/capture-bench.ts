/**
 * Capture parsing throughput: a generated pcap of many SIP calls (UDP and TCP, Ethernet, IPv4) read
 * by patchkast's SipCaptureReader + SipDialogTracker, against tcpdump reading the same file in the
 * same run (`tcpdump -r <file> -nn`, whose SIP printer decodes each message's start line, and with
 * `-v`, which prints every header line). Runs alternate after a warm-up; the medians and their ratio
 * are printed. Goal (issue 5): at least 5,000 SIP messages/s.
 *
 *   npx tsx bench/capture/capture-bench.ts [calls=20000] [runs=5]
 */
import { spawnSync } from "node:child_process";
import { createReadStream, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { SipDialogTracker } from "../../agent/calls/sip-dialogs.js";
import { SipCaptureReader } from "../../drivers/capture/sip-reader.js";
import {
  ethernet,
  ipv4,
  pcapHeader,
  pcapRecord,
  sdp,
  sipRequest,
  sipResponse,
  tcp,
  udp,
} from "../../test/unit/capture/pcap-builder.js";

const calls = Number(process.argv[2] ?? 20_000);
const runs = Number(process.argv[3] ?? 5);
/** Calls held open at once while the capture runs, so the tracker has state to look up. */
const concurrent = 200;

function generate(): { bytes: Buffer; messages: number; calls: number } {
  const spec = { linkType: 1, littleEndian: true };
  const parts: Buffer[] = [pcapHeader(spec)];
  let t = 1_763_700_000_000;
  let messages = 0;
  const seq = { a: 1000, b: 5000 };
  const tick = () => {
    t += 0.2;
    return t;
  };
  const send = (msg: Buffer, viaTcp: boolean, fromCaller: boolean) => {
    messages++;
    const [src, dst] = fromCaller ? ["192.0.2.10", "198.51.100.20"] : ["198.51.100.20", "192.0.2.10"];
    if (!viaTcp) {
      parts.push(
        pcapRecord(spec, { timeMs: tick(), data: ethernet(ipv4(src, dst, 17, udp(5060, 5060, msg))) }),
      );
      return;
    }
    // One connection; each message cut into 1,448-byte segments, as a 1,500-byte MTU would.
    const side = fromCaller ? "a" : "b";
    for (let at = 0; at < msg.length; at += 1448) {
      const piece = msg.subarray(at, at + 1448);
      const sport = fromCaller ? 40_000 : 5060;
      const dport = fromCaller ? 5060 : 40_000;
      const data = ethernet(ipv4(src, dst, 6, tcp(sport, dport, seq[side], piece)));
      seq[side] = (seq[side] + piece.length) >>> 0;
      parts.push(pcapRecord(spec, { timeMs: tick(), data }));
    }
  };
  const hangUp = (i: number) => {
    const s = { callId: `bench-${i}@192.0.2.10`, fromTag: `c${i}`, toTag: `s${i}`, cseq: 2, method: "BYE" };
    send(sipRequest(s), i % 5 === 0, true);
    send(sipResponse(200, s), i % 5 === 0, false);
  };
  for (let i = 0; i < calls; i++) {
    const viaTcp = i % 5 === 0;
    const base = { callId: `bench-${i}@192.0.2.10`, fromTag: `c${i}`, cseq: 1, method: "INVITE" };
    const extra = ["Contact: <sip:alice@192.0.2.10:5060>", "User-Agent: Yealink SIP-T46S 66.86.0.15"];
    send(
      sipRequest({ ...base, body: sdp, extra: [...extra, "Content-Type: application/sdp"] }),
      viaTcp,
      true,
    );
    send(sipResponse(100, base), viaTcp, false);
    send(sipResponse(180, { ...base, toTag: `s${i}` }), viaTcp, false);
    send(
      sipResponse(200, { ...base, toTag: `s${i}`, body: sdp, extra: ["Content-Type: application/sdp"] }),
      viaTcp,
      false,
    );
    send(sipRequest({ ...base, toTag: `s${i}`, method: "ACK" }), viaTcp, true);
    if (i >= concurrent) hangUp(i - concurrent);
  }
  for (let i = Math.max(0, calls - concurrent); i < calls; i++) hangUp(i);
  return { bytes: Buffer.concat(parts), messages, calls };
}

/** CPU seconds of this process's waited-for children (/proc/self/stat cutime + cstime, in clock ticks). */
function childrenCpuMs(): number {
  const fields = readFileSync("/proc/self/stat", "utf8").split(") ")[1]?.split(" ") ?? [];
  // After the command field: state is index 0, so cutime (field 16) is 13 and cstime (17) is 14.
  return ((Number(fields[13]) + Number(fields[14])) * 1000) / 100;
}

interface Timing {
  ms: number;
  cpuMs: number;
}

async function patchkast(
  file: string,
): Promise<Timing & { messages: number; confirmed: number; active: number }> {
  const tracker = new SipDialogTracker();
  let messages = 0;
  const reader = new SipCaptureReader((m) => {
    messages++;
    tracker.observe(m.message, m.timeMs);
  });
  const started = performance.now();
  const cpu = process.cpuUsage();
  for await (const chunk of createReadStream(file, { highWaterMark: 64 * 1024 }))
    reader.push(chunk as Buffer);
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return {
    ms,
    cpuMs: (used.user + used.system) / 1000,
    messages,
    confirmed: tracker.stats().callsConfirmed,
    active: tracker.active(Number.MAX_SAFE_INTEGER / 2),
  };
}

/** tcpdump's output goes to /dev/null: we time its decoding and printing, not our reading of its text. */
function tcpdump(file: string, verbose: boolean): Timing {
  const args = ["-r", file, "-nn", ...(verbose ? ["-v"] : [])];
  const cpu = childrenCpuMs();
  const started = performance.now();
  const r = spawnSync("tcpdump", args, { stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" });
  const ms = performance.now() - started;
  if (r.status !== 0) throw new Error(`tcpdump ${args.join(" ")} failed: ${r.stderr}`);
  return { ms, cpuMs: childrenCpuMs() - cpu };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "patchkast-capture-bench-"));
  try {
    const loadBefore = loadavg()
      .map((l) => l.toFixed(1))
      .join(" ");
    const gen = generate();
    const file = join(dir, "sip.pcap");
    writeFileSync(file, gen.bytes);
    const mb = statSync(file).size / 1e6;
    console.log(`pcap: ${gen.calls} calls, ${gen.messages} SIP messages, ${mb.toFixed(1)} MB (${file})`);
    const check = await patchkast(file);
    if (check.messages !== gen.messages || check.confirmed !== gen.calls || check.active !== 0)
      throw new Error(
        `patchkast read ${JSON.stringify(check)}, expected ${gen.messages} messages, ${gen.calls} calls`,
      );
    tcpdump(file, false);
    const ours: Timing[] = [];
    const plain: Timing[] = [];
    const verbose: Timing[] = [];
    const show = (t: Timing | undefined) => `${t?.ms.toFixed(0)} ms (CPU ${t?.cpuMs.toFixed(0)} ms)`;
    for (let i = 0; i < runs; i++) {
      ours.push(await patchkast(file));
      plain.push(tcpdump(file, false));
      verbose.push(tcpdump(file, true));
      console.log(
        `run ${i + 1}: patchkast ${show(ours.at(-1))}, tcpdump -nn ${show(plain.at(-1))}, -nn -v ${show(verbose.at(-1))}`,
      );
    }
    const rate = (ms: number) => Math.round(gen.messages / (ms / 1000));
    const line = (name: string, ts: Timing[]) => {
      const wall = median(ts.map((t) => t.ms));
      const cpu = median(ts.map((t) => t.cpuMs));
      console.log(
        `  ${name.padEnd(38)} wall ${wall.toFixed(0)} ms = ${rate(wall)} msg/s; CPU ${cpu.toFixed(0)} ms = ${rate(cpu)} msg/CPU-s`,
      );
      return { wall, cpu };
    };
    console.log(
      `\nmedian of ${runs} (load before: ${loadBefore}, after: ${loadavg()
        .map((l) => l.toFixed(1))
        .join(" ")}):`,
    );
    const o = line("patchkast (reader + dialog tracker)", ours);
    const p = line("tcpdump -r -nn", plain);
    const v = line("tcpdump -r -nn -v", verbose);
    const ratio = (x: { wall: number; cpu: number }) =>
      `wall ${(x.wall / o.wall).toFixed(2)}x, CPU ${(x.cpu / o.cpu).toFixed(2)}x`;
    console.log(`  patchkast throughput relative to tcpdump -nn: ${ratio(p)}; to -nn -v: ${ratio(v)}`);
    console.log(`  goal: >= 5,000 SIP messages/s — ${rate(o.wall) >= 5000 ? "met" : "MISSED"}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
