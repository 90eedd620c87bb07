/**
 * A small RFC-correct TFTP read client for tests (RFC 1350, 2347/2348/2349, 7440 windowsize).
 * Receiver rules (RFC 7440 §4): ACK after every `windowsize` in-order blocks and after the last one;
 * on a gap or a duplicate, ACK the last in-order block once (again only after new progress); on
 * its own timeout, resend the last packet. Knobs for the Sorcerer's Apprentice test (ackTwice) and
 * for holding a transfer open (hold). Only for tests: it keeps the whole file in memory.
 */

import { createSocket, type RemoteInfo, type Socket } from "node:dgram";
import { isIPv6 } from "node:net";
import { fromNetascii } from "../../agent/serve/tftp/netascii.js";
import {
  decodePacket,
  encodeAck,
  encodeError,
  encodeRequest,
  type TftpPacket,
} from "../../agent/serve/tftp/packets.js";

export interface DownloadOptions {
  server: { address: string; port: number };
  file: string;
  mode?: "octet" | "netascii";
  /** Options to request; left out when undefined. */
  blksize?: number;
  windowsize?: number;
  tsize?: boolean;
  /** Client retransmission timeout (ms). Default 500. */
  timeoutMs?: number;
  /** Retransmissions in a row before giving up. Default 20. */
  retries?: number;
  /** Send every ACK twice (Sorcerer's Apprentice test). */
  ackTwice?: boolean;
  /** After the final ACK, stay until this long passes without a packet, re-ACKing retransmissions. Default 0. */
  dallyMs?: number;
  /** Called once with the server's transfer ID (its ephemeral port). */
  onTid?: (tid: RemoteInfo) => void;
  /** Before ACKing in-order block `block`, go silent (no ACKs, no timer) until `until` settles. */
  hold?: { block: number; until: Promise<unknown> };
}

export interface DownloadResult {
  data: Buffer;
  oack: ReadonlyMap<string, string> | undefined;
  stats: { dataReceived: number; duplicates: number; outOfOrder: number; acksSent: number; timeouts: number };
}

/** A TFTP ERROR from the server, or a client-side failure (code -1). */
export class TftpClientError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export function tftpDownload(opts: DownloadOptions): Promise<DownloadResult> {
  return new Promise((resolve, reject) => {
    new Download(opts, resolve, reject).start();
  });
}

class Download {
  private readonly socket: Socket;
  private tid: RemoteInfo | undefined;
  private blksize = 512;
  private windowsize = 1;
  private oack: ReadonlyMap<string, string> | undefined;
  private chunks: Buffer[] = [];
  private received = 0; // absolute number of in-order blocks
  private lastAckSent = 0;
  private ackedSinceProgress = false;
  private lastPacket: Buffer = Buffer.alloc(0);
  private phase: "request" | "data" | "holding" | "dally" | "done" = "request";
  private timer: NodeJS.Timeout | undefined;
  private retriesLeft: number;
  private readonly stats = { dataReceived: 0, duplicates: 0, outOfOrder: 0, acksSent: 0, timeouts: 0 };

  constructor(
    private readonly opts: DownloadOptions,
    private readonly resolve: (r: DownloadResult) => void,
    private readonly reject: (e: Error) => void,
  ) {
    this.retriesLeft = opts.retries ?? 20;
    this.socket = createSocket(isIPv6(opts.server.address) ? "udp6" : "udp4");
  }

  start(): void {
    this.socket.on("message", (msg, rinfo) => this.onMessage(msg, rinfo));
    this.socket.on("error", (err) => this.fail(new TftpClientError(-1, err.message)));
    this.socket.bind(0, isIPv6(this.opts.server.address) ? "::1" : "127.0.0.1", () => {
      const options = new Map<string, string>();
      if (this.opts.blksize !== undefined) options.set("blksize", String(this.opts.blksize));
      if (this.opts.windowsize !== undefined) options.set("windowsize", String(this.opts.windowsize));
      if (this.opts.tsize) options.set("tsize", "0");
      const rrq = encodeRequest("rrq", this.opts.file, this.opts.mode ?? "octet", options);
      this.sendTo(rrq, this.opts.server);
    });
  }

  private onMessage(msg: Buffer, rinfo: RemoteInfo): void {
    if (this.phase === "done" || this.phase === "holding") return;
    if (!this.tid) {
      this.tid = rinfo;
      this.opts.onTid?.(rinfo);
    } else if (rinfo.port !== this.tid.port || rinfo.address !== this.tid.address) {
      this.sendTo(encodeError(5, "unknown transfer ID"), rinfo, false); // RFC 1350 §4
      return;
    }
    const decoded = decodePacket(msg);
    if (!decoded.ok) return;
    this.onPacket(decoded.packet);
  }

  private onPacket(packet: TftpPacket): void {
    if (packet.kind === "error") this.fail(new TftpClientError(packet.code, packet.message));
    else if (packet.kind === "oack") this.onOack(packet.options);
    else if (packet.kind === "data") this.onData(packet.block, packet.data);
    else this.fail(new TftpClientError(-1, `unexpected ${packet.kind} from server`));
  }

