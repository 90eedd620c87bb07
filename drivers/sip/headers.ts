/**
 * Header-level grammar shared by the parser and the builder: compact names, parameter lists,
 * comma-separated values, Via and name-addr. Pure functions; a value that does not fit the
 * grammar throws a SipMessageError so the caller can drop the message (RFC 3261 §18.1.2/§18.2.1).
 */
import { PatchkastError } from "../../agent/errors.js";

/** Why a message was refused; stable strings for tests and logs. */
export type SipMalformedReason =
  | "too-large"
  | "empty"
  | "no-end-of-headers"
  | "not-utf8"
  | "control-character"
  | "bare-line-ending"
  | "bad-start-line"
  | "bad-header-line"
  | "continuation-without-header"
  | "line-too-long"
  | "too-many-headers"
  | "missing-header"
  | "duplicate-header"
  | "bad-cseq"
  | "bad-content-length"
  | "truncated-body"
  | "bad-via"
  | "bad-address"
  | "bad-challenge";

/** A message (or a header in it) that does not follow the grammar. Never carries the raw bytes. */
export class SipMessageError extends PatchkastError {
  readonly reason: SipMalformedReason;

  constructor(reason: SipMalformedReason, message: string) {
    super("PK_ERR_SIP_MALFORMED", `malformed SIP message (${reason}): ${message}`);
    this.name = "SipMessageError";
    this.reason = reason;
  }
}

/**
 * RFC 3261 §7.3.3 compact forms (with `k` Supported, §20.37), plus `o` Event and `u` Allow-Events
 * (RFC 6665 §8.2).
 */
const compactForms: Readonly<Record<string, string>> = {
  v: "via",
  f: "from",
  t: "to",
  i: "call-id",
  l: "content-length",
  m: "contact",
  c: "content-type",
  e: "content-encoding",
  s: "subject",
  k: "supported",
  o: "event",
  u: "allow-events",
};

/** Lower-case long name: header names are case-insensitive (§7.3.1), compact forms expand. */
export function canonicalHeaderName(name: string): string {
  const lower = name.toLowerCase();
  return compactForms[lower] ?? lower;
}

/** token (RFC 3261 §25.1). */
export const tokenPattern = /^[A-Za-z0-9\-.!%*_+`'~]+$/;

/**
 * Splits at `sep` outside quoted strings and angle brackets: Via and Contact values may be
 * combined into one line with commas (§7.3.1), and a display name or URI may contain them.
 */
export function splitOutside(value: string, sep: string): string[] {
  const parts: string[] = [];
  let current = "";
  let quoted = false;
  let angle = false;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i] as string;
    if (quoted && ch === "\\") {
      current += ch + (value[i + 1] ?? "");
      i++;
      continue;
    }
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === "<") angle = true;
    else if (!quoted && ch === ">") angle = false;
    if (ch === sep && !quoted && !angle) {
      parts.push(current);
      current = "";
    } else current += ch;
  }
  if (quoted) throw new SipMessageError("bad-address", "unterminated quoted string");
  parts.push(current);
  return parts.map((p) => p.trim());
}

/** `;name=value;flag` → map with lower-case names; quoted values are unquoted. */
export function parseParams(text: string): Map<string, string> {
  const params = new Map<string, string>();
  if (text.trim() === "") return params;
  for (const part of splitOutside(text, ";")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const name = (eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase();
    if (!tokenPattern.test(name)) throw new SipMessageError("bad-address", "a parameter name is not a token");
    const raw = eq < 0 ? "" : part.slice(eq + 1).trim();
    params.set(name, unquote(raw));
  }
  return params;
}

export function unquote(raw: string): string {
  if (!raw.startsWith('"')) return raw;
  if (raw.length < 2 || !raw.endsWith('"')) throw new SipMessageError("bad-address", "unterminated quote");
  return raw.slice(1, -1).replace(/\\(.)/g, "$1");
}

export interface ViaHeader {
  transport: string;
  host: string;
  port: number | null;
  params: Map<string, string>;
  branch: string | undefined;
  /** RFC 3581 §4: the source port the server saw, when we asked with `;rport`. */
  rport: number | undefined;
  /** RFC 3261 §18.2.1: the source address the server saw, when it differs from sent-by. */
  received: string | undefined;
}

const viaPattern =
  /^SIP\s*\/\s*2\.0\s*\/\s*([A-Za-z0-9-]+)\s+(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?:\s*:\s*(\d{1,5}))?\s*(;.*)?$/i;

/** One Via value (§20.42): `SIP/2.0/UDP host:port;branch=…;rport=…;received=…`. */
export function parseVia(value: string): ViaHeader {
  const m = viaPattern.exec(value.trim());
  if (!m) throw new SipMessageError("bad-via", "a Via value is not SIP/2.0/<transport> <host>[:<port>]");
  const port = m[3] === undefined ? null : Number(m[3]);
  if (port !== null && (port < 1 || port > 65535))
    throw new SipMessageError("bad-via", "Via port out of range");
  const params = parseParams(m[4] ?? "");
  const rportText = params.get("rport");
  const rport = rportText === undefined || rportText === "" ? undefined : Number(rportText);
  if (rport !== undefined && !(Number.isInteger(rport) && rport >= 1 && rport <= 65535))
    throw new SipMessageError("bad-via", "Via rport is not a port number");
  return {
    transport: (m[1] as string).toUpperCase(),
    host: m[2] as string,
    port,
    params,
    branch: params.get("branch"),
    rport,
    received: params.get("received"),
  };
}

export interface NameAddr {
  uri: string;
  params: Map<string, string>;
  tag: string | undefined;
}

/**
 * From/To/Contact value (§20.10): with angle brackets, parameters after `>` belong to the header;
 * without them, everything after the first `;` does (so a bare addr-spec cannot carry URI params).
 */
export function parseNameAddr(value: string): NameAddr {
  const text = value.trim();
  let uri: string;
  let rest: string;
  // display-name = *(token LWS) / quoted-string (§25.1); a quoted one may contain '<'.
  const display = /^(?:"(?:[^"\\]|\\.)*"|[A-Za-z0-9\-.!%*_+`'~ \t]*)\s*(?=<)/.exec(text);
  if (text.includes("<") && !display)
    throw new SipMessageError("bad-address", "a display name that is not a quoted string or tokens");
  const open = display ? display[0].length : -1;
  if (open >= 0) {
    const close = text.indexOf(">", open);
    if (close < 0) throw new SipMessageError("bad-address", "'<' without '>'");
    uri = text.slice(open + 1, close).trim();
    rest = text.slice(close + 1);
  } else {
    const semi = text.indexOf(";");
    uri = (semi < 0 ? text : text.slice(0, semi)).trim();
    rest = semi < 0 ? "" : text.slice(semi);
  }
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:\S+$/.test(uri) || /[<>"\s]/.test(uri))
    throw new SipMessageError("bad-address", "not a scheme:… URI");
  if (rest.trim() !== "" && !rest.trim().startsWith(";"))
    throw new SipMessageError("bad-address", "text after the address that is not a parameter");
  const params = parseParams(rest.trim().slice(1));
  return { uri, params, tag: params.get("tag") };
}
