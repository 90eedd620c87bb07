/**
 * A small command grammar and the IOS-style parser over it. A command is written as
 * `switchport access vlan <1-4094>`: keywords, `<type>` parameters (`<1-4094>` is an integer range),
 * `(a|b)` alternatives, `[x]` optional parts and `<type>+` for one-or-more.
 *
 * Parsing follows what the IOS parser does (Cisco IOS Configuration Fundamentals, "Using the Cisco IOS
 * Command-Line Interface"): keywords may be abbreviated to any unique prefix (`sw mo acc`), an exact
 * keyword wins over longer ones (`log` vs `logging`), a prefix matching two keywords is
 * `% Ambiguous command`, running out of words is `% Incomplete command.`, and anything else is
 * `% Invalid input detected at '^' marker.` with the caret under the first character the parser could not
 * take — `swithport` fails at its `h`, because `swit` still leads to `switchport`.
 */

export type GNode =
  | { k: "seq"; items: GNode[] }
  | { k: "alt"; opts: GNode[] }
  | { k: "opt"; node: GNode }
  | { k: "star"; node: GNode }
  | { k: "kw"; text: string }
  | { k: "param"; type: string; lo: number; hi: number };

export function compile(syntax: string): GNode {
  const tokens = syntax.match(/\(|\)|\[|\]|\||<[^>]+>\+?|[^\s()[\]|]+/g) ?? [];
  let pos = 0;
  const fail = (why: string): never => {
    throw new Error(`grammar "${syntax}": ${why} at token ${pos}`);
  };
  const seq = (): GNode => {
    const items: GNode[] = [];
    while (pos < tokens.length && ![")", "]", "|"].includes(tokens[pos] as string)) items.push(atom());
    if (items.length === 0) fail("empty sequence");
    return items.length === 1 ? (items[0] as GNode) : { k: "seq", items };
  };
  const group = (close: string): GNode => {
    const opts = [seq()];
    while (tokens[pos] === "|") {
      pos++;
      opts.push(seq());
    }
    if (tokens[pos++] !== close) fail(`expected ${close}`);
    return opts.length === 1 ? (opts[0] as GNode) : { k: "alt", opts };
  };
  const atom = (): GNode => {
    const t = tokens[pos++] as string;
    if (t === "(") return group(")");
    if (t === "[") return { k: "opt", node: group("]") };
    if (t.startsWith("<")) {
      const plus = t.endsWith("+");
      const inner = t.slice(1, plus ? -2 : -1);
      const range = /^(-?\d+)-(-?\d+)$/.exec(inner);
      const p: GNode = range
        ? { k: "param", type: "int", lo: Number(range[1]), hi: Number(range[2]) }
        : { k: "param", type: inner, lo: 0, hi: 0 };
      return plus ? { k: "seq", items: [p, { k: "star", node: p }] } : p;
    }
    return { k: "kw", text: t };
  };
  const root = seq();
  if (pos !== tokens.length) fail("unbalanced brackets");
  return root;
}

export interface Word {
  text: string;
  /** Column of the first character in the line. */
  start: number;
}

export function splitWords(line: string): Word[] {
  return [...line.matchAll(/\S+/g)].map((m) => ({ text: m[0], start: m.index ?? 0 }));
}

/** A parameter type: the canonical value and how many words it took, or where in the word it failed. */
export type ParamResult = { value: string; take: number } | { caret: number };
export type ParamCheck = (
  p: Extract<GNode, { k: "param" }>,
  words: Word[],
  i: number,
  line: string,
) => ParamResult;

export type ParseResult =
  | { ok: true; spec: number; words: string[]; values: string[]; partial: boolean }
  | { ok: false; error: "invalid"; column: number }
  | { ok: false; error: "incomplete" }
  | { ok: false; error: "ambiguous"; column: number };

interface Thread {
  spec: number;
  stack: GNode[];
  out: string[];
  values: string[];
}

/** Unfolds sequences, alternatives and optional parts until each thread waits on a keyword or parameter. */
function expand(t: Thread): Thread[] {
  const top = t.stack.at(-1);
  if (!top || top.k === "kw" || top.k === "param") return [t];
  const rest = t.stack.slice(0, -1);
  const next = (stack: GNode[]) => expand({ ...t, stack });
  switch (top.k) {
    case "seq":
      return next([...rest, ...[...top.items].reverse()]);
    case "alt":
      return top.opts.flatMap((o) => next([...rest, o]));
    case "opt":
      return [...next(rest), ...next([...rest, top.node])];
    case "star":
      return [...next(rest), ...next([...rest, top, top.node])];
  }
}

