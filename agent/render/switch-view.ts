import type { Catalog } from "../catalog/load.js";
import { PatchkastError } from "../errors.js";
import { maskText } from "../site/ip.js";
import type { Site, SiteSwitch } from "../site/schema.js";
import type { SecretResolver } from "../site/secrets.js";
import {
  type HeaderView,
  headerView,
  type IosAclView,
  type ManagementView,
  managementView,
  subnet,
} from "./ios-common.js";

/**
 * Everything the switch template needs (reference/netconfig.md §3.1, "Catalyst access switch").
 * Platform axis: `catalyst-classic` (2960/3560/3750 on IOS 15, QoS through `mls qos`) and
 * `catalyst-9000` (IOS-XE, MQC only: no `mls qos`, trust through `trust device` / `auto qos`).
 */
export interface SwitchView {
  header: HeaderView;
  mgmt: ManagementView;
  /** True for classic IOS Catalyst: global `mls qos` and per-port `mls qos trust …`. */
  classic: boolean;
  vlans: { id: number; name: string }[];
  dataVlan: number;
  voiceVlan: number;
  networkPolicy: { profile: number; voiceVlan: number; voiceCos: number; signallingCos: number };
  mgmtSvi: { vlanId: number; address: string; mask: string };
  defaultGateway: string;
  /** Broadcast storm control on phone ports: rising level in percent as IOS prints it, and the action. */
  stormControl: { broadcastLevel: string; action: string };
  ports: SwitchPortView[];
  uplink: { name: string; allowedVlans: string; encapsulationDot1q: boolean };
  acls: { standard: IosAclView[]; extended: IosAclView[] };
}

export interface SwitchPortView {
  name: string;
  /** "phone <extension> <user>" where the site places a phone on this port. */
  description: string | null;
  /**
   * Cisco trusted boundary (CDP) instead of DSCP trust. Only a Cisco phone announces itself over CDP;
   * `trust device cisco-phone` never trusts an LLDP-MED phone (netconfig.md §0 item 8, DESIGN.md).
   */
  trustCiscoPhone: boolean;
  /** LLDP-MED network-policy profile for the port, or null where the phone is a CDP phone. */
  networkPolicy: number | null;
}

/** LLDP-MED network policy (netconfig.md §3.1): voice CoS 5, signalling CoS 3 (IEEE 802.1Q Annex I). */
const networkPolicyProfile = 10;

export function switchView(
  site: Site,
  sw: SiteSwitch,
  catalog: Catalog,
  secrets: SecretResolver,
): SwitchView {
  const { data, voice, management } = site.vlans;
  const mgmtNet = subnet(management.subnet, "vlans.management.subnet");
  const ports = phonePorts(sw);
  if (ports.includes(sw.uplink)) {
    throw refused(sw, `uplink ${sw.uplink} is also listed as a phone port`);
  }
  const mgmt = managementView(
    site,
    {
      name: sw.name,
      platform: sw.platform,
      credentials: sw.credentials,
      // Switches take time from the router (IOS serves NTP once it is synchronised itself), so the
      // management VLAN needs neither DNS for the provider's server names nor NTP through NAT.
      ntpServers: [site.router.management_address],
    },
    secrets,
  );
  return {
    header: headerView(site),
    mgmt,
    classic: sw.platform === "catalyst-classic",
    vlans: [
      { id: data.id, name: data.name ?? "DATA" },
      { id: voice.id, name: voice.name ?? "VOICE" },
      { id: management.id, name: management.name ?? "MGMT" },
    ],
    dataVlan: data.id,
    voiceVlan: voice.id,
    networkPolicy: { profile: networkPolicyProfile, voiceVlan: voice.id, voiceCos: 5, signallingCos: 3 },
    mgmtSvi: { vlanId: management.id, address: sw.management_address, mask: maskText(mgmtNet) },
    defaultGateway: management.gateway,
    // 1 % of the port's bandwidth in broadcasts is far above what phones and PCs send; `trap` only
    // reports, where the default action silently filters (Catalyst 3750 command reference OL-8552-07).
    stormControl: { broadcastLevel: "1.00", action: "trap" },
    ports: ports.map((name) => portView(site, sw, name, catalog)),
    uplink: uplinkView(site, sw),
    acls: { standard: [mgmt.mgmtAcl, mgmt.snmp.acl], extended: [] },
  };
}

