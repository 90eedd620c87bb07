import { isIPv4 } from "node:net";
import type { GNode, ParamCheck, ParamResult, Word } from "./grammar.js";

/**
 * Parameter types of the command tables. Each takes one word (or, for `<rest>`, the rest of the line)
 * and returns the value as IOS stores it, or the column in the word where the IOS parser would put its
 * caret. Values are stored in IOS's canonical form: interface names in full (`Gi1/0/1` →
 * `GigabitEthernet1/0/1`), VLAN lists collapsed (`10,11,12` → `10-12`), storm-control levels with two
 * decimals (`1` → `1.00`).
 */

/** Interface types IOS knows on these platforms, with the abbreviations the CLI accepts as prefixes. */
export const interfaceTypes = [
  "GigabitEthernet",
  "TenGigabitEthernet",
  "FastEthernet",
  "Vlan",
  "Dialer",
  "Loopback",
  "Port-channel",
] as const;

/** `gi1/0/1`, `Gi1/0/1`, `GigabitEthernet1/0/1` → `GigabitEthernet1/0/1`; a caret column when not a name. */
export function canonicalInterface(typed: string): { name: string } | { caret: number } {
  const m = /^([A-Za-z-]+)(.*)$/.exec(typed);
  if (!m) return { caret: 0 };
  const type = (m[1] as string).toLowerCase();
  const matches = interfaceTypes.filter((t) => t.toLowerCase().startsWith(type));
  if (matches.length !== 1) {
    const best = Math.max(...interfaceTypes.map((t) => prefixLength(type, t.toLowerCase())));
    return { caret: matches.length > 1 ? type.length : best };
  }
  const number = m[2] as string;
  const ok = /^\d+(\/\d+)*(\.\d+)?$/.exec(number);
  if (!ok) {
    const bad = number.search(/[^\d/.]/);
    return { caret: (m[1] as string).length + (bad < 0 ? 0 : bad) };
  }
  return { name: `${matches[0]}${number}` };
}

function prefixLength(a: string, b: string): number {
  let n = 0;
  while (n < a.length && a[n] === b[n]) n++;
  return n;
}

/** What the device says about interface names: which exist, which it can create. */
export interface ParamContext {
  /** For `interface <iface>`: null when the device has or can create it, else the caret column. */
  interfaceAllowed(name: string): number | null;
}

const numberCaret = (text: string) => Math.max(0, text.search(/[^0-9-]/));

function int(p: { lo: number; hi: number }, text: string): ParamResult {
  const re = p.lo < 0 ? /^-?\d+$/ : /^\d+$/;
  if (!re.test(text)) return { caret: numberCaret(text) };
  const v = Number(text);
  return v >= p.lo && v <= p.hi ? { value: String(v), take: 1 } : { caret: 0 };
}

function ip(text: string): ParamResult {
  if (isIPv4(text)) return { value: text.split(".").map(Number).join("."), take: 1 };
  const bad = text.search(/[^0-9.]/);
  return { caret: bad < 0 ? 0 : bad };
}

function isMask(text: string): boolean {
  if (!isIPv4(text)) return false;
  const bits = text.split(".").reduce((acc, o) => acc * 256 + Number(o), 0);
  const inv = ~bits >>> 0;
  return ((inv + 1) & inv) === 0;
}

/** `10,30,99`, `1-4094`: VLAN ids in 1..4094, printed collapsed and sorted as IOS prints them. */
export function vlanList(text: string): string | null {
  if (!/^\d+(-\d+)?(,\d+(-\d+)?)*$/.test(text)) return null;
  const ids = new Set<number>();
  for (const part of text.split(",")) {
    const [a, b = a] = part.split("-").map(Number) as [number, number?];
    if (a < 1 || (b as number) > 4094 || (b as number) < a) return null;
    for (let v = a; v <= (b as number); v++) ids.add(v);
  }
  const sorted = [...ids].sort((x, y) => x - y);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const start = sorted[i] as number;
    let end = start;
    while (sorted[i + 1] === end + 1) end = sorted[++i] as number;
    parts.push(end > start + 1 ? `${start}-${end}` : end > start ? `${start},${end}` : String(start));
  }
  return parts.join(",");
}

