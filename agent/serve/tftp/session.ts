/**
 * One transfer on its own ephemeral UDP port. RFC 1350 §4: the server answers from a new port
 * (its transfer ID), and the pair of TIDs identifies the transfer from then on.
 */
import type { RemoteInfo } from "node:dgram";
import { performance } from "node:perf_hooks";
import type { TftpServerConfig } from "./config.js";
import { decodePacket, Opcode } from "./packets.js";
import { RetransmitTimer } from "./timer.js";
import { Transfer, type TransferIo, type TransferOutcome, type TransferPlan } from "./transfer.js";
import { answerStray, openTransferSocket, sendToPeer, type TransferSocket } from "./transfer-socket.js";
import type { TftpClient, TftpTransferStats } from "./types.js";
import { closeSocket } from "./udp.js";

/** What the server holds of a running transfer, whether it runs on this thread or a worker's (pool.ts). */
export interface TransferHandle {
  /** Starts sending (OACK or DATA 1). */
  start(): void;
  /** Ends the transfer with ERROR 0 to the client and closes the socket; resolves when closed. */
  abort(reason: string): Promise<void>;
  /** Ends the transfer without telling the client (it has moved on) and closes the socket. */
  cancel(reason: string): void;
}

export interface SessionArgs {
  /** Only what a transfer socket needs, so a worker thread can build it without the file source. */
  config: Pick<TftpServerConfig, "host" | "onEvent">;
  client: TftpClient;
  path: string;
  plan: TransferPlan;
  /** Called once when the transfer ends (completed, failed or cancelled). */
  onEnded: () => void;
  /** Called once when the socket is closed, which can be a little after the end. */
  onClosed: () => void;
}

export class Session implements TransferHandle {
  private inflight = 0;
  private readonly timer = new RetransmitTimer();
  private ending = false;
  private closeStarted = false;
  private transfer: Transfer | undefined;
  /** Resolves when the socket is closed. */
  readonly closed: Promise<void>;
  private resolveClosed: () => void = () => {};

  constructor(
    private readonly args: SessionArgs,
    private readonly socket: TransferSocket,
  ) {
    this.closed = new Promise((resolve) => {
      this.resolveClosed = resolve;
    });
  }

  /** Starts sending (OACK or DATA 1). */
  start(): void {
    const { peer, strays } = this.socket;
    const io: TransferIo = {
      send: (packet) => this.send(packet),
      // DATA needs no completion callback: a lost one is the timer's business, and the transfer only
      // ends successfully after the client acknowledged the last block.
      sendData: (wireBlock, payload) => {
        const header = Buffer.allocUnsafe(4);
        header.writeUInt16BE(Opcode.data, 0);
        header.writeUInt16BE(wireBlock, 2);
        sendToPeer(peer, [header, payload]);
      },
      setTimer: (ms, onTimeout) => this.timer.set(ms, onTimeout),
      now: () => performance.now(),
    };
    this.transfer = new Transfer(this.args.plan, io, (outcome, stats) => this.onEnd(outcome, stats));
    peer.on("message", (msg) => this.onMessage(msg));
    strays.on("message", (msg, rinfo) => this.onStray(msg, rinfo));
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

  /** Another TID's datagram (answerStray); the client's own only in the moment before the peer socket was connected. */
  private onStray(msg: Buffer, rinfo: RemoteInfo): void {
    if (rinfo.address === this.args.client.address && rinfo.port === this.args.client.port) {
      this.onMessage(msg); // the client itself: treat it as its own
      return;
    }
    answerStray(this.socket.strays, msg, rinfo);
  }

  /** Only the client's packets arrive here: the socket is connected to it. */
  private onMessage(msg: Buffer): void {
    const { client, config } = this.args;
    // The hot path: an ACK, read in place instead of through the general decoder.
    if (msg.length >= 4 && msg[0] === 0 && msg[1] === Opcode.ack) {
      this.transfer?.handle({ kind: "ack", block: msg.readUInt16BE(2) });
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
    sendToPeer(this.socket.peer, packet, () => {
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
    this.timer.dispose();
    const { peer, strays } = this.socket;
    void Promise.all([closeSocket(peer), closeSocket(strays)]).then(() => {
      this.args.onClosed();
      this.resolveClosed();
    });
  }
}

/** Binds a fresh ephemeral port on the listener's address and wraps it in a Session. */
export async function openSession(args: SessionArgs): Promise<Session> {
  return new Session(args, await openTransferSocket(args.config.host, args.client));
}
