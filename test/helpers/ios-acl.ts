/**
 * A small evaluator for IOS extended ACL entries, enough to ask "would this packet get in?" of a rendered
 * WAN ACL: first match wins, implicit deny at the end (Cisco IOS Security Configuration Guide, "IP Access
 * List Overview"). Supports protocols ip/tcp/udp/icmp, any / host A / A wildcard, eq/neq/gt/lt/range with
 * the port keywords used in our configs, `established` (ACK or RST set) and ICMP type names.
 */
export interface Packet {
  protocol: "tcp" | "udp" | "icmp";
  src: string;
  dst: string;
  srcPort?: number;
  dstPort?: number;
  /** TCP flags; a plain SYN (new connection) when absent. */
  tcp?: { ack?: boolean; rst?: boolean };
  icmpType?: "echo" | "echo-reply" | "unreachable" | "time-exceeded" | "redirect";
}

export interface AclVerdict {
  action: "permit" | "deny";
  /** The entry that matched, or null for the implicit deny. */
  entry: string | null;
}

const portNames: Record<string, number> = {
  "ftp-data": 20,
  ftp: 21,
  telnet: 23,
  smtp: 25,
  domain: 53,
  www: 80,
  pop3: 110,
  ntp: 123,
  snmp: 161,
  snmptrap: 162,
  isakmp: 500,
  syslog: 514,
  tftp: 69,
};

const icmpTypes = new Set(["echo", "echo-reply", "unreachable", "time-exceeded", "redirect"]);

function toInt(ip: string): number {
  return ip.split(".").reduce((acc, p) => (acc << 8) + Number(p), 0) >>> 0;
}

function port(token: string | undefined): number {
  if (token === undefined) throw new Error("port missing");
  const n = portNames[token] ?? Number(token);
  if (!Number.isInteger(n)) throw new Error(`unknown port "${token}"`);
  return n;
}

type Matcher<T> = (value: T) => boolean;

/** Reads an address spec at tokens[i]; returns the matcher and the next index. */
function address(tokens: string[], i: number): [Matcher<string>, number] {
  const t = tokens[i];
  if (t === "any") return [() => true, i + 1];
  if (t === "host") {
    const host = tokens[i + 1] ?? "";
    return [(ip) => ip === host, i + 2];
  }
  const base = toInt(t ?? "");
  const wild = toInt(tokens[i + 1] ?? "");
  return [(ip) => ((toInt(ip) ^ base) & ~wild) >>> 0 === 0, i + 2];
}

/** Reads an optional port operator at tokens[i]. */
function ports(tokens: string[], i: number): [Matcher<number | undefined>, number] {
  const op = tokens[i];
  const p = (k: number) => port(tokens[i + k]);
  switch (op) {
    case "eq":
      return [(v) => v === p(1), i + 2];
    case "neq":
      return [(v) => v !== undefined && v !== p(1), i + 2];
    case "gt":
      return [(v) => v !== undefined && v > p(1), i + 2];
    case "lt":
      return [(v) => v !== undefined && v < p(1), i + 2];
    case "range":
      return [(v) => v !== undefined && v >= p(1) && v <= p(2), i + 3];
    default:
      return [() => true, i];
  }
}

function matches(entry: string, pkt: Packet): boolean {
  const tokens = entry.trim().split(/\s+/);
  const protocol = tokens[1];
  if (protocol !== "ip" && protocol !== pkt.protocol) return false;
  const layer4 = protocol === "tcp" || protocol === "udp";
  let i = 2;
  const [srcOk, afterSrc] = address(tokens, i);
  i = afterSrc;
  let srcPortOk: Matcher<number | undefined> = () => true;
  if (layer4) [srcPortOk, i] = ports(tokens, i);
  const [dstOk, afterDst] = address(tokens, i);
  i = afterDst;
  let dstPortOk: Matcher<number | undefined> = () => true;
  if (layer4) [dstPortOk, i] = ports(tokens, i);
  const rest = tokens.slice(i).filter((t) => t !== "log");
  if (!srcOk(pkt.src) || !dstOk(pkt.dst) || !srcPortOk(pkt.srcPort) || !dstPortOk(pkt.dstPort)) return false;
  for (const option of rest) {
    if (option === "established") {
      if (!(pkt.tcp?.ack || pkt.tcp?.rst)) return false;
    } else if (icmpTypes.has(option)) {
      if (pkt.icmpType !== option) return false;
    } else {
      throw new Error(`the test evaluator does not know "${option}" in "${entry}"`);
    }
  }
  return true;
}

export function evaluateAcl(entries: readonly string[], pkt: Packet): AclVerdict {
  for (const entry of entries) {
    if (matches(entry, pkt)) return { action: entry.startsWith("permit") ? "permit" : "deny", entry };
  }
  return { action: "deny", entry: null };
}
