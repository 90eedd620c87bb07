import type { DeviceTimeZone } from "../clock.js";
import type { CfgNode } from "./config-tree.js";
import type { Hardware, PhysicalPort } from "./hardware.js";
import { shortName } from "./interfaces.js";

/**
 * What the device is doing, read from its running configuration and nothing else: the lab keeps no
 * second copy of the truth, so whatever a show command or an SNMP object reports follows from the lines
 * of `show running-config` (and from what is plugged in: phones, the uplink).
 */

export interface PortState {
  name: string;
  short: string;
  physical: PhysicalPort | null;
  ifIndex: number;
  description: string | null;
  shutdown: boolean;
  /** Switch ports: `access`, `trunk`, `dynamic auto` (the 2960-X and 9000 default), `dynamic desirable`. */
  mode: string;
  accessVlan: number;
  voice: { kind: "vlan"; vlan: number } | { kind: "dot1p" | "untagged" | "none" };
  /** IOS VLAN list, or "ALL". */
  trunkAllowed: string;
  nativeVlan: number;
  poe: "auto" | "static" | "never";
  networkPolicy: number | null;
  mlsTrust: string | null;
  mlsTrustDevice: string | null;
  trustDevice: string | null;
  autoQos: string | null;
  ip: { address: string; mask: string } | null;
  dot1q: number | null;
}

export interface DhcpPool {
  name: string;
  network: string | null;
  mask: string | null;
  defaultRouter: string | null;
}

export interface DeviceState {
  hostname: string;
  domain: string | null;
  users: Map<string, { privilege: number; secret: string }>;
  enableSecret: string | null;
  /** `aaa authorization exec default local`: a local user's privilege applies at login (and to SCP). */
  authorization: boolean;
  scp: boolean;
  archive: { path: string | null; maximum: number; writeMemory: boolean } | null;
  filePromptQuiet: boolean;
  tz: DeviceTimeZone;
  location: string | null;
  communities: string[];
  mlsQos: boolean;
  lldp: boolean;
  cdp: boolean;
  vlans: Map<number, string>;
  netpol: Map<
    number,
    { voice: { vlan: number; cos: number } | null; signaling: { vlan: number; cos: number } | null }
  >;
  ports: PortState[];
  dhcpPools: DhcpPool[];
  dhcpExcluded: [string, string][];
}

const words = (text: string) => text.split(" ");
const child = (n: CfgNode | undefined, prefix: string) =>
  n?.children.find((c) => c.text.startsWith(prefix))?.text;
const arg = (n: CfgNode | undefined, prefix: string) => {
  const t = child(n, prefix);
  return t === undefined ? undefined : t.slice(prefix.length).trim();
};

/** IOS's default VLANs: 1 and the four legacy FDDI/Token Ring VLANs (`show vlan brief`, act/unsup). */
export const defaultVlans: [number, string][] = [
  [1, "default"],
  [1002, "fddi-default"],
  [1003, "token-ring-default"],
  [1004, "fddinet-default"],
  [1005, "trnet-default"],
];

function port(n: CfgNode, hw: Hardware, ifIndex: (name: string) => number): PortState {
  const name = n.text.slice("interface ".length);
  const physical = hw.ports.find((p) => p.name === name) ?? null;
  const voice = arg(n, "switchport voice vlan ");
  const ip = arg(n, "ip address ");
  const [address, mask] = ip && ip !== "negotiated" ? words(ip) : [];
  return {
    name,
    short: shortName(name),
    physical,
    ifIndex: ifIndex(name),
    description: arg(n, "description ") ?? null,
    shutdown: child(n, "shutdown") !== undefined,
    mode: arg(n, "switchport mode ") ?? "dynamic auto",
    accessVlan: Number(arg(n, "switchport access vlan ") ?? 1),
    voice:
      voice === undefined
        ? { kind: "none" }
        : voice === "dot1p" || voice === "untagged"
          ? { kind: voice }
          : { kind: "vlan", vlan: Number(voice) },
    trunkAllowed: arg(n, "switchport trunk allowed vlan ") ?? "ALL",
    nativeVlan: Number(arg(n, "switchport trunk native vlan ") ?? 1),
    poe: (words(arg(n, "power inline ") ?? "auto")[0] as PortState["poe"]) ?? "auto",
    networkPolicy: arg(n, "network-policy ") === undefined ? null : Number(arg(n, "network-policy ")),
    mlsTrust:
      n.children.map((c) => /^mls qos trust (cos|dscp|ip-precedence)$/.exec(c.text)?.[1]).find((t) => t) ??
      null,
    mlsTrustDevice: arg(n, "mls qos trust device ") ?? null,
    trustDevice: arg(n, "trust device ") ?? null,
    autoQos: arg(n, "auto qos ") ?? null,
    ip: address && mask ? { address, mask } : null,
    dot1q:
      arg(n, "encapsulation dot1Q ") === undefined
        ? null
        : Number(words(arg(n, "encapsulation dot1Q ") ?? "")[0]),
  };
}

