/**
 * Builds request bytes (RFC 3261 §8.1.1) and the random identifiers they need. Every value is
 * checked before it goes on the wire, so a user name or event with CR/LF cannot inject headers.
 */
import { randomBytes } from "node:crypto";
import { isIP } from "node:net";
import { PatchkastError } from "../../agent/errors.js";
import { tokenPattern } from "./headers.js";

/** RFC 3261 §8.1.1.7: the branch starts with the magic cookie; the rest is ours, random. */
export const magicCookie = "z9hG4bK";

/** Hex from the OS CSPRNG: branch, tags, Call-ID and cnonce must be unguessable (§8.1.1.4, §19.3). */
export function randomHex(bytes: number): string {
  return randomBytes(bytes).toString("hex");
}

export const newBranch = (): string => `${magicCookie}${randomHex(12)}`;
export const newTag = (): string => randomHex(8);
export const newCallId = (): string => randomHex(16);

export interface RequestSpec {
  method: string;
  uri: string;
  via: { transport: "UDP" | "TCP"; host: string; port: number; branch: string };
  from: { uri: string; tag: string };
  to: { uri: string };
  callId: string;
  cseq: number;
  userAgent: string;
  contact?: string;
  /** Extra headers in order, e.g. Event, Expires, Authorization. */
  headers?: ReadonlyArray<readonly [string, string]>;
  body?: string;
}

function refuse(what: string): never {
  throw new PatchkastError("PK_ERR_SIP_REQUEST", `cannot build the SIP request: ${what}`);
}

/** A header value: printable UTF-8, no control characters (CR/LF would start a new header). */
export function checkValue(what: string, value: string): string {
  if (value === "" || /[\x00-\x1f\x7f]/.test(value)) refuse(`${what} is empty or has control characters`);
  return value;
}

const uriPattern = /^sips?:[^\s<>"\x00-\x1f\x7f]+$/i;

export function checkUri(what: string, uri: string): string {
  if (!uriPattern.test(uri)) refuse(`${what} ${JSON.stringify(uri)} is not a sip: URI`);
  return uri;
}

/** user part of a SIP URI (§25.1 `user`): unreserved, escaped and a few marks; no @ : ; ? */
export function checkUser(what: string, user: string): string {
  if (!/^(?:[A-Za-z0-9\-_.!~*'()&=+$,/]|%[0-9A-Fa-f]{2})+$/.test(user))
    refuse(`${what} ${JSON.stringify(user)} is not a SIP URI user part`);
  return user;
}

/** A host for a URI or Via: a DNS name, IPv4, or IPv6 (bracketed on output, §19.1.1). */
export function formatHost(host: string): string {
  const bare = host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
  if (isIP(bare) === 6) return `[${bare}]`;
  if (
    isIP(bare) === 4 ||
    /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.?$/.test(
      bare,
    )
  )
    return bare;
  return refuse(`${JSON.stringify(host)} is not a host name or IP address`);
}

export function hostPort(host: string, port: number): string {
  if (!Number.isInteger(port) || port < 1 || port > 65535) refuse(`port ${port} is not 1..65535`);
  return `${formatHost(host)}:${port}`;
}

/** Request text in the usual header order; Content-Length always present (required on TCP, §18.3). */
export function buildRequest(spec: RequestSpec): Buffer {
  if (!tokenPattern.test(spec.method)) refuse("the method is not a token");
  if (!spec.via.branch.startsWith(magicCookie) || !tokenPattern.test(spec.via.branch))
    refuse("the branch must start with z9hG4bK and be a token");
  if (!tokenPattern.test(spec.from.tag)) refuse("the From tag is not a token");
  if (!/^[!-~]+$/.test(spec.callId)) refuse("the Call-ID has spaces or control characters");
  if (!Number.isInteger(spec.cseq) || spec.cseq < 1 || spec.cseq >= 2 ** 31) refuse("CSeq out of range");
  const body = spec.body ?? "";
  const lines = [
    `${spec.method} ${checkUri("Request-URI", spec.uri)} SIP/2.0`,
    // rport asks the server to answer to the port it saw (RFC 3581 §3), which NAT may have changed.
    `Via: SIP/2.0/${spec.via.transport} ${hostPort(spec.via.host, spec.via.port)};branch=${spec.via.branch};rport`,
    "Max-Forwards: 70",
    `To: <${checkUri("To URI", spec.to.uri)}>`,
    `From: <${checkUri("From URI", spec.from.uri)}>;tag=${spec.from.tag}`,
    `Call-ID: ${spec.callId}`,
    `CSeq: ${spec.cseq} ${spec.method}`,
  ];
  if (spec.contact !== undefined) lines.push(`Contact: <${checkUri("Contact URI", spec.contact)}>`);
  for (const [name, value] of spec.headers ?? []) {
    if (!tokenPattern.test(name)) refuse(`header name ${JSON.stringify(name)} is not a token`);
    // The value is deliberately not echoed: it may be an Authorization header.
    lines.push(`${name}: ${checkValue(`the ${name} header`, value)}`);
  }
  lines.push(`User-Agent: ${checkValue("User-Agent", spec.userAgent)}`);
  lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
  return Buffer.from(`${lines.join("\r\n")}\r\n\r\n${body}`, "utf8");
}
