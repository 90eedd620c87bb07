import { globalSpecs } from "./commands-global.js";
import { dialerSpecs, routedSpecs, subifSpecs, sviSpecs, switchPortSpecs } from "./commands-if.js";
import {
  archiveLogSpecs,
  archiveSpecs,
  cmapSpecs,
  dhcpSpecs,
  extAclSpecs,
  lineSpecs,
  netpolSpecs,
  pmapClassSpecs,
  pmapSpecs,
  stdAclSpecs,
  vlanSpecs,
} from "./commands-sub.js";
import { compile, type GNode } from "./grammar.js";
import type { Hardware } from "./hardware.js";
import { common, type Mode, type Spec } from "./spec.js";

/** The explicit command table: for each configuration mode, the commands it accepts, in NVGEN order. */
const table: Record<Mode, Spec[]> = {
  global: globalSpecs,
  "if-switch": switchPortSpecs,
  "if-svi": sviSpecs,
  "if-routed": routedSpecs,
  "if-subif": subifSpecs,
  "if-dialer": dialerSpecs,
  vlan: vlanSpecs,
  netpol: netpolSpecs,
  dhcp: dhcpSpecs,
  archive: archiveSpecs,
  "archive-log": archiveLogSpecs,
  cmap: cmapSpecs,
  pmap: pmapSpecs,
  "pmap-c": pmapClassSpecs,
  "std-acl": stdAclSpecs,
  "ext-acl": extAclSpecs,
  line: lineSpecs,
};

/** A spec as one device sees it: compiled, with its rank (position in its mode's table). */
export interface DeviceSpec extends Spec {
  g: GNode;
  rank: number;
  mode: Mode;
}

const cache = new WeakMap<Hardware, Map<Mode, DeviceSpec[]>>();

/** The commands `mode` accepts on this hardware (platform filters applied), plus exit / end / do. */
export function specsFor(hw: Hardware, mode: Mode): DeviceSpec[] {
  let perHw = cache.get(hw);
  if (!perHw) {
    perHw = new Map();
    cache.set(hw, perHw);
  }
  const found = perHw.get(mode);
  if (found) return found;
  const specs = [...table[mode], ...common]
    .map((s, rank) => ({ ...s, g: compiled(s), rank, mode }))
    .filter((s) => (!s.only || s.only.includes(hw.kind)) && (!s.when || s.when(hw)));
  perHw.set(mode, specs);
  return specs;
}

const grammars = new Map<string, GNode>();
function compiled(s: Spec): GNode {
  let g = grammars.get(s.syntax);
  if (!g) {
    g = compile(s.syntax);
    grammars.set(s.syntax, g);
  }
  return g;
}

/** The replace key of a line: the first `key` words, or what `key` computes, or the whole line. */
export function keyOf(spec: Spec, words: readonly string[]): string {
  if (typeof spec.key === "function") return spec.key(words);
  return (spec.key === undefined ? words : words.slice(0, spec.key)).join(" ");
}

export function modeOf(spec: Spec, words: readonly string[], hw: Hardware): Mode | undefined {
  return typeof spec.enter === "function" ? spec.enter(words, hw) : spec.enter;
}
