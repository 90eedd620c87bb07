/**
 * Transfer threads: a lock-step download costs one DATA/ACK exchange per block (13,600 for a 20 MB image
 * at blksize 1468), and one thread serving 50 phones becomes the bottleneck of a boot storm; tftpd-hpa
 * forks per transfer and so uses every core. The server thread still takes every request and decides
 * (policy, audit, limits); it hands an accepted transfer to the least busy thread, which runs the same
 * Session (session.ts) and reports its events back.
 */
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { PatchkastError } from "../../errors.js";
import type { SessionArgs, TransferHandle } from "./session.js";
import { sharedView } from "./shared-bytes.js";
import type { FromTransferThread, ToTransferThread } from "./thread-messages.js";

/** Registers tsx's loader in the new thread before loading the entry: a worker has no loader of its own. */
const tsxBootstrap = `const { workerData } = require("node:worker_threads");
import(workerData.tsxApi).then((tsx) => { tsx.register(); return import(workerData.entry); });`;

/**
 * Starts transfer-worker next to this file: .js when built, .mjs in the benchmark's bundle, .ts when run
 * from source (tests, tsx), where tsx has to be registered in the thread first.
 */
function startWorker(): Worker {
  const here = import.meta.url;
  const ext = here.slice(here.lastIndexOf("."));
  const entry = new URL(`./transfer-worker${ext}`, here);
  if (ext !== ".ts") return new Worker(entry);
  const tsxApi = createRequire(here)
    .resolve("tsx/esm/api")
    .replace(/\.cjs$/, ".mjs");
  return new Worker(tsxBootstrap, {
    eval: true,
    workerData: { tsxApi: pathToFileURL(tsxApi).href, entry: entry.href },
  });
}

interface Thread {
  worker: Worker;
  /** Transfers opened on it and not closed yet: what "least busy" counts. */
  transfers: Map<number, RemoteSession>;
  lost: boolean;
}

const noStats = { bytes: 0, blocks: 0, dataPackets: 0, retransmits: 0, timeouts: 0, durationMs: 0 };

/** The server thread's side of a transfer running on a transfer thread. */
class RemoteSession implements TransferHandle {
  private ended = false;
  private isClosed = false;
  private resolveClosed: () => void = () => {};
  readonly closed = new Promise<void>((resolve) => {
    this.resolveClosed = resolve;
  });

  constructor(
    private readonly id: number,
    private readonly thread: Thread,
    private readonly args: SessionArgs,
  ) {}

  start(): void {
    this.post({ op: "start", id: this.id });
  }

  abort(reason: string): Promise<void> {
    this.post({ op: "abort", id: this.id, reason });
    return this.closed;
  }

  cancel(reason: string): void {
    this.post({ op: "cancel", id: this.id, reason });
  }

  onMessage(m: FromTransferThread): void {
    if (m.op === "event") this.args.config.onEvent(m.event);
    else if (m.op === "ended") {
      if (m.event) this.args.config.onEvent(m.event);
      this.markEnded();
    } else if (m.op === "closed") this.markClosed();
  }

  /** The thread died under this transfer: report it failed, as a crashed in-thread socket would be. */
  lose(reason: string): void {
    if (!this.ended) {
      const { path, client } = this.args;
      this.args.config.onEvent({ type: "failed", path, client, reason, ...noStats });
    }
    this.markEnded();
    this.markClosed();
  }

  private post(m: ToTransferThread): void {
    if (!this.thread.lost && !this.isClosed) this.thread.worker.postMessage(m);
  }

  private markEnded(): void {
    if (this.ended) return;
    this.ended = true;
    this.args.onEnded();
  }

  private markClosed(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.thread.transfers.delete(this.id);
    this.args.onClosed();
    this.resolveClosed();
  }
}

export class TransferPool {
  private readonly threads: Thread[] = [];
  private readonly opening = new Map<
    number,
    { thread: Thread; resolve: () => void; reject: (err: Error) => void }
  >();
  private nextId = 1;

  constructor(private readonly size: number) {}

  /** Opens a transfer socket on the least busy thread; rejects like openSession when it cannot bind. */
  async open(args: SessionArgs): Promise<TransferHandle> {
    const thread = this.leastBusy();
    const id = this.nextId++;
    const { plan } = args;
    await new Promise<void>((resolve, reject) => {
      this.opening.set(id, { thread, resolve, reject });
      thread.worker.postMessage({
        op: "open",
        id,
        host: args.config.host,
        client: args.client,
        path: args.path,
        plan: {
          data: sharedView(plan.data),
          blksize: plan.blksize,
          windowsize: plan.windowsize,
          oack: [...plan.oack],
          initialTimeoutMs: plan.initialTimeoutMs,
          maxTimeoutMs: plan.maxTimeoutMs,
          retries: plan.retries,
        },
      } satisfies ToTransferThread);
    });
    const session = new RemoteSession(id, thread, args);
    thread.transfers.set(id, session);
    return session;
  }

  /** Stops every thread; the server has closed every transfer before. */
  async close(): Promise<void> {
    const threads = this.threads.splice(0);
    await Promise.allSettled(threads.map((t) => t.worker.terminate()));
  }

  private leastBusy(): Thread {
    const live = this.threads.filter((t) => !t.lost);
    while (live.length < this.size) {
      const thread = this.spawn();
      this.threads.push(thread);
      live.push(thread);
    }
    return live.reduce((a, b) => (b.transfers.size < a.transfers.size ? b : a));
  }

  private spawn(): Thread {
    const thread: Thread = { worker: startWorker(), transfers: new Map(), lost: false };
    // The server's listening socket keeps the process alive; idle threads must not.
    thread.worker.unref();
    thread.worker.on("message", (m: FromTransferThread) => this.onMessage(thread, m));
    const lose = (why: string) => this.lose(thread, why);
    thread.worker.on("error", (err) => lose(`transfer thread failed: ${err.message}`));
    thread.worker.on("exit", (code) => lose(`transfer thread exited with code ${code}`));
    return thread;
  }

  private onMessage(thread: Thread, m: FromTransferThread): void {
    if (m.op === "opened" || m.op === "open-failed") {
      const pending = this.opening.get(m.id);
      this.opening.delete(m.id);
      if (m.op === "opened") pending?.resolve();
      else
        pending?.reject(
          new PatchkastError("PK_ERR_TFTP_BIND", `binding a transfer socket: ${m.message}`, {
            details: [`transfer thread ${thread.worker.threadId}`],
          }),
        );
      return;
    }
    thread.transfers.get(m.id)?.onMessage(m);
  }

  private lose(thread: Thread, reason: string): void {
    if (thread.lost) return;
    thread.lost = true;
    const index = this.threads.indexOf(thread);
    if (index >= 0) this.threads.splice(index, 1);
    for (const [id, pending] of this.opening) {
      if (pending.thread !== thread) continue;
      this.opening.delete(id);
      pending.reject(new PatchkastError("PK_ERR_TFTP_BIND", `binding a transfer socket: ${reason}`));
    }
    for (const session of [...thread.transfers.values()]) session.lose(reason);
  }
}
