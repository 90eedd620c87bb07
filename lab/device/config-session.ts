import { type DeviceSpec, keyOf, modeOf, specsFor } from "./commands.js";
import { type CfgNode, insert, node } from "./config-tree.js";
import { type ParseResult, parse, parseError, splitWords } from "./grammar.js";
import type { Hardware } from "./hardware.js";
import { interfaceAllowed } from "./interfaces.js";
import { paramCheck } from "./params.js";
import { type EffectEnv, type Mode, modePrompts } from "./spec.js";

export interface LineResult {
  /** What IOS prints for the line (errors, "% Access VLAN does not exist…"); "" for most. */
  out: string;
  /** The line changed the configuration. */
  changed: boolean;
  /** The line was rejected (invalid, incomplete, ambiguous). */
  failed: boolean;
  /** `end`, Ctrl-Z, or `exit` from global configuration: back to privileged EXEC. */
  end?: boolean;
  /** `do <command>`: run this EXEC command. */
  exec?: string;
}

export interface SessionHooks {
  snmpUser(words: readonly string[], remove: boolean): void;
}

type Failure = Exclude<ParseResult, { ok: true }>;
const weight = (f: Failure) => (f.error === "incomplete" ? Number.POSITIVE_INFINITY : f.column);

/**
 * Configuration mode over a configuration tree, one line at a time, with IOS's sub-mode semantics
 * (Cisco IOS Configuration Fundamentals, "Using the Cisco IOS Command-Line Interface"): `interface X`
 * enters interface mode; a command the current mode does not know is tried in the enclosing modes and,
 * if one knows it, that mode becomes current (how a pasted config moves from one `interface` stanza to
 * the next without `exit`); `exit` leaves one level, `end` leaves configuration; `no <command>` removes
 * the line (or, for defaults that are on, stores the `no` line); `!` lines are comments.
 */
export class ConfigSession {
  readonly root: CfgNode;
  readonly hw: Hardware;
  readonly #hooks: SessionHooks;
  readonly #check;
  stack: { mode: Mode; node: CfgNode }[];

  constructor(root: CfgNode, hw: Hardware, hooks: SessionHooks) {
    this.root = root;
    this.hw = hw;
    this.#hooks = hooks;
    this.#check = paramCheck({ interfaceAllowed: (name) => interfaceAllowed(hw, name) });
    this.stack = [{ mode: "global", node: root }];
  }

  get mode(): Mode {
    return (this.stack.at(-1) as { mode: Mode }).mode;
  }

  /** `(config)`, `(config-if)`, `(dhcp-config)`… */
  get prompt(): string {
    return modePrompts[this.mode];
  }

  /** Applies one line; `indent` is where the line starts on the terminal (the prompt's length). */
  apply(raw: string, indent = 0): LineResult {
    const line = raw.replace(/\t/g, " ");
    const words = splitWords(line);
    const first = words[0];
    if (!first || first.text.startsWith("!")) return { out: "", changed: false, failed: false };
    const negated = first.text.toLowerCase() === "no";
    if (negated && words.length === 1)
      return { out: "% Incomplete command.\n", changed: false, failed: true };
    const offset = negated ? (words[1] as { start: number }).start : 0;
    const body = line.slice(offset);
    let best: Failure | undefined;
    for (let level = this.stack.length - 1; level >= 0; level--) {
      const specs = specsFor(this.hw, (this.stack[level] as { mode: Mode }).mode);
      const r = parse(
        specs.map((s) => s.g),
        body,
        this.#check,
        negated,
      );
      if (r.ok) {
        const spec = specs[r.spec] as DeviceSpec;
        if (!negated || (!spec.action && (!r.partial || partialOk(spec, r.words)))) {
          this.stack.length = level + 1;
          return this.#execute(spec, r.words, r.values, negated, line, indent);
        }
        if (!best) best = { ok: false, error: "incomplete" };
        continue;
      }
      if (!best || weight(r) > weight(best)) best = r;
    }
    const failure = best ?? { ok: false, error: "invalid", column: 0 };
    return { out: parseError(failure, body, indent + offset), changed: false, failed: true };
  }

