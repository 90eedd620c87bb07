/**
 * Strict SIP message parser (RFC 3261 §7, §18.3, §20). Pure: bytes in, a typed message or a
 * SipMessageError out, never a crash. We only parse what a probe receives (responses, and
 * requests in tests), so anything outside the grammar is refused rather than guessed at.
 * Building requests lives in build.ts; both are re-exported here.
 */
import {
  canonicalHeaderName,
  type NameAddr,
  parseNameAddr,
  parseVia,
  SipMessageError,
  splitOutside,
  tokenPattern,
  type ViaHeader,
} from "./headers.js";

export { buildRequest, type RequestSpec } from "./build.js";
export { canonicalHeaderName, type SipMalformedReason, SipMessageError } from "./headers.js";

export interface SipLimits {
  /** Whole message; a UDP datagram cannot exceed 65,535 bytes anyway. */
  maxMessageBytes: number;
  maxHeaders: number;
  /** One header line after unfolding. */
  maxLineBytes: number;
}

export const defaultLimits: SipLimits = { maxMessageBytes: 65_535, maxHeaders: 100, maxLineBytes: 8_192 };

export interface SipHeader {
  /** Lower-case long form (`v` → `via`). */
  name: string;
  value: string;
}

interface SipCommon {
  headers: readonly SipHeader[];
  via: readonly ViaHeader[];
  from: NameAddr;
  to: NameAddr;
  callId: string;
  cseq: { seq: number; method: string };
  body: Buffer;
}

export interface SipResponse extends SipCommon {
  kind: "response";
  status: number;
  reason: string;
}

export interface SipRequest extends SipCommon {
  kind: "request";
  method: string;
  uri: string;
}

export type SipMessage = SipResponse | SipRequest;

/** The first value of a header (by long or compact name), or undefined. */
export function headerValue(msg: SipMessage, name: string): string | undefined {
  const want = canonicalHeaderName(name);
  return msg.headers.find((h) => h.name === want)?.value;
}

/** Every value of a header, with comma-combined lines split (§7.3.1). */
export function headerValues(msg: SipMessage, name: string): string[] {
  const want = canonicalHeaderName(name);
  return msg.headers.filter((h) => h.name === want).flatMap((h) => splitOutside(h.value, ","));
}

const CRLFCRLF = Buffer.from("\r\n\r\n");
const singletons = ["from", "to", "call-id", "cseq", "content-length", "max-forwards", "content-type"];
const required = ["via", "from", "to", "call-id", "cseq"];
const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Parses one message. `stream` is set for TCP frames: Content-Length is then mandatory
 * (§18.3, §20.14); on UDP a missing one means "the rest of the datagram".
 */
export function parseMessage(bytes: Buffer, opts: { stream?: boolean; limits?: SipLimits } = {}): SipMessage {
  const limits = opts.limits ?? defaultLimits;
  if (bytes.length === 0) throw new SipMessageError("empty", "no bytes");
  if (bytes.length > limits.maxMessageBytes)
    throw new SipMessageError("too-large", `${bytes.length} bytes > ${limits.maxMessageBytes}`);
  const end = bytes.indexOf(CRLFCRLF);
  if (end < 0) throw new SipMessageError("no-end-of-headers", "no empty line after the headers");
  const head = decodeHead(bytes.subarray(0, end));
  const lines = head.split("\r\n");
  const start = parseStartLine(lines[0] ?? "");
  const headers = parseHeaderLines(lines.slice(1), limits);
  const body = readBody(bytes.subarray(end + 4), headers, opts.stream === true);
  const common = commonFields(headers, body);
  if (start.kind === "request" && common.cseq.method !== start.method)
    throw new SipMessageError("bad-cseq", "CSeq method differs from the request method (§8.1.1.5)");
  return { ...start, ...common };
}

function decodeHead(raw: Buffer): string {
  let text: string;
  try {
    text = utf8.decode(raw);
  } catch {
    throw new SipMessageError("not-utf8", "the headers are not UTF-8 (§7.3.1)");
  }
  if (/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/.test(text))
    throw new SipMessageError("control-character", "a control character in the headers");
  if (/\r(?!\n)|(?<!\r)\n/.test(text))
    throw new SipMessageError("bare-line-ending", "a CR or LF that is not part of CRLF");
  return text;
}

type StartLine =
  | { kind: "response"; status: number; reason: string }
  | { kind: "request"; method: string; uri: string };

function parseStartLine(line: string): StartLine {
  // Status-Line = SIP-Version SP Status-Code SP Reason-Phrase (§7.2); version is case-insensitive.
  const res = /^SIP\/2\.0 ([1-6][0-9]{2}) ([^\r\n]*)$/i.exec(line);
  if (res) return { kind: "response", status: Number(res[1]), reason: res[2] as string };
  // Request-Line = Method SP Request-URI SP SIP-Version (§7.1); no LWS allowed in between.
  const req = /^([^ ]+) ([A-Za-z][A-Za-z0-9+.-]*:[^ ]+) SIP\/2\.0$/i.exec(line);
  if (req && tokenPattern.test(req[1] as string))
    return { kind: "request", method: req[1] as string, uri: req[2] as string };
  throw new SipMessageError("bad-start-line", "neither a Status-Line nor a Request-Line");
}

