import { passwordStore, type Spec } from "./spec.js";

/**
 * Interface configuration modes, in IOS's NVGEN order. Switch ports follow the Catalyst 2960-X / 9000
 * command references (`switchport`, `power inline`, `storm-control`, `mls qos trust` on classic IOS only,
 * `trust device` and `auto qos` on the 9000 only: netconfig.md §3.1); router ports follow the ISR 4000
 * configuration (sub-interfaces with `encapsulation dot1Q`, the PPPoE Dialer: netconfig.md §3.2).
 */

const description: Spec = { syntax: "description <rest>", key: 1 };
const shutdown: Spec = { syntax: "shutdown" };
const ipAddress: Spec = { syntax: "ip address <ip> <mask>", key: 2, negate: "store" };
const accessGroup: Spec = {
  syntax: "ip access-group <word> (in|out)",
  key: (w) => `ip access-group ${w[3]}`,
};
const ipNat: Spec = { syntax: "ip nat (inside|outside)", key: 2 };
const ipMtu: Spec = { syntax: "ip mtu <68-1500>", key: 2 };
const mss: Spec = { syntax: "ip tcp adjust-mss <500-1460>", key: 3 };
const servicePolicy: Spec = { syntax: "service-policy (input|output) <word>", key: 2 };

/** IOS answers a missing access or voice VLAN by creating it (Catalyst 2960-X VLAN configuration guide). */
function createVlan(kind: "Access" | "Voice") {
  return (w: readonly string[], env: Parameters<NonNullable<Spec["effect"]>>[1], negated: boolean) => {
    const id = Number(w.at(-1));
    if (negated || !Number.isInteger(id)) return undefined;
    return env.ensureVlan(id) ? `% ${kind} VLAN does not exist. Creating vlan ${id}\n` : undefined;
  };
}

export const switchPortSpecs: Spec[] = [
  description,
  { syntax: "switchport access vlan <1-4094>", key: 3, effect: createVlan("Access") },
  { syntax: "switchport trunk encapsulation (dot1q|isl|negotiate)", key: 3, when: (hw) => hw.isl },
  { syntax: "switchport trunk native vlan <1-4094>", key: 4 },
  {
    syntax: "switchport trunk allowed vlan (<vlanlist>|all|none)",
    key: 4,
    store: (w) => (w[4] === "all" ? null : w.join(" ")),
  },
  { syntax: "switchport mode (access|trunk|dynamic (auto|desirable))", key: 2 },
  { syntax: "switchport nonegotiate" },
  {
    syntax: "switchport voice vlan (<1-4094>|dot1p|untagged|none)",
    key: 3,
    store: (w) => (w[3] === "none" ? null : w.join(" ")),
    effect: createVlan("Voice"),
  },
  { syntax: "network-policy <1-4294967295>", key: 1 },
  {
    // `power inline auto` is the default and not printed; `never` and `static` are.
    syntax: "power inline (auto|never|static) [max <4000-30000>]",
    key: 2,
    store: (w) => (w.join(" ") === "power inline auto" ? null : w.join(" ")),
  },
  { syntax: "storm-control broadcast level <decimal> [<decimal>]", key: 3 },
  { syntax: "storm-control action (trap|shutdown)", key: 2 },
  { syntax: "mls qos trust device (cisco-phone|cts|ip-camera|media-player)", key: 4, only: ["classic"] },
  { syntax: "mls qos trust (cos|dscp|ip-precedence)", key: 3, only: ["classic"] },
  { syntax: "trust device (cisco-phone|cts|ip-camera|media-player)", key: 2, only: ["c9k"] },
  { syntax: "auto qos (voip (cisco-phone|trust)|trust [(cos|dscp)])", key: 2, only: ["c9k"] },
  shutdown,
  { syntax: "spanning-tree portfast [(edge|trunk|disable)]", key: 2 },
  { syntax: "spanning-tree bpduguard (enable|disable)", key: 2 },
];

/** Vlan (SVI) and Loopback interfaces. */
export const sviSpecs: Spec[] = [description, ipAddress, shutdown];

export const routedSpecs: Spec[] = [
  description,
  ipAddress,
  accessGroup,
  ipMtu,
  ipNat,
  mss,
  shutdown,
  { syntax: "negotiation auto", key: 1 },
  { syntax: "duplex (auto|full|half)", key: 1 },
  { syntax: "speed (auto|10|100|1000)", key: 1 },
  { syntax: "pppoe enable group global", key: 2 },
  { syntax: "pppoe-client dial-pool-number <1-255>", key: 2 },
  servicePolicy,
];

export const subifSpecs: Spec[] = [
  description,
  { syntax: "encapsulation dot1Q <1-4094> [native]", key: 1 },
  ipAddress,
  accessGroup,
  ipNat,
  shutdown,
];

export const dialerSpecs: Spec[] = [
  description,
  { syntax: "ip address negotiated", key: 2 },
  ipAddress,
  accessGroup,
  ipMtu,
  ipNat,
  { syntax: "encapsulation ppp", key: 1 },
  mss,
  { syntax: "dialer pool <1-255>", key: 2 },
  { syntax: "ppp authentication chap [callin]", key: 2 },
  { syntax: "ppp chap hostname <word>", key: 3 },
  { syntax: "ppp chap password [0] <word>", key: 3, store: passwordStore(3) },
  { syntax: "ppp chap password 7 <word>", key: 3 },
  servicePolicy,
  shutdown,
];
