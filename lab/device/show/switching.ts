import type { IosDevice } from "../device.js";
import type { PortState } from "../state.js";

/**
 * `show vlan brief`, `show interfaces switchport` and `show interfaces status`, in the layouts of the
 * real outputs in ../shared/field/cli/cisco_ios (ntc cisco_ios_show_interfaces_switchport*.raw with the
 * voice-VLAN case, cisco_ios_show_interfaces_status.raw column widths, genie ShowVlanBrief).
 */

export function switchPorts(dev: IosDevice): PortState[] {
  return dev
    .state()
    .ports.filter((p) => p.physical !== null)
    .sort((a, b) => (a.physical?.order ?? 0) - (b.physical?.order ?? 0));
}

export function portUp(dev: IosDevice, p: PortState): boolean {
  return !p.shutdown && dev.surroundings.linkUp(p.name);
}

/** Trunking now: `switchport mode trunk` with the link up. `dynamic auto` meets phones and a router, neither of which speaks DTP. */
export function trunking(dev: IosDevice, p: PortState): boolean {
  return p.mode === "trunk" && portUp(dev, p);
}

function vlanName(dev: IosDevice, id: number): string {
  return dev.state().vlans.get(id) ?? "Inactive";
}

export function showVlanBrief(dev: IosDevice): string {
  const s = dev.state();
  const members = new Map<number, string[]>();
  for (const p of switchPorts(dev)) {
    if (p.mode === "trunk") continue;
    const add = (v: number) => members.set(v, [...(members.get(v) ?? []), p.short]);
    if (s.vlans.has(p.accessVlan)) add(p.accessVlan);
    if (p.voice.kind === "vlan" && s.vlans.has(p.voice.vlan) && p.voice.vlan !== p.accessVlan)
      add(p.voice.vlan);
  }
  const out = [
    "VLAN Name                             Status    Ports",
    "---- -------------------------------- --------- -------------------------------",
  ];
  for (const [id, name] of [...s.vlans].sort((a, b) => a[0] - b[0])) {
    const status = id >= 1002 && id <= 1005 ? "act/unsup" : "active";
    const ports = members.get(id) ?? [];
    const chunks: string[] = [];
    for (let i = 0; i < ports.length; i += 4) chunks.push(ports.slice(i, i + 4).join(", "));
    out.push(
      `${String(id).padEnd(4)} ${name.slice(0, 32).padEnd(32)} ${status.padEnd(9)} ${chunks[0] ?? ""}`.trimEnd(),
    );
    for (const more of chunks.slice(1)) out.push(`${" ".repeat(48)}${more}`);
  }
  return `${out.join("\n")}\n`;
}

export function showInterfacesSwitchport(dev: IosDevice, only?: string): string {
  const blocks: string[] = [];
  for (const p of switchPorts(dev)) {
    if (only && p.name !== only) continue;
    const up = portUp(dev, p);
    const admin = p.mode === "access" ? "static access" : p.mode;
    const oper = !up ? "down" : p.mode === "trunk" ? "trunk" : "static access";
    const negotiation = p.mode === "trunk" || p.mode.startsWith("dynamic") ? "On" : "Off";
    const voice = p.voice.kind === "vlan" ? `${p.voice.vlan} (${vlanName(dev, p.voice.vlan)})` : p.voice.kind;
    const lines = [
      `Name: ${p.short}`,
      "Switchport: Enabled",
      `Administrative Mode: ${admin}`,
      `Operational Mode: ${oper}`,
      "Administrative Trunking Encapsulation: dot1q",
    ];
    if (up) lines.push(`Operational Trunking Encapsulation: ${oper === "trunk" ? "dot1q" : "native"}`);
    lines.push(
      `Negotiation of Trunking: ${negotiation}`,
      `Access Mode VLAN: ${p.accessVlan} (${vlanName(dev, p.accessVlan)})`,
      `Trunking Native Mode VLAN: ${p.nativeVlan} (${vlanName(dev, p.nativeVlan)})`,
      "Administrative Native VLAN tagging: enabled",
      `Voice VLAN: ${voice}`,
      "Administrative private-vlan host-association: none",
      "Administrative private-vlan mapping: none",
      "Administrative private-vlan trunk native VLAN: none",
      "Administrative private-vlan trunk Native VLAN tagging: enabled",
      "Administrative private-vlan trunk encapsulation: dot1q",
      "Administrative private-vlan trunk normal VLANs: none",
      "Administrative private-vlan trunk associations: none",
      "Administrative private-vlan trunk mappings: none",
      "Operational private-vlan: none",
      `Trunking VLANs Enabled: ${p.trunkAllowed}`,
      "Pruning VLANs Enabled: 2-1001",
      "Capture Mode Disabled",
      "Capture VLANs Allowed: ALL",
      "",
      "Protected: false",
      "Unknown unicast blocked: disabled",
      "Unknown multicast blocked: disabled",
      "Appliance trust: none",
      "",
    );
    blocks.push(lines.join("\n"));
  }
  return `${blocks.join("\n")}`;
}

export function showInterfacesStatus(dev: IosDevice): string {
  const out = ["", "Port      Name               Status       Vlan       Duplex  Speed Type"];
  for (const p of switchPorts(dev)) {
    const up = portUp(dev, p);
    const status = p.shutdown ? "disabled" : up ? "connected" : "notconnect";
    const vlan = p.mode === "trunk" ? "trunk" : String(p.accessVlan);
    const phy = p.physical;
    const sfp = phy?.media.includes("SFP") ?? false;
    const fast = (phy?.speedMbps ?? 1000) >= 10_000 ? "a-10G" : "a-1000";
    const speed = up ? (sfp || !dev.surroundings.poe(p.name) ? fast : "a-100") : "auto";
    const media = sfp && !up ? "Not Present" : (phy?.media ?? "");
    out.push(
      `${p.short.padEnd(10)}${(p.description ?? "").slice(0, 18).padEnd(19)}${status.padEnd(13)}${vlan.padEnd(10)}${(up ? "a-full" : "auto").padStart(7)} ${speed.padStart(6)} ${media}`.trimEnd(),
    );
  }
  return `${out.join("\n")}\n`;
}
