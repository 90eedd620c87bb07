import { canonicalInterfaceName } from "../../drivers/ios/parse/interface-name.js";
import type { ConfigNode } from "../../drivers/ios/parse/show-running-config.js";
import type { Catalog } from "../catalog/load.js";
import type { DeviceObservations, Observations } from "../monitor/observations.js";
import { phonePorts } from "../render/switch-view.js";
import type { Site, SitePhone, SiteSwitch } from "../site/schema.js";

/**
 * What the standard config wants, derived from the site the way the renderer derives it (same helpers
 * where the renderer exports them), so a check and the template cannot disagree about the intent.
 */

export { phonePorts };

/** The inventory phone the site places on `port` of `sw`, if any. */
export function phoneOn(site: Site, sw: SiteSwitch, port: string): SitePhone | undefined {
  const want = canonicalInterfaceName(port);
  return site.phones.find(
    (p) => p.port?.switch === sw.name && canonicalInterfaceName(p.port.interface) === want,
  );
}

/** Cisco trusted boundary applies to CDP phones only: the catalog's cisco-spa family (switch-view.ts). */
export function isCdpPhone(catalog: Catalog, phone: SitePhone | undefined): boolean {
  return phone !== undefined && catalog.findPhone(phone.model)?.family === "cisco-spa";
}

export function siteVlans(site: Site): { role: string; id: number; name: string }[] {
  const { data, voice, management } = site.vlans;
  return [
    { role: "data", id: data.id, name: data.name ?? "DATA" },
    { role: "voice", id: voice.id, name: voice.name ?? "VOICE" },
    { role: "management", id: management.id, name: management.name ?? "MGMT" },
  ];
}

export function deviceObs(obs: Observations, name: string): DeviceObservations | undefined {
  return obs.devices.find((d) => d.name === name);
}

/** `GigabitEthernet1/0/3` → `Gi1/0/3`, how engineers read port names in a summary. */
export function shortPort(name: string): string {
  const full = canonicalInterfaceName(name);
  const m = /^([A-Z][a-z])[A-Za-z-]*?(\d.*)$/.exec(full);
  return m ? `${m[1]}${m[2]}` : full;
}

export const samePort = (a: string, b: string): boolean =>
  canonicalInterfaceName(a) === canonicalInterfaceName(b);

/** The `interface <name>` stanza of a parsed running-config, matched by canonical name. */
export function interfaceStanza(nodes: readonly ConfigNode[], name: string): ConfigNode | undefined {
  return nodes.find((n) => {
    const m = /^interface (\S+)$/.exec(n.line);
    return m !== null && samePort(m[1] as string, name);
  });
}

/** MAC as 12 lower-case hex digits; every notation (`00:15:65…`, `0015.6512…`, `SEP001565…`) compares. */
export function macKey(text: string): string | undefined {
  const hex = text.replace(/[^0-9a-f]/gi, "").toLowerCase();
  return hex.length === 12 ? hex : undefined;
}

/**
 * Whether `text` carries `mac` in any notation: a chassis id `0015.651a.b001`, a port id `00:15:65:…`, a
 * CDP device id `SEP0015651AB001`. Separators are dropped first; 12 hex digits in a row are specific enough.
 */
export function mentionsMac(text: string | null | undefined, mac: string): boolean {
  const want = macKey(mac);
  if (!text || !want) return false;
  return text
    .replace(/[:.\-\s]/g, "")
    .toLowerCase()
    .includes(want);
}
