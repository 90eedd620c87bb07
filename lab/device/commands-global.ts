import { interfaceMode, interfaceSort } from "./interfaces.js";
import { month, routers, type Spec, secretStore, switches, weekday } from "./spec.js";

/**
 * Global configuration mode, in the order IOS prints it. Every line patchkast renders for a router or a
 * switch (templates/cisco-ios) is here, plus the few commands the lab's own bootstrap and a typical
 * engineer's session need (`snmp-server community`, `file prompt quiet`). Anything else is
 * `% Invalid input detected at '^' marker.`, as on a device that does not know the command.
 * Syntax per the Cisco IOS / IOS XE command references of each command; defaults that IOS never prints
 * (`cdp run`, `ip source-route`, `ip nat service sip … port 5060`) are stored as nothing.
 */

const when = (w: readonly string[], def: string) => (w.join(" ") === def ? null : w.join(" "));
const week = "(<1-4>|first|last)";
const recurring = `[${week} ${weekday} ${month} <hhmm> ${week} ${weekday} ${month} <hhmm>]`;

export const globalSpecs: Spec[] = [
  // Accepted and ignored: the device prints the version line of its own release (config-tree nvgen).
  { syntax: "version <word>", key: 1, store: () => null, group: 1 },
  {
    syntax: "service timestamps (debug|log) datetime [msec] [localtime] [show-timezone] [year]",
    key: 3,
    group: 1,
  },
  { syntax: "service password-encryption", group: 1 },
  { syntax: "hostname <hostname>", key: 1, group: 2 },
  { syntax: "logging buffered <4096-2147483647>", key: 2, group: 3 },
  { syntax: "enable secret [0] <word>", key: 2, store: secretStore(2), group: 3 },
  { syntax: "enable secret (5|8|9) <word>", key: 2, group: 3 },
  { syntax: "aaa new-model", group: 4 },
  { syntax: "aaa authentication login default local", key: 4, group: 4 },
  { syntax: "aaa authorization exec default local", key: 4, group: 4 },
  { syntax: "clock timezone <word> <-23-23> [<0-59>]", key: 2, group: 5 },
  { syntax: `clock summer-time <word> recurring ${recurring}`, key: 2, group: 5 },
  { syntax: "file prompt (alert|noisy|quiet)", key: 2, store: (w) => when(w, "file prompt alert"), group: 5 },
  { syntax: "ip source-route", negate: "store", store: () => null, group: 6 },
  { syntax: "ip domain name <word>", key: 3, group: 6 },
  { syntax: "ip name-server <ip>+", key: 2, group: 6 },
  { syntax: "ip dhcp excluded-address <ip> [<ip>]", only: routers, group: 7 },
  { syntax: "ip dhcp pool <word>", enter: "dhcp", only: routers, bang: true, group: 8 },
  {
    syntax: "vtp mode (transparent|server|client|off)",
    key: 2,
    store: (w) => when(w, "vtp mode server"),
    only: switches,
    group: 9,
  },
  { syntax: "mls qos", only: ["classic"], group: 9 },
  { syntax: "spanning-tree mode (pvst|rapid-pvst|mst)", key: 2, only: switches, group: 10 },
  { syntax: "username <word> privilege <0-15> secret [0] <word>", key: 2, store: secretStore(5), group: 11 },
  { syntax: "username <word> privilege <0-15> secret (5|8|9) <word>", key: 2, group: 11 },
  { syntax: "username <word> secret [0] <word>", key: 2, store: secretStore(3), group: 11 },
  { syntax: "username <word> secret (5|8|9) <word>", key: 2, group: 11 },
  {
    syntax: "vlan <1-4094>",
    enter: "vlan",
    only: switches,
    sort: (w) => [Number(w[1])],
    bang: true,
    group: 12,
  },
  {
    syntax: "network-policy profile <1-4294967295>",
    enter: "netpol",
    only: switches,
    sort: (w) => [Number(w[2])],
    bang: true,
    group: 13,
  },
  { syntax: "lldp run", group: 14 },
  { syntax: "cdp run", negate: "store", store: () => null, group: 14 },
  { syntax: "archive", enter: "archive", bang: true, group: 15 },
  {
    syntax: "class-map (match-any|match-all) <word>",
    key: (w) => `class-map ${w[2]}`,
    enter: "cmap",
    only: routers,
    group: 16,
  },
  { syntax: "policy-map <word>", enter: "pmap", only: routers, group: 17 },
  {
    syntax: "interface <iface>",
    enter: (w, hw) => interfaceMode(hw, w[1] as string),
    sort: (w, hw) => interfaceSort(hw, w[1] as string),
    bang: true,
    group: 18,
  },
  { syntax: "ip default-gateway <ip>", key: 2, only: switches, group: 19 },
  { syntax: "ip http server", key: 3, negate: "store", group: 20 },
  { syntax: "ip http secure-server", key: 3, negate: "store", group: 20 },
  { syntax: "ip ssh version (1|2)", key: 3, group: 20 },
  { syntax: "ip scp server enable", group: 20 },
  { syntax: "ip nat inside source list <word> interface <ifname> overload", only: routers, group: 21 },
  {
    syntax: "ip nat inside source static (tcp|udp) <ip> <1-65535> interface <ifname> <1-65535>",
    only: routers,
    group: 21,
  },
  {
    syntax: "ip nat service sip (udp|tcp) port <1-65535>",
    negate: "store",
    store: () => null,
    only: routers,
    group: 21,
  },
  { syntax: "ip route <ip> <mask> (<ip>|<ifname>)", only: routers, group: 21 },
  { syntax: "ip access-list standard <word>", enter: "std-acl", sort: (w) => [0, w[3] as string], group: 22 },
  { syntax: "ip access-list extended <word>", enter: "ext-acl", sort: (w) => [1, w[3] as string], group: 22 },
  { syntax: "logging host <host>", group: 23 },
  { syntax: "snmp-server community <word> [(RO|RW)] [<word>]", key: 3, group: 24 },
  { syntax: "snmp-server location <rest>", key: 2, group: 24 },
  { syntax: "snmp-server view <word> <oid> (included|excluded)", key: 4, group: 24 },
  {
    syntax: "snmp-server group <word> v3 (auth|noauth|priv) [read <word>] [write <word>] [access <word>]",
    key: 5,
    group: 24,
  },
  {
    // IOS keeps SNMPv3 users out of the running-config (localized keys; netconfig.md §3.2), so the line
    // stores nothing and the user goes to the agent's user table, where configure replace cannot reach it.
    syntax:
      "snmp-server user <word> <word> v3 [auth (md5|sha) <word> [priv (des|3des|aes (128|192|256)) <word>]] [access <word>]",
    key: 3,
    store: () => null,
    effect: (w, env, negated) => {
      env.snmpUser(w, negated);
      return undefined;
    },
    group: 24,
  },
  { syntax: "snmp-server enable traps [config]", group: 24 },
  { syntax: "line con 0", enter: "line", sort: () => [0, 0], group: 25 },
  { syntax: "line vty <0-15> [<0-15>]", enter: "line", sort: (w) => [1, Number(w[2])], group: 25 },
  { syntax: "ntp server <host>", group: 26 },
];
