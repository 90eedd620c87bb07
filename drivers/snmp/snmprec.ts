/**
 * The snmpsim `.snmprec` format: one `OID|tag|value` line per object instance, the tag being the sum of
 * the ASN.1 tag bytes as snmpsim computes it (snmpsim grammar/snmprec.py: 2 Integer32, 4 OCTET STRING,
 * 5 NULL, 6 OID, 64 IpAddress, 65 Counter32, 66 Gauge32, 67 TimeTicks, 68 Opaque, 70 Counter64,
 * 128/129/130 noSuchObject, noSuchInstance, endOfMibView). A trailing `x` on the tag means the value is hex, a trailing `e`
 * means Python-style escapes (snmpsim record/snmprec.py evaluateRawString). Plain OCTET STRING values
 * are latin-1 (pyasn1 str2octs), which is also how LibreNMS's recordings were written.
 */
import { PatchkastError } from "../../agent/errors.js";
import type { SnmpType, Varbind } from "./types.js";

const tagTypes: Record<string, SnmpType> = {
  "2": "Integer",
  "4": "OctetString",
  "5": "Null",
  "6": "OID",
  "64": "IpAddress",
  "65": "Counter32",
  "66": "Gauge32",
  "67": "TimeTicks",
  "68": "Opaque",
  "70": "Counter64",
  "128": "NoSuchObject",
  "129": "NoSuchInstance",
  "130": "EndOfMibView",
};

export const typeTags: Record<SnmpType, string> = Object.fromEntries(
  Object.entries(tagTypes).map(([tag, type]) => [type, tag]),
) as Record<SnmpType, string>;

const escapes: Record<string, number> = {
  "\\": 92,
  "'": 39,
  '"': 34,
  a: 7,
  b: 8,
  f: 12,
  n: 10,
  r: 13,
  t: 9,
  v: 11,
};

function unescapePython(value: string): Buffer {
  const out: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const c = value[i] as string;
    if (c !== "\\") {
      out.push(c.charCodeAt(0) & 0xff);
      continue;
    }
    const next = value[++i] ?? "";
    if (next === "x") {
      out.push(Number.parseInt(value.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (escapes[next] !== undefined) out.push(escapes[next]);
    else throw new Error(`unknown escape \\${next}`);
  }
  return Buffer.from(out);
}

function hex(value: string): Buffer {
  if (!/^([0-9a-fA-F]{2})*$/.test(value)) throw new Error(`"${value.slice(0, 40)}" is not hex`);
  return Buffer.from(value, "hex");
}

function decodeValue(type: SnmpType, raw: string, encoding: "x" | "e" | undefined): Varbind["value"] {
  const octets = () =>
    encoding === "x" ? hex(raw) : encoding === "e" ? unescapePython(raw) : Buffer.from(raw, "latin1");
  switch (type) {
    case "OctetString":
    case "Opaque":
      return octets();
    case "IpAddress":
      return encoding ? [...octets()].join(".") : raw;
    case "OID":
      return raw;
    case "Counter64":
      return BigInt(encoding === "x" ? `0x${raw || "0"}` : raw);
    case "Integer":
    case "Counter32":
    case "Gauge32":
    case "TimeTicks": {
      const n = encoding === "x" ? Number.parseInt(raw, 16) : Number(raw);
      if (!Number.isFinite(n)) throw new Error(`"${raw}" is not a number`);
      return n;
    }
    default:
      return null;
  }
}

/**
 * Parses snmprec text into varbinds sorted by OID. Blank lines and `#` comments are skipped; a line that
 * does not parse is an error naming `source` and the line number, unless `lenient` is set, in which case
 * it is skipped and reported in `skipped` (LibreNMS's ios.snmprec has anonymised MACs that are not hex).
 */
export function parseSnmprec(
  textIn: string,
  source = "snmprec",
  lenient = false,
): { varbinds: Varbind[]; skipped: string[] } {
  const varbinds: Varbind[] = [];
  const skipped: string[] = [];
  const lines = textIn.split(/\r?\n/);
  lines.forEach((line, i) => {
    if (line.trim() === "" || line.startsWith("#")) return;
    try {
      const first = line.indexOf("|");
      const second = line.indexOf("|", first + 1);
      if (first < 1 || second < 0) throw new Error("not OID|tag|value");
      const oid = line.slice(0, first).replace(/^\./, "");
      const tag = line.slice(first + 1, second);
      const raw = line.slice(second + 1);
      if (!/^\d+(\.\d+)+$/.test(oid)) throw new Error(`"${oid}" is not a numeric OID`);
      const m = /^(\d+)([xe])?$/.exec(tag);
      const type = m ? tagTypes[m[1] as string] : undefined;
      if (!m || !type) throw new Error(`unknown tag "${tag}"`);
      varbinds.push({ oid, type, value: decodeValue(type, raw, m[2] as "x" | "e" | undefined) });
    } catch (err) {
      const msg = `${source}:${i + 1}: ${(err as Error).message}`;
      if (!lenient) throw new PatchkastError("PK_ERR_SNMP_SNMPREC", msg);
      skipped.push(msg);
    }
  });
  varbinds.sort((a, b) => compareOids(a.oid, b.oid));
  return { varbinds, skipped };
}

/** Lexicographic order of OIDs by arc number, as agents order them (RFC 3416 §4.2.2). */
export function compareOids(a: string, b: string): number {
  const x = a.split(".");
  const y = b.split(".");
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = Number(x[i]) - Number(y[i]);
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/** Writes varbinds back as snmprec lines (OctetString as hex when it is not plain ASCII), for generated fixtures. */
export function formatSnmprec(varbinds: readonly Varbind[]): string {
  return varbinds
    .map(({ oid, type, value }) => {
      const tag = typeTags[type];
      if (Buffer.isBuffer(value)) {
        const plain = [...value].every((b) => b >= 0x20 && b < 0x7f && b !== 0x7c);
        return plain
          ? `${oid}|${tag}|${value.toString("latin1")}`
          : `${oid}|${tag}x|${value.toString("hex")}`;
      }
      return `${oid}|${tag}|${value === null ? "" : String(value)}`;
    })
    .join("\n")
    .concat("\n");
}
