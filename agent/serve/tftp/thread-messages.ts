/**
 * The messages between the server's thread and its transfer threads (pool.ts, transfer-worker.ts).
 * The server thread keeps everything that decides (requests, policy, audit, the concurrency limit);
 * a transfer thread only owns transfer sockets and moves bytes.
 */
import type { TftpClient, TftpEvent } from "./types.js";

/** A TransferPlan that can cross threads: the bytes are a view on shared memory, not a copy. */
export interface PortablePlan {
  data: Uint8Array;
  blksize: number;
  windowsize: number;
  oack: [string, string][];
  initialTimeoutMs: number;
  maxTimeoutMs: number;
  retries: number;
}

export type ToTransferThread =
  | { op: "open"; id: number; host: string; client: TftpClient; path: string; plan: PortablePlan }
  | { op: "start"; id: number }
  | { op: "abort"; id: number; reason: string }
  | { op: "cancel"; id: number; reason: string };

export type FromTransferThread =
  | { op: "opened"; id: number }
  | { op: "open-failed"; id: number; message: string }
  /** A TftpEvent for the server's onEvent (completed, failed, malformed on the transfer socket). */
  | { op: "event"; id: number; event: TftpEvent }
  /**
   * The transfer ended; `event` is its completed or failed event. They travel together so the server
   * thread reports the end and frees the client's slot in one step, as an in-thread Session does.
   */
  | { op: "ended"; id: number; event: TftpEvent | undefined }
  | { op: "closed"; id: number };
