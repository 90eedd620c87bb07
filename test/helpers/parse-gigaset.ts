/**
 * A tiny, strict XML reader for Gigaset provisioning files. It accepts only what those files need: an
 * XML declaration, comments, elements with quoted attributes and whitespace between them. Anything else
 * (text content, CDATA, a DOCTYPE, an unknown entity, a raw `<` or `&` in an attribute, "--" in a comment,
 * a duplicate attribute, unbalanced tags, two roots) throws, so injected markup fails a test.
 *
 * The result maps every SYMB_ITEM's ID, and every other element under <Provider> by its tag name, to its
 * decoded `value` attribute.
 */
export interface GigasetFile {
  declaration: Record<string, string>;
  comments: string[];
  settings: Map<string, string>;
}

interface Element {
  name: string;
  attrs: Record<string, string>;
}

const name = "[A-Za-z_][\\w.:-]*";
const entities: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function decode(raw: string, where: string): string {
  if (raw.includes("<")) throw new Error(`${where}: raw "<" in an attribute value`);
  return raw.replace(/&([^;]*);|&/g, (whole, ref: string | undefined) => {
    if (ref === undefined) throw new Error(`${where}: "&" that starts no entity`);
    if (/^#x[0-9a-fA-F]+$/.test(ref)) return String.fromCodePoint(Number.parseInt(ref.slice(2), 16));
    if (/^#[0-9]+$/.test(ref)) return String.fromCodePoint(Number(ref.slice(1)));
    const known = entities[ref];
    if (known === undefined) throw new Error(`${where}: unknown entity ${whole}`);
    return known;
  });
}

function parseAttrs(text: string, where: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  const attr = new RegExp(`^\\s+(${name})\\s*=\\s*(?:"([^"]*)"|'([^']*)')`);
  let rest = text;
  while (rest.trim() !== "") {
    const m = attr.exec(rest);
    if (!m) throw new Error(`${where}: malformed attributes near ${JSON.stringify(rest.slice(0, 40))}`);
    const key = m[1] ?? "";
    if (Object.hasOwn(attrs, key)) throw new Error(`${where}: attribute ${key} twice`);
    attrs[key] = decode(m[2] ?? m[3] ?? "", `${where} ${key}`);
    rest = rest.slice(m[0].length);
  }
  return attrs;
}

export function parseGigaset(xml: string): GigasetFile {
  const decl = /^<\?xml((?:\s+[a-z]+="[^"]*")*)\s*\?>/.exec(xml);
  if (!decl) throw new Error("missing XML declaration at the very start");
  const declaration = parseAttrs(decl[1] ?? "", "declaration");
  const comments: string[] = [];
  const settings = new Map<string, string>();
  const stack: Element[] = [];
  let roots = 0;
  let pos = decl[0].length;
  const token = new RegExp(
    `<!--([\\s\\S]*?)-->|<(${name})((?:\\s+${name}\\s*=\\s*(?:"[^"]*"|'[^']*'))*)\\s*(/?)>|</(${name})\\s*>|<`,
    "y",
  );
  while (pos < xml.length) {
    const text = /[^<]*/y;
    text.lastIndex = pos;
    const between = text.exec(xml)?.[0] ?? "";
    if (between.trim() !== "") throw new Error(`text content ${JSON.stringify(between.trim().slice(0, 40))}`);
    pos += between.length;
    if (pos >= xml.length) break;
    token.lastIndex = pos;
    const m = token.exec(xml);
    if (!m || m[0] === "<")
      throw new Error(`malformed markup at ${pos}: ${JSON.stringify(xml.slice(pos, pos + 40))}`);
    pos += m[0].length;
    if (m[1] !== undefined) {
      if (m[1].includes("--") || m[1].endsWith("-")) throw new Error(`"--" inside a comment`);
      comments.push(m[1].trim());
    } else if (m[2] !== undefined) {
      if (stack.length === 0 && roots++ > 0) throw new Error("more than one root element");
      const el = { name: m[2], attrs: parseAttrs(m[3] ?? "", `<${m[2]}>`) };
      if (stack.at(-1)?.name === "Provider") record(settings, el);
      if (m[4] !== "/") stack.push(el);
    } else {
      const open = stack.pop();
      if (open?.name !== m[5]) throw new Error(`</${m[5]}> closes <${open?.name ?? "nothing"}>`);
    }
  }
  if (stack.length > 0) throw new Error(`<${stack.at(-1)?.name}> is never closed`);
  if (roots !== 1) throw new Error("no root element");
  return { declaration, comments, settings };
}

function record(settings: Map<string, string>, el: Element): void {
  const key = el.name === "SYMB_ITEM" ? el.attrs.ID : el.name;
  if (key === undefined) throw new Error("SYMB_ITEM without ID");
  if (settings.has(key)) throw new Error(`${key} appears twice`);
  settings.set(key, el.attrs.value ?? "");
}

/** A Gigaset string value is `"text"`; the text itself has no `"`. */
export function gigasetString(value: string | undefined): string {
  const m = /^"([^"]*)"$/.exec(value ?? "");
  if (!m) throw new Error(`not a Gigaset string value: ${JSON.stringify(value)}`);
  return m[1] ?? "";
}
