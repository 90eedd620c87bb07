/**
 * Entry of a transfer thread (started by pool.ts): runs Sessions, exactly as the server thread would,
 * for the transfers the server hands over, and reports their events back. The bytes arrive as views
 * on shared memory, so 50 phones fetching one firmware image share one copy across all threads.
 */
import { parentPort } from "node:worker_threads";
import { openSession, type Session } from "./session.js";
import type { FromTransferThread, PortablePlan, ToTransferThread } from "./thread-messages.js";
import type { TftpClient, TftpEvent } from "./types.js";

const port = parentPort;
if (!port) throw new Error("transfer-worker.ts runs as a worker thread only (see pool.ts)");
const post = (message: FromTransferThread) => port.postMessage(message);
const sessions = new Map<number, Session>();

function planFrom(p: PortablePlan) {
  return {
    data: Buffer.from(p.data.buffer, p.data.byteOffset, p.data.byteLength),
    blksize: p.blksize,
    windowsize: p.windowsize,
    oack: new Map(p.oack),
    initialTimeoutMs: p.initialTimeoutMs,
    maxTimeoutMs: p.maxTimeoutMs,
    retries: p.retries,
  };
}

async function open(id: number, host: string, client: TftpClient, path: string, plan: PortablePlan) {
  let endEvent: TftpEvent | undefined;
  const onEvent = (event: TftpEvent) => {
    if (event.type === "completed" || event.type === "failed") endEvent = event;
    else post({ op: "event", id, event });
  };
  try {
    const session = await openSession({
      config: { host, onEvent },
      client,
      path,
      plan: planFrom(plan),
      // Session reports the end event just before onEnded; both go over as one message.
      onEnded: () => post({ op: "ended", id, event: endEvent }),
      onClosed: () => {
        sessions.delete(id);
        post({ op: "closed", id });
      },
    });
    sessions.set(id, session);
    post({ op: "opened", id });
  } catch (err) {
    post({ op: "open-failed", id, message: err instanceof Error ? err.message : String(err) });
  }
}

port.on("message", (m: ToTransferThread) => {
  if (m.op === "open") {
    void open(m.id, m.host, m.client, m.path, m.plan);
    return;
  }
  const session = sessions.get(m.id);
  if (!session) return;
  if (m.op === "start") {
    try {
      session.start();
    } catch {
      void session.abort("internal error");
    }
  } else if (m.op === "abort") void session.abort(m.reason);
  else session.cancel(m.reason);
});
