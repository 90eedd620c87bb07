import { isIPv4 } from "node:net";

/** IPv4 arithmetic for subnets in site files: small, exact, no library. */
export interface Ipv4Net {
  address: number;
  network: number;
  prefix: number;
  mask: number;
  networkText: string;
}

export function ipToInt(ip: string): number {
  return ip.split(".").reduce((acc, part) => (acc << 8) + Number(part), 0) >>> 0;
}

export function intToIp(n: number): string {
  return [24, 16, 8, 0].map((s) => (n >>> s) & 255).join(".");
}

export function parseCidr(cidr: string): Ipv4Net | undefined {
  const [addr, len] = cidr.split("/");
  if (addr === undefined || len === undefined || !isIPv4(addr)) return undefined;
  const prefix = Number(len);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > 32) return undefined;
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  const address = ipToInt(addr);
  const network = (address & mask) >>> 0;
  return { address, network, prefix, mask, networkText: intToIp(network) };
}

/**
 * A peer address as the site's IPv4 subnets know it: a socket listening on "::" reports IPv4 peers as
 * IPv4-mapped IPv6 (::ffff:10.20.30.40).
 */
export function withoutIpv4Mapping(address: string): string {
  return address.startsWith("::ffff:") ? address.slice(7) : address;
}

export function contains(net: Ipv4Net, ip: string): boolean {
  const n = parseIpv4(ip);
  return n !== undefined && (n & net.mask) >>> 0 === net.network;
}

/**
 * Dotted-quad IPv4 as an unsigned integer, or undefined; accepts exactly what node's isIPv4 accepts (four
 * decimal octets 0-255 without leading zeros). Hand-written because it runs for every provisioning request
 * (the subnet check), where isIPv4's regular expression plus split/reduce was a measurable share.
 */
export function parseIpv4(ip: string): number | undefined {
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < ip.length; i++) {
    const c = ip.charCodeAt(i);
    if (c === 0x2e) {
      if (digits === 0 || ++dots > 3) return undefined;
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
    } else if (c >= 0x30 && c <= 0x39) {
      if (digits > 0 && octet === 0) return undefined; // leading zero
      octet = octet * 10 + (c - 0x30);
      if (++digits > 3 || octet > 255) return undefined;
    } else {
      return undefined;
    }
  }
  if (dots !== 3 || digits === 0) return undefined;
  return value * 256 + octet;
}

export function overlaps(a: Ipv4Net, b: Ipv4Net): boolean {
  const mask = a.prefix < b.prefix ? a.mask : b.mask;
  return (a.network & mask) >>> 0 === (b.network & mask) >>> 0;
}

export function maskText(net: Ipv4Net): string {
  return intToIp(net.mask);
}

/** Cisco wildcard (inverse) mask, as ACLs and OSPF want it. */
export function wildcardText(net: Ipv4Net): string {
  return intToIp(~net.mask >>> 0);
}

export function broadcast(net: Ipv4Net): number {
  return (net.network | (~net.mask >>> 0)) >>> 0;
}
