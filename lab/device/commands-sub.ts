import type { Spec } from "./spec.js";

/**
 * The other sub-modes: VLAN, LLDP-MED network-policy profile, DHCP pool, archive (Cisco "Configuration
 * Replace and Configuration Rollback": `path`, `maximum`, `write-memory`, `time-period`), MQC class and
 * policy maps, named access lists and lines.
 */

export const vlanSpecs: Spec[] = [{ syntax: "name <word>", key: 1 }];

export const netpolSpecs: Spec[] = [
  { syntax: "voice vlan (<1-4094>|dot1p|none) [cos <0-7>]", key: 2 },
  { syntax: "voice-signaling vlan (<1-4094>|dot1p|none) [cos <0-7>]", key: 2 },
];

export const dhcpSpecs: Spec[] = [
  { syntax: "network <ip> <mask>", key: 1 },
  { syntax: "default-router <ip>+", key: 1 },
  { syntax: "dns-server <ip>+", key: 1 },
  { syntax: "domain-name <word>", key: 1 },
  { syntax: "option <0-254> (ip <ip>+|ascii <rest>|hex <word>)", key: 2 },
  { syntax: "lease (infinite|<0-365> [<0-23> [<0-59>]])", key: 1 },
];

export const archiveSpecs: Spec[] = [
  { syntax: "log config", enter: "archive-log" },
  { syntax: "path <word>", key: 1 },
  { syntax: "maximum <1-14>", key: 1 },
  { syntax: "write-memory" },
  { syntax: "time-period <1-525600>", key: 1 },
];

export const archiveLogSpecs: Spec[] = [
  { syntax: "logging enable" },
  { syntax: "logging size <1-1000>", key: 2 },
  { syntax: "notify syslog [contenttype (plaintext|xml)]", key: 2 },
  { syntax: "hidekeys" },
];

export const cmapSpecs: Spec[] = [{ syntax: "match dscp <dscp>+" }, { syntax: "match any" }];

/** `class class-default` is always the last class of a policy map. */
export const pmapSpecs: Spec[] = [
  { syntax: "class <word>", enter: "pmap-c", sort: (w) => [w[1] === "class-default" ? 1 : 0] },
];

export const pmapClassSpecs: Spec[] = [
  { syntax: "priority [(percent <1-100>|<8-2000000>)]", key: 1 },
  { syntax: "bandwidth (percent <1-100>|remaining percent <1-100>|<8-10000000>)", key: 1 },
  { syntax: "fair-queue" },
  { syntax: "shape average <8000-100000000000>", key: 2 },
  { syntax: "service-policy <word>", key: 1 },
  { syntax: "set dscp <dscp>", key: 2 },
];

const addr = "(any|host <ip>|<ip> <wildcard>)";
const ports = "[((eq|gt|lt|neq) <port>|range <port> <port>)]";

export const stdAclSpecs: Spec[] = [
  {
    // IOS prints a host as the bare address (`permit 10.20.30.10`), with or without `host` or `0.0.0.0`.
    syntax: "[<1-2147483647>] (permit|deny) (any|host <ip>|<ip> [<wildcard>])",
    acl: true,
    store: (w) =>
      w
        .join(" ")
        .replace(/ host /, " ")
        .replace(/ 0\.0\.0\.0$/, ""),
  },
];

export const extAclSpecs: Spec[] = [
  {
    syntax: `[<1-2147483647>] (permit|deny) (ip|tcp|udp|icmp) ${addr} ${ports} ${addr} ${ports} [established] [(echo-reply|echo|unreachable|time-exceeded|packet-too-big)] [log]`,
    acl: true,
  },
];

export const lineSpecs: Spec[] = [
  { syntax: "access-class <word> (in|out)", key: (w) => `access-class ${w[2]}` },
  { syntax: "exec-timeout <0-35791> [<0-2147483>]", key: 1 },
  { syntax: "privilege level <0-15>", key: 2 },
  { syntax: "logging synchronous", key: 2 },
  { syntax: "login [(local|authentication <word>)]", key: 1 },
  { syntax: "transport input (ssh|telnet|all|none) [(ssh|telnet)]", key: 2 },
];