  private onOack(options: ReadonlyMap<string, string>): void {
    if (this.phase === "data" && this.received === 0) this.sendAck(0); // our ACK 0 was lost
    if (this.phase !== "request") return;
    const blksize = Number(options.get("blksize") ?? 512);
    const windowsize = Number(options.get("windowsize") ?? 1);
    // RFC 2347/2348: the server may only lower what we asked for, and only answer what we asked.
    if (blksize > (this.opts.blksize ?? 512) || windowsize > (this.opts.windowsize ?? 1)) {
      this.fail(new TftpClientError(8, `server granted more than asked: ${[...options]}`));
      return;
    }
    this.oack = options;
    this.blksize = blksize;
    this.windowsize = windowsize;
    this.phase = "data";
    this.sendAck(0);
  }

  private onData(block: number, payload: Buffer): void {
    this.stats.dataReceived++;
    if (this.phase === "request") this.phase = "data"; // no OACK: RFC 1350 defaults
    if (this.phase === "dally") this.sendAck(this.received, true);
    else if (block !== ((this.received + 1) & 0xffff)) this.onUnexpected(block);
    else if (payload.length > this.blksize) this.fail(new TftpClientError(4, `block ${block} too long`));
    else this.onInOrder(payload);
  }

  private onInOrder(payload: Buffer): void {
    this.chunks.push(Buffer.from(payload));
    this.received++;
    this.retriesLeft = this.opts.retries ?? 20;
    this.ackedSinceProgress = false;
    const last = payload.length < this.blksize;
    if (this.opts.hold && this.received === this.opts.hold.block) this.holdThen(last);
    else this.ackIfDue(last);
  }

  private ackIfDue(last: boolean): void {
    if (last) {
      this.sendAck(this.received);
      this.phase = "dally";
      this.armTimer(this.opts.dallyMs ?? 0);
    } else if (this.received - this.lastAckSent >= this.windowsize) {
      this.sendAck(this.received);
    } else {
      this.armTimer();
    }
  }

  private holdThen(last: boolean): void {
    this.phase = "holding";
    clearTimeout(this.timer);
    void this.opts.hold?.until.finally(() => {
      if (this.phase !== "holding") return;
      this.phase = "data";
      this.ackIfDue(last);
    });
  }

  /** A gap (future block) or a duplicate (old block): ACK the last in-order block, once per episode. */
  private onUnexpected(block: number): void {
    const ahead = (block - ((this.received + 1) & 0xffff)) & 0xffff;
    if (ahead < 0x8000) this.stats.outOfOrder++;
    else this.stats.duplicates++;
    if (!this.ackedSinceProgress) this.sendAck(this.received);
  }

  private sendAck(block: number, dallying = false): void {
    this.lastAckSent = block;
    this.ackedSinceProgress = true;
    const ack = encodeAck(block & 0xffff);
    const to = this.tid ?? this.opts.server;
    this.sendTo(ack, to);
    if (this.opts.ackTwice) this.sendTo(ack, to, false);
    this.stats.acksSent += this.opts.ackTwice ? 2 : 1;
    if (dallying) this.armTimer(this.opts.dallyMs ?? 0);
  }

  private sendTo(packet: Buffer, to: { address: string; port: number }, remember = true): void {
    if (remember) this.lastPacket = packet;
    this.socket.send(packet, to.port, to.address);
    if (remember && this.phase !== "dally") this.armTimer();
  }

  private armTimer(ms = this.opts.timeoutMs ?? 500): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.onTimeout(), ms);
  }

  private onTimeout(): void {
    if (this.phase === "dally") this.finish();
    if (this.phase !== "request" && this.phase !== "data") return;
    this.stats.timeouts++;
    if (this.retriesLeft-- <= 0) {
      this.fail(new TftpClientError(-1, "client timed out"));
      return;
    }
    // RFC 7440 §4: on timeout the receiver ACKs the last block it has in order, which may be newer
    // than its last ACK (the end of a window was lost). Before any data: resend the RRQ or ACK 0.
    if (this.phase === "data" && this.received > 0) this.sendAck(this.received);
    else
      this.sendTo(
        this.lastPacket,
        this.phase === "request" ? this.opts.server : (this.tid ?? this.opts.server),
      );
  }

  private finish(): void {
    const raw = Buffer.concat(this.chunks);
    const data = this.opts.mode === "netascii" ? fromNetascii(raw) : raw;
    this.close();
    this.resolve({ data, oack: this.oack, stats: { ...this.stats } });
  }

  private fail(err: Error): void {
    if (this.phase === "done") return;
    this.close();
    this.reject(err);
  }

  private close(): void {
    this.phase = "done";
    clearTimeout(this.timer);
    try {
      this.socket.close();
    } catch {
      // already closed
    }
  }
}
