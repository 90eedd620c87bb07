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
  family?: string | undefined;
  device?: string | undefined;
  model?: string | undefined;
  firmware?: string | undefined;
  userAgent?: string | undefined;
  reason?: string | undefined;
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
    const line = auditLine(record);
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

/** Characters JSON.stringify would escape (and lone surrogates): a string without them is quoted as it is. */
const needsEscaping = /["\\\u0000-\u001f\ud800-\udfff]/;

function quoted(s: string): string {
  return needsEscaping.test(s) ? JSON.stringify(s) : `"${s}"`;
}

/**
 * The record as one JSON line, exactly what `JSON.stringify(record) + "\n"` gives (same field order, absent
 * fields left out), written out by hand: this runs for every provisioning request, and the generic
 * serialiser was the largest single cost of a boot-storm request (bench/README.md, http).
 */
export function auditLine(r: AuditRecord): string {
  let line = `{"time":${quoted(r.time)},"protocol":"${r.protocol}","source":${quoted(r.source)},"method":${quoted(r.method)},"path":${quoted(r.path)},"result":${quoted(r.result)},"status":${number(r.status)},"bytes":${number(r.bytes)}`;
  if (r.family !== undefined) line += `,"family":${quoted(r.family)}`;
  if (r.device !== undefined) line += `,"device":${quoted(r.device)}`;
  if (r.model !== undefined) line += `,"model":${quoted(r.model)}`;
  if (r.firmware !== undefined) line += `,"firmware":${quoted(r.firmware)}`;
  if (r.userAgent !== undefined) line += `,"userAgent":${quoted(r.userAgent)}`;
  if (r.reason !== undefined) line += `,"reason":${quoted(r.reason)}`;
  return `${line}}\n`;
}

function number(n: number): string {
  return Number.isFinite(n) ? String(n) : "null";
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
