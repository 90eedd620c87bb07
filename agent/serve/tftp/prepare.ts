/** From an accepted read request to a running transfer: read the file, negotiate, open a socket. */
import { type ClientEntry, refuse, type ServerContext } from "./context.js";
import { toNetascii } from "./netascii.js";
import { negotiateOptions } from "./options.js";
import { type RequestPacket, TftpErrorCode } from "./packets.js";
import type { TransferHandle } from "./session.js";
import type { TransferPlan } from "./transfer.js";
import type { TftpClient, TftpReadResult } from "./types.js";
import { clientKey } from "./udp.js";

type SourceAnswer = TftpReadResult | { ok: false; code: "error"; message: string } | "closed";

async function readFromSource(ctx: ServerContext, path: string, client: TftpClient): Promise<SourceAnswer> {
  try {
    const read = ctx.config.source.read(path, client);
    const answer = await Promise.race([read, ctx.closing.then(() => "closed" as const)]);
    if (answer !== "closed" && answer.ok && !Buffer.isBuffer(answer.data)) {
      return { ok: false, code: "error", message: "file source returned something that is not a Buffer" };
    }
    return answer;
  } catch (err) {
    return {
      ok: false,
      code: "error",
      message: `file source failed: ${err instanceof Error ? err.message : String(err)}`,
    };
  }
}

const refusalCodes = {
  "not-found": TftpErrorCode.fileNotFound,
  "access-denied": TftpErrorCode.accessViolation,
  error: TftpErrorCode.notDefined,
} as const;

function planFor(ctx: ServerContext, req: RequestPacket, file: Buffer): TransferPlan {
  const data = req.mode === "netascii" ? toNetascii(file) : file;
  const negotiated = negotiateOptions(req.options, ctx.config, data.length);
  return {
    data,
    blksize: negotiated.blksize,
    windowsize: negotiated.windowsize,
    oack: negotiated.oack,
    // RFC 2349: a negotiated timeout is the interval the client expects; it replaces our back-off.
    initialTimeoutMs: negotiated.timeoutMs ?? ctx.config.initialTimeoutMs,
    maxTimeoutMs: negotiated.timeoutMs ?? ctx.config.maxTimeoutMs,
    retries: ctx.config.retries,
  };
}

/** True while this request is still the client's current one and the server is running. */
const stillWanted = (ctx: ServerContext, client: TftpClient, entry: ClientEntry) =>
  !ctx.isClosed() && ctx.clients.get(clientKey(client)) === entry;

export async function prepareTransfer(
  ctx: ServerContext,
  req: RequestPacket,
  client: TftpClient,
  path: string,
  entry: ClientEntry,
): Promise<void> {
  const answer = await readFromSource(ctx, path, client);
  if (answer === "closed" || !stillWanted(ctx, client, entry)) return;
  if (!answer.ok) {
    // Internal failures stay in our logs; the phone only learns that it did not work.
    const message = answer.code === "error" ? "internal error" : answer.message;
    refuse(ctx, client, req.filename, refusalCodes[answer.code], message, answer.message);
    return;
  }
  const plan = planFor(ctx, req, answer.data);
  let session: TransferHandle;
  try {
    session = await ctx.openTransfer({
      config: ctx.config,
      client,
      path,
      plan,
      onEnded: () => {
        if (ctx.clients.get(clientKey(client)) === entry) ctx.clients.delete(clientKey(client));
      },
      onClosed: () => ctx.open.delete(session),
    });
  } catch (err) {
    const why = `transfer socket: ${err instanceof Error ? err.message : String(err)}`;
    refuse(ctx, client, req.filename, TftpErrorCode.notDefined, "internal error", why);
    return;
  }
  ctx.open.add(session);
  if (!stillWanted(ctx, client, entry)) {
    await session.abort("request withdrawn");
    return;
  }
  entry.session = session;
  ctx.config.onEvent({
    type: "started",
    path,
    client,
    mode: req.mode === "netascii" ? "netascii" : "octet",
    size: plan.data.length,
    blksize: plan.blksize,
    windowsize: plan.windowsize,
    options: Object.fromEntries(plan.oack),
  });
  try {
    session.start();
  } catch (err) {
    await session.abort("internal error");
    throw err;
  }
}
