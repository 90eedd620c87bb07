/**
 * patchkast's read-only TFTP server (RFC 1350 with RFC 2347/2348/2349/7440 options).
 * Why our own and not npm `tftp`: see /work/shared/reference/libraries.md §4 (stalls on loss with
 * windowsize, Sorcerer's Apprentice on duplicate ACKs, unmaintained since 2015).
 *
 * The listening socket only takes requests (request.ts); every transfer gets its own socket
 * (session.ts) driven by a socket-free state machine (transfer.ts). All state lives in the
 * returned server object.
 */
import { createSocket, type Socket } from "node:dgram";
import { PatchkastError } from "../../errors.js";
import { resolveTftpConfig, type TftpServerConfig } from "./config.js";
import type { ServerContext } from "./context.js";
import { loadNativeEngine } from "./native-engine.js";
import { openNativeSession } from "./native-session.js";
import { TransferPool } from "./pool.js";
import { handleDatagram } from "./request.js";
import { openSession, type SessionArgs, type TransferHandle } from "./session.js";
import type { TftpServer, TftpServerOptions } from "./types.js";
import { bindSocket, closeSocket, safeSend, socketTypeFor } from "./udp.js";

export type { TftpClient, TftpEvent, TftpFileSource, TftpServer, TftpServerOptions } from "./types.js";

function bindHint(code: string | undefined): string {
  if (code === "EACCES") {
    return " (ports below 1024 need root or CAP_NET_BIND_SERVICE, e.g. setcap cap_net_bind_service=+ep $(which node))";
  }
  if (code === "EADDRINUSE") {
    return " (another TFTP server, such as tftpd-hpa or atftpd, is probably running: stop it or pick another port)";
  }
  return "";
}

async function bindListener(config: TftpServerConfig): Promise<Socket> {
  const socket = createSocket({ type: socketTypeFor(config.host) });
  try {
    await bindSocket(socket, config.host, config.port);
  } catch (err) {
    await closeSocket(socket);
    const why = `${(err as Error).message}${bindHint((err as NodeJS.ErrnoException).code)}`;
    throw new PatchkastError("PK_ERR_TFTP_BIND", `binding TFTP to ${config.host}:${config.port}: ${why}`, {
      cause: err,
    });
  }
  // After bind, dgram only emits "error" for failures we cannot act on; without a listener it would
  // crash the daemon (house rule 6).
  socket.on("error", () => {});
  return socket;
}

interface Engine {
  kind: "native" | "js";
  note?: string;
  open(args: SessionArgs): Promise<TransferHandle>;
  close(): Promise<void>;
}

/** The native engine when it is wanted and built, else JS sessions on the server thread or the pool. */
function chooseEngine(config: TftpServerConfig): Engine {
  const native = config.engine === "js" ? undefined : loadNativeEngine();
  if (native?.ok) {
    const { api } = native;
    return { kind: "native", open: (args) => openNativeSession(api, args), close: async () => {} };
  }
  if (native && config.engine === "native") {
    throw new PatchkastError("PK_ERR_TFTP_CONFIG", `TFTP engine "native" is not available: ${native.reason}`);
  }
  const note = native ? native.reason : "the js engine was asked for";
  // Threads start with the first transfer, so a server that only refuses never pays for them.
  const pool = config.threads > 0 ? new TransferPool(config.threads) : undefined;
  return {
    kind: "js",
    note,
    open: pool ? (args) => pool.open(args) : openSession,
    close: async () => pool?.close(),
  };
}

/** Binds the listening socket and starts serving. Rejects with PK_ERR_TFTP_BIND or PK_ERR_TFTP_CONFIG. */
export async function startTftpServer(opts: TftpServerOptions): Promise<TftpServer> {
  const config = resolveTftpConfig(opts);
  const engine = chooseEngine(config);
  const listener = await bindListener(config);
  let closed = false;
  let signalClosing: () => void = () => {};
  const ctx: ServerContext = {
    config,
    clients: new Map(),
    open: new Set(),
    preparing: new Set(),
    isClosed: () => closed,
    closing: new Promise((resolve) => {
      signalClosing = resolve;
    }),
    openTransfer: engine.open,
    reply: (to, packet) => safeSend(listener, packet, to),
  };
  listener.on("message", (msg, rinfo) => handleDatagram(ctx, msg, rinfo));
  const bound = listener.address();
  let closing: Promise<void> | undefined;
  return {
    address: { address: bound.address, port: bound.port },
    engine: { kind: engine.kind, ...(engine.note ? { note: engine.note } : {}) },
    close: () => {
      closing ??= closeAll(ctx, listener, () => {
        closed = true;
        signalClosing();
      }).then(() => engine.close());
      return closing;
    },
    activeTransfers: () => ctx.clients.size,
  };
}

async function closeAll(ctx: ServerContext, listener: Socket, markClosed: () => void): Promise<void> {
  markClosed();
  const listenerClosed = closeSocket(listener);
  // Requests still being prepared see `closed` and release what they opened; wait for them first
  // so no socket appears after close() resolved.
  await Promise.allSettled([...ctx.preparing]);
  await Promise.allSettled([...ctx.open].map((s) => s.abort("server shutting down")));
  ctx.clients.clear();
  await listenerClosed;
}
