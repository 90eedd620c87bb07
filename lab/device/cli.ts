import type { ConfigSession } from "./config-session.js";
import type { IosDevice } from "./device.js";
import { type ExecContext, type ExecResult, type ExecSpec, execSpecs, type Question } from "./exec.js";
import { compile, type GNode, parse, parseError } from "./grammar.js";
import { interfaceAllowed } from "./interfaces.js";
import { paramCheck } from "./params.js";

/**
 * One terminal session on a device, as a vty line behaves: echo and line editing (backspace, Ctrl-C,
 * Ctrl-Z), the prompt (`host>`, `host#`, `host(config-if)#`), the `--More--` pager while `terminal length`
 * is not 0 (space: next page, Enter: next line, q: stop; IOS erases the prompt with backspaces), questions
 * such as `Password:` (no echo), and output modifiers `| include|exclude|begin|section <regex>`.
 */
export class IosCli {
  readonly #dev: IosDevice;
  readonly #user: string;
  #privilege: number;
  #config: ConfigSession | null = null;
  #length = 24;
  #line = "";
  #lastCr = false;
  #question: Question | null = null;
  #pager: { lines: string[]; at: number } | null = null;
  #closed = false;
  #pending = "";
  readonly #write: (text: string) => void;
  readonly #onClose: () => void;

  constructor(
    dev: IosDevice,
    user: string,
    privilege: number,
    write: (t: string) => void,
    onClose: () => void,
  ) {
    this.#dev = dev;
    this.#user = user;
    this.#privilege = privilege;
    this.#write = write;
    this.#onClose = onClose;
  }

  get prompt(): string {
    return `${this.#dev.state().hostname}${this.#config ? this.#config.prompt : ""}${this.#privilege >= 15 ? "#" : ">"}`;
  }

  start(): void {
    this.#out(`\n${this.prompt}`);
    this.#flush();
  }

  /** Output is collected and written once per input chunk: one SSH packet, not one per echoed key. */
  #out(text: string): void {
    if (!this.#closed) this.#pending += text.replace(/\r?\n/g, "\r\n");
  }

  #flush(): void {
    const text = this.#pending;
    this.#pending = "";
    if (text !== "" && !this.#closed) this.#write(text);
  }

  feed(data: string): void {
    try {
      this.#feed(data);
    } finally {
      this.#flush();
    }
  }

