/**
 * Messages the parser must refuse, each with the reason it must give. Built from one valid
 * response by replacing, removing or adding a line, so each case breaks exactly one rule.
 */
import type { SipMalformedReason } from "../../../drivers/sip/message.js";

export interface MalformedCase {
  name: string;
  bytes: Buffer;
  reason: SipMalformedReason;
  stream?: boolean;
}

const base = [
  "SIP/2.0 200 OK",
  "Via: SIP/2.0/UDP 192.0.2.10:5062;branch=z9hG4bKabc;rport",
  "From: <sip:patchkast@192.0.2.10>;tag=f1",
  "To: <sip:proxy.example.net>;tag=t1",
  "Call-ID: c1",
  "CSeq: 1 OPTIONS",
  "Content-Length: 0",
];

const join = (lines: string[], body = "") => Buffer.from(`${lines.join("\r\n")}\r\n\r\n${body}`, "utf8");
/** Replaces the line starting with `prefix` (or drops it when `line` is undefined). */
const swap = (prefix: string, line?: string) => {
  const i = base.findIndex((l) => l.startsWith(prefix));
  const out = [...base];
  if (line === undefined) out.splice(i, 1);
  else out[i] = line;
  return join(out);
};
const add = (...lines: string[]) => join([...base, ...lines]);
const c = (name: string, reason: SipMalformedReason, bytes: Buffer, stream?: boolean): MalformedCase =>
  stream ? { name, reason, bytes, stream } : { name, reason, bytes };

export const malformedCorpus: MalformedCase[] = [
  c("an empty datagram", "empty", Buffer.alloc(0)),
  c("a keep-alive CRLF CRLF datagram", "bad-start-line", Buffer.from("\r\n\r\n")),
  c("a message over 64 KiB", "too-large", join(base, "x".repeat(70_000))),
  c("headers without the empty line", "no-end-of-headers", Buffer.from(base.join("\r\n"))),
  c("LF-only line endings", "no-end-of-headers", Buffer.from(`${base.join("\n")}\n\n`)),
  c("a bare LF inside the headers", "bare-line-ending", swap("Call-ID", "Call-ID: c1\nX: y")),
  c("a bare CR inside the headers", "bare-line-ending", swap("Call-ID", "Call-ID: c1\rX: y")),
  c("a NUL byte in a header", "control-character", swap("Call-ID", "Call-ID: c\u00001")),
  c("an ESC byte in the reason", "control-character", swap("SIP/2.0", "SIP/2.0 200 O\u001bK")),
  c(
    "invalid UTF-8",
    "not-utf8",
    Buffer.concat([Buffer.from("SIP/2.0 200 "), Buffer.from([0xc3, 0x28]), join(base.slice(1))]),
  ),
  c("HTTP instead of SIP", "bad-start-line", swap("SIP/2.0", "HTTP/1.1 200 OK")),
  c("SIP/3.0", "bad-start-line", swap("SIP/2.0", "SIP/3.0 200 OK")),
  c("a two-digit status", "bad-start-line", swap("SIP/2.0", "SIP/2.0 20 OK")),
  c("status 700", "bad-start-line", swap("SIP/2.0", "SIP/2.0 700 Beyond")),
  c("status 099", "bad-start-line", swap("SIP/2.0", "SIP/2.0 099 Early")),
  c("no space after the status", "bad-start-line", swap("SIP/2.0", "SIP/2.0 200OK")),
  c("a request line with two spaces", "bad-start-line", swap("SIP/2.0", "OPTIONS  sip:a@b SIP/2.0")),
  c("a request URI without scheme", "bad-start-line", swap("SIP/2.0", "OPTIONS a@b SIP/2.0")),
  c("a method that is not a token", "bad-start-line", swap("SIP/2.0", "OPT(IONS sip:a@b SIP/2.0")),
  c("a header without a colon", "bad-header-line", add("Server kamailio")),
  c("a header name with a space", "bad-header-line", add("Bad Name: x")),
  c("a header line that is only a colon", "bad-header-line", add(": value")),
  c(
    "a folded line before any header",
    "continuation-without-header",
    Buffer.from(`SIP/2.0 200 OK\r\n folded: x\r\n${base.slice(1).join("\r\n")}\r\n\r\n`),
  ),
  c("a 9 KiB header line", "line-too-long", add(`X-Long: ${"a".repeat(9000)}`)),
  c(
    "a header folded past the line limit",
    "line-too-long",
    add(`X-Long: ${"a".repeat(5000)}`, ` ${"b".repeat(5000)}`),
  ),
  c("101 headers", "too-many-headers", add(...Array.from({ length: 100 }, (_, i) => `X-H${i}: v`))),
  c("no Via", "missing-header", swap("Via")),
  c("no From", "missing-header", swap("From")),
  c("no To", "missing-header", swap("To")),
  c("no Call-ID", "missing-header", swap("Call-ID")),
  c("no CSeq", "missing-header", swap("CSeq")),
  c("an empty Call-ID", "missing-header", swap("Call-ID", "Call-ID: ")),
  c("two Call-IDs", "duplicate-header", add("i: c2")),
  c("two CSeq headers", "duplicate-header", add("CSeq: 2 OPTIONS")),
  c("two Content-Lengths", "duplicate-header", add("l: 0")),
  c("CSeq without a method", "bad-cseq", swap("CSeq", "CSeq: 1")),
  c("CSeq with a negative number", "bad-cseq", swap("CSeq", "CSeq: -1 OPTIONS")),
  c("CSeq at 2**31", "bad-cseq", swap("CSeq", "CSeq: 2147483648 OPTIONS")),
  c("CSeq method unlike the request's", "bad-cseq", join(["NOTIFY sip:a@b SIP/2.0", ...base.slice(1)])),
  c("Content-Length in hex", "bad-content-length", swap("Content-Length", "Content-Length: 0x10")),
  c("a negative Content-Length", "bad-content-length", swap("Content-Length", "Content-Length: -1")),
  c("Content-Length longer than the body", "truncated-body", swap("Content-Length", "Content-Length: 10")),
  c("no Content-Length on TCP", "bad-content-length", swap("Content-Length"), true),
  c("a Via that is not SIP/2.0", "bad-via", swap("Via", "Via: SIP/1.0/UDP host;branch=z9hG4bK1")),
  c("a Via without a host", "bad-via", swap("Via", "Via: SIP/2.0/UDP ;branch=z9hG4bK1")),
  c("a Via with port 70000", "bad-via", swap("Via", "Via: SIP/2.0/UDP host:70000;branch=z9hG4bK1")),
  c("a Via with rport=abc", "bad-via", swap("Via", "Via: SIP/2.0/UDP host;branch=z9hG4bK1;rport=abc")),
  c("a From without a URI scheme", "bad-address", swap("From", "From: <patchkast>;tag=1")),
  c("a From with '<' and no '>'", "bad-address", swap("From", "From: <sip:a@b;tag=1")),
  c("a To with an unterminated quote", "bad-address", swap("To", 'To: "Bob <sip:b@c>')),
  c("junk after the To address", "bad-address", swap("To", "To: <sip:b@c> junk")),
];
