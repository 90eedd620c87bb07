import { createHash } from "node:crypto";
import type { Catalog } from "../agent/catalog/load.js";
import type { Site } from "../agent/site/schema.js";
import type { IosDevice } from "./device/device.js";
import { canonicalInterface } from "./device/params.js";
import type { MedPolicy } from "./device/surroundings.js";

/**
 * The lab's IP phones: one per phone of the site inventory that has a switch port. A phone is a PoE
 * class 2 powered device (3.4–6.5 W, fixed per MAC), powered only when its port delivers PoE (not
 * `power inline never`, not shut down). Cisco SPA phones (family cisco-spa) speak CDP, every other family
 * LLDP-MED (DESIGN.md: trusted boundary needs CDP; third-party phones use LLDP-MED). The voice VLAN a
 * phone uses is the one the port gives it: CDP carries the port's `switchport voice vlan`; LLDP-MED
 * carries the port's `network-policy` profile, or the voice VLAN itself when there is no profile (IOS
 * advertises the voice VLAN as an LLDP-MED network policy by default). Without one it stays untagged
 * in the access VLAN.
 */
export interface SimPhone {
  mac: string;
  /** `0015.654a.1001`, the Cisco notation of `show` commands. */
  dotted: string;
  brand: string;
  model: string;
  /** The catalog's phone family (drivers/phones), null for a model the catalog does not know. */
  family: string | null;
  /** What the phone reports (LLDP-MED, CDP, User-Agent); lab/faults.ts changes it to play old firmware. */
  firmware: string;
  extension: string;
  user: string;
  switch: string;
  port: string;
  protocol: "cdp" | "lldp";
  watts: number;
  powerClass: 2;
}

export function phonesFromSite(site: Site, catalog: Catalog): SimPhone[] {
  const out: SimPhone[] = [];
  for (const p of site.phones) {
    if (!p.port) continue;
    const model = catalog.findPhone(p.model);
    const hex = p.mac.replace(/[^0-9a-f]/gi, "").toLowerCase();
    const name = canonicalInterface(p.port.interface);
    const d = createHash("sha256").update(hex).digest();
    out.push({
      mac: (hex.match(/../g) ?? []).join(":"),
      dotted: (hex.match(/.{4}/g) ?? []).join("."),
      brand: model?.brand ?? p.model.split(" ")[0] ?? "Unknown",
      model: model?.model ?? p.model,
      family: model?.family ?? null,
      firmware: (model?.firmware ?? "1.0").replace(/\.rom$/, ""),
      extension: p.extension,
      user: p.user,
      switch: p.port.switch,
      port: "name" in name ? name.name : p.port.interface,
      protocol: model?.family === "cisco-spa" ? "cdp" : "lldp",
      watts: Math.round((3.4 + ((d[0] ?? 0) % 32) / 10) * 10) / 10,
      powerClass: 2,
    });
  }
  return out;
}

export interface PhoneLink {
  powered: boolean;
  /** The VLAN the phone's own traffic uses. */
  vlan: number;
  tagged: boolean;
  policies: MedPolicy[];
}

/** How the phone on `phone.port` of `sw` is connected right now, or null when it has no power. */
export function phoneLink(sw: IosDevice, phone: SimPhone): PhoneLink | null {
  const s = sw.state();
  const port = s.ports.find((p) => p.name === phone.port);
  if (!port?.physical?.poe || port.shutdown || port.poe === "never") return null;
  const policies: MedPolicy[] = [];
  let voice: number | null = null;
  if (phone.protocol === "cdp") {
    if (s.cdp && port.voice.kind === "vlan") voice = port.voice.vlan;
  } else if (s.lldp) {
    const profile = port.networkPolicy === null ? undefined : s.netpol.get(port.networkPolicy);
    if (profile?.voice) {
      voice = profile.voice.vlan;
      policies.push({
        application: "Voice",
        vlan: voice,
        tagged: true,
        l2Priority: profile.voice.cos,
        dscp: 46,
      });
      if (profile.signaling)
        policies.push({
          application: "Voice Signal",
          vlan: profile.signaling.vlan,
          tagged: true,
          l2Priority: profile.signaling.cos,
          dscp: 24,
        });
    } else if (port.voice.kind === "vlan") {
      voice = port.voice.vlan;
      policies.push({ application: "Voice", vlan: voice, tagged: true, l2Priority: 5, dscp: 46 });
    }
  }
  if (voice !== null) return { powered: true, vlan: voice, tagged: true, policies };
  return {
    powered: true,
    vlan: port.mode === "trunk" ? port.nativeVlan : port.accessVlan,
    tagged: false,
    policies,
  };
}
