import { createWriteStream, mkdirSync, renameSync, statSync, type WriteStream } from "node:fs";
import { dirname } from "node:path";

/** One provisioning request, as one JSON line: who asked for what, and what they got. */
export interface AuditRecord {
  time: string;
  protocol: "tftp" | "http" | "https";
  source: string;
  method: string;
  path: string;
  /** served | bootstrap | denied | blocked | not-found | uploaded | refused | error */
  result: string;
  status: number;
  bytes: number;
  family?: string;
  device?: string;
  model?: string;
  firmware?: string;
  userAgent?: string;
  reason?: string;
}

export interface AuditSink {
  write(record: AuditRecord): void;
  close(): Promise<void>;
}

/**
 * Appends audit records to a file in the state directory and rotates it by size (file.1 … file.N, oldest
 * dropped), so a long-running agent on a small box never fills its disk. Lines are collected and handed to
 * the stream once per turn of the event loop (a boot storm writes thousands per second; one stream write
 * each was a measurable share of a request); rotation happens between lines, never inside one.
 */
export class RotatingAuditLog implements AuditSink {
  readonly #file: string;
  readonly #maxBytes: number;
  readonly #keep: number;
  #stream: WriteStream;
  #size: number;
  /** Lines not yet handed to the stream; written at the next setImmediate, or before rotating or closing. */
  #pending: string[] = [];
  #flushScheduled = false;
  readonly #flush = () => {
    this.#flushScheduled = false;
    this.#writePending();
  };

  constructor(file: string, opts: { maxBytes?: number; keep?: number } = {}) {
    this.#file = file;
    this.#maxBytes = opts.maxBytes ?? 10 * 1024 * 1024;
    this.#keep = opts.keep ?? 5;
    mkdirSync(dirname(file), { recursive: true });
    this.#size = sizeOf(file);
    this.#stream = this.#open();
  }

  write(record: AuditRecord): void {
    const line = `${JSON.stringify(record)}\n`;
    if (this.#size > 0 && this.#size + line.length > this.#maxBytes) this.#rotate();
    this.#pending.push(line);
    this.#size += Buffer.byteLength(line);
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      setImmediate(this.#flush);
    }
  }

  close(): Promise<void> {
    this.#writePending();
    return new Promise((resolve) => this.#stream.end(resolve));
  }

  #writePending(): void {
    if (this.#pending.length === 0) return;
    const lines = this.#pending.join("");
    this.#pending = [];
    this.#stream.write(lines);
  }

  #open(): WriteStream {
    return createWriteStream(this.#file, { flags: "a", mode: 0o640 });
  }

  #rotate(): void {
    this.#writePending();
    this.#stream.end();
    for (let i = this.#keep - 1; i >= 1; i--) {
      try {
        renameSync(`${this.#file}.${i}`, `${this.#file}.${i + 1}`);
      } catch {
        // Not there yet: fewer rotations than `keep` so far.
      }
    }
    renameSync(this.#file, `${this.#file}.1`);
    this.#stream = this.#open();
    this.#size = 0;
  }
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/** Keeps records in memory: for tests and for `serve --no-audit` style use. */
export class MemoryAuditSink implements AuditSink {
  readonly records: AuditRecord[] = [];
  write(record: AuditRecord): void {
    this.records.push(record);
  }
  async close(): Promise<void> {}
}
