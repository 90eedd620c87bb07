/**
 * GET and HEAD of a phone file or firmware image, answered on node's own request and response objects.
 * This is the request a whole office of phones makes at once after a power cut, so it skips fastify's
 * per-request Request/Reply objects and hooks: app.ts routes it here both from fastify (the catch-all route,
 * hijacked, which is also what inject() tests exercise) and straight from the server's request listener when
 * fastify's router says the catch-all would get it (see phoneFileServer in app.ts). The answer is the same
 * either way, byte for byte, as it was when fastify's reply built it.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { memoByString } from "../../memo.js";
import type { ProvisioningService } from "../../provision/service.js";
import { withoutIpv4Mapping } from "../../site/ip.js";
import { sanitiseRequestPath } from "../tftp/paths.js";
import { parseRange } from "./range.js";

export interface PhoneFileDeps {
  provisioning: ProvisioningService;
  protocol: "http" | "https";
}

type RequestPath = { ok: true; path: string } | { ok: false; reason: string };

/**
 * The request path as a served-tree path, or the reason it is refused (same rules as TFTP). A boot storm asks
 * for the same few thousand paths over and over, and the answer depends on the string alone: kept per target.
 */
export const requestPath: (url: string) => RequestPath = memoByString(sanitiseTarget, {
  limit: 4096,
  maxKeyLength: 512,
});

function sanitiseTarget(url: string): RequestPath {
  const query = url.indexOf("?");
  const raw = query === -1 ? url : url.slice(0, query);
  let decoded: string;
  try {
    // Decoded exactly once; sanitiseRequestPath then refuses anything still percent-encoded (%252e → %2e).
    decoded = decodeURIComponent(raw);
  } catch {
    return { ok: false, reason: "malformed percent-encoding" };
  }
  return sanitiseRequestPath(decoded);
}

/** The peer's address as the site's subnets know it. */
export function remoteAddressOf(req: IncomingMessage): string {
  return withoutIpv4Mapping(req.socket.remoteAddress ?? "");
}

/** A whole answer, before it is written: node's response object and the fast front both write it. */
export interface PhoneFileReply {
  status: number;
  /** In the order they go out, names as written (lower case). */
  headers: Record<string, string | number>;
  /** Absent for 304/416; a HEAD request's writer leaves it out but keeps content-length. */
  body?: Buffer;
}

export interface PhoneFileRequest {
  method: string;
  url: string;
  source: string;
  userAgent?: string;
  ifNoneMatch?: string;
  range?: string;
}

/**
 * The answer to one GET or HEAD. Synchronous for rendered files (the boot-storm case); a firmware image may
 * have to be read from the store first. Throws only on a bug or a failed firmware read (the callers answer 500).
 */
export function phoneFileReply(
  deps: PhoneFileDeps,
  request: PhoneFileRequest,
): PhoneFileReply | Promise<PhoneFileReply> {
  const path = requestPath(request.url);
  if (!path.ok) return textReply(400, `bad path: ${path.reason}\n`, false);
  const answer = deps.provisioning.handle(
    {
      path: path.path,
      source: request.source,
      protocol: deps.protocol,
      ...(request.userAgent !== undefined ? { userAgent: request.userAgent } : {}),
    },
    request.method,
  );
  if (answer.kind === "refused") return textReply(answer.status, `${answer.message}\n`, true);
  const plain = request.ifNoneMatch === undefined && request.range === undefined;
  if (answer.kind === "file") {
    const file = answer.file;
    if (!plain) return bodyReply(request, file.content, file.etag, answer.contentType);
    let reply = plainReplies.get(file);
    if (reply === undefined) {
      reply = bodyReply(request, file.content, file.etag, answer.contentType);
      plainReplies.set(file, reply);
    }
    return reply;
  }
  const etag = `"${answer.image.sha256.slice(0, 32)}"`;
  return deps.provisioning
    .firmwareBytes(answer.image)
    .then((body) => bodyReply(request, body, etag, answer.contentType));
}

/**
 * The 200 answer of each served file, made once: a served file never changes (a changed site brings new
 * ServedFile objects, and these go with the old ones). Replies are shared, so nobody may modify one.
 */
const plainReplies = new WeakMap<object, PhoneFileReply>();

export const internalErrorReply: PhoneFileReply = textReply(500, "internal error\n", false);

/** Answers one GET or HEAD on node's objects; never rejects (a failure becomes a 500). */
export async function servePhoneFile(
  deps: PhoneFileDeps,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  try {
    const ua = req.headers["user-agent"];
    const ifNoneMatch = req.headers["if-none-match"];
    const range = req.headers.range;
    const reply = await phoneFileReply(deps, {
      method: req.method ?? "GET",
      url: req.url ?? "/",
      source: remoteAddressOf(req),
      ...(typeof ua === "string" ? { userAgent: ua } : {}),
      ...(typeof ifNoneMatch === "string" ? { ifNoneMatch } : {}),
      ...(typeof range === "string" ? { range } : {}),
    });
    res.writeHead(reply.status, reply.headers);
    res.end(reply.body);
  } catch {
    if (!res.headersSent) {
      res.writeHead(internalErrorReply.status, internalErrorReply.headers);
      res.end(internalErrorReply.body);
    } else res.destroy();
  }
}

function textReply(status: number, text: string, noStore: boolean): PhoneFileReply {
  const body = Buffer.from(text);
  return {
    status,
    headers: {
      ...(noStore ? { "cache-control": "no-store" } : {}),
      "content-type": "text/plain",
      "content-length": body.length,
    },
    body,
  };
}

function bodyReply(
  request: PhoneFileRequest,
  body: Buffer,
  etag: string,
  contentType: string,
): PhoneFileReply {
  const common = {
    "cache-control": "no-store",
    etag,
    "accept-ranges": "bytes",
    "content-type": contentType,
  };
  if (request.ifNoneMatch === etag) return { status: 304, headers: common };
  const range = parseRange(request.range, body.length);
  if (range.kind === "unsatisfiable") {
    return {
      status: 416,
      headers: { ...common, "content-range": `bytes */${body.length}`, "content-length": 0 },
    };
  }
  if (range.kind === "partial") {
    const part = body.subarray(range.start, range.end + 1);
    return {
      status: 206,
      headers: {
        ...common,
        "content-range": `bytes ${range.start}-${range.end}/${body.length}`,
        "content-length": part.length,
      },
      body: part,
    };
  }
  return { status: 200, headers: { ...common, "content-length": body.length }, body };
}
