/**
 * A strict reader for Aastra `key: value` files: one setting per LF-terminated line, the key ending at the
 * first colon, `#` lines as comments, blank lines allowed (reference/provisioning.md §2.4). Anything else
 * throws: a line without a colon, an empty key, a key with characters no Aastra key has, a control
 * character, or a key given twice (the later one would win on the phone, so a test must see it).
 */
export interface AastraConfig {
  /** Key (as written, lower case in our files) → value with surrounding blanks removed, in file order. */
  settings: Map<string, string>;
  /** Comment texts without the leading `#`, trimmed, in file order. */
  comments: string[];
  /** Number of lines, so that a test can see a line added by a value. */
  lineCount: number;
}

// Aastra keys: words, digits, spaces and the literal "[start|end]" of `dst [start|end] relative date`.
// `!` (lock) and `^` (reset) prefixes are left out on purpose: our files never use them.
const keyPattern = /^[a-z0-9][a-z0-9 _.[\]|-]*$/i;

export function parseAastraConfig(text: string): AastraConfig {
  if (/[\u0000-\u0009\u000b-\u001f\u007f]/.test(text)) throw new Error("control character in an Aastra file");
  const lines = text.endsWith("\n") ? text.slice(0, -1).split("\n") : text.split("\n");
  const settings = new Map<string, string>();
  const comments: string[] = [];
  lines.forEach((line, i) => {
    const at = `line ${i + 1} ${JSON.stringify(line)}`;
    if (line.trim() === "") return;
    if (line.startsWith("#")) {
      comments.push(line.slice(1).trim());
      return;
    }
    const colon = line.indexOf(":");
    if (colon < 0) throw new Error(`${at}: no colon`);
    const key = line.slice(0, colon).trim();
    if (!keyPattern.test(key)) throw new Error(`${at}: "${key}" is not an Aastra key`);
    if (settings.has(key)) throw new Error(`${at}: key "${key}" appears twice`);
    settings.set(key, line.slice(colon + 1).trim());
  });
  return { settings, comments, lineCount: lines.length };
}
