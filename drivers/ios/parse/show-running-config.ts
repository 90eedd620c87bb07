import { type Line, ParseError, prepare } from "./common.js";
import { maskSecrets } from "./config-secrets.js";

export { type ConfigDiffEntry, diffConfig } from "./config-diff.js";

const COMMAND = "show running-config";

/** One configuration line and the lines indented under it. */
export interface ConfigNode {
  line: string;
  children: ConfigNode[];
}

/**
 * `show running-config` (or `startup-config`) normalised for drift detection (netconfig.md §0 item 6):
 * volatile lines dropped, secrets masked, lines arranged by indentation.
 *
 * @example
 * { hostname: "sw-access-1", version: "17.9",
 *   nodes: [ { line: "version 17.9", children: [] },
 *            { line: "enable secret 9 <secret>", children: [] },
 *            { line: "interface GigabitEthernet1/0/5", children: [
 *                { line: "switchport voice vlan 200", children: [] } ] },
 *            { line: "banner motd ^C", children: [ { line: "Authorised access only", children: [] } ] } ] }
 */
export interface RunningConfig {
  hostname: string | null;
  version: string | null;
  /** Top-level lines in device order; children hold the indented lines, without their indentation. */
  nodes: ConfigNode[];
}

/**
 * Lines that change without a configuration change, dropped as NAPALM `get_config` and Oxidized's IOS model
 * do (netconfig.md §1.2, §2.4): the build banner, the byte count, the change/save timestamps and the
 * `ntp clock-period` that IOS rewrites as the clock is disciplined.
 */
const VOLATILE = [
  /^Building configuration\.\.\.$/,
  /^Current configuration\s*:\s*\d+ bytes$/,
  /^!\s*Last configuration change at /,
  /^!\s*NVRAM config last updated at /,
  /^!\s*No configuration change since last restart/,
  /^ntp clock-period \d+$/,
];

/** `banner motd ^C` … `^C`: the body is free text, so its lines are children as printed, not by indent. */
const BANNER = /^banner (\S+) (\^C|\S)(.*)$/;

const isComment = (t: string) => t.startsWith("!");

/**
 * Normalised lines (indentation kept, volatile lines and `!` lines dropped, trailing `end` and what follows
 * it dropped) with the banners folded into single nodes.
 */
export function normaliseRunningConfig(text: string): ConfigNode[] {
  const body = prepare(COMMAND, text).filter((l) => !VOLATILE.some((re) => re.test(l.text.trim())));
  const roots: ConfigNode[] = [];
  const stack: { indent: number; node: ConfigNode }[] = [];
  for (let i = 0; i < body.length; i++) {
    const raw = (body[i] as Line).text;
    const t = raw.trim();
    // IOS never stores comments: every `!` line it prints is a separator (Cisco IOS Configuration
    // Fundamentals: comments entered in configuration mode are not saved).
    if (t === "" || isComment(t)) continue;
    const indent = raw.length - raw.trimStart().length;
    if (indent === 0 && t === "end") break;
    while (stack.length > 0 && (stack.at(-1) as { indent: number }).indent >= indent) stack.pop();
    const parent = stack.at(-1)?.node;
    const node: ConfigNode = { line: maskSecrets(t, parent?.line), children: [] };
    (parent ? parent.children : roots).push(node);
    const banner = indent === 0 ? BANNER.exec(t) : null;
    if (banner) {
      i = foldBanner(node, body, i, banner[2] as string, banner[3] as string);
      continue;
    }
    stack.push({ indent, node });
  }
  return roots;
}

/** Reads the banner body after line `i`; returns the index of its closing line. */
function foldBanner(node: ConfigNode, body: readonly Line[], i: number, delim: string, rest: string): number {
  if (rest.includes(delim)) return i; // one-line banner: `banner motd ^CAuthorised only^C`
  if (rest !== "") node.children.push({ line: rest, children: [] });
  for (let j = i + 1; j < body.length; j++) {
    const text = (body[j] as Line).text;
    const close = text.indexOf(delim);
    const content = close >= 0 ? text.slice(0, close) : text;
    if (content.trim() !== "") node.children.push({ line: content, children: [] });
    if (close >= 0) return j;
  }
  const at = body[i] as Line;
  throw new ParseError("PK_ERR_PARSE_UNRECOGNISED", COMMAND, at.n, `banner without its closing ${delim}`);
}

export function parseShowRunningConfig(text: string): RunningConfig {
  const nodes = normaliseRunningConfig(text);
  const top = (re: RegExp) => {
    for (const n of nodes) {
      const m = re.exec(n.line);
      if (m) return m[1] as string;
    }
    return null;
  };
  const hostname = top(/^hostname (\S+)$/);
  const version = top(/^version (\S+)$/);
  if (hostname === null && version === null && !nodes.some((n) => /^interface /.test(n.line)))
    throw new ParseError(
      "PK_ERR_PARSE_UNRECOGNISED",
      COMMAND,
      null,
      "no `hostname`, `version` or `interface` line: this is not a running configuration",
    );
  return { hostname, version, nodes };
}

/** The configuration back as text, one space of indentation per level (for display and hashing). */
export function renderConfig(nodes: readonly ConfigNode[], depth = 0): string[] {
  return nodes.flatMap((n) => [`${" ".repeat(depth)}${n.line}`, ...renderConfig(n.children, depth + 1)]);
}
