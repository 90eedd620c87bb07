/**
 * A strict reader for Cisco SPA `<flat-profile>` XML, small enough to trust in tests: an optional XML
 * declaration, comments, one `flat-profile` root, and under it only `<Name>text</Name>` or `<Name/>`
 * parameters (attributes allowed, as in fusionpbx's `group="…"`). Anything else throws: unknown or raw
 * entities, `<` in text, `--` in a comment (XML 1.0 §2.5), characters XML forbids, nested elements, a second
 * root or a parameter given twice (the phone would let the last one win, so a test must see it).
 */
export interface SpaProfile {
  /** Parameter name → decoded text, in file order. */
  settings: Map<string, string>;
  /** Comment texts, trimmed, in file order. */
  comments: string[];
}

const name = /^[A-Za-z_][A-Za-z0-9_.-]*/;
const entities: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
// XML 1.0 Char production: no C0 controls except tab, LF, CR; no U+FFFE/U+FFFF; no lone surrogates.
const forbiddenChar =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function decodeXmlText(raw: string): string {
  if (raw.includes("<")) throw new Error(`raw "<" in text: ${JSON.stringify(raw)}`);
  return raw.replace(/&([^;]*);?/g, (whole, body: string) => {
    if (!whole.endsWith(";")) throw new Error(`unterminated entity in ${JSON.stringify(raw)}`);
    if (body in entities) return entities[body] as string;
    const num = /^#([0-9]+)$/.exec(body) ?? /^#x([0-9a-fA-F]+)$/.exec(body);
    if (num?.[1] !== undefined)
      return String.fromCodePoint(Number.parseInt(num[1], body[1] === "x" ? 16 : 10));
    throw new Error(`unknown entity &${body};`);
  });
}

export function parseSpaProfile(text: string): SpaProfile {
  if (forbiddenChar.test(text)) throw new Error("character not allowed in XML");
  let pos = 0;
  const settings = new Map<string, string>();
  const comments: string[] = [];
  const fail = (msg: string): never => {
    throw new Error(`${msg} at offset ${pos}: ${JSON.stringify(text.slice(pos, pos + 40))}`);
  };
  const skipSpaceAndComments = () => {
    for (;;) {
      const ws = /^\s*/.exec(text.slice(pos));
      pos += ws?.[0].length ?? 0;
      if (!text.startsWith("<!--", pos)) return;
      const end = text.indexOf("-->", pos + 4);
      if (end < 0) fail("unterminated comment");
      const body = text.slice(pos + 4, end);
      if (body.includes("--") || body.endsWith("-")) fail("'--' inside a comment");
      comments.push(body.trim());
      pos = end + 3;
    }
  };
  /** Reads `<Name attr="v" …` up to and including `>` or `/>`. */
  const openTag = (): { tag: string; selfClosing: boolean } => {
    if (text[pos] !== "<") fail("expected a tag");
    pos += 1;
    const tag = name.exec(text.slice(pos))?.[0] ?? fail("expected an element name");
    pos += tag.length;
    for (;;) {
      const attr = /^\s+[A-Za-z_][A-Za-z0-9_.-]*\s*=\s*("[^"<]*"|'[^'<]*')/.exec(text.slice(pos));
      if (!attr) break;
      decodeXmlText(attr[1]?.slice(1, -1) ?? "");
      pos += attr[0].length;
    }
    const close = /^\s*(\/?)>/.exec(text.slice(pos)) ?? fail(`bad start tag <${tag}`);
    pos += close[0].length;
    return { tag, selfClosing: close[1] === "/" };
  };

  if (text.startsWith("<?xml")) {
    const end = text.indexOf("?>");
    if (end < 0 || !/^<\?xml\s+version="1\.0"(\s+[a-z]+="[^"]*")*\s*\?>$/.test(text.slice(0, end + 2)))
      fail("bad XML declaration");
    pos = end + 2;
  }
  skipSpaceAndComments();
  const root = openTag();
  if (root.tag !== "flat-profile" || root.selfClosing) fail("root must be <flat-profile>");
  for (;;) {
    skipSpaceAndComments();
    if (text.startsWith("</", pos)) break;
    const { tag, selfClosing } = openTag();
    let value = "";
    if (!selfClosing) {
      const end = text.indexOf("<", pos);
      if (end < 0) fail(`unterminated <${tag}>`);
      value = decodeXmlText(text.slice(pos, end));
      pos = end;
      if (!text.startsWith(`</${tag}>`, pos)) fail(`expected </${tag}>`);
      pos += tag.length + 3;
    }
    if (settings.has(tag)) fail(`parameter ${tag} appears twice`);
    settings.set(tag, value);
  }
  if (!text.startsWith("</flat-profile>", pos)) fail("expected </flat-profile>");
  pos += "</flat-profile>".length;
  skipSpaceAndComments();
  if (pos !== text.length) fail("content after the root element");
  return { settings, comments };
}
