/** Defaults and validation of TftpServerOptions; every problem is reported at once (house rule 5). */
import { availableParallelism } from "node:os";
import { PatchkastError } from "../../errors.js";
import { maxBlksizeRfc, maxWindowsizeRfc, minBlksize } from "./options.js";
import type { TftpEvent, TftpFileSource, TftpServerOptions } from "./types.js";

export interface TftpServerConfig {
  host: string;
  port: number;
  source: TftpFileSource;
  maxConcurrent: number;
  retries: number;
  initialTimeoutMs: number;
  maxTimeoutMs: number;
  maxBlksize: number;
  maxWindowsize: number;
  engine: "auto" | "native" | "js";
  threads: number;
  onEvent: (event: TftpEvent) => void;
}

export const tftpDefaults = {
  maxConcurrent: 200,
  retries: 5,
  initialTimeoutMs: 1000,
  maxTimeoutMs: 8000,
  maxBlksize: maxBlksizeRfc,
  maxWindowsize: 64,
} as const;

/** One transfer thread per core (a lock-step download is CPU-bound per packet), at most 8 idle ones on a big host. */
export const defaultThreads = (): number => Math.min(availableParallelism(), 8);

function checkInt(problems: string[], name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    problems.push(`${name} must be a whole number from ${min} to ${max}, got ${value}`);
  }
}

/** A listener that throws must not take a transfer (or the daemon) down with it. */
function safeListener(onEvent: TftpServerOptions["onEvent"]): (event: TftpEvent) => void {
  if (!onEvent) return () => {};
  return (event) => {
    try {
      onEvent(event);
    } catch {
      // Deliberately ignored: logging and metrics are best effort, serving phones is not.
    }
  };
}

/** Fills in defaults and checks ranges; throws PK_ERR_TFTP_CONFIG listing every problem. */
export function resolveTftpConfig(opts: TftpServerOptions): TftpServerConfig {
  const initialTimeoutMs = opts.initialTimeoutMs ?? tftpDefaults.initialTimeoutMs;
  const config: TftpServerConfig = {
    host: opts.host,
    port: opts.port,
    source: opts.source,
    maxConcurrent: opts.maxConcurrent ?? tftpDefaults.maxConcurrent,
    retries: opts.retries ?? tftpDefaults.retries,
    initialTimeoutMs,
    maxTimeoutMs: opts.maxTimeoutMs ?? Math.max(tftpDefaults.maxTimeoutMs, initialTimeoutMs),
    maxBlksize: opts.maxBlksize ?? tftpDefaults.maxBlksize,
    maxWindowsize: opts.maxWindowsize ?? tftpDefaults.maxWindowsize,
    engine: opts.engine ?? "auto",
    threads: opts.threads ?? defaultThreads(),
    onEvent: safeListener(opts.onEvent),
  };
  const problems: string[] = [];
  if (typeof config.host !== "string" || config.host === "") problems.push("host must be an IP address");
  checkInt(problems, "port", config.port, 0, 65535);
  if (typeof config.source?.read !== "function")
    problems.push("source must have a read(path, client) method");
  checkInt(problems, "maxConcurrent", config.maxConcurrent, 1, 100_000);
  checkInt(problems, "retries", config.retries, 0, 100);
  checkInt(problems, "initialTimeoutMs", config.initialTimeoutMs, 1, 255_000);
  checkInt(problems, "maxTimeoutMs", config.maxTimeoutMs, config.initialTimeoutMs, 255_000);
  checkInt(problems, "maxBlksize", config.maxBlksize, minBlksize, maxBlksizeRfc);
  checkInt(problems, "maxWindowsize", config.maxWindowsize, 1, maxWindowsizeRfc);
  checkInt(problems, "threads", config.threads, 0, 64);
  if (!["auto", "native", "js"].includes(config.engine))
    problems.push(`engine must be auto, native or js, got ${String(config.engine)}`);
  if (problems.length > 0) {
    throw new PatchkastError("PK_ERR_TFTP_CONFIG", `TFTP server settings: ${problems.join("; ")}`, {
      details: problems,
    });
  }
  return config;
}
