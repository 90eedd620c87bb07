/**
 * Parses what an engineer types as a SIP target: `sip.example.net`, `10.0.0.5:5060`,
 * `udp:host:port`, `tcp:host:port`, `[2001:db8::1]:5060` or `sip:host:port;transport=tcp`.
 * No DNS SRV/NAPTR (RFC 3263): the port defaults to 5060 and the transport to UDP.
 */
import { isIP } from "node:net";
import { PatchkastError } from "../../agent/errors.js";
import { formatHost } from "./build.js";
import type { SipTarget, SipTransport } from "./transport.js";

export const defaultSipPort = 5060;

function refuse(text: string, why: string): never {
  throw new PatchkastError("PK_ERR_SIP_TARGET", `SIP target ${JSON.stringify(text)}: ${why}`);
}

function parsePort(text: string, raw: string): number {
  if (!/^[0-9]{1,5}$/.test(raw)) refuse(text, `port ${JSON.stringify(raw)} is not a number`);
  const port = Number(raw);
  if (port < 1 || port > 65535) refuse(text, `port ${port} is not 1..65535`);
  return port;
}

/** host, host:port, [v6], [v6]:port, or a bare IPv6 literal. */
function parseHostPort(text: string, hostPort: string): { host: string; port: number } {
  if (isIP(hostPort) === 6) return { host: hostPort, port: defaultSipPort };
  const m = /^(\[[^\]]+\]|[^:[\]]+)(?::([^:]*))?$/.exec(hostPort);
  if (!m) refuse(text, "expected host[:port] (IPv6 in brackets)");
  const host = (m[1] as string).replace(/^\[(.*)\]$/, "$1");
  try {
    formatHost(host);
  } catch {
    refuse(text, `${JSON.stringify(host)} is not a host name or IP address`);
  }
  return { host, port: m[2] === undefined ? defaultSipPort : parsePort(text, m[2]) };
}

/**
 * `transport` is what --transport said, if anything; a target that names another one is a mistake
 * rather than something to pick a winner for.
 */
export function parseSipTarget(text: string, transport?: SipTransport): SipTarget {
  const trimmed = text.trim();
  if (trimmed === "") refuse(text, "empty");
  let named: SipTransport | undefined;
  let hostPort = trimmed;
  const prefix = /^(udp|tcp|tls|sips?):(.*)$/i.exec(trimmed);
  if (prefix) {
    const scheme = (prefix[1] as string).toLowerCase();
    if (scheme === "tls" || scheme === "sips") refuse(text, "TLS (sips:) is not supported yet");
    hostPort = prefix[2] as string;
    if (scheme === "sip") {
      const [uriHost = "", ...params] = hostPort.replace(/^[^@]*@/, "").split(";");
      hostPort = uriHost;
      for (const param of params) {
        const [name = "", value = ""] = param.toLowerCase().split("=");
        if (name !== "transport") continue;
        if (value !== "udp" && value !== "tcp") refuse(text, `transport=${value} is not udp or tcp`);
        named = value;
      }
    } else named = scheme as SipTransport;
  }
  if (named && transport && named !== transport)
    refuse(text, `the target says ${named} but the transport option says ${transport}`);
  return { ...parseHostPort(text, hostPort), transport: named ?? transport ?? "udp" };
}

/** `sip:host:port` as printed in reports and the CLI (IPv6 bracketed). */
export function targetUri(target: SipTarget): string {
  return `sip:${formatHost(target.host)}:${target.port}`;
}
