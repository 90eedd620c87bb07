import { type Line, ParseError, prepare, textOrNull } from "./common.js";

const COMMAND = "show version";

/** One switch of a stack, from the `Switch Ports Model …` table and the per-switch blocks. */
export interface StackMember {
  /** Null when the output names no number for the block it came from (C9500 StackWise Virtual). */
  switchNumber: number | null;
  /** The switch this session runs on: marked `*` in the table, or the unnumbered first block. */
  active: boolean;
  model: string | null;
  serialNumber: string | null;
  macAddress: string | null;
  ports: number | null;
  swVersion: string | null;
  swImage: string | null;
  mode: string | null;
}

export interface UptimeParts {
  years: number;
  weeks: number;
  days: number;
  hours: number;
  minutes: number;
}

/**
 * `show version`.
 *
 * @example
 * {
 *   os: "IOS-XE", version: "17.9.4a", softwareImage: "CAT9K_LITE_IOSXE", release: "fc3",
 *   hostname: "LAB-SW123_9200L", uptime: "44 weeks, 4 days, 1 hour, 16 minutes",
 *   uptimeParts: { years: 0, weeks: 44, days: 4, hours: 1, minutes: 16 }, uptimeSeconds: 27005760,
 *   rom: "IOS-XE ROMMON", bootloader: "System Bootstrap, Version 17.9.1r [FC13], RELEASE SOFTWARE (P)",
 *   returnedToRomBy: "Reload Command", lastReloadReason: "Reload Command", reloadReason: "Reload Command",
 *   restartedAt: "11:41:27 CET Thu Nov 2 2023", systemImage: "flash:cat9k_lite_iosxe.17.09.04a.SPA.bin",
 *   platform: "C9200L-24P-4G", processorBoardId: "JAE24FFFFFF", configRegister: "0x102",
 *   members: [{ switchNumber: 1, active: true, model: "C9200L-24P-4G", serialNumber: "JAE24FFFFFF", … }]
 * }
 */
export interface ShowVersion {
  os: "IOS" | "IOS-XE";
  version: string;
  /** The image family in parentheses on the version line: `CAT9K_IOSXE`, `C2960X-UNIVERSALK9-M`. */
  softwareImage: string | null;
  /** `fc1` from `RELEASE SOFTWARE (fc1)`; null for interim builds. */
  release: string | null;
  hostname: string;
  uptime: string;
  uptimeParts: UptimeParts;
  uptimeSeconds: number;
  rom: string | null;
  bootloader: string | null;
  /** `reload` from `System returned to ROM by reload at …`. */
  returnedToRomBy: string | null;
  lastReloadReason: string | null;
  /** `Last reload reason` when printed, else the `returned to ROM by` cause. */
  reloadReason: string | null;
  restartedAt: string | null;
  /** As printed, with the file system: `flash:packages.conf`. */
  systemImage: string | null;
  /** The model from the processor line (`cisco WS-C4948E (MPC8548) processor …`, `Cisco IOSv (revision 1.0) with`). */
  platform: string | null;
  processorBoardId: string | null;
  configRegister: string | null;
  /** Empty on routers and on switches that print no per-switch details (classic 4948E, IOSv). */
  members: StackMember[];
}

// `Cisco IOS Software [Gibraltar], Catalyst L3 Switch Software (CAT9K_IOSXE), Version 16.12.4, …`; the
// pre-12.3 banner is `IOS (tm) C2950 Software (…), Version …`. 3650/3850 Denali prints no comma before
// RELEASE (ntc cisco_ios_show_version1.raw: `Version 03.06.05E RELEASE SOFTWARE (fc2)`).
const VERSION_LINE = /^(?:Cisco IOS Software|IOS \(tm\))\b.*?\(([\w.-]+)\),\s*Version\s+([^\s,]+)/;
const RELEASE = /SOFTWARE \(([^)]+)\)\s*$/;
const PLATFORM = /^[Cc]isco (\S+) (?:\([^)]*\) )*(?:processor|with)\b/;
const STACK_ROW = /^(\*)?\s*(\d+)\s+(\d+)\s+(\S+)\s+(\S+)\s+(\S+)(?:\s+(\S+))?$/;
// Classic IOS spells them `Base ethernet MAC Address`, `Model number`, `System serial number` (2960-X/3750).
const BLOCK_KEY = /^(Base Ethernet MAC Address|Model Number|System Serial Number|Switch uptime)\s*:\s*(.*)$/i;

const UNIT_SECONDS: Record<keyof UptimeParts, number> = {
  years: 31_536_000,
  weeks: 604_800,
  days: 86_400,
  hours: 3600,
  minutes: 60,
};

/** `2 years, 31 weeks, 6 days, 9 hours, 55 minutes` → its parts; missing units are 0. */
export function parseUptime(text: string): UptimeParts {
  const parts: UptimeParts = { years: 0, weeks: 0, days: 0, hours: 0, minutes: 0 };
  for (const m of text.matchAll(/(\d+) (year|week|day|hour|minute)s?/g))
    parts[`${m[2]}s` as keyof UptimeParts] = Number(m[1]);
  return parts;
}