/**
 * Phone ports one stanza per port, not `interface range`: IOS prints every port on its own in the
 * running-config anyway, so drift detection and the acceptance checks (voice VLAN, trust, PoE per port)
 * can compare port by port, and a port's trust mode can differ from its neighbour's.
 */
export function phonePorts(sw: SiteSwitch): string[] {
  const seen = new Set<string>();
  for (const range of sw.phone_ports) {
    for (const port of expandPortRange(range)) {
      if (seen.has(port)) throw refused(sw, `port ${port} is listed twice in phone_ports`);
      seen.add(port);
    }
  }
  return [...seen];
}

/** "GigabitEthernet1/0/1-12" → GigabitEthernet1/0/1 … GigabitEthernet1/0/12; a single port stays itself. */
export function expandPortRange(range: string): string[] {
  const m = /^(.*?)([0-9]+)(?:-([0-9]+))?$/.exec(range);
  if (!m) throw new PatchkastError("PK_ERR_RENDER_REFUSED", `"${range}" is not a port or port range`);
  const prefix = m[1] ?? "";
  const first = Number(m[2]);
  const last = m[3] === undefined ? first : Number(m[3]);
  if (last < first) {
    throw new PatchkastError("PK_ERR_RENDER_REFUSED", `port range "${range}" runs backwards`);
  }
  return Array.from({ length: last - first + 1 }, (_, i) => `${prefix}${first + i}`);
}

function portView(site: Site, sw: SiteSwitch, port: string, catalog: Catalog): SwitchPortView {
  const phone = site.phones.find((p) => p.port?.switch === sw.name && p.port.interface === port);
  // Family cisco-spa is the catalog's CDP-speaking Cisco desk phones; every other family (and an empty
  // port, where any phone may be plugged in later) gets DSCP trust plus the LLDP-MED policy.
  const cdpPhone = phone !== undefined && catalog.findPhone(phone.model)?.family === "cisco-spa";
  return {
    name: port,
    description: phone ? `phone ${phone.extension} ${phone.user}` : null,
    trustCiscoPhone: cdpPhone,
    networkPolicy: cdpPhone ? null : networkPolicyProfile,
  };
}

/**
 * 3560 and 3750 also speak ISL, so their trunks need `switchport trunk encapsulation dot1q` before
 * `switchport mode trunk` ("trunk encapsulation is Auto" is rejected); the 2960 family is dot1Q-only and
 * rejects the command, which would abort a `configure replace`. Other models: dot1Q only (verify a new
 * classic model before adding it here).
 */
const islCapableModel = /^WS-C3(560|750)(-|G|E|X|V2)/i;

/**
 * Uplink trunk carries exactly the site's three VLANs. The native VLAN stays at the default (1): every
 * site VLAN is tagged on both ends (the router uses plain `encapsulation dot1Q`), so VLAN 1 carries only
 * CDP/LLDP/STP, and changing it would have to be matched on the router side.
 */
function uplinkView(site: Site, sw: SiteSwitch): SwitchView["uplink"] {
  const { data, voice, management } = site.vlans;
  return {
    name: sw.uplink,
    allowedVlans: [data.id, voice.id, management.id].sort((a, b) => a - b).join(","),
    encapsulationDot1q: sw.platform === "catalyst-classic" && islCapableModel.test(sw.model),
  };
}

function refused(sw: SiteSwitch, message: string): PatchkastError {
  return new PatchkastError("PK_ERR_RENDER_REFUSED", `switch ${sw.name}: ${message}`);
}
