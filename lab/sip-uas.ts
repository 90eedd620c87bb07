import { randomBytes } from "node:crypto";
import { headerValue, headerValues, parseMessage, type SipRequest } from "../drivers/sip/message.js";
import type { Registrar } from "./sip-registrar.js";

/**
 * What the lab's SIP proxy answers, as a pure function of the received bytes: the provider's proxy as
 * patchkast's probe and the phones see it. OPTIONS gets 200 (RFC 3261 §11.2), REGISTER a digest
 * challenge or 200 (§10.3, §22.4), ACK nothing (§17.2.1 has no response to ACK), CANCEL 481 (no INVITE
 * transaction can exist here, §9.2), every other method of RFC 3261 and its extensions 405 with Allow
 * (§8.2.1, §21.4.6) and an unknown method 501 (§21.5.2). Responses copy Via, From, Call-ID and CSeq and
 * add a To tag (§8.2.6.2); the top Via gets `received` and `rport` (§18.2.1, RFC 3581 §4). Bytes that are
 * not a valid request get a 400 when the five headers a response needs can still be read (§8.2.2,
 * §21.4.1), and are dropped otherwise (§18.3: nothing can be sent back without Via).
 */
export interface Source {
  address: string;
  port: number;
  transport: "udp" | "tcp";
}

export interface Answer {
  /** null: send nothing (ACK, a response, or bytes without the headers a reply needs). */
  bytes: Buffer | null;
  /** Where a UDP reply goes (§18.2.2 with RFC 3581: the source port when the client asked for rport). */
  to: { address: string; port: number };
  method: string | null;
  status: number | null;
}

export const allow = ["OPTIONS", "REGISTER", "ACK", "CANCEL"];
/** Methods of RFC 3261 and the extensions phones send (3262 PRACK, 3265/6665, 3311, 3428, 3515, 3903, 2976). */
const known = [
  "INVITE",
  "BYE",
  "SUBSCRIBE",
  "NOTIFY",
  "PRACK",
  "UPDATE",
  "MESSAGE",
  "REFER",
  "PUBLISH",
  "INFO",
];

const reasons: Record<number, string> = {
  200: "OK",
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  405: "Method Not Allowed",
  416: "Unsupported URI Scheme",
  420: "Bad Extension",
  481: "Call/Transaction Does Not Exist",
  501: "Not Implemented",
};

export interface UasContext {
  registrar: Registrar;
  /** Our own host for Warning headers (§20.43). */
  host: string;
  now(): number;
  /** Longest registration granted, s (RFC 3261 §10.3 item 7 lets the registrar shorten it). */
  maxExpires?: number;
}

export function answer(bytes: Buffer, src: Source, ctx: UasContext): Answer {
  let req: SipRequest;
  try {
    const msg = parseMessage(bytes, { stream: src.transport === "tcp" });
    if (msg.kind === "response") return none(src, null);
    req = msg;
  } catch (err) {
    return badRequest(bytes, src, ctx, (err as Error).message);
  }
  try {
    return respond(req, src, ctx);
  } catch (err) {
    // A header the message grammar let through but a finer one refuses (an unterminated quote in Contact).
    return badRequest(bytes, src, ctx, (err as Error).message);
  }
}

function respond(req: SipRequest, src: Source, ctx: UasContext): Answer {
  const to = replyTo(headerValues(req, "via")[0] ?? "", src);
  const reply = (status: number, extra: [string, string][] = [], reason?: string) => ({
    bytes: build(status, reason ?? reasons[status] ?? "", echoHeaders(req, src, status), extra),
    to,
    method: req.method,
    status,
  });
  // Method names are case-sensitive (§7.1): "options" is an unknown method, not OPTIONS.
  const method = req.method;
  if (method === "ACK") return none(src, req.method);
  if (!/^sips?:/i.test(req.uri)) return reply(416);
  // §8.2.2.3: extensions we do not have (we have none); never for CANCEL/ACK.
  const require = headerValues(req, "require").filter((r) => r !== "");
  if (require.length > 0 && method !== "CANCEL") return reply(420, [["Unsupported", require.join(", ")]]);
  switch (method) {
    case "OPTIONS":
      return reply(200, capabilities());
    case "REGISTER":
      return register(req, ctx, reply);
    case "CANCEL":
      return reply(481);
    default:
      return reply(known.includes(method) ? 405 : 501, [["Allow", allow.join(", ")]]);
  }
}

type Reply = (status: number, extra?: [string, string][], reason?: string) => Answer;

function register(req: SipRequest, ctx: UasContext, reply: Reply): Answer {
  const verdict = ctx.registrar.verify(headerValue(req, "authorization"), req.uri, ctx.now());
  if (verdict.kind === "challenge")
    return reply(401, [["WWW-Authenticate", ctx.registrar.challenge(ctx.now(), verdict.stale)]]);
  if (verdict.kind === "forbidden") return reply(403);
  if (verdict.kind === "bad-request") return reply(400, [["Warning", warning(ctx.host, verdict.why)]]);
  const max = ctx.maxExpires ?? 3600;
  const asked = Number(headerValue(req, "expires") ?? max);
  const expires = Number.isFinite(asked) ? Math.min(Math.max(asked, 0), max) : max;
  const contacts = headerValues(req, "contact").filter((c) => c !== "" && c !== "*");
  // §10.3 item 8: the 200 lists the bindings; a Contact without its own expires gets the granted one.
  const bound =
    expires === 0 ? [] : contacts.map((c) => (/;\s*expires=/i.test(c) ? c : `${c};expires=${expires}`));
  return reply(200, [
    ...bound.map((c): [string, string] => ["Contact", c]),
    ["Expires", String(expires)],
    ["Date", new Date(ctx.now()).toUTCString()],
  ]);
}

