/**
 * A strict reader for Yealink/Tiptel provisioning files, both syntaxes (reference/provisioning.md §2.1):
 * V70+ `#!version:1.0.0.1` then `key = value` lines, and the older INI form where `[ name ]` opens a section
 * whose `path = /config/…` line names the file on the phone it writes to. A line is a comment, a section,
 * or `key = value` split at the first `=`, as the phone reads it; anything else, and a setting written
 * twice, is an error, so an injected line cannot hide behind an existing key.
 */
export interface YealinkFile {
  /** The `#!version:…` line when it is the first line, else null. */
  version: string | null;
  comments: string[];
  /** Setting → value. INI settings are keyed `<section>@<path>:<key>`, e.g. `account@/config/voip/sipAccount0.cfg:Label`. */
  settings: Map<string, string>;
}

interface Section {
  name: string;
  path: string | null;
}

function settingKey(section: Section | null, key: string, lineNo: number): string {
  if (section === null) return key;
  if (section.path === null)
    throw new Error(`line ${lineNo}: "${key}" before the path of [ ${section.name} ]`);
  return `${section.name}@${section.path}:${key}`;
}

export function parseYealink(text: string): YealinkFile {
  const out: YealinkFile = { version: null, comments: [], settings: new Map() };
  let section: Section | null = null;
  text.split("\n").forEach((raw, i) => {
    const line = raw.trim();
    if (line === "") return;
    if (i === 0 && line.startsWith("#!version:")) {
      out.version = line.slice("#!version:".length);
      return;
    }
    if (line.startsWith("#")) {
      out.comments.push(line.replace(/^#\s?/, ""));
      return;
    }
    const header = /^\[\s*([^\]]+?)\s*\]$/.exec(line);
    if (header) {
      section = { name: header[1] as string, path: null };
      return;
    }
    const eq = line.indexOf("=");
    if (eq <= 0) throw new Error(`line ${i + 1}: not a comment, section or setting: ${JSON.stringify(raw)}`);
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim();
    if (section !== null && key.toLowerCase() === "path" && section.path === null) {
      section.path = value;
      return;
    }
    const id = settingKey(section, key, i + 1);
    if (out.settings.has(id)) throw new Error(`line ${i + 1}: ${id} is set twice`);
    out.settings.set(id, value);
  });
  return out;
}
