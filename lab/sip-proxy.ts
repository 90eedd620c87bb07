import { createSocket, type Socket as UdpSocket } from "node:dgram";
import { createServer, type Server, type Socket } from "node:net";
import { PatchkastError } from "../agent/errors.js";
import { frameStream } from "../drivers/sip/message.js";
import { Registrar } from "./sip-registrar.js";
import { answer, type Source } from "./sip-uas.js";

/**
 * The lab's stand-in for the provider's SIP proxy: one loopback address, UDP and TCP on the same port
 * (RFC 3261 §18: a proxy listens on both), answering as lab/sip-uas.ts decides. It can be stopped and
 * started again on the same address and port, which is how the lab plays "SIP proxy unreachable": a
 * stopped UDP port makes the kernel answer ICMP port unreachable, a stopped TCP port refuses the connect.
 */
export interface SipProxyOptions {
  host: string;
  /** 0 picks a port free for UDP and TCP; it is kept across stop() and start(). */
  port: number;
  realm?: string;
  /** Auth user → password, for REGISTER. */
  accounts?: ReadonlyMap<string, string>;
}

export interface SipExchangeRecord {
  at: string;
  transport: "udp" | "tcp";
  from: string;
  method: string | null;
  /** null when nothing was sent back (ACK, responses, unreadable bytes). */
  status: number | null;
}

export interface LabSipProxy {
  readonly host: string;
  readonly port: number;
  readonly running: boolean;
  /** The last 200 requests, newest last: what reached the proxy and what it answered. */
  readonly log: readonly SipExchangeRecord[];
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** A whole TCP connection buffer beyond this without a complete message is an attack or garbage. */
const maxTcpBuffer = 131_072;

export async function startSipProxy(opts: SipProxyOptions): Promise<LabSipProxy> {
  const registrar = new Registrar({ realm: opts.realm ?? opts.host, accounts: opts.accounts ?? new Map() });
  const ctx = { registrar, host: opts.host, now: () => Date.now() };
  const log: SipExchangeRecord[] = [];
  let udp: UdpSocket | null = null;
  let tcp: Server | null = null;
  const conns = new Set<Socket>();
  let port = opts.port;

  const handle = (
    bytes: Buffer,
    src: Source,
    send: (b: Buffer, to: { address: string; port: number }) => void,
  ) => {
    let a: ReturnType<typeof answer>;
    try {
      a = answer(bytes, src, ctx);
    } catch {
      // The answer code is total over its input; this keeps a bug from taking the lab down with it.
      a = { bytes: null, to: src, method: null, status: null };
    }
    log.push({
      at: new Date().toISOString(),
      transport: src.transport,
      from: `${src.address}:${src.port}`,
      method: a.method,
      status: a.status,
    });
    if (log.length > 200) log.shift();
    if (a.bytes) send(a.bytes, a.to);
  };

  const onTcp = (sock: Socket) => {
    conns.add(sock);
    let buffer = Buffer.alloc(0);
    const src: Source = { address: sock.remoteAddress ?? "", port: sock.remotePort ?? 0, transport: "tcp" };
    const send = (b: Buffer) => {
      if (!sock.destroyed) sock.write(b);
    };
    sock.on("data", (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        let frame: { skip: number; length: number };
        try {
          frame = frameStream(buffer);
        } catch {
          // §18.3: a stream whose framing is lost cannot be resynchronised; answer what can be read and close.
          handle(buffer.subarray(0, Math.min(buffer.length, 65_535)), src, send);
          sock.end();
          return;
        }
        buffer = buffer.subarray(frame.skip);
        if (frame.length === 0) break;
        handle(buffer.subarray(0, frame.length), src, send);
        buffer = buffer.subarray(frame.length);
      }
      if (buffer.length > maxTcpBuffer) sock.destroy();
    });
    sock.on("error", () => sock.destroy());
    sock.on("close", () => conns.delete(sock));
  };

  const bindBoth = async (want: number): Promise<number> => {
    const u = createSocket({ type: "udp4" });
    u.on("message", (msg, rinfo) =>
      handle(msg, { address: rinfo.address, port: rinfo.port, transport: "udp" }, (b, to) =>
        u.send(b, to.port, to.address, () => {}),
      ),
    );
    await new Promise<void>((resolve, reject) => {
      u.once("error", reject);
      u.bind(want, opts.host, () => {
        u.off("error", reject);
        resolve();
      });
    });
    // ICMP errors from replies to peers that went away arrive as socket errors; they are not ours to fix.
    u.on("error", () => {});
    const got = u.address().port;
    const t = createServer(onTcp);
    try {
      await new Promise<void>((resolve, reject) => {
        t.once("error", reject);
        t.listen(got, opts.host, () => {
          t.off("error", reject);
          resolve();
        });
      });
    } catch (err) {
      u.close();
      throw err;
    }
    t.on("error", () => {});
    udp = u;
    tcp = t;
    return got;
  };

  const start = async () => {
    if (udp) return;
    for (let attempt = 0; ; attempt++) {
      try {
        port = await bindBoth(port);
        return;
      } catch (err) {
        // With port 0 the kernel's UDP port may be taken on TCP: try another, a few times.
        const code = (err as NodeJS.ErrnoException).code;
        if (port !== 0 || code !== "EADDRINUSE" || attempt >= 20)
          throw new PatchkastError(
            "PK_ERR_SERVE_BIND",
            `the lab SIP proxy cannot listen on ${opts.host}:${port} (udp and tcp): ${(err as Error).message}`,
            { cause: err },
          );
      }
    }
  };

  const stop = async () => {
    const u = udp;
    const t = tcp;
    udp = null;
    tcp = null;
    for (const c of conns) c.destroy();
    conns.clear();
    await Promise.all([
      u ? new Promise<void>((r) => u.close(() => r())) : undefined,
      t ? new Promise<void>((r) => t.close(() => r())) : undefined,
    ]);
  };

  await start();
  return {
    host: opts.host,
    get port() {
      return port;
    },
    get running() {
      return udp !== null;
    },
    log,
    start,
    stop,
  };
}
