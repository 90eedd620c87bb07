/**
 * A strict reader for Panasonic `KEY="value"` files, stricter than the phone (KX-UT670 admin manual
 * §5.2.1): lines end in CRLF, a line is empty, a `#` comment, or exactly `NAME="value"` with no `"` inside
 * the value. Anything else throws, so a stray quote or line break that the phone might read as an extra or
 * changed setting fails a test instead of being skipped. A repeated key also throws (the phone keeps the
 * first, which would let an earlier line shadow a later one).
 */
export interface PanasonicFile {
  /** The first line, without CRLF. */
  firstLine: string;
  /** Comment lines after the first, without the leading "#" and one space. */
  comments: string[];
  settings: Map<string, string>;
  /** Every line, without CRLF (the last element is "" because the file ends with CRLF). */
  lines: string[];
}

const settingLine = /^([A-Z0-9_]{1,32})="([^"]*)"$/;

export function parsePanasonic(content: string): PanasonicFile {
  if (/\r(?!\n)|(?<!\r)\n/.test(content)) throw new Error("bare CR or LF: every line must end with CRLF");
  if (!content.endsWith("\r\n")) throw new Error("the last line is not terminated by CRLF");
  const lines = content.split("\r\n");
  const settings = new Map<string, string>();
  const comments: string[] = [];
  lines.slice(1).forEach((line, i) => {
    if (line === "") return;
    if (line.startsWith("#")) {
      comments.push(line.replace(/^# ?/, ""));
      return;
    }
    const m = settingLine.exec(line);
    if (!m)
      throw new Error(`line ${i + 2} is neither empty, a comment nor KEY="value": ${JSON.stringify(line)}`);
    const [, key = "", value = ""] = m;
    if (settings.has(key)) throw new Error(`line ${i + 2}: ${key} appears twice`);
    settings.set(key, value);
  });
  return { firstLine: lines[0] ?? "", comments, settings, lines };
}
