/**
 * How each ntc-templates oracle (`*.yml` parsed_sample) maps onto patchkast's parse: per command, which of
 * our records line up with the oracle's records (same order, same count) and, per oracle field, which of our
 * fields holds the same value and how it is written in the oracle's string form. Every oracle field must be
 * listed, so nothing the oracle knows is skipped silently.
 *
 * Conventions: the oracle writes "" where we write null, numbers as strings ("30.0"), lists as arrays;
 * oracle strings are compared trimmed (TextFSM keeps the blank in `Platform: Cisco ,`, we trim it).
 * Interface names are compared as printed: in every fixture here both sides use the device's spelling.
 */

import type { ShowArchive } from "../../drivers/ios/parse/show-archive.js";
import type { CdpNeighbor } from "../../drivers/ios/parse/show-cdp-neighbors-detail.js";
import type { InterfaceStatus } from "../../drivers/ios/parse/show-interfaces-status.js";
import type { SwitchportInterface } from "../../drivers/ios/parse/show-interfaces-switchport.js";
import type { InventoryItem } from "../../drivers/ios/parse/show-inventory.js";
import type { DhcpBinding } from "../../drivers/ios/parse/show-ip-dhcp-binding.js";
import type { NatEndpoint, NatTranslation } from "../../drivers/ios/parse/show-ip-nat-translations.js";
import type { LldpNeighbor } from "../../drivers/ios/parse/show-lldp-neighbors-detail.js";
import type { ShowPowerInline } from "../../drivers/ios/parse/show-power-inline.js";
import type { ShowVersion } from "../../drivers/ios/parse/show-version.js";

/** Our value in the oracle's form; `num` compares numerically ("30.0" = 30), "" = null. */
export interface FieldMap {
  ours: (record: unknown) => unknown;
  num?: true;
}

export interface NtcMap {
  records: (parsed: unknown) => unknown[];
  fields: Record<string, FieldMap>;
}

const s = (v: string | number | null | undefined): string => (v === null || v === undefined ? "" : String(v));
const f = <R>(ours: (r: R) => unknown, num?: true): FieldMap => ({ ours: (r) => ours(r as R), num });
const recs =
  <P>(fn: (parsed: P) => unknown[]) =>
  (parsed: unknown) =>
    fn(parsed as P);
const firstLine = (text: string | null) => s(text?.split("\n")[0]);
const zeroAsEmpty = (n: number) => (n === 0 ? "" : String(n));

const version: NtcMap = {
  records: recs((v: ShowVersion) => [v]),
  fields: {
    config_register: f<ShowVersion>((v) => s(v.configRegister)),
    // One model per stack member when the output lists members, else the processor-line model.
    hardware: f<ShowVersion>((v) =>
      v.members.length > 0 ? v.members.map((m) => s(m.model)) : [s(v.platform)],
    ),
    hostname: f<ShowVersion>((v) => v.hostname),
    mac_address: f<ShowVersion>((v) => v.members.map((m) => m.macAddress).filter((m) => m !== null)),
    release: f<ShowVersion>((v) => s(v.release)),
    reload_reason: f<ShowVersion>((v) => s(v.reloadReason)),
    restarted: f<ShowVersion>((v) => s(v.restartedAt)),
    // TextFSM keeps the first word of `ROM: …` ("IOS-XE" of "IOS-XE ROMMON"); we keep the whole line.
    rommon: f<ShowVersion>((v) => s(v.rom?.split(" ")[0])),
    // The oracle drops the file system (`flash:`, `bootflash:`, `flash0:`) from the image path.
    running_image: f<ShowVersion>((v) => s(v.systemImage?.replace(/^[\w-]+:/, ""))),
    serial: f<ShowVersion>((v) =>
      v.members.length > 0 ? v.members.map((m) => s(m.serialNumber)) : [s(v.processorBoardId)],
    ),
    software_image: f<ShowVersion>((v) => s(v.softwareImage)),
    uptime: f<ShowVersion>((v) => v.uptime),
    // The oracle leaves a unit empty when the uptime does not mention it; we count it as 0.
    uptime_years: f<ShowVersion>((v) => zeroAsEmpty(v.uptimeParts.years)),
    uptime_weeks: f<ShowVersion>((v) => zeroAsEmpty(v.uptimeParts.weeks)),
    uptime_days: f<ShowVersion>((v) => zeroAsEmpty(v.uptimeParts.days)),
    uptime_hours: f<ShowVersion>((v) => zeroAsEmpty(v.uptimeParts.hours)),
    uptime_minutes: f<ShowVersion>((v) => zeroAsEmpty(v.uptimeParts.minutes)),
    version: f<ShowVersion>((v) => v.version),
  },
};

