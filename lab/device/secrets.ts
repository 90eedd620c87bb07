import { createHash, pbkdf2Sync, randomBytes, scryptSync, timingSafeEqual } from "node:crypto";

/**
 * How IOS stores what it is given as a clear-text secret (`enable secret 0 x`, `username u secret 0 x`,
 * `ppp chap password 0 x`), so that `show running-config` shows what a real device shows:
 * - type 5: MD5-crypt (`$1$salt$…`), the default of `secret` on classic IOS 15.x;
 * - type 8: PBKDF2-SHA256, 20 000 iterations; type 9: scrypt N=16384 r=1 p=1 — the default of `secret` on
 *   IOS-XE 16/17 (Cisco "Cisco IOS Password Encryption Facts", IOS XE security configuration guides);
 * - type 7: the reversible Vigenère of `service password-encryption` for `password` commands.
 * Types 8/9 use a 14-character salt and base64 in Cisco's alphabet `./0-9A-Za-z`.
 */

const CISCO64 = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const STD64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

function cisco64(buf: Buffer): string {
  return [...buf.toString("base64").replace(/=+$/, "")].map((c) => CISCO64[STD64.indexOf(c)]).join("");
}

function salt(length: number): string {
  return [...randomBytes(length)].map((b) => CISCO64[b % 64]).join("");
}

/** FreeBSD MD5-crypt, which IOS uses for type 5 secrets. */
export function md5crypt(password: string, saltText: string): string {
  const pw = Buffer.from(password, "utf8");
  const s = Buffer.from(saltText.slice(0, 8), "utf8");
  const md5 = (...parts: Buffer[]) => {
    const h = createHash("md5");
    for (const p of parts) h.update(p);
    return h.digest();
  };
  const alt = md5(pw, s, pw);
  const ctx = createHash("md5").update(pw).update("$1$").update(s);
  for (let i = pw.length; i > 0; i -= 16) ctx.update(alt.subarray(0, Math.min(16, i)));
  for (let i = pw.length; i > 0; i >>= 1) ctx.update(i & 1 ? Buffer.from([0]) : pw.subarray(0, 1));
  let f = ctx.digest();
  for (let i = 0; i < 1000; i++) {
    const c = createHash("md5");
    c.update(i & 1 ? pw : f);
    if (i % 3) c.update(s);
    if (i % 7) c.update(pw);
    c.update(i & 1 ? f : pw);
    f = c.digest();
  }
  const to64 = (v: number, n: number) => {
    let out = "";
    for (let k = 0; k < n; k++, v >>= 6) out += CISCO64[v & 0x3f];
    return out;
  };
  const b = (i: number) => f[i] as number;
  const groups: [number, number, number][] = [
    [0, 6, 12],
    [1, 7, 13],
    [2, 8, 14],
    [3, 9, 15],
    [4, 10, 5],
  ];
  const body =
    groups.map(([x, y, z]) => to64((b(x) << 16) | (b(y) << 8) | b(z), 4)).join("") + to64(b(11), 2);
  return `$1$${s.toString("utf8")}$${body}`;
}

function type8(password: string, s: string): string {
  return `$8$${s}$${cisco64(pbkdf2Sync(password, s, 20_000, 32, "sha256"))}`;
}

function type9(password: string, s: string): string {
  return `$9$${s}$${cisco64(scryptSync(password, s, 32, { N: 16_384, r: 1, p: 1 }))}`;
}

/** The stored form of a clear-text secret: `9 $9$…` (IOS-XE) or `5 $1$…` (classic IOS). */
export function hashSecret(password: string, type: 5 | 9): string {
  return type === 9 ? `9 ${type9(password, salt(14))}` : `5 ${md5crypt(password, salt(4))}`;
}

const same = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** Checks a typed password against a stored `<type> <hash>` (types 0, 5, 8, 9 and 7). */
export function verifySecret(stored: string, password: string): boolean {
  const [type, hash = ""] = stored.split(" ");
  if (type === "0") return same(hash, password);
  if (type === "7") return same(type7Decode(hash) ?? "", password);
  const parts = hash.split("$");
  const s = parts[2] ?? "";
  if (type === "5") return same(md5crypt(password, s), hash);
  if (type === "8") return same(type8(password, s), hash);
  if (type === "9") return same(type9(password, s), hash);
  return false;
}

const XLAT = "dsfd;kfoA,.iyewrkldJKDHSUBsgvca69834ncxv9873254k;fg87";

/** `service password-encryption` (type 7): two-digit seed, then hex of each byte XOR the fixed key. */
export function type7Encode(password: string, seed = Math.floor(Math.random() * 16)): string {
  let out = String(seed).padStart(2, "0");
  for (let i = 0; i < password.length; i++) {
    const v = password.charCodeAt(i) ^ XLAT.charCodeAt((seed + i) % XLAT.length);
    out += v.toString(16).toUpperCase().padStart(2, "0");
  }
  return out;
}

export function type7Decode(text: string): string | null {
  if (!/^\d{2}([0-9A-Fa-f]{2})*$/.test(text)) return null;
  const seed = Number(text.slice(0, 2));
  let out = "";
  for (let i = 2, k = 0; i < text.length; i += 2, k++)
    out += String.fromCharCode(
      Number.parseInt(text.slice(i, i + 2), 16) ^ XLAT.charCodeAt((seed + k) % XLAT.length),
    );
  return out;
}
