/**
 * The Contextual Configuration Diff utility (`show archive config differences`; Cisco "Contextual
 * Configuration Diff Utility", IOS XE 17 System Management guide): lines only in the second file are
 * `+`, lines only in the first are `-`; a changed line inside a stanza is printed under its unchanged
 * parent, indented, with the sign after the indentation (`interface Gi1/0/5` / ` +description x`, as in
 * the IOS 15.9 / IOS XE 17.12 output quoted by ipSpace "Configuration Diffs on Cisco IOS").
 * Comparison is by text, as IOS does it: a clear-text secret in a candidate differs from its hash.
 */

interface TextNode {
  text: string;
  children: TextNode[];
}

const VOLATILE = /^(Building configuration\.\.\.|Current configuration\s*:|Using \d+ out of \d+ bytes)/;

/** Lines by indentation; comments, headers and everything after `end` left out. */
export function textTree(config: string): TextNode[] {
  const roots: TextNode[] = [];
  const stack: { indent: number; node: TextNode }[] = [];
  for (const raw of config.split(/\r?\n/)) {
    const t = raw.trim();
    if (t === "" || t.startsWith("!") || VOLATILE.test(t)) continue;
    const indent = raw.length - raw.trimStart().length;
    if (indent === 0 && t === "end") break;
    while (stack.length > 0 && (stack.at(-1) as { indent: number }).indent >= indent) stack.pop();
    const n: TextNode = { text: t, children: [] };
    (stack.at(-1)?.node.children ?? roots).push(n);
    stack.push({ indent, node: n });
  }
  return roots;
}

function only(a: readonly TextNode[], b: readonly TextNode[], sign: string, depth: number): string[] {
  const pool = [...b];
  const out: string[] = [];
  const pad = " ".repeat(depth);
  const all = (n: TextNode, d: number): string[] => [
    `${" ".repeat(d)}${sign}${n.text}`,
    ...n.children.flatMap((c) => all(c, d + 1)),
  ];
  for (const n of a) {
    const i = pool.findIndex((m) => m.text === n.text);
    if (i < 0) {
      out.push(...all(n, depth));
      continue;
    }
    const [match] = pool.splice(i, 1) as [TextNode];
    const inner = only(n.children, match.children, sign, depth + 1);
    if (inner.length > 0) out.push(`${pad}${n.text}`, ...inner);
  }
  return out;
}

/** `show archive config differences <file1> <file2>`. */
export function contextualDiff(first: string, second: string): string {
  const a = textTree(first);
  const b = textTree(second);
  const lines = [...only(b, a, "+", 0), ...only(a, b, "-", 0)];
  return lines.length === 0
    ? "!Contextual Config Diffs:\n!No changes were found\n"
    : `!Contextual Config Diffs:\n${lines.join("\n")}\n`;
}

/** The commands that turn `from` into `to` (the `list` of `configure replace`): `no` lines, then additions. */
export function replaceCommands(from: string, to: string): string[] {
  const walk = (a: readonly TextNode[], b: readonly TextNode[], depth: number): string[] => {
    const pad = " ".repeat(depth);
    const out: string[] = [];
    for (const n of a) if (!b.some((m) => m.text === n.text)) out.push(`${pad}no ${n.text}`);
    for (const n of b) {
      const match = a.find((m) => m.text === n.text);
      const all = (x: TextNode, d: number): string[] => [
        `${" ".repeat(d)}${x.text}`,
        ...x.children.flatMap((c) => all(c, d + 1)),
      ];
      if (!match) out.push(...all(n, depth));
      else {
        const inner = walk(match.children, n.children, depth + 1);
        if (inner.length > 0) out.push(`${pad}${n.text}`, ...inner);
      }
    }
    return out;
  };
  return walk(textTree(from), textTree(to), 0);
}