const inventory: NtcMap = {
  records: recs((items: InventoryItem[]) => items),
  fields: {
    name: f<InventoryItem>((i) => i.name),
    descr: f<InventoryItem>((i) => i.description),
    pid: f<InventoryItem>((i) => s(i.pid)),
    vid: f<InventoryItem>((i) => s(i.vid)),
    sn: f<InventoryItem>((i) => s(i.serialNumber)),
  },
};

const status: NtcMap = {
  records: recs((rows: InterfaceStatus[]) => rows),
  fields: {
    port: f<InterfaceStatus>((r) => r.port),
    name: f<InterfaceStatus>((r) => s(r.name)),
    status: f<InterfaceStatus>((r) => r.status),
    vlan_id: f<InterfaceStatus>((r) => s(r.vlan)),
    duplex: f<InterfaceStatus>((r) => s(r.duplex)),
    speed: f<InterfaceStatus>((r) => s(r.speed)),
    type: f<InterfaceStatus>((r) => s(r.type)),
    fc_mode: f<InterfaceStatus>((r) => s(r.fcMode)),
  },
};

const switchport: NtcMap = {
  records: recs((rows: SwitchportInterface[]) => rows),
  fields: {
    interface: f<SwitchportInterface>((r) => r.interface),
    switchport: f<SwitchportInterface>((r) => (r.switchport ? "Enabled" : "Disabled")),
    switchport_monitor: f<SwitchportInterface>((r) => s(r.monitor)),
    switchport_negotiation: f<SwitchportInterface>((r) =>
      r.negotiation === null ? "" : r.negotiation ? "On" : "Off",
    ),
    mode: f<SwitchportInterface>((r) => s(r.operMode)),
    admin_mode: f<SwitchportInterface>((r) => s(r.adminMode)),
    access_vlan: f<SwitchportInterface>((r) => s(r.accessVlan?.id)),
    native_vlan: f<SwitchportInterface>((r) => s(r.nativeVlan?.id)),
    voice_vlan: f<SwitchportInterface>((r) => (r.voiceVlan ? String(r.voiceVlan.id) : r.voiceVlanMode)),
    trunking_vlans: f<SwitchportInterface>((r) => s(r.trunkingVlans).split(",")),
  },
};

const power: NtcMap = {
  records: recs((p: ShowPowerInline) => p.ports),
  fields: {
    interface: f<ShowPowerInline["ports"][number]>((r) => r.interface),
    admin_status: f<ShowPowerInline["ports"][number]>((r) => r.admin),
    operational_status: f<ShowPowerInline["ports"][number]>((r) => r.oper),
    power: f<ShowPowerInline["ports"][number]>((r) => r.powerWatts, true),
    device: f<ShowPowerInline["ports"][number]>((r) => s(r.device)),
    class: f<ShowPowerInline["ports"][number]>((r) => s(r.class)),
    max: f<ShowPowerInline["ports"][number]>((r) => r.maxWatts, true),
  },
};

const med = (
  n: LldpNeighbor,
  k: "fwRevision" | "hwRevision" | "manufacturer" | "model" | "serialNumber" | "swRevision",
) => s(n.med?.[k]);
const poe = (n: LldpNeighbor, k: "powerClass" | "deviceType" | "powerPair" | "priority" | "source") =>
  s(n.poe?.[k]);

