import type { IosDevice } from "../device.js";
import { shortName } from "../interfaces.js";

/**
 * `show lldp neighbors detail` and `show cdp neighbors detail`, entry by entry as in
 * ../shared/field/cli/cisco_ios/show_lldp_neighbors_detail (the Cisco 7962G with its LLDP-MED network
 * policies in …detail3.raw, `Peer Source MAC` on IOS-XE in …detail_01.raw) and
 * show_cdp_neighbors_detail/cisco_ios_show_cdp_neighbors_detail.raw.
 */

export function showLldpNeighborsDetail(dev: IosDevice, only?: string): string {
  if (!dev.state().lldp) return "% LLDP is not enabled\n";
  const entries = dev.surroundings.lldp().filter((n) => !only || n.localPort === only);
  const out: string[] = [];
  for (const n of entries) {
    out.push(
      "------------------------------------------------",
      `Local Intf: ${shortName(n.localPort)}`,
      `Chassis id: ${n.chassisId}`,
      `Port id: ${n.portId}`,
      `Port Description: ${n.portDescription}`,
      `System Name: ${n.systemName}`,
      "",
      "System Description: ",
      n.systemDescription,
      "",
      "Time remaining: 113 seconds",
      `System Capabilities: ${n.capabilities.join(",")}`,
      `Enabled Capabilities: ${n.capabilities.join(",")}`,
    );
    if (n.managementIp) out.push("Management Addresses:", `    IP: ${n.managementIp}`);
    else out.push("Management Addresses - not advertised");
    out.push(
      "Auto Negotiation - supported, enabled",
      "Physical media capabilities:",
      "    100base-TX(FD)",
      "    100base-TX(HD)",
      "    10base-T(FD)",
      "    10base-T(HD)",
      "Media Attachment Unit type: 16",
      "Vlan ID: - not advertised",
    );
    if (dev.hw.os === "IOS-XE") out.push(`Peer Source MAC: ${n.peerMac}`);
    if (n.med) {
      const m = n.med;
      out.push(
        "",
        "MED Information:",
        "",
        "    MED Codes:",
        "          (NP) Network Policy, (LI) Location Identification",
        "          (PS) Power Source Entity, (PD) Power Device",
        "          (IN) Inventory",
        "",
        `    H/W revision: ${m.hwRevision}`,
        `    F/W revision: ${m.fwRevision}`,
        `    S/W revision: ${m.swRevision}`,
        `    Serial number: ${m.serial}`,
        `    Manufacturer: ${m.manufacturer}`,
        `    Model: ${m.model}`,
        "    Capabilities: NP, PD, IN",
        "    Device type: Endpoint Class III",
        ...m.policies.map(
          (p) =>
            `    Network Policy(${p.application}): VLAN ${p.vlan}, ${p.tagged ? "tagged" : "untagged"}, Layer-2 priority: ${p.l2Priority}, DSCP: ${p.dscp}`,
        ),
        `    PD device, Power source: Unknown, Power Priority: Unknown, Wattage: ${m.powerW.toFixed(1)}`,
        "    Location - not advertised",
      );
    }
    out.push("");
  }
  out.push("", `Total entries displayed: ${entries.length}`, "");
  return out.join("\n");
}

export function showCdpNeighborsDetail(dev: IosDevice, only?: string): string {
  if (!dev.state().cdp) return "% CDP is not enabled\n";
  const entries = dev.surroundings.cdp().filter((n) => !only || n.localPort === only);
  const out: string[] = [];
  for (const n of entries) {
    out.push("-------------------------", `Device ID: ${n.deviceId}`, "Entry address(es): ");
    if (n.address) out.push(`  IP address: ${n.address}`);
    out.push(
      `Platform: ${n.platform},  Capabilities: ${n.capabilities.join(" ")} `,
      `Interface: ${n.localPort},  Port ID (outgoing port): ${n.portId}`,
      "Holdtime : 164 sec",
      "",
      "Version :",
      n.version,
      "",
      "advertisement version: 2",
    );
    if (!n.capabilities.includes("Phone")) out.push("VTP Management Domain: ''");
    if (n.nativeVlan !== null) out.push(`Native VLAN: ${n.nativeVlan}`);
    out.push("Duplex: full");
    if (n.powerDrawnW !== null)
      out.push(
        `Power drawn: ${n.powerDrawnW.toFixed(3)} Watts`,
        "Power request id: 0, Power management id: 0",
        `Power request levels are:${Math.round(n.powerDrawnW * 1000)} 0 0 0 0 `,
      );
    out.push("Management address(es): ");
    if (n.address) out.push(`  IP address: ${n.address}`);
    out.push("");
  }
  out.push("", `Total cdp entries displayed : ${entries.length}`, "");
  return out.join("\n");
}