const commonPrefix = (a: string, b: string) => {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
};

/**
 * Parses `line` against every grammar in `specs`; the first complete match (in table order) wins.
 * `prefixOk` accepts a line that stops early (the `no` forms: `no switchport voice vlan`).
 */
export function parse(
  specs: readonly GNode[],
  line: string,
  check: ParamCheck,
  prefixOk = false,
): ParseResult {
  const words = splitWords(line);
  const buckets = new Map<number, Thread[]>([
    [0, specs.map((g, spec) => ({ spec, stack: [g], out: [], values: [] }))],
  ]);
  let failure: { column: number; ambiguous: boolean } = { column: -1, ambiguous: false };
  const fail = (column: number, ambiguous = false) => {
    if (column > failure.column) failure = { column, ambiguous };
  };
  for (let pos = 0; pos <= words.length; pos++) {
    const here = (buckets.get(pos) ?? []).flatMap(expand);
    if (here.length === 0) continue;
    if (pos === words.length) {
      const done = here.filter((t) => t.stack.length === 0).sort((a, b) => a.spec - b.spec);
      const first = done[0] ?? (prefixOk && pos > 0 ? here.sort((a, b) => a.spec - b.spec)[0] : undefined);
      if (first)
        return { ok: true, spec: first.spec, words: first.out, values: first.values, partial: !done[0] };
      fail(Number.POSITIVE_INFINITY);
      continue;
    }
    const w = words[pos] as Word;
    const lower = w.text.toLowerCase();
    if (here.some((t) => t.stack.length === 0)) fail(w.start);
    const waiting = here.filter((t) => t.stack.length > 0);
    const kwOf = (t: Thread) => ((t.stack.at(-1) as { text: string }).text ?? "").toLowerCase();
    const kws = waiting.filter((t) => (t.stack.at(-1) as GNode).k === "kw");
    const exact = kws.filter((t) => kwOf(t) === lower);
    const prefixed = exact.length > 0 ? exact : kws.filter((t) => kwOf(t).startsWith(lower));
    const push = (t: Thread, word: string, take: number, value?: string) => {
      const at = pos + take;
      const list = buckets.get(at) ?? [];
      list.push({
        spec: t.spec,
        stack: t.stack.slice(0, -1),
        out: [...t.out, word],
        values: value === undefined ? t.values : [...t.values, value],
      });
      buckets.set(at, list);
    };
    let advanced = false;
    if (prefixed.length > 0) {
      const distinct = new Set(prefixed.map(kwOf));
      if (distinct.size > 1) fail(w.start, true);
      else {
        for (const t of prefixed) push(t, (t.stack.at(-1) as { text: string }).text, 1);
        advanced = true;
      }
    } else {
      let caret = kws.reduce((m, t) => Math.max(m, commonPrefix(lower, kwOf(t))), 0);
      for (const t of waiting) {
        const top = t.stack.at(-1) as GNode;
        if (top.k !== "param") continue;
        const r = check(top, words, pos, line);
        if ("value" in r) {
          push(t, r.value, r.take, r.value);
          advanced = true;
        } else caret = Math.max(caret, r.caret);
      }
      if (!advanced) fail(w.start + caret);
    }
  }
  if (failure.column === Number.POSITIVE_INFINITY) return { ok: false, error: "incomplete" };
  if (failure.ambiguous) return { ok: false, error: "ambiguous", column: failure.column };
  return { ok: false, error: "invalid", column: Math.max(0, failure.column) };
}

/** The error lines IOS prints for a failed parse, with the caret `indent` columns further right. */
export function parseError(r: Exclude<ParseResult, { ok: true }>, line: string, indent: number): string {
  if (r.error === "incomplete") return "% Incomplete command.\n";
  if (r.error === "ambiguous") return `% Ambiguous command:  "${line.trim()}"\n`;
  return `${" ".repeat(indent + r.column)}^\n% Invalid input detected at '^' marker.\n`;
}
