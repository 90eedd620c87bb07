/**
 * Reads the Python literal subset genieparser's `*_expected.py` files use: an optional `name = ` prefix,
 * then dicts, lists, tuples (read as arrays), strings in single or double quotes (adjacent strings are
 * joined, as Python does), ints, floats, True/False/None, trailing commas and `#` comments. Dict keys come
 * back as strings (Python `1:` becomes "1"). Anything else is an error with the offset, never a guess.
 */

export type PyValue = null | boolean | number | string | PyValue[] | { [key: string]: PyValue };

class Reader {
  pos = 0;
  constructor(readonly text: string) {}

  fail(what: string): never {
    const near = this.text.slice(this.pos, this.pos + 30);
    throw new Error(`python literal: ${what} at offset ${this.pos} (near ${JSON.stringify(near)})`);
  }

  skip(): void {
    for (;;) {
      const m = /^(?:\s+|#[^\n]*)/.exec(this.text.slice(this.pos));
      if (!m || m[0] === "") return;
      this.pos += m[0].length;
    }
  }

  peek(): string {
    this.skip();
    return this.text[this.pos] ?? "";
  }

  expect(ch: string): void {
    if (this.peek() !== ch) this.fail(`expected ${JSON.stringify(ch)}`);
    this.pos++;
  }

  value(): PyValue {
    const ch = this.peek();
    if (ch === "{") return this.dict();
    if (ch === "[") return this.sequence("[", "]");
    if (ch === "(") return this.sequence("(", ")");
    if (ch === "'" || ch === '"') return this.strings();
    const rest = this.text.slice(this.pos);
    const word = /^(True|False|None)\b/.exec(rest);
    if (word) {
      this.pos += (word[0] as string).length;
      return word[1] === "None" ? null : word[1] === "True";
    }
    const num = /^[-+]?(?:\d[\d_]*)(?:\.\d+)?(?:[eE][-+]?\d+)?/.exec(rest);
    if (num) {
      this.pos += num[0].length;
      return Number(num[0].replace(/_/g, ""));
    }
    return this.fail("unexpected token");
  }

  dict(): { [key: string]: PyValue } {
    this.expect("{");
    const out: { [key: string]: PyValue } = {};
    while (this.peek() !== "}") {
      const key = this.value();
      if (key === null || typeof key === "object") this.fail("dict key must be a string or number");
      this.expect(":");
      out[String(key)] = this.value();
      if (this.peek() === ",") this.pos++;
      else if (this.peek() !== "}") this.fail("expected , or }");
    }
    this.pos++;
    return out;
  }

  sequence(open: string, close: string): PyValue[] {
    this.expect(open);
    const out: PyValue[] = [];
    while (this.peek() !== close) {
      out.push(this.value());
      if (this.peek() === ",") this.pos++;
      else if (this.peek() !== close) this.fail(`expected , or ${close}`);
    }
    this.pos++;
    return out;
  }

  /** One or more adjacent string literals, joined. */
  strings(): string {
    let out = "";
    while (this.peek() === "'" || this.peek() === '"') out += this.string();
    return out;
  }

  string(): string {
    const quote = this.text[this.pos] as string;
    this.pos++;
    let out = "";
    for (;;) {
      const ch = this.text[this.pos];
      if (ch === undefined || ch === "\n") this.fail("unterminated string");
      this.pos++;
      if (ch === quote) return out;
      if (ch !== "\\") {
        out += ch;
        continue;
      }
      const esc = this.text[this.pos] ?? "";
      this.pos++;
      const simple: Record<string, string> = {
        n: "\n",
        t: "\t",
        r: "\r",
        "\\": "\\",
        "'": "'",
        '"': '"',
        "0": "\0",
      };
      if (esc in simple) out += simple[esc];
      else if (esc === "x" || esc === "u") {
        const len = esc === "x" ? 2 : 4;
        const hex = this.text.slice(this.pos, this.pos + len);
        if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== len) this.fail("bad escape");
        out += String.fromCharCode(Number.parseInt(hex, 16));
        this.pos += len;
      } else out += `\\${esc}`; // Python keeps unknown escapes verbatim
    }
  }
}

/** Parses one literal; `expected_output = {...}` style assignments are accepted. */
export function parsePythonLiteral(text: string): PyValue {
  const r = new Reader(text);
  r.skip();
  const assign = /^[A-Za-z_]\w*\s*=(?!=)/.exec(text.slice(r.pos));
  if (assign) r.pos += assign[0].length;
  const value = r.value();
  r.skip();
  if (r.pos !== text.length) r.fail("text after the literal");
  return value;
}