  #execute(
    spec: DeviceSpec,
    words: string[],
    values: string[],
    negated: boolean,
    line: string,
    indent: number,
  ): LineResult {
    const ok = (out = "", changed = true): LineResult => ({ out, changed, failed: false });
    if (spec.action === "end") {
      this.stack.length = 1;
      return { ...ok("", false), end: true };
    }
    if (spec.action === "exit") {
      if (this.stack.length === 1) return { ...ok("", false), end: true };
      this.stack.pop();
      return ok("", false);
    }
    if (spec.action === "do") return { ...ok("", false), exec: values[0] ?? "" };
    const parent = (this.stack.at(-1) as { node: CfgNode }).node;
    const env = this.#env(parent);
    const key = keyOf(spec, words);
    if (negated) {
      if (spec.negate === "store") {
        insert(parent.children, this.#node(spec, `no ${key}`, key, words));
      } else if (spec.acl) {
        const seq = /^\d+$/.test(words[0] ?? "") ? words[0] : undefined;
        const entry = words.join(" ");
        parent.children = parent.children.filter((c) =>
          seq ? c.key !== seq : c.text.replace(/^\d+ /, "") !== entry,
        );
      } else {
        const target = parent.children.find((c) => c.key === key && c.rank === spec.rank);
        if (target?.fixed) {
          const at = splitWords(line).at(-1)?.start ?? 0;
          return {
            out: `${" ".repeat(indent + at)}^\n% Invalid input detected at '^' marker.\n`,
            changed: false,
            failed: true,
          };
        }
        parent.children = parent.children.filter(
          (c) =>
            !(
              c.rank === spec.rank &&
              (c.key === key || c.text.startsWith(`${words.join(" ")} `) || c.text === words.join(" "))
            ),
        );
      }
      return ok(spec.effect?.(words, env, true) ?? "");
    }
    if (spec.enter) {
      let block = parent.children.find((c) => c.key === key);
      if (!block) block = insert(parent.children, this.#node(spec, words.join(" "), key, words));
      this.stack.push({ mode: block.mode ?? (modeOf(spec, words, this.hw) as Mode), node: block });
      return ok("", !block.fixed);
    }
    let text = spec.store ? spec.store(words, env) : words.join(" ");
    let lineKey = key;
    if (spec.acl && text !== null) {
      const typed = /^\d+ /.test(text) ? Number(text.split(" ")[0]) : undefined;
      const seq = typed ?? Math.max(0, ...parent.children.map((c) => Number(c.text.split(" ")[0]) || 0)) + 10;
      text = `${seq} ${text.replace(/^\d+ /, "")}`;
      lineKey = String(seq);
    }
    if (text === null) parent.children = parent.children.filter((c) => c.key !== lineKey);
    else insert(parent.children, this.#node(spec, text, lineKey, words));
    return ok(spec.effect?.(words, env, false) ?? "");
  }

  #node(spec: DeviceSpec, text: string, key: string, words: readonly string[]): CfgNode {
    const mode = modeOf(spec, words, this.hw);
    return node({
      text,
      key,
      rank: spec.rank,
      sort: spec.sort?.(words, this.hw) ?? [],
      group: spec.group ?? 0,
      ...(mode ? { mode } : {}),
      ...(spec.bang ? { bang: true } : {}),
      ...(spec.acl ? { acl: true } : {}),
    });
  }

  #env(parent: CfgNode): EffectEnv {
    const root = this.root;
    const hw = this.hw;
    const vlanSpec = specsFor(hw, "global").find((s) => s.syntax.startsWith("vlan ")) as
      | DeviceSpec
      | undefined;
    return {
      hw,
      encrypt: root.children.some((c) => c.text === "service password-encryption"),
      siblings: parent.children,
      ensureVlan: (id) => {
        if (!vlanSpec || root.children.some((c) => c.text === `vlan ${id}`)) return false;
        insert(root.children, this.#node(vlanSpec, `vlan ${id}`, `vlan ${id}`, ["vlan", String(id)]));
        return true;
      },
      snmpUser: (w, remove) => this.#hooks.snmpUser(w, remove),
    };
  }
}

/** `no switchport voice vlan` may stop early, but not before the words that identify the setting. */
function partialOk(spec: DeviceSpec, words: readonly string[]): boolean {
  if (spec.acl) return words.length >= 1;
  if (typeof spec.key === "number") return words.length >= spec.key;
  return false;
}
