/**
 * Shared pieces of the families' `parseUserAgent` and `macFromPath`: what a provisioning request says about
 * the phone that made it. Both inputs come from the network and are spoofable (reference/provisioning.md
 * §0 item 7), so nothing here throws and every regular expression is anchored with bounded repeats.
 */

/** Longest User-Agent a family reads; the real ones in provisioning.md §2 are under 90 characters. */
export const maxUserAgentLength = 256;

/** Longest request path looked at; a per-device name is at most `Config` + 12 + `.cfg` (22) characters. */
const maxPathLength = 128;

/**
 * The User-Agent as the families' regular expressions see it, or undefined when no phone sends it: empty,
 * longer than maxUserAgentLength, or carrying control characters (C0, DEL, C1), which a header value may
 * not carry and which would otherwise reach the logs.
 */
export function userAgentText(userAgent: string): string | undefined {
  if (typeof userAgent !== "string" || userAgent.length > maxUserAgentLength) return undefined;
  if (/[\u0000-\u001f\u007f-\u009f]/.test(userAgent)) return undefined;
  const text = userAgent.trim();
  return text === "" ? undefined : text;
}

/**
 * A MAC address that can be a phone's, as 12 lower-case hex digits, or undefined. The all-zero address and
 * group addresses (first octet odd: multicast and ff:ff:ff:ff:ff:ff) are never a device's (IEEE 802 I/G
 * bit; amooma/GS3 `prov/tiptel/settings.php` refuses both the same way).
 */
export function deviceMac(hex12: string): string | undefined {
  if (!/^[0-9a-f]{12}$/i.test(hex12)) return undefined;
  const mac = hex12.toLowerCase();
  if (mac === "000000000000" || Number.parseInt(mac.slice(0, 2), 16) % 2 === 1) return undefined;
  return mac;
}

/**
 * A MAC written as phones write it in a User-Agent: 12 hex digits, or six pairs separated all by `:` or all
 * by `-` (Yealink `00:15:65:13:ae:0b`, Aastra `00-08-5D-23-74-29`). Anything else, such as a serial number,
 * is not a MAC.
 */
export function macFromText(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const m = /^[0-9a-f]{2}([:-]?)[0-9a-f]{2}\1[0-9a-f]{2}\1[0-9a-f]{2}\1[0-9a-f]{2}\1[0-9a-f]{2}$/i.exec(text);
  return m ? deviceMac(text.replace(/[:-]/g, "")) : undefined;
}

/**
 * The file name a request path asks for at the root of the served tree, where every per-device file lives
 * (PhoneFileSpec.path has no folders), or undefined. Leading slashes are dropped (phones given a base URL
 * ending in `/` may send two); what is left must be a bare name: no `/`, `\` or `..` anywhere, so
 * `../001565aabbcc.cfg` and `x/001565aabbcc.cfg` are not per-device names. Expects the URL path without
 * its query string, already percent-decoded.
 */
export function rootFileName(path: string): string | undefined {
  if (typeof path !== "string" || path.length > maxPathLength) return undefined;
  const name = path.replace(/^\/+/, "");
  if (name === "" || /[/\\]/.test(name) || name.includes("..")) return undefined;
  return name;
}

/**
 * The device MAC in a request path when its file name matches `pattern`, whose first group is the 12 hex
 * digits. Patterns are anchored and case-insensitive: phones (and people guessing names) vary the case.
 */
export function macFromFileName(pattern: RegExp, path: string): string | undefined {
  const name = rootFileName(path);
  const m = name === undefined ? null : pattern.exec(name);
  return m?.[1] === undefined ? undefined : deviceMac(m[1]);
}
