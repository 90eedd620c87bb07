/**
 * Small pure helpers the readers share: turning varbind values into numbers, text, MAC and IP strings,
 * and grouping walked columns into rows by their index suffix.
 */
import type { SnmpClient, Varbind } from "./types.js";
import { isMissing } from "./types.js";

export function num(vb: Varbind | undefined): number | undefined {
  if (isMissing(vb)) return undefined;
  const v = vb?.value;
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  return undefined;
}

export function big(vb: Varbind | undefined): bigint | undefined {
  if (isMissing(vb)) return undefined;
  const v = vb?.value;
  if (typeof v === "bigint") return v;
  if (typeof v === "number") return BigInt(v);
  return undefined;
}

/**
 * DisplayString / SnmpAdminString as text. Trailing NULs are cut (some IOS releases pad ifAlias), and
 * the string is read as UTF-8 (SnmpAdminString, RFC 3411); invalid sequences become U+FFFD, never throw.
 */
export function text(vb: Varbind | undefined): string | undefined {
  if (isMissing(vb)) return undefined;
  const v = vb?.value;
  if (Buffer.isBuffer(v)) return v.toString("utf8").replace(/\0+$/, "");
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "bigint") return String(v);
  return undefined;
}

export function bytes(vb: Varbind | undefined): Buffer | undefined {
  if (isMissing(vb)) return undefined;
  const v = vb?.value;
  return Buffer.isBuffer(v) ? v : undefined;
}

/** SNMPv2-TC TruthValue: true(1), false(2). */
export function truth(vb: Varbind | undefined): boolean | undefined {
  const n = num(vb);
  return n === 1 ? true : n === 2 ? false : undefined;
}

/** An enumerated INTEGER as its MIB label; unknown values come back as "unknown(<n>)" rather than vanish. */
export function enumOf<T extends string>(vb: Varbind | undefined, labels: Record<number, T>): T | undefined {
  const n = num(vb);
  if (n === undefined) return undefined;
  return labels[n] ?? (`unknown(${n})` as T);
}

export function mac(buf: Buffer): string {
  return [...buf].map((b) => b.toString(16).padStart(2, "0")).join(":");
}

export function ipFromBytes(buf: Buffer): string | undefined {
  if (buf.length === 4) return [...buf].join(".");
  if (buf.length === 16) {
    const groups: string[] = [];
    for (let i = 0; i < 16; i += 2) groups.push(buf.readUInt16BE(i).toString(16));
    return groups.join(":");
  }
  return undefined;
}

/** Bytes that are printable text stay text; anything else is shown as colon-separated hex. */
export function printable(buf: Buffer): string {
  const isText = buf.length > 0 && [...buf].every((b) => (b >= 0x20 && b < 0x7f) || b === 0x0a || b === 0x0d);
  return isText ? buf.toString("latin1") : mac(buf);
}

/** The set bits of an SNMP BITS value (bit 0 is the most significant bit of the first byte, RFC 2578 §7.1.4). */
export function bitsOf<T extends string>(buf: Buffer | undefined, names: readonly T[]): T[] {
  if (!buf) return [];
  const out: T[] = [];
  names.forEach((name, bit) => {
    const byte = buf[bit >> 3];
    if (byte !== undefined && (byte & (0x80 >> (bit & 7))) !== 0) out.push(name);
  });
  return out;
}

/** The numeric index after `base.` in `oid`, or undefined when `oid` is not below `base`. */
export function suffix(oid: string, base: string): number[] | undefined {
  if (!oid.startsWith(`${base}.`)) return undefined;
  return oid
    .slice(base.length + 1)
    .split(".")
    .map(Number);
}

/** Rows keyed by index string ("1.5"), each a map of column name → varbind. */
export type Rows<C extends string> = Map<string, Partial<Record<C, Varbind>>>;

/** Groups walked column varbinds by index. `columns` maps a column name to its OID (no trailing dot). */
export function rowsOf<C extends string>(columns: Record<C, string>, varbinds: readonly Varbind[]): Rows<C> {
  const rows: Rows<C> = new Map();
  const entries = Object.entries(columns) as [C, string][];
  for (const vb of varbinds) {
    for (const [name, base] of entries) {
      if (!vb.oid.startsWith(`${base}.`)) continue;
      const index = vb.oid.slice(base.length + 1);
      const row: Partial<Record<C, Varbind>> = rows.get(index) ?? {};
      row[name] = vb;
      rows.set(index, row);
      break;
    }
  }
  return rows;
}

/** Walks each column in turn (one GETBULK walk per column, as snmpbulkwalk would) and concatenates them. */
export async function walkColumns(
  client: SnmpClient,
  mib: string,
  columns: Record<string, string>,
): Promise<Varbind[]> {
  const out: Varbind[] = [];
  for (const [name, oid] of Object.entries(columns)) {
    out.push(...(await client.walk(oid, { label: `${mib} ${name}` })));
  }
  return out;
}