const secondsOf = (p: UptimeParts): number =>
  (Object.keys(p) as (keyof UptimeParts)[]).reduce((s, k) => s + p[k] * UNIT_SECONDS[k], 0);

/** The `Switch Ports Model SW Version SW Image Mode` table: rows after its dashes, up to a blank line. */
function stackRows(lines: readonly Line[]): StackMember[] {
  const start = lines.findIndex((l) => /^Switch\s+Ports\s+Model/.test(l.text));
  if (start < 0) return [];
  const rows: StackMember[] = [];
  for (const l of lines.slice(start + 1)) {
    if (/^[-\s]+$/.test(l.text) && l.text.trim() !== "") continue;
    const row = STACK_ROW.exec(l.text);
    if (!row) break;
    rows.push({
      switchNumber: Number(row[2]),
      active: row[1] === "*",
      model: row[4] as string,
      serialNumber: null,
      macAddress: null,
      ports: Number(row[3]),
      swVersion: row[5] as string,
      swImage: row[6] as string,
      mode: row[7] ?? null,
    });
  }
  return rows;
}

interface Block {
  number: number | null;
  fields: Map<string, string>;
}

/** Table rows and per-switch blocks joined by switch number; the unnumbered first block is the active one. */
function members(rows: StackMember[], blocks: Block[]): StackMember[] {
  const activeRow = rows.find((r) => r.active);
  const out: StackMember[] = [];
  blocks.forEach((b, i) => {
    const number = b.number ?? (i === 0 ? (activeRow?.switchNumber ?? null) : null);
    const row = rows.find((r) => r.switchNumber !== null && r.switchNumber === number);
    out.push({
      switchNumber: number,
      active: row ? row.active : b.number === null && i === 0,
      model: textOrNull(b.fields.get("model number")) ?? row?.model ?? null,
      serialNumber: textOrNull(b.fields.get("system serial number")),
      macAddress: textOrNull(b.fields.get("base ethernet mac address")),
      ports: row?.ports ?? null,
      swVersion: row?.swVersion ?? null,
      swImage: row?.swImage ?? null,
      mode: row?.mode ?? null,
    });
  });
  for (const r of rows) if (!out.some((m) => m.switchNumber === r.switchNumber)) out.push(r);
  return out;
}

export function parseShowVersion(text: string): ShowVersion {
  const lines = prepare(COMMAND, text);
  const find = (re: RegExp): RegExpExecArray | null => {
    for (const l of lines) {
      const m = re.exec(l.text.trim());
      if (m) return m;
    }
    return null;
  };
  const versionLine = lines.find((l: Line) => VERSION_LINE.test(l.text));
  const uptime = find(/^(\S+) uptime is (.+)$/);
  if (!versionLine || !uptime)
    throw new ParseError(
      "PK_ERR_PARSE_UNRECOGNISED",
      COMMAND,
      null,
      `no ${versionLine ? "`<hostname> uptime is` line" : "`Cisco IOS Software … Version` line"}: this is not show version output`,
    );
  const v = VERSION_LINE.exec(versionLine.text) as RegExpExecArray;
  const blocks: Block[] = [];
  for (const l of lines) {
    const t = l.text.trim();
    const header = /^Switch 0*(\d+)$/.exec(t);
    if (header) blocks.push({ number: Number(header[1]), fields: new Map() });
    const key = BLOCK_KEY.exec(t);
    if (key) {
      if (blocks.length === 0) blocks.push({ number: null, fields: new Map() });
      (blocks.at(-1) as Block).fields.set((key[1] as string).toLowerCase(), (key[2] as string).trim());
    }
  }
  const uptimeText = (uptime[2] as string).trim();
  const parts = parseUptime(uptimeText);
  const returned = find(/^System returned to ROM by (.+?)(?: at .*)?$/)?.[1] ?? null;
  const lastReload = find(/^Last reload reason: (.+)$/)?.[1] ?? null;
  const xe = lines.some((l) => /^Cisco IOS[ -]XE Software/.test(l.text)) || /IOS-?XE/.test(versionLine.text);
  return {
    os: xe ? "IOS-XE" : "IOS",
    version: v[2] as string,
    softwareImage: v[1] ?? null,
    release: RELEASE.exec(versionLine.text)?.[1] ?? null,
    hostname: uptime[1] as string,
    uptime: uptimeText,
    uptimeParts: parts,
    uptimeSeconds: secondsOf(parts),
    rom: find(/^ROM: (.+)$/)?.[1] ?? null,
    bootloader: find(/^BOOTLDR: (.+)$/)?.[1] ?? null,
    returnedToRomBy: returned,
    lastReloadReason: lastReload,
    reloadReason: lastReload ?? returned,
    restartedAt: find(/^System restarted at (.+)$/)?.[1] ?? null,
    systemImage: find(/^System image file is "(.*)"$/)?.[1] ?? null,
    platform: find(PLATFORM)?.[1] ?? null,
    processorBoardId: find(/^Processor board ID (\S+)/)?.[1] ?? null,
    configRegister: find(/^Configuration register is (\S+)/)?.[1] ?? null,
    members: members(stackRows(lines), blocks),
  };
}