  #feed(data: string): void {
    for (const ch of data) {
      if (this.#closed) return;
      if (this.#pager) {
        this.#page(ch);
        continue;
      }
      if (ch === "\n" && this.#lastCr) {
        this.#lastCr = false;
        continue;
      }
      this.#lastCr = ch === "\r";
      if (ch === "\r" || ch === "\n") this.#enter();
      else if (ch === "\x7f" || ch === "\b") {
        if (this.#line.length > 0) {
          this.#line = this.#line.slice(0, -1);
          if (this.#question?.echo !== false) this.#out("\b \b");
        }
      } else if (ch === "\x03" || ch === "\x1a") {
        this.#line = "";
        if (this.#config) this.#config = null;
        this.#out(`\n${this.prompt}`);
      } else if (ch >= " " || ch === "\t") {
        this.#line += ch;
        if (this.#question?.echo !== false) this.#out(ch);
      }
    }
  }

  #enter(): void {
    const line = this.#line;
    this.#line = "";
    this.#out("\n");
    const q = this.#question;
    this.#question = null;
    this.#show(q ? q.answer(line) : this.#command(line));
  }

  /** Output (through the pager) and then the next prompt or question. */
  #show(result: ExecResult): void {
    if (typeof result !== "string") {
      this.#question = result;
      this.#out(result.prompt);
      return;
    }
    const lines = result.replace(/\r\n/g, "\n").split("\n");
    if (lines.at(-1) === "") lines.pop();
    this.#pager = { lines, at: 0 };
    this.#page(" ");
  }

  #page(key: string): void {
    const p = this.#pager as { lines: string[]; at: number };
    if (p.at > 0) this.#out("\b".repeat(9) + " ".repeat(9) + "\b".repeat(9));
    const size = this.#length === 0 || this.#config ? Number.POSITIVE_INFINITY : this.#length - 1;
    const take = key === "q" || key === "Q" ? 0 : key === "\r" || key === "\n" ? 1 : size;
    const chunk = key === "q" || key === "Q" ? [] : p.lines.slice(p.at, p.at + take);
    for (const l of chunk) this.#out(`${l}\n`);
    p.at += chunk.length;
    if (chunk.length > 0 && p.at < p.lines.length) {
      this.#out(" --More-- ");
      return;
    }
    this.#pager = null;
    if (!this.#closed) this.#out(this.prompt);
  }

  /** One command line: configuration mode, or EXEC. */
  #command(raw: string): ExecResult {
    if (this.#config) {
      const r = this.#config.apply(raw, this.prompt.length);
      if (r.changed) this.#dev.touched(this.#user);
      if (r.end) this.#config = null;
      if (r.exec !== undefined) return r.out + asText(this.#exec(r.exec, 0));
      return r.out;
    }
    return this.#exec(raw, this.prompt.length);
  }

  #exec(raw: string, indent: number): ExecResult {
    const [left = "", ...pipe] = raw.split("|");
    if (left.trim() === "") return "";
    const specs = execSpecs.filter(
      (s) => s.priv <= this.#privilege && (!s.only || s.only.includes(this.#dev.hw.kind)),
    );
    const check = paramCheck({ interfaceAllowed: (n) => interfaceAllowed(this.#dev.hw, n) });
    const r = parse(specs.map(grammarOf), left, check);
    if (!r.ok) return parseError(r, left, indent);
    const result = (specs[r.spec] as ExecSpec).run(this.#context(), r.words, r.values);
    return pipe.length > 0 && typeof result === "string" ? filter(result, pipe.join("|")) : result;
  }

  #context(): ExecContext {
    return {
      dev: this.#dev,
      user: this.#user,
      privilege: this.#privilege,
      setPrivilege: (level) => {
        this.#privilege = level;
      },
      enterConfig: () => {
        this.#config = this.#dev.session();
      },
      setTerminal: (what, value) => {
        if (what === "length") this.#length = value;
      },
      close: () => this.close(),
    };
  }

  /** Runs one command without a terminal (an SSH `exec` request): output only, no prompt, no pager. */
  runOnce(command: string): string {
    this.#length = 0;
    return asText(this.#exec(command, 0));
  }

  close(): void {
    if (this.#closed) return;
    this.#flush();
    this.#closed = true;
    this.#onClose();
  }
}

const grammars = new WeakMap<ExecSpec, GNode>();
function grammarOf(s: ExecSpec): GNode {
  let g = grammars.get(s);
  if (!g) {
    g = compile(s.syntax);
    grammars.set(s, g);
  }
  return g;
}

const asText = (r: ExecResult) => (typeof r === "string" ? r : r.prompt);

/** `| include x`, `| exclude x`, `| begin x`, `| section x` (Cisco IOS CLI output modifiers). */
function filter(text: string, spec: string): string {
  const m = /^\s*(i\w*|e\w*|b\w*|s\w*)\s+(.+?)\s*$/.exec(spec);
  if (!m) return "% Invalid input detected at '^' marker.\n";
  const re = new RegExp(m[2] as string);
  const lines = text.split("\n");
  const kind = (m[1] as string)[0];
  if (kind === "i") return `${lines.filter((l) => re.test(l)).join("\n")}\n`;
  if (kind === "e") return `${lines.filter((l) => !re.test(l)).join("\n")}\n`;
  if (kind === "b") {
    const at = lines.findIndex((l) => re.test(l));
    return at < 0 ? "" : lines.slice(at).join("\n");
  }
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i] as string;
    if (/^\S/.test(l) && re.test(l)) {
      out.push(l);
      while (i + 1 < lines.length && /^\s/.test(lines[i + 1] as string)) out.push(lines[++i] as string);
    }
  }
  return out.length > 0 ? `${out.join("\n")}\n` : "";
}
