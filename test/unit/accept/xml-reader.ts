/**
 * A strict, non-validating XML 1.0 reader for test assertions: elements, attributes, text, CDATA, comments,
 * the five predefined entities and character references. It refuses what a conforming parser must refuse
 * (XML 1.0 §2.2 Char, §2.4 "]]>" and bare "&", §2.5 "--" in comments, §3.1 unique attributes and matched
 * tags, §2.8 one root) and applies line-end (§2.11) and attribute-value normalisation (§3.3.3), so that
 * what a test reads back is what Jenkins or GitLab would read. test/peers/accept-report.test.ts checks the
 * same files with libxml2 (xmllint).
 */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** The element's own character data, children's text excluded. */
  text: string;
}

const notChar = /[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u;
const name = "[A-Za-z_:][A-Za-z0-9_.:-]*";
const predefined: Readonly<Record<string, string>> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function decode(raw: string, at: number): string {
  return raw.replace(/&([^;&<]*)(;?)/g, (_m, ref: string, semi: string) => {
    if (semi !== ";") throw new Error(`offset ${at}: "&" that does not start a reference`);
    const num = /^#x([0-9a-fA-F]+)$/.exec(ref) ?? /^#([0-9]+)$/.exec(ref);
    if (num) {
      const code = Number.parseInt(num[1] as string, ref[1] === "x" ? 16 : 10);
      const ch = code <= 0x10ffff ? String.fromCodePoint(code) : "\u0000";
      if (notChar.test(ch)) throw new Error(`offset ${at}: &${ref}; is not an XML character`);
      return ch;
    }
    const ch = predefined[ref];
    if (ch === undefined) throw new Error(`offset ${at}: unknown entity &${ref};`);
    return ch;
  });
}

export function parseXml(source: string): XmlElement {
  const bad = notChar.exec(source);
  if (bad)
    throw new Error(`offset ${bad.index}: U+${bad[0].codePointAt(0)?.toString(16)} is not an XML character`);
  const src = source.replace(/\r\n?/g, "\n");
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let pos = 0;
  const at = (re: RegExp) => {
    re.lastIndex = pos;
    const m = re.exec(src);
    if (m) pos = re.lastIndex;
    return m;
  };
  if (src.startsWith("<?xml")) {
    if (!at(/<\?xml\s+version="1\.0"(\s+encoding="UTF-8")?\s*\?>/y)) throw new Error("bad XML declaration");
  }
  while (pos < src.length) {
    const top = stack[stack.length - 1];
    if (src.startsWith("<!--", pos)) {
      const end = src.indexOf("-->", pos + 4);
      if (end < 0 || src.slice(pos + 4, end).includes("--")) throw new Error(`offset ${pos}: bad comment`);
      pos = end + 3;
    } else if (src.startsWith("<![CDATA[", pos)) {
      const end = src.indexOf("]]>", pos);
      if (!top || end < 0) throw new Error(`offset ${pos}: CDATA outside an element or unterminated`);
      top.text += src.slice(pos + 9, end);
      pos = end + 3;
    } else if (src.startsWith("</", pos)) {
      const m = at(new RegExp(`</(${name})\\s*>`, "y"));
      const open = stack.pop();
      if (!m || open?.name !== m[1]) throw new Error(`offset ${pos}: end tag does not match ${open?.name}`);
    } else if (src[pos] === "<") {
      const start = pos;
      const m = at(new RegExp(`<(${name})`, "y"));
      if (!m) throw new Error(`offset ${pos}: malformed tag`);
      const el: XmlElement = { name: m[1] as string, attrs: {}, children: [], text: "" };
      for (;;) {
        const a = at(new RegExp(`\\s+(${name})\\s*=\\s*(?:"([^"<]*)"|'([^'<]*)')|\\s*(/?>)`, "y"));
        if (!a) throw new Error(`offset ${pos}: malformed attribute in <${el.name}>`);
        if (a[4] !== undefined) {
          if (top) top.children.push(el);
          else if (root) throw new Error(`offset ${start}: a second root element`);
          else root = el;
          if (a[4] === ">") stack.push(el);
          break;
        }
        const key = a[1] as string;
        if (Object.hasOwn(el.attrs, key)) throw new Error(`offset ${pos}: attribute ${key} twice`);
        el.attrs[key] = decode((a[2] ?? a[3] ?? "").replace(/[\t\n]/g, " "), pos);
      }
    } else {
      const end = src.indexOf("<", pos);
      const raw = src.slice(pos, end < 0 ? src.length : end);
      if (raw.includes("]]>")) throw new Error(`offset ${pos}: "]]>" in text`);
      if (!top) {
        if (raw.trim() !== "") throw new Error(`offset ${pos}: text outside the root element`);
      } else top.text += decode(raw, pos);
      pos += raw.length;
    }
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack.map((e) => e.name).join("> <")}>`);
  if (!root) throw new Error("no root element");
  return root;
}

/** Every element below (and including) `el` with this name, in document order. */
export function findAll(el: XmlElement, tag: string): XmlElement[] {
  return [...(el.name === tag ? [el] : []), ...el.children.flatMap((c) => findAll(c, tag))];
}
