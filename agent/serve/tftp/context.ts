/** State the listener shares with the code that handles requests; one per server, no globals. */
import type { TftpServerConfig } from "./config.js";
import { encodeError } from "./packets.js";
import type { SessionArgs, TransferHandle } from "./session.js";
import type { TftpClient } from "./types.js";

/** The transfer a client (address|port) currently has, or is about to get. */
export interface ClientEntry {
  /** The request's exact bytes: an identical RRQ is a retransmission, a different one a new request. */
  signature: string;
  /** Unset while the file source is read and the socket bound. */
  session: TransferHandle | undefined;
}

export interface ServerContext {
  config: TftpServerConfig;
  /** Transfers in progress by client; their count is what maxConcurrent limits. */
  clients: Map<string, ClientEntry>;
  /** Every session whose socket is not closed yet, ended or not, so close() can wait for all. */
  open: Set<TransferHandle>;
  /** Requests being prepared, so close() can wait until none can open a socket any more. */
  preparing: Set<Promise<void>>;
  isClosed(): boolean;
  /** Settles when close() starts; pending source reads race against it. */
  closing: Promise<void>;
  /** Binds a transfer socket, on this thread or a transfer thread (pool.ts). */
  openTransfer(args: SessionArgs): Promise<TransferHandle>;
  /** Sends from the listening socket. */
  reply(to: TftpClient, packet: Buffer): void;
}

/** Answers with an ERROR from the listening port and reports the refusal. */
export function refuse(
  ctx: ServerContext,
  client: TftpClient,
  rawPath: string,
  code: number,
  message: string,
  reason = message,
): void {
  ctx.reply(client, encodeError(code, message));
  ctx.config.onEvent({ type: "refused", path: rawPath.slice(0, 300), client, errorCode: code, reason });
}