function capabilities(): [string, string][] {
  return [
    ["Allow", allow.join(", ")],
    ["Accept", "application/sdp"],
    ["Accept-Encoding", "identity"],
    ["Accept-Language", "en"],
    ["Supported", ""],
  ];
}

const none = (src: Source, method: string | null): Answer => ({
  bytes: null,
  to: { address: src.address, port: src.port },
  method,
  status: null,
});

/** §18.2.2: to the source address; to the source port with rport (RFC 3581 §4), else sent-by's port. */
function replyTo(topVia: string, src: Source): { address: string; port: number } {
  if (src.transport === "tcp" || /;\s*rport\b/i.test(topVia)) return { address: src.address, port: src.port };
  const m = /^SIP\s*\/\s*2\.0\s*\/\s*\S+\s+(?:\[[^\]]+\]|[^\s:;]+)(?:\s*:\s*(\d{1,5}))?/i.exec(topVia);
  const port = Number(m?.[1] ?? 5060);
  return { address: src.address, port: port >= 1 && port <= 65535 ? port : 5060 };
}

/** Via (top one marked with what we saw), From, To (tagged), Call-ID, CSeq: §8.2.6.2. */
function echoHeaders(req: SipRequest, src: Source, status: number): [string, string][] {
  const vias = headerValues(req, "via");
  const to = headerValue(req, "to") ?? "";
  return [
    ...vias.map((v, i): [string, string] => ["Via", i === 0 ? markVia(v, src) : v]),
    ["From", headerValue(req, "from") ?? ""],
    ["To", req.to.tag === undefined && status > 100 ? `${to};tag=${randomBytes(6).toString("hex")}` : to],
    ["Call-ID", req.callId],
    ["CSeq", `${req.cseq.seq} ${req.cseq.method}`],
  ];
}

/** RFC 3581 §4: fill an empty rport and always add received; §18.2.1: received when sent-by differs. */
function markVia(via: string, src: Source): string {
  const rport = /;\s*rport\s*(?=;|$)/i;
  const host = /^SIP\s*\/\s*2\.0\s*\/\s*\S+\s+(\[[^\]]+\]|[^\s:;]+)/i.exec(via)?.[1] ?? "";
  let out = via;
  const askedRport = rport.test(out);
  if (askedRport) out = out.replace(rport, `;rport=${src.port}`);
  if ((askedRport || host !== src.address) && !/;\s*received=/i.test(out)) out += `;received=${src.address}`;
  return out;
}

function build(status: number, reason: string, echo: [string, string][], extra: [string, string][]): Buffer {
  const lines = [`SIP/2.0 ${status} ${reason}`];
  for (const [name, value] of [...echo, ["Server", "patchkast-lab-proxy"], ...extra])
    lines.push(`${name}: ${value}`);
  lines.push("Content-Length: 0", "", "");
  return Buffer.from(lines.join("\r\n"), "utf8");
}

const warning = (host: string, text: string) => `399 ${host} "${text.replace(/["\\\x00-\x1f\x7f]/g, " ")}"`;

/**
 * 400 for a request the strict parser refused, when Via, From, To, Call-ID and CSeq can still be read
 * line by line (what a reply must carry, §8.2.6.2); the parser's reason goes into a Warning (§20.43).
 */
function badRequest(bytes: Buffer, src: Source, ctx: UasContext, why: string): Answer {
  const head =
    bytes
      .subarray(0, 8192)
      .toString("latin1")
      .split(/\r\n\r\n|\n\n/)[0] ?? "";
  const lines = head.split(/\r?\n/);
  const start = /^([A-Za-z!%'*+\-.^_`|~0-9]+) \S+ SIP\/2\.0$/i.exec(lines[0] ?? "");
  if (!start || start[1] === "ACK") return none(src, start?.[1] ?? null);
  const compact: Record<string, string> = { v: "via", f: "from", t: "to", i: "call-id" };
  const found = new Map<string, string[]>();
  for (const line of lines.slice(1)) {
    const m = /^([A-Za-z-]+)[ \t]*:[ \t]*(.*)$/.exec(line);
    if (!m) continue;
    const name = compact[(m[1] as string).toLowerCase()] ?? (m[1] as string).toLowerCase();
    const value = (m[2] as string).trim();
    // Never echo control characters or a runaway line back to the sender.
    if (value === "" || value.length > 1024 || /[\x00-\x1f\x7f]/.test(value)) continue;
    found.set(name, [...(found.get(name) ?? []), value]);
  }
  const one = (n: string) => found.get(n)?.[0];
  const vias = found.get("via") ?? [];
  const [from, to, callId, cseq] = [one("from"), one("to"), one("call-id"), one("cseq")];
  if (vias.length === 0 || !from || !to || !callId || !cseq) return none(src, start[1] ?? null);
  const echo: [string, string][] = [
    ...vias.map((v, i): [string, string] => ["Via", i === 0 ? markVia(v, src) : v]),
    ["From", from],
    ["To", /;\s*tag=/i.test(to) ? to : `${to};tag=${randomBytes(6).toString("hex")}`],
    ["Call-ID", callId],
    ["CSeq", cseq],
  ];
  return {
    bytes: build(400, "Bad Request", echo, [["Warning", warning(ctx.host, why)]]),
    to: replyTo(vias[0] ?? "", src),
    method: start[1] ?? null,
    status: 400,
  };
}
