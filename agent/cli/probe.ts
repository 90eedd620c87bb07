import { setTimeout as sleep } from "node:timers/promises";
import { type Command, Option } from "commander";
import { options, type SipResult } from "../../drivers/sip/client.js";
import { parseSipTarget, targetUri } from "../../drivers/sip/target.js";
import type { SipTarget, SipTransport } from "../../drivers/sip/transport.js";
import { PatchkastError } from "../errors.js";
import type { Io } from "./common.js";

export interface ProbeSipOptions {
  transport?: SipTransport;
  /** Seconds (Timer F). */
  timeout: string;
  count: string;
  /** Seconds between probes. */
  interval: string;
  expect?: string;
  fromUser?: string;
  localAddress?: string;
  /** Tests only: a shorter T1 in ms. */
  t1?: string;
}

function number(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value) || value < min || value > max)
    throw new PatchkastError(
      "PK_ERR_USAGE",
      `${flag} ${JSON.stringify(text)} is not a number in ${min}..${max}`,
    );
  return value;
}

function expectList(text: string | undefined): number[] | undefined {
  if (text === undefined) return undefined;
  return text.split(",").map((s) => {
    const code = number("--expect", s.trim(), 100, 699);
    if (!Number.isInteger(code))
      throw new PatchkastError("PK_ERR_USAGE", `--expect ${s} is not a status code`);
    return code;
  });
}

const ms = (value: number) => `${value.toFixed(1)} ms`;
const retrans = (n: number) => `${n} retransmission${n === 1 ? "" : "s"}`;

/** One human line: `OPTIONS sip:host:5060 udp → 200 OK in 12.3 ms`. */
export function describeProbe(
  target: SipTarget,
  result: SipResult,
  timeoutS: number,
  expect?: number[],
): string {
  const head = `OPTIONS ${targetUri(target)} ${target.transport} →`;
  if (result.status === null) {
    const detail = `${result.failure}, ${retrans(result.retransmissions)}`;
    if (result.failure === "timeout") return `${head} no answer after ${timeoutS} s (${detail})`;
    return `${head} ${result.reason} (${detail})`;
  }
  const extra: string[] = [];
  if (result.retransmissions > 0) extra.push(retrans(result.retransmissions));
  if (!result.reachable && expect) extra.push(`not in --expect ${expect.join(",")}`);
  const rtt = result.rttMs === null ? "" : ` in ${ms(result.rttMs)}`;
  return `${head} ${result.status} ${result.reason}${rtt}${extra.length > 0 ? ` (${extra.join("; ")})` : ""}`;
}

/** `patchkast probe sip <target>`: exit 0 when every probe was reachable, 1 otherwise. */
export async function runProbeSip(text: string, opts: ProbeSipOptions, io: Io): Promise<number> {
  const target = parseSipTarget(text, opts.transport);
  const timeoutS = number("--timeout", opts.timeout, 0.1, 300);
  const count = number("--count", opts.count, 1, 100_000);
  const intervalS = number("--interval", opts.interval, 0, 3600);
  const expect = expectList(opts.expect);
  const t1Ms = opts.t1 === undefined ? undefined : number("--t1", opts.t1, 1, 500);
  const results: SipResult[] = [];
  for (let i = 0; i < count; i++) {
    if (i > 0 && intervalS > 0) await sleep(intervalS * 1000);
    const result = await options(target, {
      timeoutMs: timeoutS * 1000,
      reachableStatuses: expect,
      fromUser: opts.fromUser,
      localAddress: opts.localAddress,
      timers: t1Ms === undefined ? undefined : { t1Ms, t2Ms: 8 * t1Ms },
    });
    results.push(result);
    io.out(describeProbe(target, result, timeoutS, expect));
  }
  const reachable = results.filter((r) => r.reachable).length;
  if (count > 1) io.out(summary(results, reachable));
  return reachable === count ? 0 : 1;
}

function summary(results: SipResult[], reachable: number): string {
  const rtts = results.flatMap((r) => (r.rttMs === null ? [] : [r.rttMs]));
  const line = `${results.length} probes, ${reachable} reachable, ${results.length - reachable} not`;
  if (rtts.length === 0) return `${line}; no answers`;
  const avg = rtts.reduce((a, b) => a + b, 0) / rtts.length;
  const fmt = (v: number) => v.toFixed(1);
  return `${line}; rtt min/avg/max = ${fmt(Math.min(...rtts))}/${fmt(avg)}/${fmt(Math.max(...rtts))} ms`;
}

export function registerProbe(program: Command, io: Io, setExit: (code: number) => void): void {
  const probe = program.command("probe").description("probe a service the site depends on");
  probe
    .command("sip")
    .description(
      "send SIP OPTIONS to a proxy (RFC 3261 timers), print status and round-trip time; exit 0 when every probe was reachable, else 1",
    )
    .argument("<target>", "host, host:port, udp:host:port, tcp:host:port or sip:host:port;transport=tcp")
    .addOption(new Option("--transport <transport>", "udp or tcp (default udp)").choices(["udp", "tcp"]))
    .option("--timeout <seconds>", "give up after this long without a final response (Timer F)", "32")
    .option("--count <n>", "send this many probes, one line each, then a summary", "1")
    .option("--interval <seconds>", "pause between probes", "1")
    .option("--expect <codes>", "statuses that count as reachable, e.g. 200,404 (default: any answer)")
    .option("--from-user <user>", "user part of the From URI", "patchkast")
    .option("--local-address <ip>", "send from this local address")
    .addOption(new Option("--t1 <ms>", "RFC 3261 T1 (tests only)").hideHelp())
    .action(async (target: string, opts: ProbeSipOptions) => setExit(await runProbeSip(target, opts, io)));
}
