/**
 * What is plugged into a device, as the device perceives it: link state per port, the power a powered
 * device draws, LLDP and CDP neighbours, DHCP leases it handed out. The lab computes these from the site
 * (phones on switch ports, the switch uplink on the router's LAN port) and from the configurations of
 * both ends; a device on its own has nothing plugged in.
 */

export interface MedPolicy {
  application: "Voice" | "Voice Signal";
  vlan: number;
  tagged: boolean;
  l2Priority: number;
  dscp: number;
}

export interface LldpInfo {
  localPort: string;
  /** MAC as `0015.654a.1001` (subtype MAC address) or an IP address (subtype network address). */
  chassisId: string;
  chassisIsMac: boolean;
  portId: string;
  portIsMac: boolean;
  portDescription: string;
  systemName: string;
  systemDescription: string;
  /** `B`, `T`, `R`… as `show lldp neighbors detail` lists them. */
  capabilities: string[];
  managementIp: string | null;
  peerMac: string;
  med: {
    hwRevision: string;
    fwRevision: string;
    swRevision: string;
    serial: string;
    manufacturer: string;
    model: string;
    policies: MedPolicy[];
    powerW: number;
  } | null;
}

export interface CdpInfo {
  localPort: string;
  deviceId: string;
  address: string | null;
  platform: string;
  /** `Router`, `Switch`, `IGMP`, `Host`, `Phone`… */
  capabilities: string[];
  portId: string;
  version: string;
  nativeVlan: number | null;
  /** The VoIP VLAN a phone asks for (cdpCacheVlanID). */
  voiceVlan: number | null;
  powerDrawnW: number | null;
}

export interface PoeDraw {
  /** `show power inline` Device column: `Ieee PD`, or the Cisco phone's model. */
  device: string;
  powerClass: number;
  watts: number;
}

export interface Lease {
  ip: string;
  mac: string;
  interface: string;
  expires: Date;
}

export interface Surroundings {
  linkUp(port: string): boolean;
  poe(port: string): PoeDraw | null;
  lldp(): LldpInfo[];
  cdp(): CdpInfo[];
  leases(): Lease[];
}

/** A device with nothing plugged in. */
export const isolated: Surroundings = {
  linkUp: () => false,
  poe: () => null,
  lldp: () => [],
  cdp: () => [],
  leases: () => [],
};
