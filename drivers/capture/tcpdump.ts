/**
 * PacketSource over a `tcpdump -i <if> -w - -U -n -s 0 <filter>` child (tcpdump(8)): -w - writes the
 * classic pcap format to stdout, -U flushes it per packet, -n avoids DNS lookups, -s 0 keeps whole
 * packets (a SIP INVITE with SDP is easily 1,500 bytes). --immediate-mode (tcpdump 4.6+) hands each
 * packet over at once instead of when the kernel's TPACKET_V3 block fills or its 1 s timeout fires.
 * Immediate mode makes libpcap use a TPACKET_V2 ring with one slot per packet, each slot sized for
 * the interface MTU: with the default 2 MiB buffer that is ~1,000 packets on Ethernet but only ~30 on
 * `lo` (MTU 65,536), and a burst of BYEs overflowed it ("packets dropped by kernel" in our SIPp test).
 * So -B (buffer in KiB) defaults to 16 MiB: ~250 slots on loopback, ~8,000 on Ethernet.
 * tcpdump reports "listening on <if>, link-type …" on stderr once the capture is open: that is our
 * "started". Any other stderr line, and any exit we did not ask for, becomes a PK_ERR_CAPTURE_PROCESS.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { PatchkastError, withContext } from "../../agent/errors.js";
import { type CaptureStats, SipCaptureReader, type SipCaptureReaderOptions } from "./sip-reader.js";
import type { PacketSink, PacketSource } from "./source.js";

/** RFC 3261 §19.1.2: 5060 for UDP and TCP (5061 is TLS, which a capture cannot read). */
export const DEFAULT_SIP_PORTS: readonly number[] = [5060];

export interface TcpdumpOptions {
  /** Capture interface, e.g. `eth1` (a mirror port) or `lo`. */
  interface: string;
  /** A full BPF filter; overrides `ports`. */
  filter?: string;
  /** SIP ports for the default filter; default [5060]. */
  ports?: readonly number[];
  /** Program to run; default `tcpdump`. */
  command?: string;
  /** Default true; see the file comment. */
  immediate?: boolean;
  /** Kernel capture buffer in KiB (tcpdump -B); default 16384. */
  bufferKiB?: number;
  /** How long to wait for "listening on"; default 10 s. */
  startTimeoutMs?: number;
  reader?: SipCaptureReaderOptions;
  /** For tests: how to start the child. */
  spawnChild?: (command: string, args: string[]) => ChildProcess;
}

/** `(udp or tcp) and (port 5060 or port 5080)`: both transports, either direction. */
export function sipPortFilter(ports: readonly number[] = DEFAULT_SIP_PORTS): string {
  if (ports.length === 0 || ports.some((p) => !Number.isInteger(p) || p < 1 || p > 65535))
    throw new PatchkastError(
      "PK_ERR_CAPTURE_PROCESS",
      `SIP capture ports must be 1–65535: ${ports.join(", ")}`,
    );
  return `(udp or tcp) and (${ports.map((p) => `port ${p}`).join(" or ")})`;
}

export function tcpdumpArgs(opts: TcpdumpOptions): string[] {
  const args = ["-i", opts.interface, "-w", "-", "-U", "-n", "-s", "0"];
  args.push("-B", String(opts.bufferKiB ?? 16_384));
  if (opts.immediate !== false) args.push("--immediate-mode");
  args.push(opts.filter ?? sipPortFilter(opts.ports));
  return args;
}

/** Lines tcpdump prints on exit; not errors. */
const statsLine = /^\d+ packets? (captured|received by filter|dropped by kernel|dropped by interface)$/;

export class TcpdumpSource implements PacketSource {
  readonly description: string;
  private child: ChildProcess | undefined;
  private reader: SipCaptureReader | undefined;
  private stopping = false;
  private lastStats: CaptureStats = { packets: 0, sipMessages: 0, skipped: {} };
  /** From tcpdump's exit summary, when it printed one. */
  droppedByKernel: number | undefined;

  constructor(private readonly opts: TcpdumpOptions) {
    this.description = `tcpdump -i ${opts.interface} ${opts.filter ?? sipPortFilter(opts.ports)}`;
  }

  start(sink: PacketSink): Promise<void> {
    if (this.child) return Promise.resolve();
    const command = this.opts.command ?? "tcpdump";
    const args = tcpdumpArgs(this.opts);
    const child = (this.opts.spawnChild ?? ((c, a) => spawn(c, a, { stdio: ["ignore", "pipe", "pipe"] })))(
      command,
      args,
    );
    this.child = child;
    this.stopping = false;
    const reader = new SipCaptureReader((m) => sink.message(m), this.opts.reader);
    this.reader = reader;
    const fail = (message: string, cause?: unknown) =>
      new PatchkastError("PK_ERR_CAPTURE_PROCESS", `${this.description}: ${message}`, {
        cause,
        details: [`command: ${command} ${args.join(" ")}`],
      });
    return new Promise<void>((resolve, reject) => {
      let ready = false;
      const early: string[] = [];
      const timer = setTimeout(() => {
        if (ready) return;
        reject(
          fail(`no "listening on" within ${this.opts.startTimeoutMs ?? 10_000} ms: ${early.join(" | ")}`),
        );
        void this.stop();
      }, this.opts.startTimeoutMs ?? 10_000);
      child.stdout?.on("data", (chunk: Buffer) => {
        try {
          reader.push(chunk);
        } catch (err) {
          sink.error(withContext(`reading the capture of ${this.description}`, err) as PatchkastError);
          void this.stop();
        }
      });
      lines(child, (line) => {
        if (!ready && /listening on /.test(line)) {
          ready = true;
          clearTimeout(timer);
          resolve();
          return;
        }
        const dropped = /^(\d+) packets? dropped by kernel$/.exec(line);
        if (dropped) this.droppedByKernel = Number(dropped[1]);
        if (statsLine.test(line)) return;
        if (!ready) early.push(line);
        else sink.error(fail(`tcpdump says: ${line}`));
      });
      child.once("error", (err) => {
        clearTimeout(timer);
        const e = fail(`cannot run ${command}: ${err.message}`, err);
        if (!ready) reject(e);
        else sink.error(e);
      });
      child.once("exit", (code, signal) => {
        clearTimeout(timer);
        this.lastStats = reader.stats();
        this.child = undefined;
        const how = signal ? `signal ${signal}` : `code ${code}`;
        if (!ready) reject(fail(`exited (${how}) before capturing: ${early.join(" | ") || "no output"}`));
        else if (!this.stopping) sink.error(fail(`exited (${how}) while capturing`));
      });
    });
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.stopping = true;
    const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 2000);
    await gone;
    clearTimeout(timer);
  }

  stats(): CaptureStats {
    return this.reader?.stats() ?? this.lastStats;
  }
}

/** Calls `each` per stderr line (UTF-8, CR/LF stripped). */
function lines(child: ChildProcess, each: (line: string) => void): void {
  let rest = "";
  child.stderr?.setEncoding("utf8").on("data", (text: string) => {
    rest += text;
    const parts = rest.split(/\r?\n/);
    rest = parts.pop() ?? "";
    for (const line of parts) if (line.trim() !== "") each(line.trim().replace(/^tcpdump: /, ""));
  });
}
