import type { Catalog } from "../catalog/load.js";
import { maskText } from "../site/ip.js";
import type { Site, SiteVlan } from "../site/schema.js";
import type { SecretResolver } from "../site/secrets.js";
import {
  type HeaderView,
  headerView,
  type IosAclView,
  type ManagementView,
  managementView,
  subnet,
} from "./ios-common.js";
import { type DhcpView, dhcpView } from "./router-dhcp.js";
import {
  inboundAclView,
  type NatView,
  natView,
  physicalDefaults,
  type QosView,
  qosView,
  type WanView,
  wanView,
} from "./router-wan.js";

/**
 * Everything the router template needs, decided here (reference/netconfig.md §3.2, "ISR router").
 * Platform `ios` is an ISR G2 on IOS 15.x, `ios-xe` an ISR 4000 on IOS-XE 16/17. They share every
 * command of this config; what differs is only what the device prints back (interface defaults, ACL
 * sequence numbers) and the `version` line — see ios-common.ts and router-wan.ts for the sources.
 * Checked to be common to both: `ip domain name` (the `ip domain-name` spelling is the 12.x form; the
 * IOS-XE CSR fixture in shared/field/configs prints `ip domain name`), the PPPoE client commands, and a
 * queueing policy on the Dialer — IOS-XE needs it to be a parent class-default shaper with the queues in a
 * child policy ("Shaping on Dialer Interfaces", QoS configuration guide IOS XE 16), which WAN-SHAPE is.
 * Not rendered: `crypto key generate rsa` is an action, not a config line (it never shows in the
 * running-config, so every replace would run it again and prompt to overwrite the host key); the header
 * asks for it once at bootstrap.
 */
export interface RouterView {
  header: HeaderView;
  mgmt: ManagementView;
  /** `ip name-server` arguments: the router resolves the provider's NTP server names with them. */
  nameServers: string;
  dhcp: DhcpView;
  lan: { name: string; defaults: string[]; subinterfaces: SubinterfaceView[] };
  wan: WanView;
  nat: NatView;
  qos: QosView;
  acls: { standard: IosAclView[]; extended: IosAclView[] };
}

export interface SubinterfaceView {
  name: string;
  description: string;
  vlanId: number;
  address: string;
  mask: string;
}

export function routerView(site: Site, catalog: Catalog, secrets: SecretResolver): RouterView {
  const router = site.router;
  const wan = wanView(site, secrets);
  const mgmt = managementView(
    site,
    {
      name: router.name,
      platform: router.platform,
      credentials: router.credentials,
      ntpServers: [...site.provider.ntp_servers],
    },
    secrets,
  );
  const nat = natView(site, wan);
  return {
    header: headerView(site),
    mgmt,
    nameServers: site.provider.dns_servers.join(" "),
    dhcp: dhcpView(site, catalog),
    lan: {
      name: router.lan_interface,
      defaults: physicalDefaults(router.platform),
      subinterfaces: [
        subinterface(router.lan_interface, site.vlans.data, "DATA"),
        subinterface(router.lan_interface, site.vlans.voice, "VOICE"),
        subinterface(router.lan_interface, site.vlans.management, "MGMT"),
      ],
    },
    wan,
    nat,
    qos: qosView(site, catalog),
    acls: {
      standard: [mgmt.mgmtAcl, nat.insideAcl, mgmt.snmp.acl],
      extended: [inboundAclView(site, wan)],
    },
  };
}

/** Router-on-a-stick: one dot1Q subinterface per VLAN, the VLAN's gateway address on it. */
function subinterface(parent: string, vlan: SiteVlan, fallbackName: string): SubinterfaceView {
  const net = subnet(vlan.subnet, `vlan ${vlan.id} subnet`);
  return {
    name: `${parent}.${vlan.id}`,
    description: vlan.name ?? fallbackName,
    vlanId: vlan.id,
    address: vlan.gateway,
    mask: maskText(net),
  };
}