const headerLine = /^([!%'*+\-.0-9A-Z^_`a-z|~]+)[ \t]*:[ \t]*(.*)$/;

function parseHeaderLines(lines: string[], limits: SipLimits): SipHeader[] {
  const headers: SipHeader[] = [];
  for (const line of lines) {
    if (line.startsWith(" ") || line.startsWith("\t")) {
      // Folding (§7.3.1): a line starting with white space continues the previous header.
      const last = headers.at(-1);
      if (!last) throw new SipMessageError("continuation-without-header", "folded line before any header");
      last.value = `${last.value} ${line.trim()}`.trim();
      if (last.value.length > limits.maxLineBytes)
        throw new SipMessageError("line-too-long", `a header is longer than ${limits.maxLineBytes}`);
      continue;
    }
    if (line.length > limits.maxLineBytes)
      throw new SipMessageError("line-too-long", `a header is longer than ${limits.maxLineBytes}`);
    const m = headerLine.exec(line);
    if (!m) throw new SipMessageError("bad-header-line", "a header line is not `name: value`");
    headers.push({ name: canonicalHeaderName(m[1] as string), value: (m[2] as string).trim() });
    if (headers.length > limits.maxHeaders)
      throw new SipMessageError("too-many-headers", `more than ${limits.maxHeaders} headers`);
  }
  return headers;
}

/** Content-Length (§18.3): fewer bytes than announced → refuse; more → the extra is dropped. */
function readBody(rest: Buffer, headers: SipHeader[], stream: boolean): Buffer {
  const values = headers.filter((h) => h.name === "content-length").map((h) => h.value);
  if (values.length > 1) throw new SipMessageError("duplicate-header", "more than one Content-Length");
  const text = values[0];
  if (text === undefined) {
    if (stream) throw new SipMessageError("bad-content-length", "Content-Length is required on TCP (§18.3)");
    return rest;
  }
  if (!/^[0-9]{1,10}$/.test(text)) throw new SipMessageError("bad-content-length", "not a decimal number");
  const length = Number(text);
  if (length > rest.length)
    throw new SipMessageError("truncated-body", `Content-Length ${length}, ${rest.length} bytes present`);
  return rest.subarray(0, length);
}

function commonFields(headers: SipHeader[], body: Buffer): SipCommon {
  for (const name of required)
    if (!headers.some((h) => h.name === name)) throw new SipMessageError("missing-header", `no ${name}`);
  for (const name of singletons)
    if (headers.filter((h) => h.name === name).length > 1)
      throw new SipMessageError("duplicate-header", `more than one ${name}`);
  const get = (name: string) => headers.find((h) => h.name === name)?.value ?? "";
  const via = headers
    .filter((h) => h.name === "via")
    .flatMap((h) => splitOutside(h.value, ",").map(parseVia));
  const cseq = /^([0-9]{1,10})[ \t]+([!%'*+\-.0-9A-Z^_`a-z|~]+)$/.exec(get("cseq"));
  // CSeq number is a 32-bit unsigned integer below 2**31 (§8.1.1.5).
  if (!cseq || Number(cseq[1]) >= 2 ** 31)
    throw new SipMessageError("bad-cseq", "CSeq is not `number METHOD`");
  const callId = get("call-id");
  if (!/^[!-~]+$/.test(callId)) throw new SipMessageError("missing-header", "Call-ID is empty or has spaces");
  return {
    headers,
    via,
    from: parseNameAddr(get("from")),
    to: parseNameAddr(get("to")),
    callId,
    cseq: { seq: Number(cseq[1]), method: cseq[2] as string },
    body,
  };
}

/**
 * TCP framing (§18.3): how many bytes of `buffer` form the next message, 0 if more are needed.
 * Leading CRLFs (keep-alives, §7.5 and RFC 5626 §4.4.1) are reported via `skip`.
 */
export function frameStream(
  buffer: Buffer,
  limits: SipLimits = defaultLimits,
): { skip: number; length: number } {
  let skip = 0;
  while (buffer[skip] === 0x0d && buffer[skip + 1] === 0x0a) skip += 2;
  const end = buffer.indexOf(CRLFCRLF, skip);
  if (end < 0) {
    if (buffer.length - skip > limits.maxMessageBytes)
      throw new SipMessageError("too-large", "no end of headers within the size limit");
    return { skip, length: 0 };
  }
  const head = buffer.subarray(skip, end).toString("latin1");
  const lengths = [...head.matchAll(/\r\n(?:content-length|l)[ \t]*:[ \t]*([^\r\n]*)/gi)].map((m) => m[1]);
  if (lengths.length !== 1)
    throw new SipMessageError("bad-content-length", "a TCP message needs exactly one Content-Length");
  const text = (lengths[0] as string).trim();
  if (!/^[0-9]{1,10}$/.test(text)) throw new SipMessageError("bad-content-length", "not a decimal number");
  const total = end + 4 - skip + Number(text);
  if (total > limits.maxMessageBytes) throw new SipMessageError("too-large", `${total} bytes announced`);
  return { skip, length: buffer.length - skip >= total ? total : 0 };
}
