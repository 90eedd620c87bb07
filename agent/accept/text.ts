/**
 * Escaping for the three report formats and the terminal. Evidence strings come from devices and the site
 * file (a customer name, an SNMP sysDescr, a SIP reason phrase), so every one is treated as hostile.
 *
 * Characters that XML 1.0 §2.2 forbids (C0 controls but tab, LF and CR; lone surrogates; U+FFFE/U+FFFF),
 * the C1 controls and DEL (HTML parse errors), and the bidirectional overrides (which can make printed text
 * read differently from what it says) cannot be escaped in XML at all; they are shown as `\xNN` / `\uNNNN`
 * so that the reader still sees that something odd was there.
 */
const invisible =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function shown(ch: string): string {
  const code = ch.charCodeAt(0);
  return code < 0x100
    ? `\\x${code.toString(16).padStart(2, "0")}`
    : `\\u${code.toString(16).padStart(4, "0")}`;
}

/** The string with every character of `invisible` replaced by its visible escape. */
export function visible(s: string): string {
  return s.replace(invisible, shown);
}

const xmlEntities: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
  // Kept as references so that no parser normalises them away (XML 1.0 §2.11, §3.3.3).
  "\r": "&#13;",
  "\t": "&#9;",
  "\n": "&#10;",
};

/** XML element text: markup characters and CR as references, line breaks and tabs kept. */
export function xmlText(s: string): string {
  return visible(s).replace(/[&<>"'\r]/g, (c) => xmlEntities[c] as string);
}

/** XML attribute value in double or single quotes; tab, LF and CR as references so they survive. */
export function xmlAttr(s: string): string {
  return visible(s).replace(/[&<>"'\r\n\t]/g, (c) => xmlEntities[c] as string);
}

const htmlEntities: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** HTML text or a quoted attribute value. */
export function html(s: string | number | null | undefined): string {
  if (s === null || s === undefined) return "";
  return visible(String(s)).replace(/[&<>"']/g, (c) => htmlEntities[c] as string);
}

/** One terminal line: no escape sequences, no carriage return that could overwrite what came before. */
export function terminal(s: string): string {
  return visible(s.replace(/[\r\n\t]+/g, " "));
}

/** A CSS string literal: everything but plain letters, digits and a little punctuation as a \HEX escape. */
export function cssString(s: string): string {
  const body = Array.from(visible(s))
    .map((c) => (/^[A-Za-z0-9 _.,:-]$/.test(c) ? c : `\\${(c.codePointAt(0) ?? 0).toString(16)} `))
    .join("");
  return `"${body}"`;
}
