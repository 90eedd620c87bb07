import type { CfgNode } from "./config-tree.js";
import type { GNode } from "./grammar.js";
import type { Hardware, Kind } from "./hardware.js";
import { hashSecret, type7Encode } from "./secrets.js";

/** The configuration modes, each with the prompt IOS shows (`Router(config-if)#`, `Router(dhcp-config)#`). */
export const modePrompts = {
  global: "(config)",
  "if-switch": "(config-if)",
  "if-svi": "(config-if)",
  "if-routed": "(config-if)",
  "if-subif": "(config-subif)",
  "if-dialer": "(config-if)",
  vlan: "(config-vlan)",
  netpol: "(config-network-policy)",
  dhcp: "(dhcp-config)",
  archive: "(config-archive)",
  "archive-log": "(config-archive-log-cfg)",
  cmap: "(config-cmap)",
  pmap: "(config-pmap)",
  "pmap-c": "(config-pmap-c)",
  "std-acl": "(config-std-nacl)",
  "ext-acl": "(config-ext-nacl)",
  line: "(config-line)",
} as const;

export type Mode = keyof typeof modePrompts;

/** What a store/effect function may look at. */
export interface StoreEnv {
  hw: Hardware;
  /** `service password-encryption` is configured. */
  encrypt: boolean;
  /** The lines already at the level where this one goes. */
  siblings: readonly CfgNode[];
}

/** Side effects outside the running-config text (SNMPv3 users, VLANs IOS creates on its own). */
export interface EffectEnv extends StoreEnv {
  /** Adds an empty `vlan <id>` stanza at top level if there is none; returns true when it did. */
  ensureVlan(id: number): boolean;
  snmpUser(words: readonly string[], remove: boolean): void;
}

/**
 * One command of a configuration mode. The table order is the order IOS prints the commands in
 * (its NVGEN order); `key` says which earlier line a new one replaces (`switchport access vlan 10`
 * replaces `switchport access vlan 20`: key 3 words); without a key the whole line is the key, so lines
 * like `ntp server a` and `ntp server b` add up.
 */
export interface Spec {
  syntax: string;
  g?: GNode;
  key?: number | ((w: readonly string[]) => string);
  /** The sub-mode the command opens; its line becomes a stanza with children. */
  enter?: Mode | ((w: readonly string[], hw: Hardware) => Mode);
  /** The stored text; null means "the default": nothing is shown (IOS does not print defaults). */
  store?: (w: readonly string[], env: StoreEnv) => string | null;
  /** The `no` form is itself a configuration line (`no ip http server`, `no cdp run`, `no ip address`). */
  negate?: "store";
  only?: Kind[];
  when?: (hw: Hardware) => boolean;
  sort?: (w: readonly string[], hw: Hardware) => (number | string)[];
  effect?: (w: readonly string[], env: EffectEnv, negated: boolean) => string | undefined;
  /** Printed with a `!` line after it when it is a stanza (interfaces, VLANs, pools). */
  bang?: boolean;
  /** Access-list entry: stored with its sequence number, shown without it on classic IOS. */
  acl?: boolean;
  /** Physical interfaces and the like: `no` is refused. */
  action?: "end" | "exit" | "do";
  /** Section number for the `!` separators between top-level groups. */
  group?: number;
}

export const routers: Kind[] = ["router"];
export const switches: Kind[] = ["classic", "c9k"];

/** `enable secret 0 x` → `enable secret 9 $9$…` (IOS-XE) or `enable secret 5 $1$…` (classic IOS 15). */
export function secretStore(prefixWords: number) {
  return (w: readonly string[], env: StoreEnv): string =>
    `${w.slice(0, prefixWords).join(" ")} ${hashSecret(w.at(-1) as string, env.hw.kind === "classic" ? 5 : 9)}`;
}

/** `ppp chap password 0 x` → `ppp chap password 7 <type 7>` under `service password-encryption`. */
export function passwordStore(prefixWords: number) {
  return (w: readonly string[], env: StoreEnv): string =>
    env.encrypt
      ? `${w.slice(0, prefixWords).join(" ")} 7 ${type7Encode(w.at(-1) as string)}`
      : `${w.slice(0, prefixWords).join(" ")} ${w.at(-1)}`;
}

/** Common to every mode: leave it, leave configuration, run an EXEC command. */
export const common: Spec[] = [
  { syntax: "exit", action: "exit" },
  { syntax: "end", action: "end" },
  { syntax: "do <rest>", action: "do" },
];

export const weekday = "(Sun|Mon|Tue|Wed|Thu|Fri|Sat)";
export const month = "(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)";
