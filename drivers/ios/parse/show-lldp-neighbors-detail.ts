import { intOrNull, keyValue, type Line, ParseError, prepare, unrecognised } from "./common.js";
import { applyMedLine, type LldpMed, type LldpPoe, newMed } from "./lldp-med.js";

const COMMAND = "show lldp neighbors detail";

export type { LldpMed, LldpNetworkPolicy, LldpPoe } from "./lldp-med.js";

/**
 * One neighbour of `show lldp neighbors detail`.
 *
 * @example
 * { localInterface: "Gi0/1/7", chassisId: "10.10.0.1", portId: "C8F9F9D61BC2:P1", portDescription: "SW PORT",
 *   systemName: "SEPC8F9F9D61BC2", systemDescription: "Cisco IP Phone 7962G,V12, SCCP42.9-3-1ES27S",
 *   timeRemainingSeconds: 127, systemCapabilities: ["B", "T"], enabledCapabilities: ["B", "T"],
 *   managementAddresses: [{ type: "IP", address: "10.10.0.1" }], autoNegotiation: "supported, enabled",
 *   physicalMediaCapabilities: ["1000baseT(HD)", …], mauType: "16", vlanId: null, peerSourceMac: null,
 *   poe: null,
 *   med: { capabilities: ["NP", "PD", "IN"], deviceType: "Endpoint Class III", model: "CP-7962G", …,
 *          networkPolicies: [{ application: "Voice", vlanId: 10, tagged: true, l2Priority: 5, dscp: 46 }, …],
 *          power: { deviceType: "PD", source: "Unknown", priority: "Unknown", watts: 6.3 } },
 *   other: {} }
 */
export interface LldpNeighbor {
  /** Null on releases that do not print `Local Intf:` (ntc cisco_ios_show_lldp_neighbors_detail5.raw). */
  localInterface: string | null;
  chassisId: string;
  portId: string;
  portDescription: string | null;
  systemName: string | null;
  /** All lines of the description, joined with "\n". */
  systemDescription: string | null;
  timeRemainingSeconds: number | null;
  systemCapabilities: string[];
  enabledCapabilities: string[];
  /** `IP` and `IPV6` entries; the OID that some devices add after an address is left out. */
  managementAddresses: { type: string; address: string }[];
  autoNegotiation: string | null;
  physicalMediaCapabilities: string[];
  mauType: string | null;
  /** The port VLAN ID TLV; null when `- not advertised`. */
  vlanId: number | null;
  /** `Peer Source MAC:` (IOS-XE 17.x, ntc …_detail_01.raw). */
  peerSourceMac: string | null;
  /** 802.3 Power-via-MDI TLV; null when not advertised. */
  poe: LldpPoe | null;
  /** LLDP-MED TLVs (`MED Information:`); null when the neighbour sent none. */
  med: LldpMed | null;
  /** Other `key: value` lines, by key as printed. */
  other: Record<string, string>;
}

type Section = "top" | "description" | "media" | "addresses" | "poe" | "med";

const SEPARATOR = /^-{10,}$/;
const NOT_ADVERTISED = /^(.+?):?\s+-\s+not advertised$/;
/** `Auto Negotiation - supported, enabled`: the one top-level line that uses a dash instead of a colon. */
const DASHED = /^(Auto Negotiation)\s+-\s+(.+)$/;

/** `key: value`, `key - not advertised` (value null) or the dashed form; null for anything else. */
function field(t: string): { key: string; value: string | null } | null {
  const na = NOT_ADVERTISED.exec(t);
  if (na) return { key: na[1] as string, value: null };
  const dashed = DASHED.exec(t);
  if (dashed) return { key: dashed[1] as string, value: dashed[2] as string };
  const kv = keyValue(t);
  return kv ? { key: kv.key, value: kv.value === "" ? null : kv.value } : null;
}
const caps = (v: string): string[] =>
  v
    .split(",")
    .map((c) => c.trim())
    .filter((c) => c !== "");

function blank(): LldpNeighbor {
  return {
    localInterface: null,
    chassisId: "",
    portId: "",
    portDescription: null,
    systemName: null,
    systemDescription: null,
    timeRemainingSeconds: null,
    systemCapabilities: [],
    enabledCapabilities: [],
    managementAddresses: [],
    autoNegotiation: null,
    physicalMediaCapabilities: [],
    mauType: null,
    vlanId: null,
    peerSourceMac: null,
    poe: null,
    med: null,
    other: {},
  };
}

