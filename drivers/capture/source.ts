/**
 * The small interface between a capture (tcpdump on an interface, or a fake in tests) and whoever
 * consumes SIP messages from it (agent/calls/capture-source.ts).
 */
import type { PatchkastError } from "../../agent/errors.js";
import type { CapturedSip, CaptureStats } from "./sip-reader.js";

export interface PacketSink {
  message(captured: CapturedSip): void;
  /** A failure after start(): the capture program died or wrote an error. Carries a code and context. */
  error(err: PatchkastError): void;
}

export interface PacketSource {
  /** For logs and error messages, e.g. `tcpdump -i eth1 (udp or tcp) and port 5060`. */
  readonly description: string;
  /** Resolves once packets are being captured; rejects (PK_ERR_CAPTURE_PROCESS) when the capture cannot start. */
  start(sink: PacketSink): Promise<void>;
  /** Ends the capture and releases what start() took; idempotent. */
  stop(): Promise<void>;
  stats(): CaptureStats;
}
