import type { HostKeyStore } from "../../drivers/ios/host-keys.js";
import { IosSession } from "../../drivers/ios/session.js";
import { options } from "../../drivers/sip/client.js";
import { openSnmpClient } from "../../drivers/snmp/index.js";
import type { Catalog } from "../catalog/load.js";
import { siteDevices } from "../cli/devices.js";
import { snmpTargetOf } from "../cli/show.js";
import type { Site } from "../site/schema.js";
import type { SecretResolver } from "../site/secrets.js";
import type { ObserveDeps, ObserveDevice } from "./observe.js";

export interface RealObserveOptions {
  site: Site;
  catalog: Catalog;
  secrets: SecretResolver;
  /** SSH host-key pinning (FileHostKeyStore in the state dir, as push and diff use). */
  hostKeys: HostKeyStore;
  /** Per SNMP request try; default 2000 ms with one retry (drivers/snmp/client.ts). */
  snmpTimeoutMs?: number;
  /** Timer F of the OPTIONS probe; default 4000 ms: a proxy slower than that is down for a round. */
  sipTimeoutMs?: number;
}

/**
 * observeSite's dependencies over the real drivers: SNMPv3 authPriv with the site's user, the IOS CLI
 * over SSH with the site's credentials (agent/cli/devices.ts siteDevices, the targets push and diff
 * use), OPTIONS over the site's transport. Secrets are resolved here and stay inside the drivers.
 * The caller adds `phones`, `inMaintenanceWindow` and `signal`.
 */
export function realObserveDeps(o: RealObserveOptions): ObserveDeps {
  const targets = siteDevices(o.site, o.catalog, o.secrets);
  const platformOf = (name: string): ObserveDevice["platform"] =>
    name === o.site.router.name
      ? o.site.router.platform
      : o.site.switches.find((s) => s.name === name)?.platform;
  const devices: ObserveDevice[] = targets.map((t) => ({
    name: t.name,
    role: t.role,
    address: t.target.host,
    platform: platformOf(t.name),
    intent: t.intent,
  }));
  return {
    site: o.site,
    devices,
    openSnmp: (d) =>
      openSnmpClient({ ...snmpTargetOf(o.site, d.name, o.secrets), timeoutMs: o.snmpTimeoutMs }),
    openCli: (d) => {
      const t = targets.find((x) => x.name === d.name);
      if (!t) throw new Error(`no SSH target for ${d.name}`);
      return IosSession.open(t.target, o.hostKeys);
    },
    probeSip: (target) => options(target, { timeoutMs: o.sipTimeoutMs ?? 4000 }),
  };
}
