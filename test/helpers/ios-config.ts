/**
 * Reads an IOS configuration the way the device does: a line indented deeper than the one before it
 * belongs to that line (`interface X` / ` ip address …`, `policy-map P` / ` class C` / `  priority …`).
 * Comment lines (`!`) and blank lines carry nothing. Tests assert on these stanzas, never on substrings of
 * the whole file, so a command found under the wrong parent does not count.
 */
export interface IosNode {
  line: string;
  children: IosNode[];
}

export function parseIosConfig(text: string): IosNode[] {
  const root: IosNode[] = [];
  const stack: { indent: number; node: IosNode }[] = [];
  for (const raw of text.split("\n")) {
    if (raw.trim() === "" || raw.trimStart().startsWith("!")) continue;
    const indent = raw.length - raw.trimStart().length;
    const node: IosNode = { line: raw.trim(), children: [] };
    while (stack.length > 0 && (stack.at(-1)?.indent ?? 0) >= indent) stack.pop();
    const parent = stack.at(-1);
    if (parent) parent.node.children.push(node);
    else root.push(node);
    stack.push({ indent, node });
  }
  return root;
}

/** Top-level lines, in order. */
export function topLines(nodes: readonly IosNode[]): string[] {
  return nodes.map((n) => n.line);
}

/** Top-level stanzas whose line equals `line` or matches the pattern. */
export function findAll(nodes: readonly IosNode[], line: string | RegExp): IosNode[] {
  return nodes.filter((n) => (typeof line === "string" ? n.line === line : line.test(n.line)));
}

/** The one top-level stanza with this exact line; fails loudly when there is none or more than one. */
export function stanza(nodes: readonly IosNode[], line: string): IosNode {
  const found = findAll(nodes, line);
  if (found.length !== 1) throw new Error(`expected one stanza "${line}", found ${found.length}`);
  return found[0] as IosNode;
}

/** The direct children's lines of a stanza. */
export function childLines(node: IosNode): string[] {
  return node.children.map((c) => c.line);
}

/** The one child with this exact line (for nested stanzas like policy-map → class). */
export function child(node: IosNode, line: string): IosNode {
  const found = node.children.filter((c) => c.line === line);
  if (found.length !== 1)
    throw new Error(`expected one "${line}" under "${node.line}", found ${found.length}`);
  return found[0] as IosNode;
}

/** ACL entries without the sequence numbers IOS-XE prints in front of them. */
export function aclEntries(node: IosNode): string[] {
  return childLines(node).map((l) => l.replace(/^\d+ /, ""));
}

/** Every line of the file, comments included, for checks that are about the file as text (header, end). */
export function rawLines(text: string): string[] {
  return text.replace(/\n$/, "").split("\n");
}
