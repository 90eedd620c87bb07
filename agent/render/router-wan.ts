import type { Catalog } from "../catalog/load.js";
import { PatchkastError } from "../errors.js";
import { maskText } from "../site/ip.js";
import type { PortForward, Site } from "../site/schema.js";
import type { SecretResolver } from "../site/secrets.js";
import { aclView, type IosAclView, iosSecret, standardSource, subnet } from "./ios-common.js";

/** WAN side of the router: PPPoE or static uplink, NAT, the inbound ACL and the voice shaper. */

export interface WanView {
  mode: "pppoe" | "static";
  physical: { name: string; defaults: string[] };
  staticAddress: { address: string; mask: string } | null;
  dialer: {
    name: string;
    pool: number;
    mtu: number;
    mss: number;
    chapHostname: string;
    chapPassword: string;
  } | null;
  /** The interface that carries `ip nat outside`, `ip access-group WAN-IN in` and the shaper. */
  outside: string;
  /** Next hop of the default route: the Dialer (PPPoE) or the provider's gateway (static). */
  defaultRoute: string;
}

/**
 * Defaults the platforms print on a built-in Ethernet port, rendered so that the running-config and the
 * file match line for line: ISR G2 (IOS 15) shows `duplex auto` / `speed auto`, IOS-XE routers show
 * `negotiation auto` (NAPALM's CSR1000v fixture in shared/field/configs has it on every GigabitEthernet).
 */
export function physicalDefaults(platform: "ios" | "ios-xe"): string[] {
  return platform === "ios-xe" ? ["negotiation auto"] : ["duplex auto", "speed auto"];
}

/**
 * PPPoE (RFC 2516) adds 8 bytes inside the 1500-byte Ethernet payload: IP MTU 1492, and TCP MSS 1452
 * (MTU minus 20 IP and 20 TCP bytes) so that hosts behind NAT never send segments that need fragmenting.
 */
const pppoeMtu = 1492;
const pppoeMss = pppoeMtu - 40;

export function wanView(site: Site, secrets: SecretResolver): WanView {
  const wan = site.wan;
  const physical = { name: wan.interface, defaults: physicalDefaults(site.router.platform) };
  if (wan.mode === "pppoe") {
    if (!wan.pppoe) throw refused("wan mode is pppoe but the pppoe section is missing");
    const dialer = {
      name: "Dialer1",
      pool: 1,
      mtu: pppoeMtu,
      mss: pppoeMss,
      chapHostname: wan.pppoe.username,
      chapPassword: iosSecret(secrets, wan.pppoe.password, "PPPoE password"),
    };
    return {
      mode: "pppoe",
      physical,
      staticAddress: null,
      dialer,
      outside: dialer.name,
      defaultRoute: dialer.name,
    };
  }
  if (!wan.static) throw refused("wan mode is static but the static section is missing");
  const net = subnet(`${wan.static.address}/${wan.static.prefix_length}`, "wan.static");
  return {
    mode: "static",
    physical,
    staticAddress: { address: wan.static.address, mask: maskText(net) },
    dialer: null,
    outside: wan.interface,
    defaultRoute: wan.static.gateway,
  };
}

export interface NatView {
  insideAcl: IosAclView;
  outside: string;
  forwards: { protocol: "tcp" | "udp"; insideHost: string; insidePort: number; port: number }[];
}

/** PAT on the outside interface for all three LAN subnets (switches need NTP/licensing too), plus forwards. */
export function natView(site: Site, wan: WanView): NatView {
  const { data, voice, management } = site.vlans;
  const inside = [data, voice, management].map(
    (v) => `permit ${standardSource(subnet(v.subnet, `vlan ${v.id} subnet`))}`,
  );
  return {
    insideAcl: aclView(site.router.platform, "NAT-INSIDE", inside),
    outside: wan.outside,
    forwards: site.port_forwards.map((f) => ({
      protocol: f.protocol,
      insideHost: f.inside_host,
      insidePort: f.inside_port ?? f.port,
      port: f.port,
    })),
  };
}

/**
 * Well-known ports IOS prints by keyword in extended ACLs (`eq www`, `eq domain`); every other port stays
 * a number. Printing the device's own form keeps drift diffs quiet (netconfig.md §5 "exact running-config
 * form"). Only keywords that exist for the protocol are listed (Cisco IOS Security Command Reference,
 * `permit (IP)`: port names for TCP and for UDP).
 */
const portKeywords: Record<"tcp" | "udp", Record<number, string>> = {
  tcp: { 20: "ftp-data", 21: "ftp", 23: "telnet", 25: "smtp", 53: "domain", 80: "www", 110: "pop3" },
  udp: { 53: "domain", 69: "tftp", 123: "ntp", 161: "snmp", 162: "snmptrap", 500: "isakmp", 514: "syslog" },
};

export function portText(protocol: "tcp" | "udp", port: number): string {
  return portKeywords[protocol][port] ?? String(port);
}

