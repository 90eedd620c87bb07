/**
 * A transfer run by the native engine (native/tftp-transfer.c): a thread of its own sends DATA and
 * reads ACKs on a socket connected to the client; this side keeps what needs judgement, as Session
 * does for a JS transfer: the stray-TID socket (ERROR 5), decoding anything that is not an ACK, the
 * end's reason and events. The window rules are transfer.ts's, carried out in C.
 */
import type { RemoteInfo, Socket } from "node:dgram";
import { PatchkastError } from "../../errors.js";
import { listen, messageKind, type NativeTransferApi, nativeOutcome } from "./native-engine.js";
import { decodePacket, encodeError, encodeOack, TftpErrorCode } from "./packets.js";
import type { SessionArgs, TransferHandle } from "./session.js";
import { endingFor } from "./transfer.js";
import { answerStray, newTransferPortSocket } from "./transfer-socket.js";
import type { TftpTransferStats } from "./types.js";
import { bindSocket, closeSocket } from "./udp.js";

type State = "opened" | "running" | "ended";

export class NativeSession implements TransferHandle {
  private state: State = "opened";
  /** Why JS asked the thread to stop; the first request wins, as in transfer.ts. */
  private endReason: string | undefined;
  private closeStarted = false;
  private resolveClosed: () => void = () => {};
  readonly closed = new Promise<void>((resolve) => {
    this.resolveClosed = resolve;
  });
  private readonly registration = listen((_id, kind, payload) => {
    if (kind === messageKind.packet) this.onPacket(payload as Buffer);
    else this.onEnded(payload as number[]);
  });

  constructor(
    private readonly api: NativeTransferApi,
    private readonly handle: unknown,
    private readonly strays: Socket,
    private readonly args: SessionArgs,
  ) {
    strays.on("message", (msg, rinfo) => this.onStray(msg, rinfo));
  }

  start(): void {
    if (this.state !== "opened") return;
    const { plan } = this.args;
    try {
      this.api.start(
        this.handle,
        this.registration.id,
        plan.data,
        plan.blksize,
        plan.windowsize,
        plan.oack.size > 0 ? encodeOack(plan.oack) : null,
        encodeError(TftpErrorCode.notDefined, "timeout"),
        plan.initialTimeoutMs,
        plan.maxTimeoutMs,
        plan.retries,
      );
      this.state = "running";
    } catch (err) {
      // No thread (the process is out of them): the client gets nothing and times out; we report why.
      this.api.end(this.handle, null);
      this.report({ ok: false, reason: `starting the transfer: ${(err as Error).message}` }, zeroStats());
    }
  }

  abort(reason: string): Promise<void> {
    if (this.state === "opened") this.discard();
    else this.requestEnd(reason, encodeError(TftpErrorCode.notDefined, reason));
    return this.closed;
  }

  cancel(reason: string): void {
    if (this.state === "opened") this.discard();
    else this.requestEnd(reason, null);
  }

  private requestEnd(reason: string, packet: Buffer | null): void {
    if (this.state !== "running") return;
    this.endReason ??= reason;
    this.api.end(this.handle, packet);
  }

  /** Never started: the socket is closed without a word and without events, as Session does. */
  private discard(): void {
    this.api.end(this.handle, null);
    this.state = "ended";
    this.close();
  }

  /** Another TID's datagram (answerStray). */
  private onStray(msg: Buffer, rinfo: RemoteInfo): void {
    const { client } = this.args;
    // The client's own packets reach the connected socket, which exists before the port is known.
    if (rinfo.address === client.address && rinfo.port === client.port) return;
    answerStray(this.strays, msg, rinfo);
  }

  /** A datagram from the client that the thread did not take for an ACK. */
  private onPacket(msg: Buffer): void {
    if (this.state !== "running") return;
    const { client, config } = this.args;
    const decoded = decodePacket(msg);
    if (!decoded.ok) {
      // Dropped, not answered: an ERROR would end the transfer, and the timer recovers anyway.
      config.onEvent({ type: "malformed", client, reason: decoded.reason, onTransferSocket: true });
      return;
    }
    const { packet } = decoded;
    if (packet.kind === "ack") return; // the thread reads ACKs; a decodable one cannot come here
    const ending = endingFor(packet);
    this.requestEnd(ending.reason, ending.reply ?? null);
  }

  private onEnded([outcome, acked, highestSent, dataPackets, timeouts, durationMs]: number[]): void {
    const { plan } = this.args;
    const complete = outcome === nativeOutcome.completed;
    const stats: TftpTransferStats = {
      bytes: complete ? plan.data.length : Math.min((acked ?? 0) * plan.blksize, plan.data.length),
      blocks: highestSent ?? 0,
      dataPackets: dataPackets ?? 0,
      retransmits: (dataPackets ?? 0) - (highestSent ?? 0),
      timeouts: timeouts ?? 0,
      durationMs: durationMs ?? 0,
    };
    if (complete) this.report({ ok: true }, stats);
    else if (outcome === nativeOutcome.timeout)
      this.report({ ok: false, reason: `timeout after ${plan.retries} retransmissions` }, stats);
    else if (outcome === nativeOutcome.ended)
      this.report({ ok: false, reason: this.endReason ?? "ended" }, stats);
    else this.report({ ok: false, reason: "the transfer socket failed" }, stats);
  }

  private report(outcome: { ok: true } | { ok: false; reason: string }, stats: TftpTransferStats): void {
    if (this.state === "ended") return;
    this.state = "ended";
    const { client, path, config } = this.args;
    if (outcome.ok) config.onEvent({ type: "completed", path, client, ...stats });
    else config.onEvent({ type: "failed", path, client, reason: outcome.reason, ...stats });
    this.args.onEnded();
    this.close();
  }

  private close(): void {
    if (this.closeStarted) return;
    this.closeStarted = true;
    this.registration.stop();
    void closeSocket(this.strays).then(() => {
      this.args.onClosed();
      this.resolveClosed();
    });
  }
}

const zeroStats = (): TftpTransferStats => ({
  bytes: 0,
  blocks: 0,
  dataPackets: 0,
  retransmits: 0,
  timeouts: 0,
  durationMs: 0,
});

/**
 * Opens the transfer's port: the engine's socket connected to the client, then an unconnected node
 * socket on the same port for everyone else (both SO_REUSEADDR; the connected one wins for the
 * client's datagrams, see transfer-socket.ts). Rejects like openSession when either cannot bind.
 */
export async function openNativeSession(api: NativeTransferApi, args: SessionArgs): Promise<NativeSession> {
  const { host } = args.config;
  let opened: [unknown, number];
  try {
    opened = api.open(host, args.client.address, args.client.port);
  } catch (err) {
    throw new PatchkastError(
      "PK_ERR_TFTP_BIND",
      `binding a transfer socket on ${host}: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
  const [handle, port] = opened;
  const strays = newTransferPortSocket(host);
  try {
    await bindSocket(strays, host, port);
  } catch (err) {
    api.end(handle, null);
    await closeSocket(strays);
    throw err;
  }
  return new NativeSession(api, handle, strays, args);
}
