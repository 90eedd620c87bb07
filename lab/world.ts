import type { IosDevice } from "./device/device.js";
import type { CdpInfo, Lease, LldpInfo, PoeDraw, Surroundings } from "./device/surroundings.js";
import { type PhoneLink, phoneLink, type SimPhone } from "./phones.js";

/**
 * The lab's cabling: phones on their switch ports, every switch uplink on the router's LAN port (the
 * site file has one LAN port per router), and what follows from both ends' configurations — link state,
 * PoE, CDP and LLDP neighbours, and the DHCP leases the router's pools hand out to phones whose VLAN makes
 * it through the switch (voice VLAN exists, the trunk allows it) to a router sub-interface.
 */
export interface Cabling {
  router: IosDevice | null;
  routerLan: string | null;
  switches: { dev: IosDevice; uplink: string }[];
  phones: SimPhone[];
}

const up = (dev: IosDevice, port: string) => !dev.state().ports.find((p) => p.name === port)?.shutdown;
const fqdn = (dev: IosDevice) => {
  const s = dev.state();
  return s.domain ? `${s.hostname}.${s.domain}` : s.hostname;
};
const banner = (dev: IosDevice) =>
  dev.hw.os === "IOS-XE"
    ? `Cisco IOS Software [Cupertino], ${dev.hw.kind === "router" ? "ISR" : "Catalyst L3 Switch"} Software (${dev.hw.image}), Version ${dev.hw.version}, RELEASE SOFTWARE (fc3)\nTechnical Support: http://www.cisco.com/techsupport\nCopyright (c) 1986-2023 by Cisco Systems, Inc.\nCompiled Fri 20-Oct-23 10:33 by mcpre`
    : `Cisco IOS Software, C2960X Software (${dev.hw.image}), Version ${dev.hw.version}, RELEASE SOFTWARE (fc2)\nTechnical Support: http://www.cisco.com/techsupport\nCopyright (c) 1986-2023 by Cisco Systems, Inc.\nCompiled Fri 20-Oct-23 10:33 by mcpre`;
/** An address on the port facing the neighbour (or its sub-interfaces), else any: CDP's address TLV. */
const firstIp = (dev: IosDevice, port: string) => {
  const live = dev.state().ports.filter((p) => p.ip && !p.shutdown);
  const near = live.find((p) => p.name === port || p.name.startsWith(`${port}.`)) ?? live[0];
  return near?.ip?.address ?? null;
};

