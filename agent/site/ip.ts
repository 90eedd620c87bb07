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

export function contains(net: Ipv4Net, ip: string): boolean {
  return isIPv4(ip) && (ipToInt(ip) & net.mask) >>> 0 === net.network;
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
