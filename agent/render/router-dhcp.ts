import type { Catalog } from "../catalog/load.js";
import { contains, intToIp, ipToInt, maskText } from "../site/ip.js";
import type { Site, SiteVlan } from "../site/schema.js";
import { subnet } from "./ios-common.js";

/**
 * DHCP on the router: one pool for the data VLAN and one for the voice VLAN. The management VLAN has no
 * pool: it only holds the router, the switches and perhaps an admin laptop, all with static addresses
 * (management_address in the site file), and a pool there would only hand addresses to whatever gets
 * plugged into a trunk by mistake.
 */
export interface DhcpPoolView {
  name: string;
  network: string;
  mask: string;
  defaultRouter: string;
  dnsServers: string;
  provisioning: {
    /** Option 150 (list of TFTP server IPs: Cisco phones, first in Cisco's precedence list). */
    tftpAddress: string;
    /** Option 66 (one TFTP server name or address: every family on the provider's list reads it). */
    bootServer: string;
    /** Option 160 URL, only where Panasonic phones are on site (they try 160, then 159, then 66). */
    panasonicUrl: string | null;
  };
}

export interface DhcpView {
  /** Arguments of each `ip dhcp excluded-address` line: "first" or "first last". */
  excluded: string[];
  pools: DhcpPoolView[];
}

/**
 * Options 66/150 (and 160) go into the data pool as well as the voice pool. A phone on an access port
 * first comes up untagged in the data VLAN; most learn the voice VLAN from LLDP-MED or CDP before they ask
 * for an address, but some do DHCP untagged first, and a factory-reset phone with VLAN discovery off
 * stays there until its provisioning file sets the voice VLAN. It can only fetch that file if the data
 * pool names the server. PCs ignore these options. Credentials are still safe: the agent gives secrets
 * only to inventory MACs from allowed subnets, the voice VLAN by default (DESIGN.md "Phone provisioning").
 * Sources: reference/provisioning.md §0 item 5 (66 for every family, 160 for Panasonic), netconfig.md
 * §3.2 (option 150 list; Cisco 7921G guide: 150 before 66).
 */
export function dhcpView(site: Site, catalog: Catalog): DhcpView {
  const agent = site.agent.address;
  const panasonic = site.phones.some((p) => catalog.findPhone(p.model)?.family === "panasonic");
  const provisioning = {
    tftpAddress: agent,
    bootServer: agent,
    panasonicUrl: panasonic ? `http://${agent}:${site.agent.http_port}/` : null,
  };
  const roles: [string, SiteVlan][] = [
    ["DATA", site.vlans.data],
    ["VOICE", site.vlans.voice],
  ];
  const pools = roles.map(([fallback, vlan]) => poolView(site, vlan, vlan.name ?? fallback, provisioning));
  const excluded = roles.flatMap(([, vlan]) => excludedRuns(staticAddresses(site, vlan)));
  return { excluded, pools };
}

function poolView(
  site: Site,
  vlan: SiteVlan,
  name: string,
  provisioning: DhcpPoolView["provisioning"],
): DhcpPoolView {
  const net = subnet(vlan.subnet, `vlan ${vlan.id} subnet`);
  return {
    name,
    network: net.networkText,
    mask: maskText(net),
    defaultRouter: vlan.gateway,
    dnsServers: site.provider.dns_servers.join(" "),
    provisioning,
  };
}

/**
 * Addresses in this VLAN that are configured by hand, so the pool must never lease them: the gateway,
 * the agent, port-forward targets (a forwarded server needs a fixed address) and device management
 * addresses that happen to sit here. Sorted numerically, without duplicates.
 */
function staticAddresses(site: Site, vlan: SiteVlan): number[] {
  const net = subnet(vlan.subnet, `vlan ${vlan.id} subnet`);
  const candidates = [
    vlan.gateway,
    site.agent.address,
    site.router.management_address,
    ...site.switches.map((s) => s.management_address),
    ...site.port_forwards.map((f) => f.inside_host),
  ];
  const inside = candidates.filter((a) => contains(net, a)).map(ipToInt);
  return [...new Set(inside)].sort((a, b) => a - b);
}

/** Consecutive addresses become one `first last` range, as an engineer would write them. */
export function excludedRuns(sorted: readonly number[]): string[] {
  const runs: string[] = [];
  let i = 0;
  while (i < sorted.length) {
    const first = sorted[i] as number;
    let last = first;
    while (i + 1 < sorted.length && sorted[i + 1] === last + 1) {
      i += 1;
      last = sorted[i] as number;
    }
    runs.push(first === last ? intToIp(first) : `${intToIp(first)} ${intToIp(last)}`);
    i += 1;
  }
  return runs;
}