const DSCP = /^(ef|default|af[1-4][1-3]|cs[0-7]|\d|[1-5]\d|6[0-3])$/i;
const PORT_NAMES = new Set([
  "www",
  "ntp",
  "domain",
  "ftp",
  "ftp-data",
  "telnet",
  "smtp",
  "pop3",
  "tftp",
  "snmp",
  "snmptrap",
  "isakmp",
  "syslog",
  "bootps",
  "bootpc",
]);

export function paramCheck(ctx: ParamContext): ParamCheck {
  return (p: Extract<GNode, { k: "param" }>, words: Word[], i: number, line: string): ParamResult => {
    const w = words[i] as Word;
    const t = w.text;
    switch (p.type) {
      case "int":
        return int(p, t);
      case "word":
        return { value: t, take: 1 };
      case "rest":
        return { value: line.slice(w.start).trimEnd(), take: words.length - i };
      case "hostname":
        return /^[A-Za-z0-9][\w.-]{0,62}$/.test(t) ? { value: t, take: 1 } : { caret: 0 };
      case "ip":
      case "wildcard":
        return ip(t);
      case "mask":
        return isMask(t) ? { value: t, take: 1 } : { caret: 0 };
      case "host":
        return isIPv4(t) || /^[A-Za-z][A-Za-z0-9.-]*$/.test(t) ? { value: t, take: 1 } : { caret: 0 };
      case "vlanlist": {
        const v = vlanList(t);
        return v === null ? { caret: Math.max(0, t.search(/[^0-9,-]/)) } : { value: v, take: 1 };
      }
      case "decimal":
        return /^\d{1,3}(\.\d{1,2})?$/.test(t) && Number(t) <= 100
          ? { value: Number(t).toFixed(2), take: 1 }
          : { caret: 0 };
      case "dscp":
        return DSCP.test(t) ? { value: t.toLowerCase(), take: 1 } : { caret: 0 };
      case "hhmm":
        return /^([01]?\d|2[0-3]):[0-5]\d$/.test(t) ? { value: t, take: 1 } : { caret: 0 };
      case "oid":
        return /^(iso|\d+(\.\d+)*)(\.\d+)*$/i.test(t) ? { value: t, take: 1 } : { caret: 0 };
      case "port": {
        if (PORT_NAMES.has(t.toLowerCase())) return { value: t.toLowerCase(), take: 1 };
        return int({ lo: 0, hi: 65535 }, t);
      }
      case "url":
        return url(t);
      case "ifname": {
        const r = canonicalInterface(t);
        return "name" in r ? { value: r.name, take: 1 } : r;
      }
      case "iface": {
        const r = canonicalInterface(t);
        if (!("name" in r)) return r;
        const caret = ctx.interfaceAllowed(r.name);
        if (caret === null) return { value: r.name, take: 1 };
        // The device's caret is within the full name; move it onto the word as typed (`Gi1/0/99`).
        const typedAlpha = (/^[A-Za-z-]+/.exec(t)?.[0] ?? "").length;
        const fullAlpha = (/^[A-Za-z-]+/.exec(r.name)?.[0] ?? "").length;
        return { caret: caret >= fullAlpha ? typedAlpha + caret - fullAlpha : Math.min(caret, typedAlpha) };
      }
      default:
        throw new Error(`unknown parameter type <${p.type}>`);
    }
  };
}

/** File-system URLs as the IOS file system (IFS) names them; `running-config` and `startup-config` too. */
function url(t: string): ParamResult {
  const lower = t.toLowerCase();
  if ("running-config".startsWith(lower) && lower.length >= 3)
    return { value: "system:running-config", take: 1 };
  if ("startup-config".startsWith(lower) && lower.length >= 3)
    return { value: "nvram:startup-config", take: 1 };
  const m = /^(flash|bootflash|nvram|system|null|tftp|scp|ftp):(\S*)$/i.exec(t);
  if (!m) return { caret: Math.max(0, prefixLength(lower, "flash:")) };
  return { value: `${(m[1] as string).toLowerCase()}:${m[2]}`, take: 1 };
}
