import type { ConfigNode } from "./show-running-config.js";

/**
 * One line that differs between two normalised configurations, with its parents: the hier_config /
 * `show archive config differences` view (netconfig.md §2.8, §5 "Drift"), where
 * `interface Gi1/0/5` → `switchport voice vlan 200` is a change inside that interface, not a new line
 * somewhere in the file.
 *
 * @example
 * { op: "+", line: "switchport voice vlan 200", path: ["interface GigabitEthernet1/0/5"] }
 */
export interface ConfigDiffEntry {
  /** `+`: only in `after` (added); `-`: only in `before` (removed). */
  op: "+" | "-";
  line: string;
  /** Parent lines, outermost first; [] for a top-level line. */
  path: string[];
}

function subtree(op: "+" | "-", node: ConfigNode, path: string[]): ConfigDiffEntry[] {
  const here = [...path, node.line];
  return [{ op, line: node.line, path }, ...node.children.flatMap((c) => subtree(op, c, here))];
}

/**
 * Differences between two trees from `parseShowRunningConfig(...).nodes`. Lines are matched by their text
 * at the same place in the hierarchy (a repeated line matches once per occurrence); matched stanzas are
 * compared child by child. An added or removed stanza is listed with all its children. A change of order
 * only (same lines, different sequence) is not reported: IOS keeps most stanzas in its own order, and
 * order-sensitive lists (ACL entries) carry sequence numbers on IOS-XE, so a move shows as -/+ there.
 */
export function diffConfig(
  before: readonly ConfigNode[],
  after: readonly ConfigNode[],
  path: string[] = [],
): ConfigDiffEntry[] {
  const unmatched = new Map<string, ConfigNode[]>();
  for (const node of before) unmatched.set(node.line, [...(unmatched.get(node.line) ?? []), node]);
  const pairs: { before: ConfigNode | null; after: ConfigNode }[] = after.map((node) => {
    const candidates = unmatched.get(node.line);
    const match = candidates?.shift() ?? null;
    return { before: match, after: node };
  });
  const removed = before.filter((node) => (unmatched.get(node.line) ?? []).includes(node));
  return [
    ...removed.flatMap((node) => subtree("-", node, path)),
    ...pairs.flatMap((p) =>
      p.before === null
        ? subtree("+", p.after, path)
        : diffConfig(p.before.children, p.after.children, [...path, p.after.line]),
    ),
  ];
}
