/**
 * A strict reader for Polycom provisioning files (reference/provisioning.md §2.2): XML whose settings are
 * attributes; element names only group them, so every attribute of every element lands in one map. It
 * checks the well-formedness a phone's parser relies on: one root, matched tags, quoted attributes without
 * `<` or a bare `&`, no attribute twice, comments without `--` (XML 1.0 §2.5). Not a general XML parser.
 */
export interface PolycomFile {
  root: string;
  comments: string[];
  settings: Map<string, string>;
}

const entities: Readonly<Record<string, string>> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function decode(value: string, at: number): string {
  if (value.includes("<")) throw new Error(`offset ${at}: "<" inside an attribute value`);
  return value.replace(/&([^;]*);?/g, (whole, name: string) => {
    if (!whole.endsWith(";")) throw new Error(`offset ${at}: bare "&" in an attribute value`);
    const num = /^#x([0-9a-f]+)$/i.exec(name) ?? /^#([0-9]+)$/.exec(name);
    if (num)
      return String.fromCodePoint(
        Number.parseInt(num[1] as string, name[1]?.toLowerCase() === "x" ? 16 : 10),
      );
    const ch = entities[name];
    if (ch === undefined) throw new Error(`offset ${at}: unknown entity &${name};`);
    return ch;
  });
}

/** Reads `name="value" …` up to the end of a start tag; returns the offset after `>` and whether it self-closed. */
function readAttributes(
  text: string,
  from: number,
  settings: Map<string, string>,
): { end: number; empty: boolean } {
  const attr = /\s*(?:([A-Za-z_][\w.:-]*)\s*=\s*"([^"]*)"|(\/?>))/y;
  let pos = from;
  const seen = new Set<string>();
  for (;;) {
    attr.lastIndex = pos;
    const m = attr.exec(text);
    if (!m) throw new Error(`offset ${pos}: malformed start tag`);
    pos = attr.lastIndex;
    if (m[3] !== undefined) return { end: pos, empty: m[3] === "/>" };
    const name = m[1] as string;
    if (seen.has(name) || settings.has(name))
      throw new Error(`offset ${pos}: attribute ${name} appears twice`);
    if (!/[\s/>]/.test(text[pos] ?? "")) throw new Error(`offset ${pos}: no space after attribute ${name}`);
    seen.add(name);
    settings.set(name, decode(m[2] as string, pos));
  }
}

export function parsePolycom(text: string): PolycomFile {
  const out: PolycomFile = { root: "", comments: [], settings: new Map() };
  const stack: string[] = [];
  let pos = 0;
  let roots = 0;
  while (pos < text.length) {
    const ws = /\s*/y;
    ws.lastIndex = pos;
    ws.exec(text);
    pos = ws.lastIndex;
    if (pos >= text.length) break;
    if (text.startsWith("<?xml", pos)) {
      if (pos !== 0) throw new Error("the XML declaration must come first");
      const end = text.indexOf("?>", pos);
      if (end < 0) throw new Error("unterminated XML declaration");
      pos = end + 2;
    } else if (text.startsWith("<!--", pos)) {
      const end = text.indexOf("-->", pos + 4);
      if (end < 0) throw new Error(`offset ${pos}: unterminated comment`);
      const body = text.slice(pos + 4, end);
      if (body.includes("--") || body.endsWith("-")) throw new Error(`offset ${pos}: "--" inside a comment`);
      out.comments.push(body.trim());
      pos = end + 3;
    } else if (text.startsWith("</", pos)) {
      const m = /<\/([A-Za-z_][\w.-]*)\s*>/y;
      m.lastIndex = pos;
      const close = m.exec(text);
      if (!close || stack.pop() !== close[1]) throw new Error(`offset ${pos}: unmatched end tag`);
      pos = m.lastIndex;
    } else if (text[pos] === "<") {
      const m = /<([A-Za-z_][\w.-]*)/y;
      m.lastIndex = pos;
      const open = m.exec(text);
      if (!open) throw new Error(`offset ${pos}: malformed tag`);
      if (stack.length === 0) {
        roots += 1;
        out.root = open[1] as string;
      }
      const { end, empty } = readAttributes(text, m.lastIndex, out.settings);
      if (!empty) stack.push(open[1] as string);
      pos = end;
    } else {
      throw new Error(
        `offset ${pos}: text outside the settings: ${JSON.stringify(text.slice(pos, pos + 20))}`,
      );
    }
  }
  if (stack.length > 0) throw new Error(`unclosed element ${stack.join(" > ")}`);
  if (roots !== 1) throw new Error(`expected one root element, found ${roots}`);
  return out;
}
