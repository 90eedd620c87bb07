/** The TFTP server's public interface: what the rest of patchkast plugs in and gets back. */

export interface TftpClient {
  address: string;
  port: number;
}

export type TftpReadResult =
  | { ok: true; data: Buffer }
  | { ok: false; code: "not-found" | "access-denied"; message: string };

/**
 * Where file contents come from (rendered configs, firmware). The path is already sanitised
 * (paths.ts): relative, "/"-separated, no "..", no leading "/".
 */
export interface TftpFileSource {
  /** Called once per RRQ with the sanitised path and the client's address; returns the bytes or a refusal. */
  read(path: string, client: TftpClient): Promise<TftpReadResult>;
}

export interface TftpServerOptions {
  /** Address to bind, e.g. "0.0.0.0", "::" or "127.0.0.1". Transfer sockets bind the same address. */
  host: string;
  /** 69 in production (needs root or CAP_NET_BIND_SERVICE); 0 picks a free port (tests). */
  port: number;
  source: TftpFileSource;
  /** Transfers in progress, including requests waiting for the source; beyond it: ERROR 0 "server busy". Default 200. */
  maxConcurrent?: number;
  /** Retransmissions of one packet or window before giving up with ERROR 0 "timeout". Default 5. */
  retries?: number;
  /** First retransmission timeout; doubles on each retry up to maxTimeoutMs. Default 1000. */
  initialTimeoutMs?: number;
  /** Ceiling of the exponential back-off. Default 8000. A timeout the client negotiated replaces both. */
  maxTimeoutMs?: number;
  /** Largest blksize granted (RFC 2348, 8..65464). Default 65464. */
  maxBlksize?: number;
  /** Largest windowsize granted (RFC 7440, 1..65535). Default 64. */
  maxWindowsize?: number;
  /**
   * Who moves the bytes of a transfer. "native": a thread per transfer in native/tftp-transfer.c (fails
   * with PK_ERR_TFTP_CONFIG when it is not built); "js": node:dgram sockets on the worker threads below;
   * "auto" (default): native when it is built, else js.
   */
  engine?: "auto" | "native" | "js";
  /**
   * Worker threads that run the transfers of the js engine (the server thread keeps requests, policy and events).
   * 0 runs every transfer on the server's own thread. Default: one per core, at most 8.
   */
  threads?: number;
  /** Called synchronously for every event below; exceptions it throws are swallowed. */
  onEvent?: (event: TftpEvent) => void;
}

/** Counters of one transfer, for logs and metrics. */
export interface TftpTransferStats {
  /** Octets of the file acknowledged by the client (all of them when completed). */
  bytes: number;
  /** Distinct DATA blocks sent at least once. */
  blocks: number;
  /** DATA packets sent, first sends and retransmissions together. */
  dataPackets: number;
  /** DATA packets that carried a block already sent before (dataPackets - blocks). */
  retransmits: number;
  /** Retransmission timer expiries. */
  timeouts: number;
  durationMs: number;
}

export type TftpEvent =
  | {
      type: "started";
      path: string;
      client: TftpClient;
      mode: "octet" | "netascii";
      /** Octets on the wire (after netascii conversion). */
      size: number;
      blksize: number;
      windowsize: number;
      /** The options we acknowledged in the OACK (empty: no OACK was sent). */
      options: Record<string, string>;
    }
  | ({ type: "completed"; path: string; client: TftpClient } & TftpTransferStats)
  | ({ type: "failed"; path: string; client: TftpClient; reason: string } & TftpTransferStats)
  | {
      type: "refused";
      /** The name as requested (not sanitised; cut to 300 characters). */
      path: string;
      client: TftpClient;
      /** The TFTP error code we answered with (RFC 1350 §5). */
      errorCode: number;
      reason: string;
    }
  | { type: "malformed"; client: TftpClient; reason: string; onTransferSocket: boolean };

export interface TftpServer {
  /** Where the main socket listens; port is the real one when 0 was asked for. */
  address: TftpClient;
  /** The engine the transfers run on, and why it is not the native one when it is not. */
  engine: { kind: "native" | "js"; note?: string };
  /** Stops listening, tells clients of running transfers (ERROR 0) and releases every socket and timer. */
  close(): Promise<void>;
  /** Transfers in progress, including requests still waiting for the file source. */
  activeTransfers(): number;
}
