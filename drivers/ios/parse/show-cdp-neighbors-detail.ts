import { intOrNull, keyValue, type Line, numOrNull, ParseError, prepare, unrecognised } from "./common.js";

const COMMAND = "show cdp neighbors detail";

/**
 * One neighbour of `show cdp neighbors detail`.
 *
 * @example
 * { deviceId: "SEP001122334455", entryAddresses: ["10.20.0.15"], platform: "Cisco IP Phone 7962",
 *   capabilities: ["Host", "Phone", "Two-port Mac Relay"], localInterface: "GigabitEthernet1/0/5",
 *   portId: "Port 1", holdtimeSeconds: 135, version: "SCCP42.9-4-2SR1-1S", advertisementVersion: 2,
 *   vtpManagementDomain: null, nativeVlan: null, duplex: "full", powerDrawnWatts: 6.3,
 *   managementAddresses: [], other: { "Second Port Status": "Up" } }
 */
export interface CdpNeighbor {
  deviceId: string;
  /** `Entry address(es):` — IPv4 and IPv6 addresses, without the `(link-local)` note. */
  entryAddresses: string[];
  /** Trimmed: `Platform: Cisco ,  Capabilities: …` (vIOS-L2 in ntc …_cdp_neighbors_detail.raw) reads "Cisco". */
  platform: string;
  /** `Two-port Mac Relay` is one capability; the others are single words. */
  capabilities: string[];
  localInterface: string;
  /** `Port ID (outgoing port)`: the neighbour's interface. */
  portId: string;
  holdtimeSeconds: number | null;
  /** The `Version :` text, all lines joined with "\n". */
  version: string | null;
  advertisementVersion: number | null;
  /** Null when absent or printed as `''`. */
  vtpManagementDomain: string | null;
  nativeVlan: number | null;
  duplex: string | null;
  /** `Power drawn: 6.300 Watts` (IP phones). */
  powerDrawnWatts: number | null;
  /** `Management address(es):` — may be empty even when entry addresses exist (ce-router in the ntc fixture). */
  managementAddresses: string[];
  /** Other `key: value` lines, by key as printed. */
  other: Record<string, string>;
}

type Section = "top" | "entry" | "management" | "version" | "indented";

const SEPARATOR = /^-{10,}$/;
const PLATFORM = /^Platform:\s*(.*?),\s+Capabilities:\s*(.*)$/;
const INTERFACE = /^Interface:\s*(.*?),\s+Port ID \(outgoing port\):\s*(.*)$/;
const ADDRESS = /^(?:IP|IPv6|IPX|CLNS|DECnet|AppleTalk) address:\s*(\S+)/i;
const TOTAL = /^Total cdp entries displayed\s*:\s*(\d+)$/;

function capabilitiesOf(text: string): string[] {
  const out: string[] = [];
  const rest = text.replace(/Two-port Mac Relay/g, () => {
    out.push("Two-port Mac Relay");
    return " ";
  });
  return [...rest.split(/\s+/).filter((c) => c !== ""), ...out];
}

function blank(deviceId: string): CdpNeighbor {
  return {
    deviceId,
    entryAddresses: [],
    platform: "",
    capabilities: [],
    localInterface: "",
    portId: "",
    holdtimeSeconds: null,
    version: null,
    advertisementVersion: null,
    vtpManagementDomain: null,
    nativeVlan: null,
    duplex: null,
    powerDrawnWatts: null,
    managementAddresses: [],
    other: {},
  };
}

/** A top-level line of a neighbour; returns the section that the following lines belong to. */
function applyTop(n: CdpNeighbor, line: Line): Section {
  const t = line.text.trim();
  const platform = PLATFORM.exec(t);
  const iface = INTERFACE.exec(t);
  if (platform) {
    n.platform = (platform[1] as string).trim();
    n.capabilities = capabilitiesOf(platform[2] as string);
  } else if (iface) {
    n.localInterface = iface[1] as string;
    n.portId = iface[2] as string;
  } else if (/^Entry address\(es\)\s*:\s*$/.test(t)) return "entry";
  else if (/^Management address\(es\)\s*:\s*$/.test(t)) return "management";
  else if (/^Version\s*:\s*$/.test(t)) return "version";
  else {
    const kv = keyValue(t);
    if (!kv) throw unrecognised(COMMAND, line);
    if (kv.key === "Holdtime") n.holdtimeSeconds = intOrNull(/^(\d+)/.exec(kv.value)?.[1]);
    else if (kv.key === "advertisement version") n.advertisementVersion = intOrNull(kv.value);
    else if (kv.key === "VTP Management Domain")
      n.vtpManagementDomain = kv.value.replace(/^'(.*)'$/, "$1") || null;
    else if (kv.key === "Native VLAN") n.nativeVlan = intOrNull(kv.value);
    else if (kv.key === "Duplex") n.duplex = kv.value;
    else if (kv.key === "Power drawn") n.powerDrawnWatts = numOrNull(/^([\d.]+)/.exec(kv.value)?.[1]);
    else if (kv.value === "")
      return "indented"; // e.g. `Power Available TLV:` with indented lines below
    else n.other[kv.key] = kv.value;
  }
  return "top";
}

/** A line inside a section; false when it ends the section (and must be read as a top-level line). */
function applySection(n: CdpNeighbor, section: Section, line: Line): boolean {
  const t = line.text.trim();
  if (section === "version") {
    if (t === "") return false;
    n.version = n.version === null ? t : `${n.version}\n${t}`;
    return true;
  }
  const address = ADDRESS.exec(t);
  if ((section === "entry" || section === "management") && address) {
    (section === "entry" ? n.entryAddresses : n.managementAddresses).push(address[1] as string);
    return true;
  }
  if (section === "indented" && /^\s/.test(line.text) && t !== "") {
    const kv = keyValue(t);
    if (kv) n.other[kv.key] = kv.value;
    return true;
  }
  return false;
}

export function parseShowCdpNeighborsDetail(text: string): CdpNeighbor[] {
  const lines = prepare(COMMAND, text, true);
  const out: CdpNeighbor[] = [];
  let n: CdpNeighbor | null = null;
  let section: Section = "top";
  let total: { count: number; line: Line } | null = null;
  for (const line of lines) {
    const t = line.text.trim();
    if (n && section !== "top" && applySection(n, section, line)) continue;
    section = "top";
    if (t === "" || SEPARATOR.test(t)) continue;
    const device = /^Device ID\s*:\s*(.+)$/.exec(t);
    const count = TOTAL.exec(t);
    if (device) {
      n = blank(device[1] as string);
      out.push(n);
    } else if (count) total = { count: Number(count[1]), line };
    else if (!n) throw unrecognised(COMMAND, line, "expected `Device ID:` first");
    else section = applyTop(n, line);
  }
  for (const neighbour of out)
    if (neighbour.localInterface === "" || neighbour.portId === "")
      throw new ParseError(
        "PK_ERR_PARSE_UNRECOGNISED",
        COMMAND,
        null,
        `${neighbour.deviceId}: no \`Interface: …, Port ID (outgoing port): …\` line`,
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
