/**
 * One ephemeral flow per request (RFC 3261 §18): a connected UDP socket or a TCP connection to the
 * target, closed by the caller when done. Connecting the UDP socket makes the kernel report ICMP
 * port unreachable as ECONNREFUSED, which §18.4 lets us treat as a transport error at once.
 * The price: a UDP answer from another address or port than the one we sent to is dropped. That is
 * what a NAT in front of us does anyway, and what rport (RFC 3581) asks the server to avoid.
 */
import { createSocket, type Socket as UdpSocket } from "node:dgram";
import { lookup as dnsLookup } from "node:dns/promises";
import { isIP, type Socket as TcpSocket, connect as tcpConnect } from "node:net";
import { defaultLimits, frameStream, type SipLimits } from "./message.js";
import type { FlowEvent, TransactionFlow, TransportFailure } from "./transaction.js";

export type SipTransport = "udp" | "tcp";

export interface SipTarget {
  host: string;
  port: number;
  transport: SipTransport;
}

export interface Endpoint {
  address: string;
  port: number;
}

export interface Flow extends TransactionFlow {
  readonly transport: SipTransport;
  readonly local: Endpoint;
  readonly remote: Endpoint;
  close(): void;
}

/** Opening a flow failed before anything was sent: DNS, refused connection, bind error. */
export class FlowOpenError extends Error {
  readonly failure: TransportFailure;
  constructor(failure: TransportFailure, message: string, cause: unknown) {
    super(message, { cause });
    this.name = "FlowOpenError";
    this.failure = failure;
  }
}

export interface FlowOptions {
  localAddress?: string;
  /** TCP connect budget; the caller passes what is left of its timeout. */
  connectTimeoutMs: number;
  limits?: SipLimits;
}

export function classifyError(err: unknown): TransportFailure {
  const code = (err as NodeJS.ErrnoException | undefined)?.code ?? "";
  if (code === "ECONNREFUSED") return "refused";
  if (["ENOTFOUND", "EAI_AGAIN", "EAI_FAIL", "EAI_NONAME", "ENODATA"].includes(code)) return "dns";
  if (code === "ETIMEDOUT") return "timeout";
  return "network";
}

const describe = (err: unknown): string => {
  const e = err as NodeJS.ErrnoException;
  return e?.code ? `${e.code}${e.syscall ? ` (${e.syscall})` : ""}` : String(err);
};

/** On a connected UDP socket ECONNREFUSED is the kernel passing on an ICMP port unreachable. */
const describeUdp = (err: unknown, remote: Endpoint): string =>
  (err as NodeJS.ErrnoException)?.code === "ECONNREFUSED"
    ? `ICMP port unreachable from ${remote.address}:${remote.port} (ECONNREFUSED)`
    : `UDP to ${remote.address}:${remote.port}: ${describe(err)}`;

/** Resolves the host (first address, as the OS orders them) and opens the flow. */
export async function openFlow(target: SipTarget, opts: FlowOptions): Promise<Flow> {
  let address = target.host.replace(/^\[(.*)\]$/, "$1");
  if (isIP(address) === 0) {
    try {
      address = (await dnsLookup(address)).address;
    } catch (err) {
      throw new FlowOpenError("dns", `could not resolve ${target.host}: ${describe(err)}`, err);
    }
  }
  const remote = { address, port: target.port };
  return target.transport === "udp" ? openUdp(remote, opts) : openTcp(remote, opts);
}

/** Listener bookkeeping shared by both transports; an event with nobody listening is dropped. */
class Listeners {
  readonly #set = new Set<(event: FlowEvent) => void>();
  failed: FlowEvent | undefined;

  subscribe(listener: (event: FlowEvent) => void): () => void {
    this.#set.add(listener);
    return () => this.#set.delete(listener);
  }