const lldp: NtcMap = {
  records: recs((rows: LldpNeighbor[]) => rows),
  fields: {
    // The oracle's `capabilities` is the *enabled* set (Aruba AP: system B,W, enabled W).
    capabilities: f<LldpNeighbor>((n) => n.enabledCapabilities.join(",")),
    chassis_id: f<LldpNeighbor>((n) => n.chassisId),
    fw_revision: f<LldpNeighbor>((n) => med(n, "fwRevision")),
    hw_revision: f<LldpNeighbor>((n) => med(n, "hwRevision")),
    local_interface: f<LldpNeighbor>((n) => s(n.localInterface)),
    mac_address: f<LldpNeighbor>((n) => s(n.peerSourceMac)),
    manufacturer: f<LldpNeighbor>((n) => med(n, "manufacturer")),
    mgmt_address: f<LldpNeighbor>((n) => s(n.managementAddresses.find((a) => a.type === "IP")?.address)),
    // TextFSM keeps the first line of a multi-line System Description; we keep all lines.
    neighbor_description: f<LldpNeighbor>((n) => firstLine(n.systemDescription)),
    neighbor_interface: f<LldpNeighbor>((n) => s(n.portDescription)),
    neighbor_name: f<LldpNeighbor>((n) => s(n.systemName)),
    neighbor_port_id: f<LldpNeighbor>((n) => n.portId),
    platform: f<LldpNeighbor>((n) => med(n, "model")),
    power_class: f<LldpNeighbor>((n) => poe(n, "powerClass")),
    power_device_type: f<LldpNeighbor>((n) => poe(n, "deviceType")),
    power_pair: f<LldpNeighbor>((n) => poe(n, "powerPair")),
    power_priority: f<LldpNeighbor>((n) => poe(n, "priority")),
    power_requested: f<LldpNeighbor>((n) => n.poe?.requestedMw ?? null, true),
    power_source: f<LldpNeighbor>((n) => poe(n, "source")),
    serial: f<LldpNeighbor>((n) => med(n, "serialNumber")),
    sw_revision: f<LldpNeighbor>((n) => med(n, "swRevision")),
    vlan_id: f<LldpNeighbor>((n) => s(n.vlanId)),
  },
};

const cdp: NtcMap = {
  records: recs((rows: CdpNeighbor[]) => rows),
  fields: {
    capabilities: f<CdpNeighbor>((n) => n.capabilities.join(" ")),
    local_interface: f<CdpNeighbor>((n) => n.localInterface),
    // The oracle takes the first `IP address:` in the entry, whichever list it is in: ce-router and server
    // advertise an empty `Management address(es):` and are reached by their entry address.
    mgmt_address: f<CdpNeighbor>((n) => s(n.managementAddresses[0] ?? n.entryAddresses[0])),
    neighbor_description: f<CdpNeighbor>((n) => firstLine(n.version)),
    neighbor_interface: f<CdpNeighbor>((n) => n.portId),
    neighbor_name: f<CdpNeighbor>((n) => n.deviceId),
    platform: f<CdpNeighbor>((n) => n.platform),
  },
};

const archive: NtcMap = {
  records: recs((a: ShowArchive) => [a]),
  fields: {
    state: f<ShowArchive>((a) => (a.enabled ? "enabled" : "not enabled")),
    next_filename: f<ShowArchive>((a) => s(a.nextFilename)),
    filenames: f<ShowArchive>((a) => a.archives.map((x) => x.filename)),
    current_index: f<ShowArchive>((a) => s(a.archives.find((x) => x.mostRecent)?.index)),
  },
};

const dhcp: NtcMap = {
  records: recs((rows: DhcpBinding[]) => rows),
  fields: {
    ip_address: f<DhcpBinding>((b) => b.ipAddress),
    hardware_address: f<DhcpBinding>((b) => b.clientId),
    expiration: f<DhcpBinding>((b) => b.leaseExpiration),
    type: f<DhcpBinding>((b) => b.type),
  },
};

const ip = (e: NatEndpoint | null) => (e === null ? "---" : e.ip);
const port = (e: NatEndpoint | null) => s(e?.port);
const nat: NtcMap = {
  records: recs((rows: NatTranslation[]) => rows),
  fields: {
    protocol: f<NatTranslation>((t) => t.protocol ?? "---"),
    inside_global_ip: f<NatTranslation>((t) => ip(t.insideGlobal)),
    inside_global_port: f<NatTranslation>((t) => port(t.insideGlobal)),
    inside_local_ip: f<NatTranslation>((t) => ip(t.insideLocal)),
    inside_local_port: f<NatTranslation>((t) => port(t.insideLocal)),
    outside_local_ip: f<NatTranslation>((t) => ip(t.outsideLocal)),
    outside_local_port: f<NatTranslation>((t) => port(t.outsideLocal)),
    outside_global_ip: f<NatTranslation>((t) => ip(t.outsideGlobal)),
    outside_global_port: f<NatTranslation>((t) => port(t.outsideGlobal)),
  },
};

/** Folder name under cli/cisco_ios → mapping. */
export const ntcMaps: Record<string, NtcMap> = {
  show_version: version,
  show_inventory: inventory,
  show_interfaces_status: status,
  show_interfaces_switchport: switchport,
  show_power_inline: power,
  show_lldp_neighbors_detail: lldp,
  show_cdp_neighbors_detail: cdp,
  show_archive: archive,
  show_ip_dhcp_binding: dhcp,
  show_ip_nat_translations: nat,
};
