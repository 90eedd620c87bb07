import type { Hardware } from "./hardware.js";
import type { Mode } from "./spec.js";

/**
 * The running configuration as IOS holds it: an ordered tree of canonical lines. Order comes from the
 * command tables (rank = NVGEN order, then a per-command sort such as VLAN number or chassis position,
 * then entry order), not from the order lines were typed in, so a config pasted in any order prints the
 * same. Physical interfaces are always present ("cannot be added or removed": Cisco "Configuration
 * Replace and Configuration Rollback", Restrictions).
 */
export interface CfgNode {
  text: string;
  key: string;
  rank: number;
  sort: (number | string)[];
  order: number;
  children: CfgNode[];
  /** The sub-mode this stanza opens. */
  mode?: Mode;
  /** Access-list entry stored as `<seq> <entry>`. */
  acl?: boolean;
  /** Printed with a `!` after it (interfaces, VLANs, DHCP pools, archive). */
  bang?: boolean;
  group: number;
  /** A physical interface: `no interface` is refused and `configure replace` keeps the stanza. */
  fixed?: boolean;
}

let counter = 0;

export function node(fields: Omit<CfgNode, "order" | "children"> & { children?: CfgNode[] }): CfgNode {
  return { ...fields, children: fields.children ?? [], order: counter++ };
}

function compare(a: CfgNode, b: CfgNode): number {
  if (a.rank !== b.rank) return a.rank - b.rank;
  for (let i = 0; i < Math.max(a.sort.length, b.sort.length); i++) {
    const x = a.sort[i];
    const y = b.sort[i];
    if (x === y) continue;
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (typeof x === "number" && typeof y === "number") return x - y;
    return String(x) < String(y) ? -1 : 1;
  }
  return a.order - b.order;
}

/** Puts `n` among `siblings` in NVGEN order, replacing a line with the same key. Returns the node in place. */
export function insert(siblings: CfgNode[], n: CfgNode): CfgNode {
  const same = siblings.findIndex((s) => s.key === n.key);
  if (same >= 0) siblings.splice(same, 1);
  const at = siblings.findIndex((s) => compare(n, s) < 0);
  siblings.splice(at < 0 ? siblings.length : at, 0, n);
  return n;
}

export function clone(n: CfgNode): CfgNode {
  return { ...n, sort: [...n.sort], children: n.children.map(clone) };
}

/** A configuration with nothing in it but the physical interfaces (rank and sort as `interface <name>`). */
export function blankTree(hw: Hardware, interfaceRank: number): CfgNode {
  const root = node({ text: "", key: "", rank: 0, sort: [], group: 0 });
  for (const p of hw.ports)
    root.children.push(
      node({
        text: `interface ${p.name}`,
        key: `interface ${p.name}`,
        rank: interfaceRank,
        sort: [0, p.order, -1],
        mode: hw.kind === "router" ? "if-routed" : "if-switch",
        bang: true,
        group: 18,
        fixed: true,
      }),
    );
  return root;
}

/** A line as IOS shows it: access-list entries keep their sequence number only on IOS-XE. */
function shown(n: CfgNode, hw: Hardware): string {
  return n.acl && hw.kind === "classic" ? n.text.replace(/^\d+ /, "") : n.text;
}

/** The configuration lines, `version` to `end`, with `!` between sections and after stanzas. */
export function nvgen(root: CfgNode, hw: Hardware): string[] {
  // IOS always starts with its own `version` line, whatever the configuration said.
  const out: string[] = [`version ${hw.configVersion}`];
  const children = (n: CfgNode, depth: number) => {
    for (const c of n.children) {
      out.push(`${" ".repeat(depth)}${shown(c, hw)}`);
      children(c, depth + 1);
    }
  };
  let prev: CfgNode | undefined = {
    text: "version",
    key: "",
    rank: 0,
    sort: [],
    order: 0,
    children: [],
    group: 1,
  };
  for (const n of root.children) {
    if (prev && (prev.group !== n.group || prev.bang) && out.at(-1) !== "!") out.push("!");
    out.push(shown(n, hw));
    children(n, 1);
    prev = n;
  }
  if (out.at(-1) !== "!") out.push("!");
  out.push("end");
  return out;
}

/** Children of a stanza (or top level) whose text starts with `prefix`. */
export function lines(n: CfgNode | undefined, prefix: string): string[] {
  return (n?.children ?? []).filter((c) => c.text.startsWith(prefix)).map((c) => c.text);
}

export function stanza(root: CfgNode, text: string): CfgNode | undefined {
  return root.children.find((c) => c.text === text);
}