  emit(event: FlowEvent): void {
    if (event.type === "error") this.failed ??= event;
    for (const listener of [...this.#set]) listener(event);
  }

  /** A send on a dead flow reports the original failure, asynchronously like a real one. */
  replayFailure(): boolean {
    const failed = this.failed;
    if (failed) queueMicrotask(() => this.emit(failed));
    return failed !== undefined;
  }
}

function openUdp(remote: Endpoint, opts: FlowOptions): Promise<Flow> {
  const socket: UdpSocket = createSocket(isIP(remote.address) === 6 ? "udp6" : "udp4");
  const listeners = new Listeners();
  return new Promise((resolve, reject) => {
    const onOpenError = (err: Error) => {
      socket.close();
      reject(new FlowOpenError(classifyError(err), `UDP socket to ${remote.address}: ${describe(err)}`, err));
    };
    socket.once("error", onOpenError);
    socket.bind({ port: 0, address: opts.localAddress }, () => {
      socket.connect(remote.port, remote.address, () => {
        socket.off("error", onOpenError);
        socket.on("error", (err) =>
          listeners.emit({ type: "error", failure: classifyError(err), message: describeUdp(err, remote) }),
        );
        // A connected socket only delivers datagrams from the target, so no source check is needed.
        socket.on("message", (bytes) =>
          listeners.emit({ type: "data", bytes, receivedAt: performance.now() }),
        );
        const local = socket.address();
        resolve({
          transport: "udp",
          reliable: false,
          local: { address: local.address, port: local.port },
          remote,
          send: (bytes) => {
            if (listeners.replayFailure()) return;
            socket.send(bytes, (err) => {
              if (err)
                listeners.emit({
                  type: "error",
                  failure: classifyError(err),
                  message: describeUdp(err, remote),
                });
            });
          },
          subscribe: (listener) => listeners.subscribe(listener),
          close: () => {
            try {
              socket.close();
            } catch {
              // already closed: closing twice is harmless here
            }
          },
        });
      });
    });
  });
}

function openTcp(remote: Endpoint, opts: FlowOptions): Promise<Flow> {
  const limits = opts.limits ?? defaultLimits;
  const listeners = new Listeners();
  return new Promise((resolve, reject) => {
    const socket: TcpSocket = tcpConnect({
      host: remote.address,
      port: remote.port,
      localAddress: opts.localAddress,
    });
    const timer = setTimeout(
      () => socket.destroy(Object.assign(new Error("connect timeout"), { code: "ETIMEDOUT" })),
      opts.connectTimeoutMs,
    );
    const onOpenError = (err: Error) => {
      clearTimeout(timer);
      socket.destroy();
      reject(
        new FlowOpenError(
          classifyError(err),
          `TCP connection to ${remote.address}:${remote.port}: ${describe(err)}`,
          err,
        ),
      );
    };
    socket.once("error", onOpenError);
    socket.once("connect", () => {
      clearTimeout(timer);
      socket.off("error", onOpenError);
      socket.setNoDelay(true);
      let buffer: Buffer = Buffer.alloc(0);
      socket.on("data", (chunk: Buffer) => {
        const receivedAt = performance.now();
        buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
        try {
          // §18.3: on a stream, Content-Length is the only way to find where a message ends.
          for (;;) {
            const { skip, length } = frameStream(buffer, limits);
            if (length === 0) {
              buffer = buffer.subarray(skip);
              break;
            }
            listeners.emit({ type: "data", bytes: buffer.subarray(skip, skip + length), receivedAt });
            buffer = buffer.subarray(skip + length);
          }
        } catch (err) {
          // After a framing error the stream cannot be resynchronised: give up on the connection.
          listeners.emit({ type: "error", failure: "malformed", message: (err as Error).message });
          socket.destroy();
        }
      });
      socket.on("error", (err) =>
        listeners.emit({
          type: "error",
          failure: classifyError(err),
          message: `TCP to ${remote.address}:${remote.port}: ${describe(err)}`,
        }),
      );
      socket.on("close", () =>
        listeners.emit({ type: "error", failure: "network", message: "connection closed by the peer" }),
      );
      resolve({
        transport: "tcp",
        reliable: true,
        local: { address: socket.localAddress ?? "", port: socket.localPort ?? 0 },
        remote,
        send: (bytes) => {
          if (listeners.replayFailure()) return;
          socket.write(bytes);
        },
        subscribe: (listener) => listeners.subscribe(listener),
        close: () => {
          socket.removeAllListeners("close");
          socket.on("error", () => {});
          socket.destroy();
        },
      });
    });
  });
}