export function cable(c: Cabling): void {
  const onSwitch = (sw: IosDevice) => c.phones.filter((p) => p.switch === sw.name);
  const linkOf = (sw: IosDevice, phone: SimPhone) => phoneLink(sw, phone);
  const uplinkUp = (sw: { dev: IosDevice; uplink: string }) =>
    up(sw.dev, sw.uplink) && c.router !== null && c.routerLan !== null && up(c.router, c.routerLan);

  /** DHCP: each powered phone whose VLAN reaches a router sub-interface inside a pool's network. */
  const leases = (): (Lease & { phone: SimPhone })[] => {
    const router = c.router;
    if (!router || !c.routerLan) return [];
    const rs = router.state();
    const taken = new Set<number>();
    const out: (Lease & { phone: SimPhone })[] = [];
    for (const sw of c.switches) {
      if (!uplinkUp(sw)) continue;
      const ss = sw.dev.state();
      const uplink = ss.ports.find((p) => p.name === sw.uplink);
      for (const phone of onSwitch(sw.dev)) {
        const link = linkOf(sw.dev, phone);
        if (!link || !uplink || !ss.vlans.has(link.vlan) || !carries(uplink, link.vlan)) continue;
        const sub = rs.ports.find(
          (p) => p.name.startsWith(`${c.routerLan}.`) && p.dot1q === link.vlan && p.ip && !p.shutdown,
        );
        const pool =
          sub?.ip && rs.dhcpPools.find((p) => p.network === network(sub.ip?.address ?? "", p.mask ?? ""));
        if (!sub?.ip || !pool?.network || !pool.mask) continue;
        const ip = allocate(
          pool.network,
          pool.mask,
          [sub.ip.address, ...rs.dhcpExcluded.flat()],
          rs.dhcpExcluded,
          taken,
        );
        if (ip === null) continue;
        out.push({
          ip,
          mac: phone.mac,
          interface: sub.name,
          expires: new Date(router.clock.now().getTime() + 86_400_000),
          phone,
        });
      }
    }
    return out;
  };
  const ipOf = (phone: SimPhone) => leases().find((l) => l.phone === phone)?.ip ?? null;

  for (const sw of c.switches) {
    const dev = sw.dev;
    const phoneAt = (port: string) => onSwitch(dev).find((p) => p.port === port);
    const powered = (phone: SimPhone): PhoneLink | null => (up(dev, phone.port) ? linkOf(dev, phone) : null);
    const surroundings: Surroundings = {
      linkUp: (port) =>
        port === sw.uplink
          ? uplinkUp(sw)
          : (() => {
              const phone = phoneAt(port);
              return phone !== undefined && powered(phone) !== null;
            })(),
      poe: (port): PoeDraw | null => {
        const phone = phoneAt(port);
        if (!phone || !powered(phone)) return null;
        return {
          device: phone.protocol === "cdp" ? `${phone.model}G` : "Ieee PD",
          powerClass: phone.powerClass,
          watts: phone.watts,
        };
      },
      lldp: () =>
        onSwitch(dev).flatMap((phone): LldpInfo[] => {
          const link = phone.protocol === "lldp" ? powered(phone) : null;
          if (!link) return [];
          return [
            {
              localPort: phone.port,
              chassisId: phone.dotted,
              chassisIsMac: true,
              portId: phone.dotted,
              portIsMac: true,
              portDescription: "WAN PORT",
              systemName: `SIP-${phone.model}`,
              systemDescription: `${phone.brand} ${phone.model} ${phone.firmware}`,
              capabilities: ["B", "T"],
              managementIp: ipOf(phone),
              peerMac: phone.dotted,
              med: {
                hwRevision: "1.0.0.0",
                fwRevision: phone.firmware,
                swRevision: phone.firmware,
                serial: phone.mac.replace(/:/g, "").toUpperCase(),
                manufacturer: phone.brand,
                model: phone.model,
                policies: link.policies,
                powerW: phone.watts,
              },
            },
          ];
        }),
      cdp: () => [
        ...onSwitch(dev).flatMap((phone): CdpInfo[] => {
          const link = phone.protocol === "cdp" ? powered(phone) : null;
          if (!link) return [];
          return [
            {
              localPort: phone.port,
              deviceId: `SEP${phone.mac.replace(/:/g, "").toUpperCase()}`,
              address: ipOf(phone),
              platform: `Cisco ${phone.model}G`,
              capabilities: ["Host", "Phone"],
              portId: "Port 1",
              version: phone.firmware,
              nativeVlan: null,
              voiceVlan: link.tagged ? link.vlan : null,
              powerDrawnW: phone.watts,
            },
          ];
        }),
        ...(c.router && c.routerLan && uplinkUp(sw) && c.router.state().cdp
          ? [peer(c.router, c.routerLan, sw.uplink, null)]
          : []),
      ],
      leases: () => [],
    };
    dev.surroundings = surroundings;
  }

  const router = c.router;
  if (router && c.routerLan) {
    const lan = c.routerLan;
    router.surroundings = {
      linkUp: (port) =>
        port === lan
          ? c.switches.some((sw) => up(sw.dev, sw.uplink))
          : router.hw.ports.some((p) => p.name === port),
      poe: () => null,
      lldp: () => [],
      cdp: () =>
        c.switches
          .filter((sw) => uplinkUp(sw) && sw.dev.state().cdp)
          .map((sw) =>
            peer(
              sw.dev,
              sw.uplink,
              lan,
              sw.dev.state().ports.find((p) => p.name === sw.uplink)?.nativeVlan ?? 1,
            ),
          ),
      leases: () => leases().map(({ phone: _p, ...l }) => l),
    };
  }
}

/** What `local` hears over CDP from `dev`, whose port `port` faces it. */
function peer(dev: IosDevice, port: string, local: string, nativeVlan: number | null): CdpInfo {
  const kind = dev.hw.kind;
  return {
    localPort: local,
    deviceId: fqdn(dev),
    address: firstIp(dev, port),
    platform: `cisco ${dev.hw.model}${kind === "router" ? "/K9" : ""}`,
    capabilities: kind === "router" ? ["Router", "Switch", "IGMP"] : ["Switch", "IGMP"],
    portId: port,
    version: banner(dev),
    nativeVlan,
    voiceVlan: null,
    powerDrawnW: null,
  };
}

function carries(uplink: { mode: string; trunkAllowed: string; accessVlan: number }, vlan: number): boolean {
  if (uplink.mode !== "trunk") return uplink.accessVlan === vlan;
  if (uplink.trunkAllowed === "ALL") return true;
  return uplink.trunkAllowed.split(",").some((part) => {
    const [a, b = a] = part.split("-").map(Number) as [number, number?];
    return vlan >= a && vlan <= (b as number);
  });
}

const toInt = (ip: string) => ip.split(".").reduce((n, o) => n * 256 + Number(o), 0);
const toIp = (n: number) => [24, 16, 8, 0].map((s) => (n >>> s) & 255).join(".");
const network = (ip: string, mask: string) => (ip && mask ? toIp((toInt(ip) & toInt(mask)) >>> 0) : "");

/** The first free host address of the pool, skipping excluded ranges and the router's own address. */
function allocate(
  net: string,
  mask: string,
  reserved: string[],
  excluded: [string, string][],
  taken: Set<number>,
): string | null {
  const base = toInt(net);
  const size = 2 ** 32 - toInt(mask);
  for (let i = 1; i < size - 1; i++) {
    const n = base + i;
    if (taken.has(n) || reserved.includes(toIp(n))) continue;
    if (excluded.some(([lo, hi]) => n >= toInt(lo) && n <= toInt(hi))) continue;
    taken.add(n);
    return toIp(n);
  }
  return null;
}
