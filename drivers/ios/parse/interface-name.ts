/**
 * Interface names: the parsers return them exactly as the device printed them, because each command has its
 * own habit (`show interfaces status`, `show vlan brief`, LLDP `Local Intf` print `Gi1/0/1`; CDP and
 * `show interfaces switchport` on some releases print `GigabitEthernet1/0/1`). To join results across
 * commands, compare `canonicalInterfaceName(a) === canonicalInterfaceName(b)`.
 */

/** IOS/IOS-XE type names, longest first where one is a prefix of another. */
const TYPES = [
  "AppGigabitEthernet",
  "TwentyFiveGigE",
  "TwoGigabitEthernet",
  "FiveGigabitEthernet",
  "TenGigabitEthernet",
  "FortyGigabitEthernet",
  "HundredGigE",
  "GigabitEthernet",
  "FastEthernet",
  "Ethernet",
  "Port-channel",
  "Loopback",
  "Tunnel",
  "Serial",
  "Vlan",
  "Dialer",
  "Virtual-Access",
  "Virtual-Template",
  "BDI",
  "Cellular",
];

/** Short forms IOS itself prints where a plain prefix match would be ambiguous (Cat9k: Tw vs Twe). */
const SHORT: Record<string, string> = {
  tw: "TwoGigabitEthernet",
  twe: "TwentyFiveGigE",
  te: "TenGigabitEthernet",
  fi: "FiveGigabitEthernet",
  fo: "FortyGigabitEthernet",
  hu: "HundredGigE",
  ap: "AppGigabitEthernet",
  et: "Ethernet",
  eth: "Ethernet",
  po: "Port-channel",
  vl: "Vlan",
  se: "Serial",
};

/**
 * `Gi1/0/1` → `GigabitEthernet1/0/1`, `po1` → `Port-channel1`; an unknown name is returned unchanged.
 * With a blank before the number only a full type name counts (`GigabitEthernet 1/0/1`), so a phone's
 * `Port 1` (CDP port ID) stays `Port 1`.
 */
export function canonicalInterfaceName(name: string): string {
  const m = /^([A-Za-z][A-Za-z-]*?)(\s*)(\d[\w/.:]*)$/.exec(name.trim());
  if (!m) return name.trim();
  const typed = (m[1] as string).toLowerCase();
  const exact = TYPES.find((t) => t.toLowerCase() === typed);
  const prefixed = TYPES.filter((t) => t.toLowerCase().startsWith(typed));
  const full =
    m[2] !== "" ? exact : (SHORT[typed] ?? exact ?? (prefixed.length === 1 ? prefixed[0] : undefined));
  return full ? `${full}${m[3]}` : name.trim();
}
