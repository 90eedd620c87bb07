/**
 * Starts the real SIP peers from Debian on loopback for the sip-*.test.ts files: SIPp
 * (package sip-tester) as a scripted UAS, and kamailio as a registrar. Each peer runs in the
 * foreground as our child, with its files in a temp folder, and is stopped by its pid.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createSocket } from "node:dgram";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, isIP } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { packageRoot } from "../../agent/paths.js";

export const sippDir = join(packageRoot, "test", "fixtures", "sipp");
export const kamailioCfg = join(packageRoot, "test", "fixtures", "kamailio", "kamailio.cfg");

export { onPath } from "../helpers/peer-tools.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A port free for UDP and TCP on `host` (kamailio listens on both), picked below Linux's
 * ephemeral range (32768–60999): a port from bind(0) could be handed to one of the many
 * short-lived client sockets of tests running in parallel before the peer binds it.
 */
export async function freePort(host = "127.0.0.1"): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const udp = createSocket(isIP(host) === 6 ? "udp6" : "udp4");
    const udpOk = await new Promise<boolean>((resolve) => {
      udp.once("error", () => resolve(false));
      udp.bind(port, host, () => resolve(true));
    });
    if (udpOk) await new Promise<void>((resolve) => udp.close(() => resolve()));
    else udp.close();
    if (!udpOk) continue;
    const tcp = createServer();
    const tcpOk = await new Promise<boolean>((resolve) => {
      tcp.once("error", () => resolve(false));
      tcp.listen(port, host, () => resolve(true));
    });
    if (tcpOk) await new Promise<void>((resolve) => tcp.close(() => resolve()));
    if (tcpOk) return port;
  }
  throw new Error("no port free for both UDP and TCP");
}

/** True once something has bound the UDP port (our own bind attempt fails). */
function udpBound(host: string, port: number): Promise<boolean> {
  const s = createSocket(isIP(host) === 6 ? "udp6" : "udp4");
  return new Promise((resolve) => {
    s.once("error", () => {
      s.close();
      resolve(true);
    });
    s.bind(port, host, () => s.close(() => resolve(false)));
  });
}

function tcpListening(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(true));
    server.listen(port, host, () => server.close(() => resolve(false)));
  });
}

export interface Peer {
  port: number;
  /** Last lines the peer wrote, for assertion messages. */
  output(): string;
  stop(): Promise<void>;
}

async function startPeer(
  command: string,
  args: string[],
  port: number,
  cwd: string,
  listens: { host: string; udp: boolean; tcp: boolean },
): Promise<Peer> {
  const child: ChildProcess = spawn(command, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString("utf8")).slice(-8000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  let exited = false;
  // If the test worker dies without afterAll, take the peer with it rather than leave it running.
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  child.on("exit", () => {
    exited = true;
    process.off("exit", killOnExit);
  });
  child.on("error", (err) => {
    exited = true;
    log += `\nspawn failed: ${err.message}`;
  });
  const stop = async () => {
    if (exited) return;
    const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
    await gone;
    clearTimeout(timer);
  };
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (exited) throw new Error(`${command} exited before listening on ${port}:\n${log}`);
    const { host, udp, tcp } = listens;
    if ((!udp || (await udpBound(host, port))) && (!tcp || (await tcpListening(host, port)))) {
      // Someone else may hold the port: a peer that failed to bind exits at once (SIPp: errno 98).
      await sleep(200);
      if (exited) throw new Error(`${command} exited after start on ${port}:\n${log}`);
      return { port, output: () => log, stop };
    }
    await sleep(50);
  }
  await stop();
  throw new Error(`${command} did not listen on ${listens.host} port ${port} within 15 s:\n${log}`);
}

/** Starts a peer on a fresh port, again on another port if it could not listen (a port race). */
async function withRetries(host: string, start: (port: number) => Promise<Peer>): Promise<Peer> {
  let last: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await start(await freePort(host));
    } catch (err) {
      last = err;
    }
  }
  throw last;
}

export interface SippOptions {
  transport: "udp" | "tcp";
  /** SIPp's -lost: per-message loss in percent, on receive and on send. */
  lostPercent?: number;
  /** Listen address; default 127.0.0.1. */
  host?: string;
}

/** SIPp as UAS with one of test/fixtures/sipp/*.xml, e.g. `options-200.xml`. */
export async function startSipp(scenario: string, opts: SippOptions): Promise<Peer> {
  const dir = await mkdtemp(join(tmpdir(), "patchkast-sipp-"));
  const host = opts.host ?? "127.0.0.1";
  const listens = { host, udp: opts.transport === "udp", tcp: opts.transport === "tcp" };
  const args = (port: number) => {
    const a = ["-sf", join(sippDir, scenario), "-i", host, "-p", String(port)];
    a.push("-t", opts.transport === "udp" ? "u1" : "t1", "-nostdin", "-max_socket", "1000");
    if (opts.lostPercent !== undefined) a.push("-lost", String(opts.lostPercent));
    return a;
  };
  return inTempDir(dir, () => withRetries(host, (port) => startPeer("sipp", args(port), port, dir, listens)));
}

/**
 * kamailio in the foreground (-DD: no daemon, keep children; -E: log to stderr) with the runtime
 * and working folders in a temp folder, listening on one port for UDP and TCP.
 */
export async function startKamailio(): Promise<Peer> {
  const dir = await mkdtemp(join(tmpdir(), "patchkast-kamailio-"));
  const args = (port: number) => [
    ...["-f", kamailioCfg, "-DD", "-E", "-Y", dir, "-w", dir, "-m", "32", "-M", "4"],
    ...["-l", `udp:127.0.0.1:${port}`, "-l", `tcp:127.0.0.1:${port}`],
  ];
  const listens = { host: "127.0.0.1", udp: true, tcp: true };
  return inTempDir(dir, () =>
    withRetries("127.0.0.1", (port) => startPeer("kamailio", args(port), port, dir, listens)),
  );
}

/** Removes the peer's temp folder when it stops, or at once when it never started. */
async function inTempDir(dir: string, start: () => Promise<Peer>): Promise<Peer> {
  const peer = await start().catch(async (err) => {
    await rm(dir, { recursive: true, force: true });
    throw err;
  });
  return { ...peer, stop: () => peer.stop().then(() => rm(dir, { recursive: true, force: true })) };
}

/** Whether this machine has an IPv6 loopback (containers often do not). */
export async function hasIpv6Loopback(): Promise<boolean> {
  const s = createSocket("udp6");
  return new Promise((resolve) => {
    s.once("error", () => {
      s.close();
      resolve(false);
    });
    s.bind(0, "::1", () => s.close(() => resolve(true)));
  });
}
