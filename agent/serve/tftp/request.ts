/**
 * What the listening socket does with one datagram: refuse what we do not serve, and turn a good
 * read request into a Session. Refusals go out from the listening port; only a transfer gets a
 * socket of its own, so junk cannot make us open sockets.
 */
import type { RemoteInfo } from "node:dgram";
import type { TftpServerConfig } from "./config.js";
import { toNetascii } from "./netascii.js";
import { negotiateOptions } from "./options.js";
import { decodePacket, encodeError, Opcode, type RequestPacket, TftpErrorCode } from "./packets.js";
import { sanitiseRequestPath } from "./paths.js";
import { openSession, type Session } from "./session.js";
import type { TftpClient, TftpReadResult } from "./types.js";
import { clientKey } from "./udp.js";

export interface ServerContext {
  config: TftpServerConfig;
  /** By client address|port. `undefined` marks a request still waiting for the source or a socket. */
  sessions: Map<string, Session | undefined>;
  isClosed(): boolean;
  /** Settles when close() starts; pending source reads race against it. */
  closing: Promise<void>;
  /** Requests being prepared, so close() can wait until none can open a socket any more. */
  preparing: Set<Promise<void>>;
  /** Sends from the listening socket. */
  reply(to: TftpClient, packet: Buffer): void;
}

function refuse(
  ctx: ServerContext,
  client: TftpClient,
  rawPath: string,
  code: number,
  message: string,
  reason = message,
) {
  ctx.reply(client, encodeError(code, message));
  ctx.config.onEvent({ type: "refused", path: rawPath.slice(0, 300), client, errorCode: code, reason });
}

/** Entry point for every datagram on the listening socket. Never throws. */
export function handleDatagram(ctx: ServerContext, msg: Buffer, rinfo: RemoteInfo): void {
  if (ctx.isClosed() || rinfo.port === 0) return;
  const client = { address: rinfo.address, port: rinfo.port };
  const decoded = decodePacket(msg);
  if (!decoded.ok) {
    ctx.config.onEvent({ type: "malformed", client, reason: decoded.reason, onTransferSocket: false });
    // Never answer something that claims to be an ERROR: two confused peers must not loop.
    const claimsError = msg.length >= 2 && msg.readUInt16BE(0) === Opcode.error;
    if (!claimsError) ctx.reply(client, encodeError(illegal, `illegal packet: ${decoded.reason}`));
  } else if (decoded.packet.kind === "rrq") {
    onReadRequest(ctx, decoded.packet, client);
  } else if (decoded.packet.kind === "wrq") {
    refuse(
      ctx,
      client,
      decoded.packet.filename,
      TftpErrorCode.accessViolation,
      "access violation: read-only server",
    );
  } else if (decoded.packet.kind !== "error") {
    const reason = `${decoded.packet.kind} on the listening port`;
    ctx.config.onEvent({ type: "malformed", client, reason, onTransferSocket: false });
    ctx.reply(client, encodeError(illegal, "illegal operation: only read requests here"));
  }
}

const illegal = TftpErrorCode.illegalOperation;

/** Why a read request cannot be served, or the sanitised path it asks for. */
function checkReadRequest(
  ctx: ServerContext,
  req: RequestPacket,
): { path: string } | { code: number; message: string } {
  if (req.mode === "mail") return { code: illegal, message: "mode mail is not supported" };
  if (req.mode !== "octet" && req.mode !== "netascii")
    return { code: illegal, message: `unknown mode ${req.mode}` };
  const safe = sanitiseRequestPath(req.filename);
  if (!safe.ok) return { code: TftpErrorCode.accessViolation, message: `access violation: ${safe.reason}` };
  if (ctx.sessions.size >= ctx.config.maxConcurrent)
    return { code: TftpErrorCode.notDefined, message: "server busy" };
  return { path: safe.path };
}

function onReadRequest(ctx: ServerContext, req: RequestPacket, client: TftpClient): void {
  const key = clientKey(client);
  // A client that retransmits its RRQ (our first packet was lost or slow) already has a transfer;
  // that transfer's own timer resends the OACK or DATA 1. A second transfer would only collide.
  if (ctx.sessions.has(key)) return;
  const checked = checkReadRequest(ctx, req);
  if ("message" in checked) {
    refuse(ctx, client, req.filename, checked.code, checked.message);
    return;
  }
  ctx.sessions.set(key, undefined);
  const job = prepare(ctx, req, client, checked.path)
    .catch((err: unknown) => {
      const why = `preparing transfer: ${err instanceof Error ? err.message : String(err)}`;
      refuse(ctx, client, req.filename, TftpErrorCode.notDefined, "internal error", why);
    })
    .finally(() => {
      ctx.preparing.delete(job);
      if (ctx.sessions.has(key) && ctx.sessions.get(key) === undefined) ctx.sessions.delete(key);
    });
  ctx.preparing.add(job);
}

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

async function prepare(
  ctx: ServerContext,
  req: RequestPacket,
  client: TftpClient,
  path: string,
): Promise<void> {
  const key = clientKey(client);
  const answer = await readFromSource(ctx, path, client);
  if (answer === "closed" || ctx.isClosed()) return;
  if (!answer.ok) {
    // Internal failures stay in our logs; the phone only learns that it did not work.
    const message = answer.code === "error" ? "internal error" : answer.message;
    refuse(ctx, client, req.filename, refusalCodes[answer.code], message, answer.message);
    return;
  }
  const data = req.mode === "netascii" ? toNetascii(answer.data) : answer.data;
  const negotiated = negotiateOptions(req.options, ctx.config, data.length);
  const { config } = ctx;
  const plan = {
    data,
    blksize: negotiated.blksize,
    windowsize: negotiated.windowsize,
    oack: negotiated.oack,
    // RFC 2349: a negotiated timeout is the interval the client expects; it replaces our back-off.
    initialTimeoutMs: negotiated.timeoutMs ?? config.initialTimeoutMs,
    maxTimeoutMs: negotiated.timeoutMs ?? config.maxTimeoutMs,
    retries: config.retries,
  };
  let session: Session | undefined;
  try {
    session = await openSession({
      config,
      client,
      path,
      plan,
      onClosed: () => {
        if (ctx.sessions.get(key) === session) ctx.sessions.delete(key);
      },
    });
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    refuse(ctx, client, req.filename, TftpErrorCode.notDefined, "internal error", `transfer socket: ${why}`);
    return;
  }
  if (ctx.isClosed()) {
    await session.abort("server closing");
    return;
  }
  ctx.sessions.set(key, session);
  config.onEvent({
    type: "started",
    path,
    client,
    mode: req.mode === "netascii" ? "netascii" : "octet",
    size: data.length,
    blksize: plan.blksize,
    windowsize: plan.windowsize,
    options: Object.fromEntries(negotiated.oack),
  });
  try {
    session.start();
  } catch (err) {
    await session.abort("internal error");
    throw err;
  }
}
