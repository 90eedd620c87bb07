/**
 * A PacketSource for unit tests: the test pushes SIP messages (or pcap bytes through a real
 * SipCaptureReader) and errors by hand; nothing is spawned.
 */
import type { PatchkastError } from "../../agent/errors.js";
import { type CapturedSip, type CaptureStats, SipCaptureReader } from "./sip-reader.js";
import type { PacketSink, PacketSource } from "./source.js";

export class FakePacketSource implements PacketSource {
  readonly description = "fake capture";
  private sink: PacketSink | undefined;
  private readonly reader = new SipCaptureReader((m) => this.sink?.message(m));
  starts = 0;
  stops = 0;
  /** When set, start() rejects with it (a capture that cannot open its interface). */
  failStart: PatchkastError | undefined;

  async start(sink: PacketSink): Promise<void> {
    this.starts++;
    if (this.failStart) throw this.failStart;
    this.sink = sink;
  }

  async stop(): Promise<void> {
    this.stops++;
    this.sink = undefined;
  }

  /** Delivers one already parsed message, as if captured. */
  emit(captured: CapturedSip): void {
    this.sink?.message(captured);
  }

  /** Feeds pcap bytes through a real reader. */
  pushPcap(bytes: Buffer): void {
    this.reader.push(bytes);
  }

  fail(err: PatchkastError): void {
    this.sink?.error(err);
  }

  stats(): CaptureStats {
    return this.reader.stats();
  }
}
