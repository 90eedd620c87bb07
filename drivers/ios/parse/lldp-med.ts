import { intOrNull, keyValue, numOrNull } from "./common.js";

/**
 * The LLDP-MED part (`MED Information:`) of `show lldp neighbors detail`: what an IP phone tells the switch
 * about itself and about the voice VLAN it expects (ANSI/TIA-1057 network policy). Lines as printed by
 * IOS/IOS-XE for a Cisco 7962G (ntc cisco_ios_show_lldp_neighbors_detail3.raw) and an NEC DT730
 * (…_detail_01.raw).
 */

/** `Network Policy(Voice): VLAN 10, tagged, Layer-2 priority: 5, DSCP: 46`. */
export interface LldpNetworkPolicy {
  /** `Voice`, `Voice Signal`, `Guest Voice`, `Softphone Voice`, `Video Conferencing`, … as printed. */
  application: string;
  /** Null when the policy carries no VLAN (priority-tagged / untagged policies). */
  vlanId: number | null;
  /** null when neither `tagged` nor `untagged` is printed. */
  tagged: boolean | null;
  l2Priority: number | null;
  dscp: number | null;
}

/** 802.3 Power-via-MDI TLV as listed under `Power via MDI:` / `PoE+ Power-via-MDI TLV:`. */
export interface LldpPoe {
  powerPair: string | null;
  /** The class number: `Class 4` is printed by some releases, `4` by others; both read as "4". */
  powerClass: string | null;
  /** As printed: `2`, `Type 2 PD`. */
  deviceType: string | null;
  source: string | null;
  priority: string | null;
  requestedMw: number | null;
  allocatedMw: number | null;
}

export interface LldpMed {
  /** `NP`, `LI`, `PS`, `PD`, `IN`. */
  capabilities: string[];
  /** `Endpoint Class III`, `Network connectivity`. */
  deviceType: string | null;
  networkPolicies: LldpNetworkPolicy[];
  /** `PD device, Power source: Unknown, Power Priority: Unknown, Wattage: 6.3`. */
  power: { deviceType: string; source: string; priority: string; watts: number | null } | null;
  hwRevision: string | null;
  fwRevision: string | null;
  swRevision: string | null;
  serialNumber: string | null;
  manufacturer: string | null;
  model: string | null;
  assetId: string | null;
  location: string | null;
  /** Other `key: value` lines of the MED section, by key as printed. */
  other: Record<string, string>;
}

export function newMed(): LldpMed {
  return {
    capabilities: [],
    deviceType: null,
    networkPolicies: [],
    power: null,
    hwRevision: null,
    fwRevision: null,
    swRevision: null,
    serialNumber: null,
    manufacturer: null,
    model: null,
    assetId: null,
    location: null,
    other: {},
  };
}

const INVENTORY: Record<string, keyof LldpMed> = {
  "H/W revision": "hwRevision",
  "F/W revision": "fwRevision",
  "S/W revision": "swRevision",
  "Serial number": "serialNumber",
  Manufacturer: "manufacturer",
  Model: "model",
  "Asset id": "assetId",
  Location: "location",
};

export function parsePolicy(application: string, value: string): LldpNetworkPolicy {
  return {
    application,
    vlanId: intOrNull(/\bVLAN (\d+)/i.exec(value)?.[1]),
    tagged: /\buntagged\b/i.test(value) ? false : /\btagged\b/i.test(value) ? true : null,
    l2Priority: intOrNull(/Layer-2 priority:\s*(\d+)/i.exec(value)?.[1]),
    dscp: intOrNull(/DSCP:\s*(\d+)/i.exec(value)?.[1]),
  };
}

/** Applies one trimmed line of the MED section; false when the line is not one it knows. */
export function applyMedLine(med: LldpMed, t: string): boolean {
  // The legend printed under `MED Codes:`: `(NP) Network Policy, (LI) Location Identification`.
  if (t === "MED Codes:" || /^\([A-Z]{2}\) /.test(t)) return true;
  if (/ - not advertised$/.test(t)) return true;
  const policy = /^Network Policy\(([^)]+)\):\s*(.*)$/.exec(t);
  if (policy) {
    med.networkPolicies.push(parsePolicy(policy[1] as string, policy[2] as string));
    return true;
  }
  const power = /^(PD|PSE) device, Power source: (.*?), Power Priority: (.*?), Wattage: (\S+)$/.exec(t);
  if (power) {
    med.power = {
      deviceType: power[1] as string,
      source: power[2] as string,
      priority: power[3] as string,
      watts: numOrNull(power[4]),
    };
    return true;
  }
  const kv = keyValue(t);
  if (!kv) return false;
  if (kv.key === "Capabilities") {
    med.capabilities = kv.value
      .split(",")
      .map((c) => c.trim())
      .filter((c) => c !== "");
    return true;
  }
  if (kv.key === "Device type") {
    med.deviceType = kv.value;
    return true;
  }
  const field = INVENTORY[kv.key];
  if (field) (med as unknown as Record<string, string | null>)[field] = kv.value === "" ? null : kv.value;
  else med.other[kv.key] = kv.value;
  return true;
}
