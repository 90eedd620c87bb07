/**
 * One read transfer's state machine, free of sockets and real timers so it can be driven by a fake
 * clock in unit tests. The server feeds it packets from the client's TID and gives it `send` and a
 * one-shot timer.
 *
 * Blocks are numbered 1..total internally (total may exceed 65535); on the wire a block number is
 * the low 16 bits, so block 65536 goes out as 0, as tftp-hpa does when it rolls over.
 *
 * Window and retransmission rules:
 * - The window is the blocks acked+1 .. acked+windowsize (RFC 7440 §4). Windowsize 1 is plain
 *   RFC 1350 lock-step.
 * - An ACK for a block n inside the window we sent (acked < n <= sentUpTo) is progress: the client
 *   has everything up to n. We slide and send the next window from n+1 at once. When n < sentUpTo
 *   the client is telling us it lost n+1 (RFC 7440 §4: the receiver ACKs the last block it got in
 *   order), so this is also the loss recovery.
 * - Any other ACK (a duplicate of `acked`, an older one, one for a block never sent) is ignored.
 *   Only the timer retransmits. This is the fix for the Sorcerer's Apprentice syndrome
 *   (RFC 1123 §4.2.3.1): answering duplicate ACKs with DATA doubles every packet from then on.
 * - On timeout the unacknowledged window is sent again, the timeout doubles up to its ceiling, and
 *   after `retries` retransmissions in a row without progress the transfer ends with ERROR 0.
 * - With options, the OACK is "block 0": DATA 1 waits for ACK 0 (RFC 2347), and the OACK is
 *   retransmitted like data. This also keeps a spoofed RRQ from turning us into an amplifier: a
 *   big window of big blocks only goes out after the real owner of the address answered from the
 *   port it used.
 */
import { encodeData, encodeError, encodeOack, TftpErrorCode, type TftpPacket } from "./packets.js";
import type { TftpTransferStats } from "./types.js";

export interface TransferPlan {
  /** Exactly the octets to send (already netascii-converted when that mode was asked for). */
  data: Buffer;
  blksize: number;
  windowsize: number;
  /** Options for the OACK; empty means none was negotiated and DATA 1 goes out first. */
  oack: ReadonlyMap<string, string>;
  initialTimeoutMs: number;
  maxTimeoutMs: number;
  retries: number;
}

export interface TransferIo {
  send(packet: Buffer): void;
  /**
   * Sends one DATA packet. Optional: a socket can send the 4-byte header and the payload as two parts
   * without copying the payload (the hot path of a firmware download); without it, DATA goes through send().
   */
  sendData?(wireBlock: number, payload: Buffer): void;
  /** Arms a one-shot timer; the returned function cancels it. */
  setTimer(ms: number, onTimeout: () => void): () => void;
  now(): number;
}

export type TransferOutcome = { ok: true } | { ok: false; reason: string };

/**
 * What a decoded packet other than an ACK does to a read transfer: it ends it, with this reason, and
 * with `reply` sent first when there is one. The client's ERROR is never answered; a request, DATA or
 * OACK has no place on a read transfer's server side (RFC 1350 §5) and gets ERROR 4. Both engines use it.
 */
export function endingFor(packet: Exclude<TftpPacket, { kind: "ack" }>): { reason: string; reply?: Buffer } {
  if (packet.kind === "error") return { reason: `client sent ERROR ${packet.code}: ${packet.message}` };
  return {
    reason: `client sent ${packet.kind.toUpperCase()} during a read transfer`,
    reply: encodeError(TftpErrorCode.illegalOperation, `illegal operation: ${packet.kind}`),
  };
}

type Phase = "idle" | "oack" | "data" | "done";

export class Transfer {
  private phase: Phase = "idle";
  private acked = 0;
  private sentUpTo = 0;
  private highestSent = 0;
  private dataPackets = 0;
  private timeouts = 0;
  private retriesInARow = 0;
  private timeoutMs: number;
  private cancelTimer: (() => void) | undefined;
  private startedAt = 0;
  private readonly totalBlocks: number;
  /** Bound once: the timer is re-armed on every ACK, and a fresh closure each time is garbage. */
  private readonly fireTimeout = () => this.onTimeout();

  constructor(
    private readonly plan: TransferPlan,
    private readonly io: TransferIo,
    private readonly onEnd: (outcome: TransferOutcome, stats: TftpTransferStats) => void,
  ) {
    this.timeoutMs = plan.initialTimeoutMs;
    // The last block is always shorter than blksize, so a size that is a multiple of blksize ends
    // with an empty block (RFC 1350 §6: "a data packet of less than 512 bytes signals termination").
    this.totalBlocks = Math.floor(plan.data.length / plan.blksize) + 1;
  }

