/**
 * bench/sip's in-process side: one node process that runs patchkast's `options()` probe in a loop,
 * as the monitor does, and prints one JSON line per probe. sip-bench.ts compiles it with esbuild and
 * runs it under plain `node` with NODE_ENV=production, so nothing of the benchmark's own process
 * (tcpdump's pipes, tsx's loader) shares its event loop.
 *
 * argv[2]: JSON {host, port, transport, warmup, count, gapMs}. Warm-up probes are printed with
 * "warm": true. Per probe: wallMs (options() called to resolved: socket, bind, connect, the
 * exchange, close), rttMs (what the client reports), status, callId (from the response, to find
 * the probe in the capture) and retransmissions.
 */
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { options } from "../../drivers/sip/client.js";

interface LoopArgs {
  host: string;
  port: number;
  transport: "udp" | "tcp";
  warmup: number;
  count: number;
  gapMs: number;
}

const args = JSON.parse(process.argv[2] ?? "{}") as LoopArgs;
const target = { host: args.host, port: args.port, transport: args.transport };
const lines: string[] = [];
for (let i = 0; i < args.warmup + args.count; i++) {
  if (args.gapMs > 0) await sleep(args.gapMs);
  const t0 = performance.now();
  const r = await options(target, { timeoutMs: 5000 });
  const wallMs = performance.now() - t0;
  // Printed after the loop: a write per probe would put stdout work between probes.
  lines.push(
    JSON.stringify({
      warm: i < args.warmup,
      wallMs,
      rttMs: r.rttMs,
      status: r.status,
      callId: r.responseHeaders?.["call-id"] ?? null,
      retransmissions: r.retransmissions,
      failure: r.failure ?? null,
    }),
  );
}
process.stdout.write(`${lines.join("\n")}\n`);
