import { isIPv4 } from "node:net";
import type { Site } from "../agent/site/schema.js";
import type { SecretResolver } from "../agent/site/secrets.js";
import type { Lab } from "./lab.js";

/** Where the lab SIP proxy listens when the site's proxy is not a loopback address (example sites). */
export const defaultLabSipHost = "127.20.0.5";

/**
 * The proxy's address: `bindAddress` when the lab runs on one address, else the site's provider.sip_proxy
 * host when it is on the loopback network (configs/sites/lab.yaml: 127.20.0.5), else 127.20.0.5. Never an
 * address off this machine: the lab must not send SIP anywhere else.
 */
export function labSipHost(site: Site, bindAddress?: string): string {
  if (bindAddress) return bindAddress;
  const host = site.provider.sip_proxy.host;
  return isIPv4(host) && host.startsWith("127.") ? host : defaultLabSipHost;
}

/**
 * The phones' SIP accounts (auth id → password) the registrar accepts. A secret that cannot be resolved
 * leaves its account out (its REGISTER is then refused with 403) rather than keeping the lab from starting.
 */
export function labSipAccounts(site: Site, secrets: SecretResolver): Map<string, string> {
  const accounts = new Map<string, string>();
  for (const p of site.phones) {
    try {
      accounts.set(
        p.sip.auth_id ?? p.sip.username,
        secrets.resolve(p.sip.password, `SIP password of ${p.extension}`).reveal(),
      );
    } catch {
      // Unresolvable secret: see above.
    }
  }
  return accounts;
}

/**
 * The lab's site as it runs: the devices' real SSH and SNMP ports and the proxy's address and port, for
 * code that reads the site to find the devices (collectors, checks, `accept`) when the lab was started on
 * free ports. The proxy keeps the site's transport: it answers UDP and TCP alike.
 */
export function siteAsRunning(lab: Pick<Lab, "site" | "devices" | "sip">): Site {
  const ports = (name: string) => {
    const d = lab.devices.find((x) => x.name === name);
    return d ? { management_address: d.host, ssh_port: d.sshPort, snmp_port: d.snmpPort } : {};
  };
  return {
    ...lab.site,
    provider: {
      ...lab.site.provider,
      sip_proxy: { ...lab.site.provider.sip_proxy, host: lab.sip.host, port: lab.sip.port },
    },
    router: { ...lab.site.router, ...ports(lab.site.router.name) },
    switches: lab.site.switches.map((s) => ({ ...s, ...ports(s.name) })),
  };
}