  /** Sends the OACK (or the first window) and arms the timer. */
  start(): void {
    if (this.phase !== "idle") return;
    this.startedAt = this.io.now();
    if (this.plan.oack.size > 0) {
      this.phase = "oack";
      this.sendOack();
    } else {
      this.phase = "data";
      this.sendWindow(1);
    }
  }

  /** A decoded packet from the client's TID. */
  handle(packet: TftpPacket): void {
    if (this.phase === "done" || this.phase === "idle") return;
    if (packet.kind === "ack") {
      this.onAck(packet.block);
      return;
    }
    const ending = endingFor(packet);
    if (ending.reply) this.io.send(ending.reply);
    this.end({ ok: false, reason: ending.reason });
  }

  /** Ends the transfer from outside (server shutting down), telling the client with ERROR 0. */
  abort(reason: string): void {
    if (this.phase === "done") return;
    this.io.send(encodeError(TftpErrorCode.notDefined, reason));
    this.end({ ok: false, reason });
  }

  /** Ends the transfer without a word to the client (it has already moved on). */
  cancel(reason: string): void {
    this.end({ ok: false, reason });
  }

  get finished(): boolean {
    return this.phase === "done";
  }

  stats(): TftpTransferStats {
    const complete = this.acked >= this.totalBlocks;
    return {
      bytes: complete
        ? this.plan.data.length
        : Math.min(this.acked * this.plan.blksize, this.plan.data.length),
      blocks: this.highestSent,
      dataPackets: this.dataPackets,
      retransmits: this.dataPackets - this.highestSent,
      timeouts: this.timeouts,
      durationMs: this.phase === "idle" ? 0 : this.io.now() - this.startedAt,
    };
  }

  private onAck(wireBlock: number): void {
    if (this.phase === "oack") {
      // Anything but ACK 0 here is noise; the OACK timer keeps running until ACK 0 arrives.
      if (wireBlock !== 0) return;
      this.phase = "data";
      this.progress();
      this.sendWindow(1);
      return;
    }
    const n = this.resolveAck(wireBlock);
    if (n === undefined) return; // duplicate, stale or bogus: never answered (Sorcerer's Apprentice)
    this.acked = n;
    this.progress();
    if (n === this.totalBlocks) this.end({ ok: true });
    else this.sendWindow(n + 1);
  }

  /**
   * Maps a 16-bit ACK to the block it acknowledges, if it is in (acked, sentUpTo]. The window is
   * at most 65535 blocks, so at most one block in that range has these low 16 bits.
   */
  private resolveAck(wireBlock: number): number | undefined {
    const ahead = (wireBlock - (this.acked & 0xffff)) & 0xffff;
    if (ahead === 0) return undefined;
    const n = this.acked + ahead;
    return n <= this.sentUpTo ? n : undefined;
  }

  /** The client moved forward: the back-off and the retry budget start over. */
  private progress(): void {
    this.retriesInARow = 0;
    this.timeoutMs = this.plan.initialTimeoutMs;
  }

  private sendOack(): void {
    this.io.send(encodeOack(this.plan.oack));
    this.armTimer();
  }

  private sendWindow(from: number): void {
    const to = Math.min(from + this.plan.windowsize - 1, this.totalBlocks);
    for (let block = from; block <= to; block++) this.sendBlock(block);
    this.sentUpTo = to;
    this.armTimer();
  }

  private sendBlock(block: number): void {
    const start = (block - 1) * this.plan.blksize;
    const payload = this.plan.data.subarray(
      start,
      Math.min(start + this.plan.blksize, this.plan.data.length),
    );
    if (this.io.sendData) this.io.sendData(block & 0xffff, payload);
    else this.io.send(encodeData(block & 0xffff, payload));
    this.dataPackets++;
    if (block > this.highestSent) this.highestSent = block;
  }

  private armTimer(): void {
    this.cancelTimer?.();
    this.cancelTimer = this.io.setTimer(this.timeoutMs, this.fireTimeout);
  }

  private onTimeout(): void {
    this.cancelTimer = undefined;
    if (this.phase === "done") return;
    this.timeouts++;
    if (this.retriesInARow >= this.plan.retries) {
      this.io.send(encodeError(TftpErrorCode.notDefined, "timeout"));
      this.end({ ok: false, reason: `timeout after ${this.plan.retries} retransmissions` });
      return;
    }
    this.retriesInARow++;
    this.timeoutMs = Math.min(this.timeoutMs * 2, this.plan.maxTimeoutMs);
    if (this.phase === "oack") this.sendOack();
    else this.sendWindow(this.acked + 1);
  }

  private end(outcome: TransferOutcome): void {
    if (this.phase === "done") return;
    this.phase = "done";
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    this.onEnd(outcome, this.stats());
  }
}