function timeZone(root: CfgNode): DeviceTimeZone {
  const tz = arg(root, "clock timezone ");
  if (!tz) return { name: "UTC", offsetMinutes: 0, summer: null };
  const [name = "UTC", h = "0", m = "0"] = words(tz);
  const summer = arg(root, "clock summer-time ");
  const hours = Number(h);
  return {
    name,
    offsetMinutes: hours * 60 + Math.sign(hours || 1) * Number(m),
    summer: summer ? { name: words(summer)[0] as string } : null,
  };
}

export function deviceState(root: CfgNode, hw: Hardware, ifIndex: (name: string) => number): DeviceState {
  const top = root.children;
  const users = new Map<string, { privilege: number; secret: string }>();
  for (const t of top.map((c) => c.text).filter((t) => t.startsWith("username "))) {
    const m = /^username (\S+)(?: privilege (\d+))? secret (\d) (\S+)$/.exec(t);
    if (m) users.set(m[1] as string, { privilege: Number(m[2] ?? 1), secret: `${m[3]} ${m[4]}` });
  }
  const archiveNode = top.find((c) => c.text === "archive");
  const vlans = new Map<number, string>(hw.kind === "router" ? [] : defaultVlans);
  const netpol: DeviceState["netpol"] = new Map();
  for (const c of top) {
    const v = /^vlan (\d+)$/.exec(c.text);
    if (v) vlans.set(Number(v[1]), arg(c, "name ") ?? `VLAN${(v[1] as string).padStart(4, "0")}`);
    const np = /^network-policy profile (\d+)$/.exec(c.text);
    if (np) {
      const read = (prefix: string) => {
        const m = /^(\d+)(?: cos (\d))?$/.exec(arg(c, prefix) ?? "");
        return m
          ? { vlan: Number(m[1]), cos: Number(m[2] ?? (prefix.startsWith("voice vlan") ? 5 : 3)) }
          : null;
      };
      netpol.set(Number(np[1]), { voice: read("voice vlan "), signaling: read("voice-signaling vlan ") });
    }
  }
  return {
    hostname: arg(root, "hostname ") ?? (hw.kind === "router" ? "Router" : "Switch"),
    domain: arg(root, "ip domain name ") ?? null,
    users,
    enableSecret: arg(root, "enable secret ") ?? null,
    authorization: child(root, "aaa authorization exec default local") !== undefined,
    scp: child(root, "ip scp server enable") !== undefined,
    archive: archiveNode
      ? {
          path: arg(archiveNode, "path ") ?? null,
          maximum: Number(arg(archiveNode, "maximum ") ?? 10),
          writeMemory: child(archiveNode, "write-memory") !== undefined,
        }
      : null,
    filePromptQuiet: child(root, "file prompt quiet") !== undefined,
    tz: timeZone(root),
    location: arg(root, "snmp-server location ") ?? null,
    communities: top
      .map((c) => /^snmp-server community (\S+)/.exec(c.text)?.[1])
      .filter((c): c is string => c !== undefined),
    mlsQos: child(root, "mls qos") === "mls qos",
    lldp: child(root, "lldp run") !== undefined,
    cdp: child(root, "no cdp run") === undefined,
    vlans,
    netpol,
    ports: top.filter((c) => c.text.startsWith("interface ")).map((c) => port(c, hw, ifIndex)),
    dhcpPools: top
      .filter((c) => c.text.startsWith("ip dhcp pool "))
      .map((c) => {
        const [network = null, mask = null] = arg(c, "network ")?.split(" ") ?? [];
        return {
          name: c.text.slice("ip dhcp pool ".length),
          network,
          mask,
          defaultRouter: arg(c, "default-router ")?.split(" ")[0] ?? null,
        };
      }),
    dhcpExcluded: top
      .map((c) => /^ip dhcp excluded-address (\S+)(?: (\S+))?$/.exec(c.text))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1] as string, (m[2] ?? m[1]) as string]),
  };
}
