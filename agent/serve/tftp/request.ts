/**
 * What the listening socket does with one datagram: refuse what we do not serve, and hand a good
 * read request to prepare.ts. Refusals go out from the listening port; only a transfer gets a
 * socket of its own, so junk cannot make us open sockets.
 */
import type { RemoteInfo } from "node:dgram";
import { type ClientEntry, refuse, type ServerContext } from "./context.js";
import { decodePacket, encodeError, Opcode, type RequestPacket, TftpErrorCode } from "./packets.js";
import { sanitiseRequestPath } from "./paths.js";
import { prepareTransfer } from "./prepare.js";
import type { TftpClient } from "./types.js";
import { clientKey } from "./udp.js";

const illegal = TftpErrorCode.illegalOperation;

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
    onReadRequest(ctx, decoded.packet, client, msg.toString("latin1"));
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
  if (ctx.clients.size >= ctx.config.maxConcurrent)
    return { code: TftpErrorCode.notDefined, message: "server busy" };
  return { path: safe.path };
}

/**
 * A client that already has a transfer and sends the same RRQ again is retransmitting (our first
 * packet was lost or slow): the running transfer's timer answers it, a second transfer would only
 * collide. A different RRQ from the same address and port means the client has moved on (its
 * final ACK may have been lost), so the old transfer is dropped silently: an ERROR from the old
 * port could be taken as the answer to the new request.
 */
function onReadRequest(ctx: ServerContext, req: RequestPacket, client: TftpClient, signature: string): void {
  const key = clientKey(client);
  const current = ctx.clients.get(key);
  if (current?.signature === signature) return;
  if (current) {
    ctx.clients.delete(key);
    current.session?.cancel("superseded by a new request from the same client port");
  }
  const checked = checkReadRequest(ctx, req);
  if ("message" in checked) {
    refuse(ctx, client, req.filename, checked.code, checked.message);
    return;
  }
  const entry: ClientEntry = { signature, session: undefined };
  ctx.clients.set(key, entry);
  const job = prepareTransfer(ctx, req, client, checked.path, entry)
    .catch((err: unknown) => {
      const why = `preparing transfer: ${err instanceof Error ? err.message : String(err)}`;
      refuse(ctx, client, req.filename, TftpErrorCode.notDefined, "internal error", why);
    })
    .finally(() => {
      ctx.preparing.delete(job);
      if (ctx.clients.get(key) === entry && !entry.session) ctx.clients.delete(key);
    });
  ctx.preparing.add(job);
}
