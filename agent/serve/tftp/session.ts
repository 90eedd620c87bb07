/**
 * One transfer on its own ephemeral UDP socket. RFC 1350 §4: the server answers from a new port
 * (its transfer ID), and the pair of TIDs identifies the transfer from then on.
 */
import { createSocket, type RemoteInfo, type Socket } from "node:dgram";
import { performance } from "node:perf_hooks";
import type { TftpServerConfig } from "./config.js";
import { decodePacket, encodeError, Opcode, TftpErrorCode } from "./packets.js";
import { Transfer, type TransferIo, type TransferOutcome, type TransferPlan } from "./transfer.js";
import type { TftpClient, TftpTransferStats } from "./types.js";
import { bindSocket, closeSocket, safeSend, socketTypeFor } from "./udp.js";

export interface SessionArgs {
  config: TftpServerConfig;
  client: TftpClient;
  path: string;
  plan: TransferPlan;
  /** Called once when the transfer ends (completed, failed or cancelled). */
  onEnded: () => void;
  /** Called once when the socket is closed, which can be a little after the end. */
  onClosed: () => void;
}

export class Session {
  private inflight = 0;
  private ending = false;
  private closeStarted = false;
  private transfer: Transfer | undefined;
  /** Resolves when the socket is closed. */
  readonly closed: Promise<void>;
  private resolveClosed: () => void = () => {};

  constructor(
    private readonly args: SessionArgs,
    private readonly socket: Socket,
  ) {
    this.closed = new Promise((resolve) => {
      this.resolveClosed = resolve;
    });
  }

  /** Starts sending (OACK or DATA 1). */
  start(): void {
    const io: TransferIo = {
      send: (packet) => this.send(packet),
      setTimer: (ms, onTimeout) => {
        const timer = setTimeout(onTimeout, ms);
        return () => clearTimeout(timer);
      },
      now: () => performance.now(),
    };
    this.transfer = new Transfer(this.args.plan, io, (outcome, stats) => this.onEnd(outcome, stats));
    this.socket.on("message", (msg, rinfo) => this.onMessage(msg, rinfo));
    this.transfer.start();
  }

  /** Ends the transfer with ERROR 0 to the client and closes the socket; resolves when closed. */
  abort(reason: string): Promise<void> {
    if (this.transfer) this.transfer.abort(reason);
    else this.close();
    return this.closed;
  }

  /** Ends the transfer without telling the client (it has moved on) and closes the socket. */
  cancel(reason: string): void {
    if (this.transfer) this.transfer.cancel(reason);
    else this.close();
  }

  private onMessage(msg: Buffer, rinfo: RemoteInfo): void {
    const { client, config } = this.args;
    if (rinfo.address !== client.address || rinfo.port !== client.port) {
      // RFC 1350 §4: a packet from a wrong TID gets ERROR 5 and must not disturb the transfer.
      // An ERROR is never answered with an ERROR, so two confused peers cannot loop.
      const isError = msg.length >= 2 && msg.readUInt16BE(0) === Opcode.error;
      if (!isError)
        safeSend(this.socket, encodeError(TftpErrorCode.unknownTid, "unknown transfer ID"), rinfo);
      return;
    }
    const decoded = decodePacket(msg);
    if (!decoded.ok) {
      // Dropped, not answered: an ERROR would end the transfer, and the timer recovers anyway.
      config.onEvent({ type: "malformed", client, reason: decoded.reason, onTransferSocket: true });
      return;
    }
    this.transfer?.handle(decoded.packet);
  }

  private send(packet: Buffer): void {
    this.inflight++;
    safeSend(this.socket, packet, this.args.client, () => {
      this.inflight--;
      if (this.ending && this.inflight === 0) this.close();
    });
  }

  private onEnd(outcome: TransferOutcome, stats: TftpTransferStats): void {
    const { client, path, config } = this.args;
    if (outcome.ok) config.onEvent({ type: "completed", path, client, ...stats });
    else config.onEvent({ type: "failed", path, client, reason: outcome.reason, ...stats });
    this.args.onEnded();
    // Close once the last packet (final ERROR, if any) has left, so it is not cut off.
    this.ending = true;
    if (this.inflight === 0) this.close();
  }

  private close(): void {
    if (this.closeStarted) return;
    this.closeStarted = true;
    this.ending = true;
    void closeSocket(this.socket).then(() => {
      this.args.onClosed();
      this.resolveClosed();
    });
  }
}

/** Binds a fresh ephemeral socket on the listener's address and wraps it in a Session. */
export async function openSession(args: SessionArgs): Promise<Session> {
  const socket = createSocket({ type: socketTypeFor(args.config.host) });
  // A socket without an error listener would crash the process on an unexpected error event.
  socket.on("error", () => {});
  try {
    await bindSocket(socket, args.config.host, 0);
  } catch (err) {
    await closeSocket(socket);
    throw err;
  }
  return new Session(args, socket);
}