/** A top-level `key: value` (or `key - not advertised`) line; returns the section that follows it. */
function applyTop(n: LldpNeighbor, line: Line, key: string, value: string | null): Section {
  const v = value ?? "";
  switch (key) {
    case "Local Intf":
      n.localInterface = value;
      return "top";
    case "Chassis id":
      n.chassisId = v;
      return "top";
    case "Port id":
      n.portId = v;
      return "top";
    case "Port Description":
      n.portDescription = value;
      return "top";
    case "System Name":
      n.systemName = value;
      return "top";
    case "System Description":
      n.systemDescription = value;
      return value === null && !NOT_ADVERTISED.test(line.text.trim()) ? "description" : "top";
    case "Time remaining":
      n.timeRemainingSeconds = intOrNull(/^(\d+)/.exec(v)?.[1]);
      return "top";
    case "System Capabilities":
      n.systemCapabilities = caps(v);
      return "top";
    case "Enabled Capabilities":
      n.enabledCapabilities = caps(v);
      return "top";
    case "Management Addresses":
      return value === null && !NOT_ADVERTISED.test(line.text.trim()) ? "addresses" : "top";
    case "Auto Negotiation":
      n.autoNegotiation = value;
      return "top";
    case "Physical media capabilities":
      return value === null && !NOT_ADVERTISED.test(line.text.trim()) ? "media" : "top";
    case "Media Attachment Unit type":
      n.mauType = value;
      return "top";
    case "Vlan ID":
      n.vlanId = intOrNull(v);
      return "top";
    case "Peer Source MAC":
      n.peerSourceMac = value;
      return "top";
    // 802.3at `PoE+ Power-via-MDI TLV:` (ntc …_detail1.raw) and the older `Power via MDI:` (…_detail5.raw).
    case "PoE+ Power-via-MDI TLV":
    case "Power via MDI":
      n.poe = {
        powerPair: null,
        powerClass: null,
        deviceType: null,
        source: null,
        priority: null,
        requestedMw: null,
        allocatedMw: null,
      };
      return "poe";
    case "MED Information":
      n.med = newMed();
      return "med";
    default:
      if (value !== null) n.other[key] = value;
      return "top";
  }
}

function applyPoe(poe: LldpPoe, key: string, value: string): boolean {
  const mw = intOrNull(/^(\d+)\s*mW$/.exec(value)?.[1]);
  if (key === "Power Pair") poe.powerPair = value;
  else if (key === "Power Class") poe.powerClass = value.replace(/^Class\s+/i, "");
  else if (key === "Power Device Type") poe.deviceType = value;
  else if (key === "Power Source") poe.source = value;
  else if (key === "Power Priority") poe.priority = value;
  else if (key === "Power Requested") poe.requestedMw = mw;
  else if (key === "Power Allocated") poe.allocatedMw = mw;
  else return false;
  return true;
}

/** One line inside an indented sub-section; false when the line ends the section. */
function applySection(n: LldpNeighbor, section: Section, line: Line): boolean {
  const t = line.text.trim();
  if (section === "description") {
    if (t === "") return false;
    n.systemDescription = n.systemDescription === null ? t : `${n.systemDescription}\n${t}`;
    return true;
  }
  // Blank lines separate the parts of `MED Information:`; only an unindented line ends a sub-section.
  if (t === "") return true;
  if (!/^\s/.test(line.text)) return false;
  if (section === "media") n.physicalMediaCapabilities.push(t);
  else if (section === "addresses") {
    const kv = keyValue(t);
    if (kv && kv.value !== "" && kv.key !== "OID")
      n.managementAddresses.push({ type: kv.key, address: kv.value });
    else if (!kv && !/^[\d.]+$/.test(t)) throw unrecognised(COMMAND, line); // OID digits wrap under `OID:`
  } else if (section === "poe") {
    const kv = keyValue(t);
    if (!kv || !n.poe || !applyPoe(n.poe, kv.key, kv.value)) throw unrecognised(COMMAND, line);
  } else if (section === "med") {
    if (!n.med || !applyMedLine(n.med, t)) throw unrecognised(COMMAND, line);
  }
  return true;
}

export function parseShowLldpNeighborsDetail(text: string): LldpNeighbor[] {
  const lines = prepare(COMMAND, text, true);
  const out: LldpNeighbor[] = [];
  let n: LldpNeighbor | null = null;
  let section: Section = "top";
  let total: { count: number; line: Line } | null = null;
  for (const line of lines) {
    const t = line.text.trim();
    if (section !== "top" && n && applySection(n, section, line)) continue;
    section = "top";
    if (t === "") continue;
    if (SEPARATOR.test(t)) {
      n = null;
      continue;
    }
    const totalMatch = /^Total entries displayed:\s*(\d+)$/.exec(t);
    if (totalMatch) {
      total = { count: Number(totalMatch[1]), line };
      continue;
    }
    const kv = field(t);
    if (!kv) throw unrecognised(COMMAND, line);
    // A new neighbour starts at a separator, or at `Local Intf`/`Chassis id` when none precedes
    // (ntc …_detail3.raw has no separator at all).
    if (
      !n ||
      (kv.key === "Local Intf" && (n.chassisId !== "" || n.localInterface !== null)) ||
      (kv.key === "Chassis id" && n.chassisId !== "")
    ) {
      n = blank();
      out.push(n);
    }
    section = applyTop(n, line, kv.key, kv.value);
  }
  for (const neighbour of out)
    if (neighbour.chassisId === "" || neighbour.portId === "")
      throw new ParseError(
        "PK_ERR_PARSE_UNRECOGNISED",
        COMMAND,
        null,
        "a neighbour without `Chassis id`/`Port id`",
      );
  if (total && total.count !== out.length)
    throw new ParseError(
      "PK_ERR_PARSE_UNRECOGNISED",
      COMMAND,
      total.line.n,
      `the device counts ${total.count} entries, ${out.length} were read`,
    );
  return out;
}