/**
 * Inbound ACL on the outside interface. Inbound is closed by default (seeds.md §2.3, 000:L869-L871): only
 * return traffic and the customer's written port forwards come in; nothing reaches the router's own
 * SSH, SNMP or HTTP from the internet.
 *
 * Return traffic without CBAC or a zone firewall (CBAC does not exist on IOS-XE; a zone firewall would
 * still need these interface ACL permits, since it opens no holes in them):
 * - TCP: `established` (ACK or RST set). A SYN from outside never matches, so no new connection opens.
 * - UDP: SIP and RTP of phones registered to the provider are NAT return traffic, and so are DNS answers,
 *   NTP answers to phones, QUIC and VPN clients in the data VLAN. None of it can be matched by source:
 *   the SIP proxy is a DNS name, the provider's media servers are not in the site file, and PAT rewrites
 *   the phones' ports (six phones all use local port 5060, so five of them get other public ports). So
 *   the ACL permits UDP to ports above 1023 and lets NAT do the stateful part: IOS keys a return packet
 *   on protocol, inside global address/port AND outside address/port (Cisco IOS IP Configuration Guide
 *   12.2, "Configuring NAT", overloading step 5), so only the exact remote a LAN host talked to gets in;
 *   anything else is addressed to the router itself, where nothing in this config listens above 1023.
 *   Ports below 1024 stay closed, which keeps SNMP (161), NTP service (123), syslog and DHCP of the router
 *   unreachable. Inside hosts sending from ports above 1023 (every phone and PC does) keep them above 1023
 *   after PAT, which keeps the source port or takes one from the same group, 0-511, 512-1023 or
 *   1024-65535 (Cisco NAT configuration guide, "Port Address Translation"; verify on IOS-XE).
 * - NTP: the router's own NTP client talks from port 123 to port 123, so its answers need one rule.
 * - ICMP: echo-reply (ping from inside), unreachable (includes "fragmentation needed": path-MTU discovery
 *   through the 1492-byte PPPoE MTU breaks without it) and time-exceeded (traceroute). No echo inbound.
 * - PPPoE: the address comes from IPCP inside PPP, not from IP packets, and a static WAN needs nothing,
 *   so no DHCP-client rule exists.
 * Everything else is denied and logged.
 */
export function inboundAclView(site: Site, wan: WanView): IosAclView {
  // A static WAN names its own address; a PPPoE address is negotiated, so `any` stands for it.
  const self = wan.staticAddress ? `host ${wan.staticAddress.address}` : "any";
  const entries = [
    `permit tcp any ${self} established`,
    `permit udp any ${self} gt 1023`,
    `permit udp any eq ntp ${self} eq ntp`,
    `permit icmp any ${self} echo-reply`,
    `permit icmp any ${self} unreachable`,
    `permit icmp any ${self} time-exceeded`,
    ...site.port_forwards.map((f) => forwardPermit(f, self)),
    "deny ip any any log",
  ];
  return aclView(site.router.platform, "WAN-IN", entries);
}

/** The ACL sees the packet before NAT, so a forward is matched on the public address and public port. */
function forwardPermit(f: PortForward, self: string): string {
  return `permit ${f.protocol} any ${self} eq ${portText(f.protocol, f.port)}`;
}

export interface QosView {
  voicePriorityPercent: number;
  signallingBandwidthPercent: number;
  shapeBps: number;
}

/**
 * G.711 with 20 ms packets: 80 kbit/s of IP/UDP/RTP plus Ethernet and PPPoE headers at 50 packets/s,
 * about 90 kbit/s per call as the shaper counts it.
 */
const kbpsPerCall = 90;
/**
 * Classic IOS lets priority + bandwidth reserve at most 75 % of the shaped rate by default
 * (`max-reserved-bandwidth`, netconfig.md §3.2); 70 % voice + 5 % signalling stays inside it.
 */
const maxVoicePercent = 70;
const signallingPercent = 5;
/** Cisco's QoS design guidance keeps the priority queue to a third of the link when the line is unknown. */
const unknownLinePercent = 33;

/**
 * Hierarchical shaper (netconfig.md §3.2): shaping just under the line's upstream makes the router, not
 * the modem, the place where packets queue, so voice (DSCP EF) can go first. The priority queue is sized
 * for the line's maximum concurrent calls from the provider's table (seeds.md §1.2).
 */
export function qosView(site: Site, catalog: Catalog): QosView {
  const line = catalog.findLine(site.access_line);
  const shapeKbps = site.wan.shaping_rate_kbps;
  const needed = line
    ? Math.ceil((line.max_concurrent_calls * kbpsPerCall * 100) / shapeKbps)
    : unknownLinePercent;
  return {
    voicePriorityPercent: Math.max(1, Math.min(maxVoicePercent, needed)),
    signallingBandwidthPercent: signallingPercent,
    shapeBps: shapeKbps * 1000,
  };
}

function refused(message: string): PatchkastError {
  return new PatchkastError("PK_ERR_RENDER_REFUSED", `router: ${message}`);
}
