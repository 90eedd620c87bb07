/**
 * A strict reader for the one request shape the fast front answers (fast-front.ts): `GET` or `HEAD` of an
 * origin-form target over HTTP/1.1, plain header lines, exactly one Host, no body, nothing conditional, no
 * ranges. It never produces an error response and is never lenient: anything outside that shape is
 * "handover", and node's own parser (llhttp) then reads the untouched bytes and answers as it always did.
 * That keeps every HTTP edge case (chunked bodies, Expect, obs-fold, HTTP/1.0, 431, 400) where it was.
 */

export type HeadRead =
  /** No blank line yet and still under the size limit: wait for more bytes. */
  | { kind: "incomplete" }
  /** Not the fast shape: node's parser takes the connection from the first byte of this request. */
  | { kind: "handover" }
  | {
      kind: "request";
      method: "GET" | "HEAD";
      target: string;
      userAgent: string | undefined;
      /** The client sent `Connection: close`. */
      close: boolean;
      /** Offset just past the blank line: where the next pipelined request starts. */
      end: number;
    };

/**
 * Longer heads go to node (its limit is 16 KiB, answered with 431). A phone's GET is a few hundred bytes;
 * the limit also bounds what the fast front buffers per connection before deciding.
 */
export const maxFastHeadBytes = 8192;
const maxHeaderLines = 64;

const CR = 0x0d;
const LF = 0x0a;
const SP = 0x20;
const HTAB = 0x09;
const COLON = 0x3a;
const blankLine = Buffer.from("\r\n\r\n", "latin1");
const http11 = Buffer.from(" HTTP/1.1\r\n", "latin1");

/** RFC 9110 §5.6.2 tchar. */
const tchar = new Uint8Array(128);
for (const c of "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") {
  tchar[c.charCodeAt(0)] = 1;
}

/**
 * Headers that change the answer or the framing. Their presence sends the request to node, which already
 * answers them (Range → 206/416, If-None-Match → 304, a body, Expect → 100/417, Upgrade).
 */
const handoverHeaders = [
  "content-length",
  "transfer-encoding",
  "expect",
  "range",
  "if-range",
  "if-none-match",
  "upgrade",
];

/** Reads one request head from buf[start, buf.length). */
export function readRequestHead(buf: Buffer, start: number): HeadRead {
  const blank = buf.indexOf(blankLine, start);
  if (blank === -1) {
    return buf.length - start >= maxFastHeadBytes ? { kind: "handover" } : { kind: "incomplete" };
  }
  const headEnd = blank + 2; // the CRLF ending the last line (or the request line)
  if (headEnd - start > maxFastHeadBytes) return { kind: "handover" };

  let method: "GET" | "HEAD";
  let pos: number;
  if (startsWith(buf, start, "GET ")) {
    method = "GET";
    pos = start + 4;
  } else if (startsWith(buf, start, "HEAD ")) {
    method = "HEAD";
    pos = start + 5;
  } else {
    return { kind: "handover" };
  }
  // origin-form only (RFC 9112 §3.2.1): "/" then visible ASCII; no absolute-form, no "*".
  const targetStart = pos;
  if (buf[pos] !== 0x2f) return { kind: "handover" };
  while (pos < headEnd && buf[pos] !== SP) {
    const c = buf[pos] as number;
    if (c < 0x21 || c > 0x7e) return { kind: "handover" };
    pos++;
  }
  const targetEnd = pos;
  if (!buf.subarray(pos, pos + http11.length).equals(http11)) return { kind: "handover" };
  pos += http11.length;

  let hosts = 0;
  let userAgent: string | undefined;
  let close = false;
  let lines = 0;
  while (pos < headEnd) {
    if (++lines > maxHeaderLines) return { kind: "handover" };
    const lineEnd = buf.indexOf(CR, pos);
    // The blank line guarantees a CR before headEnd; a bare CR is not a line end.
    if (buf[lineEnd + 1] !== LF) return { kind: "handover" };
    // name: one or more tchar, then the colon at once (no space before it, RFC 9112 §5.1)
    let colon = pos;
    while (colon < lineEnd && isTchar(buf[colon] as number)) colon++;
    if (colon === pos || buf[colon] !== COLON) return { kind: "handover" };
    let valueStart = colon + 1;
    let valueEnd = lineEnd;
    for (let i = valueStart; i < valueEnd; i++) {
      const c = buf[i] as number;
      if ((c < SP && c !== HTAB) || c > 0x7e) return { kind: "handover" };
    }
    while (valueStart < valueEnd && isWhitespace(buf[valueStart] as number)) valueStart++;
    while (valueEnd > valueStart && isWhitespace(buf[valueEnd - 1] as number)) valueEnd--;

    const nameLength = colon - pos;
    if (nameIs(buf, pos, nameLength, "host")) {
      if (++hosts > 1) return { kind: "handover" };
    } else if (nameIs(buf, pos, nameLength, "user-agent")) {
      if (userAgent !== undefined) return { kind: "handover" };
      userAgent = buf.toString("latin1", valueStart, valueEnd);
    } else if (nameIs(buf, pos, nameLength, "connection")) {
      const value = buf.toString("latin1", valueStart, valueEnd).toLowerCase();
      if (value === "close") close = true;
      else if (value !== "keep-alive") return { kind: "handover" };
    } else {
      for (const name of handoverHeaders) {
        if (nameIs(buf, pos, nameLength, name)) return { kind: "handover" };
      }
    }
    pos = lineEnd + 2;
  }
  // RFC 9112 §3.2: an HTTP/1.1 request without Host is a 400; node says so, not us.
  if (hosts !== 1) return { kind: "handover" };
  return {
    kind: "request",
    method,
    target: buf.toString("latin1", targetStart, targetEnd),
    userAgent,
    close,
    end: headEnd + 2,
  };
}

function isTchar(c: number): boolean {
  return c < 128 && tchar[c] === 1;
}

function isWhitespace(c: number): boolean {
  return c === SP || c === HTAB;
}

function startsWith(buf: Buffer, at: number, ascii: string): boolean {
  for (let i = 0; i < ascii.length; i++) if (buf[at + i] !== ascii.charCodeAt(i)) return false;
  return true;
}

/** Case-insensitive comparison of a header name with a lower-case one, without making a string. */
function nameIs(buf: Buffer, at: number, length: number, lower: string): boolean {
  if (length !== lower.length) return false;
  for (let i = 0; i < length; i++) {
    const c = buf[at + i] as number;
    const folded = c >= 0x41 && c <= 0x5a ? c | 0x20 : c;
    if (folded !== lower.charCodeAt(i)) return false;
  }
  return true;
}
