/**
 * Per-format escaping. The engine applies the file's escaper to every string in the view model before
 * the template sees it, so no user text (a name with a quote or a newline) can add or change a setting,
 * whatever a template does. Where a format has no escape syntax, the dangerous characters are replaced.
 */
export type EscapeFormat = keyof typeof escapers;

// Line breaks and other control characters end a `key = value` line early: the rest would be a new setting.
const controlChars = /[\u0000-\u001f\u007f]/g;

function noControl(s: string): string {
  return s.replace(controlChars, " ");
}

/**
 * XML 1.0 §2.4 escaping for attributes and text. "--" must not occur inside a comment (XML 1.0 §2.5), and
 * the same value may land in a header comment, so the second dash becomes a character reference: an
 * attribute or text parser reads it back as "-", a comment shows it literally, and nothing can close it.
 */
function xmlEscape(s: string): string {
  return s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;")
    .replace(/--/g, "-&#45;");
}

export const escapers = {
  /**
   * Yealink/Tiptel `key = value` (and the old `[section]` INI form). `%NULL%` anywhere in a value clears
   * the setting (wazo-provd-plugins yealink v73 base.tpl), so the token is broken up; a leading `[` on a
   * continuation could open a section, which noControl prevents by keeping everything on one line.
   * A dash goes after every `%` that starts the token: replacing the whole token left one behind in
   * overlapping input (`%NULL%NULL%` became `%-NULL-%NULL%`).
   */
  "yealink-kv": (s: string) => noControl(s).replace(/%(?=NULL%)/gi, "%-"),
  /** XML attribute or element text (Polycom, Cisco SPA, Gigaset). */
  xml: (s: string) => xmlEscape(noControl(s)),
  /**
   * Gigaset SYMB_ITEM values are XML attributes whose string values carry their own double quotes
   * (`value='"text"'`), with no escape for a quote inside; a double quote becomes a single one.
   */
  "gigaset-xml": (s: string) => xmlEscape(noControl(s).replace(/"/g, "'")),
  /** Aastra `key: value`; the key ends at the first colon, so colons in values are harmless. */
  "aastra-kv": (s: string) => noControl(s),
  /** Panasonic `KEY="value"`: no escape exists for a double quote inside the value. */
  "panasonic-kv": (s: string) => noControl(s).replace(/"/g, "'"),
  /**
   * Cisco IOS configuration. A `?` typed into an IOS CLI session asks for help instead of being
   * entered, so it is dropped; line breaks would start a new command.
   */
  ios: (s: string) => noControl(s).replace(/\?/g, ""),
  /** Plain text with no special characters but line breaks (reports, comments). */
  text: (s: string) => noControl(s),
} as const;

export function isEscapeFormat(name: string): name is EscapeFormat {
  return Object.hasOwn(escapers, name);
}

/** Returns a copy of `value` with every string leaf escaped; numbers, booleans and null stay as they are. */
export function escapeDeep<T>(value: T, format: EscapeFormat): T {
  const escapeString = escapers[format];
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return escapeString(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === "object") {
      if (Object.getPrototypeOf(v) !== Object.prototype) {
        // Secrets and other class instances must be turned into plain data by the view model first.
        throw new Error(
          `view model holds a ${v.constructor?.name ?? "non-plain"} object; reveal or convert it first`,
        );
      }
      const out: Record<string, unknown> = {};
      for (const [k, inner] of Object.entries(v)) out[k] = walk(inner);
      return out;
    }
    return v;
  };
  return walk(value) as T;
}
