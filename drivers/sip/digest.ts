/**
 * HTTP Digest for SIP (RFC 3261 §22.4, RFC 2617 §3.2, RFC 7616 §3.4): MD5 and MD5-sess, with
 * qop=auth, qop=auth-int (empty or given body) or no qop (RFC 2069 compatibility). Pure.
 * The password goes into HA1 only; nothing here puts it in an error message.
 */
import { createHash } from "node:crypto";
import { checkValue } from "./build.js";
import { SipMessageError, splitOutside, tokenPattern, unquote } from "./headers.js";

export interface DigestChallenge {
  realm: string;
  nonce: string;
  opaque: string | undefined;
  /** Upper-case; "MD5" when the challenge has none (RFC 2617 §3.2.1). */
  algorithm: string;
  /** The qop options offered, lower-case; empty when the server sent no qop. */
  qop: string[];
  stale: boolean;
}

/** One WWW-Authenticate / Proxy-Authenticate value; undefined when the scheme is not Digest. */
export function parseChallenge(value: string): DigestChallenge | undefined {
  const m = /^([A-Za-z0-9-]+)[ \t]+(.*)$/s.exec(value.trim());
  if (!m || (m[1] as string).toLowerCase() !== "digest") return undefined;
  const params = new Map<string, string>();
  for (const part of splitOutside(m[2] as string, ",")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const name = part.slice(0, Math.max(eq, 0)).trim().toLowerCase();
    if (eq < 0 || !tokenPattern.test(name))
      throw new SipMessageError("bad-challenge", "an auth-param is not name=value");
    // First occurrence wins; a repeated parameter cannot override the realm we show the user.
    if (!params.has(name)) params.set(name, safeUnquote(part.slice(eq + 1).trim()));
  }
  const realm = params.get("realm");
  const nonce = params.get("nonce");
  if (realm === undefined || nonce === undefined || nonce === "")
    throw new SipMessageError("bad-challenge", "a Digest challenge needs realm and nonce");
  const qop = params.get("qop");
  return {
    realm,
    nonce,
    opaque: params.get("opaque"),
    algorithm: (params.get("algorithm") ?? "MD5").toUpperCase(),
    qop:
      qop === undefined
        ? []
        : qop
            .split(",")
            .map((q) => q.trim().toLowerCase())
            .filter((q) => q !== ""),
    stale: (params.get("stale") ?? "").toLowerCase() === "true",
  };
}

function safeUnquote(raw: string): string {
  try {
    return unquote(raw);
  } catch {
    throw new SipMessageError("bad-challenge", "an auth-param has an unterminated quote");
  }
}

/** The first challenge we can answer (MD5 or MD5-sess); servers may offer SHA-256 first (RFC 8760). */
export function pickChallenge(values: readonly string[]): DigestChallenge | undefined {
  for (const value of values) {
    const challenge = parseChallenge(value);
    if (challenge && (challenge.algorithm === "MD5" || challenge.algorithm === "MD5-SESS")) return challenge;
  }
  return undefined;
}

export interface DigestInput {
  challenge: DigestChallenge;
  method: string;
  /** digest-uri: the Request-URI of the request being authorised (§22.4). */
  uri: string;
  username: string;
  password: string;
  /** Client nonce; required when the challenge has qop or is MD5-sess. */
  cnonce: string;
  /** Nonce count, 1 for the first use of a nonce. */
  nc: number;
  /** Entity body for qop=auth-int. */
  body?: string;
}

const md5 = (text: string): string => createHash("md5").update(text, "utf8").digest("hex");

/** Chooses qop: auth when offered, else auth-int, else none (§3.2.2 of RFC 2617). */
function chooseQop(offered: readonly string[]): "auth" | "auth-int" | undefined {
  if (offered.includes("auth")) return "auth";
  if (offered.includes("auth-int")) return "auth-int";
  if (offered.length > 0)
    throw new SipMessageError("bad-challenge", `no supported qop in ${offered.join(",")}`);
  return undefined;
}

/** The request-digest (RFC 2617 §3.2.2.1) and the Authorization header value carrying it. */
export function digestAuthorization(input: DigestInput): { response: string; header: string } {
  const { challenge: c } = input;
  if (c.algorithm !== "MD5" && c.algorithm !== "MD5-SESS")
    throw new SipMessageError("bad-challenge", `algorithm ${c.algorithm} is not supported`);
  const qop = chooseQop(c.qop);
  const nc = input.nc.toString(16).padStart(8, "0");
  let ha1 = md5(`${input.username}:${c.realm}:${input.password}`);
  if (c.algorithm === "MD5-SESS") ha1 = md5(`${ha1}:${c.nonce}:${input.cnonce}`);
  const a2 =
    qop === "auth-int"
      ? `${input.method}:${input.uri}:${md5(input.body ?? "")}`
      : `${input.method}:${input.uri}`;
  const ha2 = md5(a2);
  const response =
    qop === undefined
      ? md5(`${ha1}:${c.nonce}:${ha2}`)
      : md5(`${ha1}:${c.nonce}:${nc}:${input.cnonce}:${qop}:${ha2}`);
  const parts = [
    `username=${quote(input.username)}`,
    `realm=${quote(c.realm)}`,
    `nonce=${quote(c.nonce)}`,
    `uri=${quote(input.uri)}`,
    `response="${response}"`,
    `algorithm=${c.algorithm === "MD5-SESS" ? "MD5-sess" : "MD5"}`,
  ];
  if (c.opaque !== undefined) parts.push(`opaque=${quote(c.opaque)}`);
  // qop and nc are unquoted tokens in the credentials (RFC 2617 §3.2.2; RFC 3261 §25.1 message-qop).
  if (qop !== undefined) parts.push(`qop=${qop}`, `nc=${nc}`, `cnonce=${quote(input.cnonce)}`);
  return { response, header: `Digest ${parts.join(", ")}` };
}

function quote(value: string): string {
  // An empty realm is legal; control characters are not (they would end the header line).
  if (value !== "") checkValue("a digest parameter", value);
  return `"${value.replace(/[\\"]/g, "\\$&")}"`;
}
