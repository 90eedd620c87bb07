import type { Site, SiteSwitch } from "../agent/site/schema.js";
import type { SecretResolver } from "../agent/site/secrets.js";

/**
 * What an engineer types into a new device by hand before patchkast can take over (the header of every
 * rendered config: "Bootstrap once by hand before the first push"): name, the local user with AAA so
 * that SSH and SCP work (Cisco SSHv2 guide: "SCP relies on AAA"), the archive that `configure replace …
 * revert` needs, a management address, and SNMP access. The lab boots a device with this when it has no
 * saved startup-config; patchkast's first push then replaces it with the standard config.
 */

export interface BootstrapSecrets {
  username: string;
  password: string;
  enableSecret: string | null;
}

function prefixMask(cidr: string): { prefix: number; mask: string } {
  const prefix = Number(cidr.split("/")[1] ?? 24);
  const bits = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return { prefix, mask: [24, 16, 8, 0].map((s) => (bits >>> s) & 255).join(".") };
}

function common(site: Site, name: string, creds: BootstrapSecrets): string[] {
  return [
    `hostname ${name}`,
    ...(creds.enableSecret ? [`enable secret 0 ${creds.enableSecret}`] : []),
    "aaa new-model",
    "aaa authentication login default local",
    "aaa authorization exec default local",
    `username ${creds.username} privilege 15 secret 0 ${creds.password}`,
    `ip domain name ${site.site_id}.internal`,
  ];
}

function tail(site: Site, secrets: SecretResolver, community: string): string[] {
  const auth = secrets.resolve(site.snmp.auth_key, "SNMPv3 auth key").reveal();
  const priv = secrets.resolve(site.snmp.priv_key, "SNMPv3 priv key").reveal();
  return [
    "ip ssh version 2",
    "ip scp server enable",
    "archive",
    " path flash:archive/$h-",
    " maximum 14",
    `snmp-server community ${community} RO`,
    "snmp-server view PATCHKAST iso included",
    "snmp-server group PATCHKAST v3 priv read PATCHKAST",
    `snmp-server user ${site.snmp.user} PATCHKAST v3 auth sha ${auth} priv aes 128 ${priv}`,
    "line vty 0 4",
    " transport input ssh",
    "end",
  ];
}

export function routerBootstrap(
  site: Site,
  creds: BootstrapSecrets,
  secrets: SecretResolver,
  community: string,
): string {
  const mgmt = site.vlans.management;
  const lan = site.router.lan_interface;
  return [
    ...common(site, site.router.name, creds),
    `interface ${lan}`,
    " no ip address",
    `interface ${lan}.${mgmt.id}`,
    ` encapsulation dot1Q ${mgmt.id}`,
    ` ip address ${site.router.management_address} ${prefixMask(mgmt.subnet).mask}`,
    ...tail(site, secrets, community),
  ].join("\n");
}

export function switchBootstrap(
  site: Site,
  sw: SiteSwitch,
  creds: BootstrapSecrets,
  secrets: SecretResolver,
  community: string,
): string {
  const mgmt = site.vlans.management;
  return [
    ...common(site, sw.name, creds),
    "vtp mode transparent",
    `vlan ${mgmt.id}`,
    ` name ${mgmt.name ?? "MGMT"}`,
    `interface ${sw.uplink}`,
    " switchport mode trunk",
    `interface Vlan${mgmt.id}`,
    ` ip address ${sw.management_address} ${prefixMask(mgmt.subnet).mask}`,
    `ip default-gateway ${mgmt.gateway}`,
    ...tail(site, secrets, community),
  ].join("\n");
}

export function credentialsOf(
  creds: { username: string; password: string; enable_secret?: string | undefined },
  secrets: SecretResolver,
  device: string,
): BootstrapSecrets {
  return {
    username: creds.username,
    password: secrets.resolve(creds.password, `password of ${creds.username} on ${device}`).reveal(),
    enableSecret:
      creds.enable_secret === undefined
        ? null
        : secrets.resolve(creds.enable_secret, `enable secret of ${device}`).reveal(),
  };
}
