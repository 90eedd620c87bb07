/**
 * GET and HEAD of a phone file or firmware image, answered on node's own request and response objects.
 * This is the request a whole office of phones makes at once after a power cut, so it skips fastify's
 * per-request Request/Reply objects and hooks: app.ts routes it here both from fastify (the catch-all route,
 * hijacked, which is also what inject() tests exercise) and straight from the server's request listener when
 * fastify's router says the catch-all would get it (see phoneFileServer in app.ts). The answer is the same
 * either way, byte for byte, as it was when fastify's reply built it.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ProvisionAnswer, ProvisioningService } from "../../provision/service.js";
import { sanitiseRequestPath } from "../tftp/paths.js";
import { parseRange } from "./range.js";

export interface PhoneFileDeps {
  provisioning: ProvisioningService;
  protocol: "http" | "https";
}

/** The request path as a served-tree path, or the reason it is refused (same rules as TFTP). */
export function requestPath(url: string): { ok: true; path: string } | { ok: false; reason: string } {
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

/** The peer's address; IPv4-mapped IPv6 (::ffff:10.20.30.40) when listening on "::": site subnets are IPv4. */
export function remoteAddressOf(req: IncomingMessage): string {
  const address = req.socket.remoteAddress ?? "";
  return address.startsWith("::ffff:") ? address.slice(7) : address;
}

/** Answers one GET or HEAD; never rejects (a failure becomes a 500, as fastify's error handler made it). */
export async function servePhoneFile(
  deps: PhoneFileDeps,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  try {
    const path = requestPath(req.url ?? "/");
    if (!path.ok) {
      sendText(res, 400, `bad path: ${path.reason}\n`, false);
      return;
    }
    const ua = req.headers["user-agent"];
    const answer = deps.provisioning.handle(
      {
        path: path.path,
        source: remoteAddressOf(req),
        protocol: deps.protocol,
        ...(typeof ua === "string" ? { userAgent: ua } : {}),
      },
      req.method,
    );
    await sendAnswer(deps, answer, req, res);
  } catch {
    if (!res.headersSent) sendText(res, 500, "internal error\n", false);
    else res.destroy();
  }
}

function sendText(res: ServerResponse, status: number, text: string, noStore: boolean): void {
  const body = Buffer.from(text);
  res.writeHead(status, {
    ...(noStore ? { "cache-control": "no-store" } : {}),
    "content-type": "text/plain",
    "content-length": body.length,
  });
  res.end(body);
}

async function sendAnswer(
  deps: PhoneFileDeps,
  answer: ProvisionAnswer,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  if (answer.kind === "refused") {
    sendText(res, answer.status, `${answer.message}\n`, true);
    return;
  }
  const body =
    answer.kind === "file" ? answer.file.content : await deps.provisioning.firmwareBytes(answer.image);
  const etag = answer.kind === "file" ? answer.file.etag : `"${answer.image.sha256.slice(0, 32)}"`;
  const common = {
    "cache-control": "no-store",
    etag,
    "accept-ranges": "bytes",
    "content-type": answer.contentType,
  };
  if (req.headers["if-none-match"] === etag) {
    res.writeHead(304, common);
    res.end();
    return;
  }
  const rangeHeader = req.headers.range;
  const range = parseRange(typeof rangeHeader === "string" ? rangeHeader : undefined, body.length);
  if (range.kind === "unsatisfiable") {
    res.writeHead(416, { ...common, "content-range": `bytes */${body.length}`, "content-length": 0 });
    res.end();
    return;
  }
  if (range.kind === "partial") {
    const part = body.subarray(range.start, range.end + 1);
    res.writeHead(206, {
      ...common,
      "content-range": `bytes ${range.start}-${range.end}/${body.length}`,
      "content-length": part.length,
    });
    res.end(part);
    return;
  }
  res.writeHead(200, { ...common, "content-length": body.length });
  res.end(body);
}
