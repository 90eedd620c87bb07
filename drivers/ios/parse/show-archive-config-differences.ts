import { type Line, ParseError, prepare, unrecognised } from "./common.js";

const COMMAND = "show archive config differences";

/** One changed line: `+` added in the second config, `-` only in the first. */
export interface ArchiveDiffEntry {
  op: "+" | "-";
  /** The command without sign and indentation: `description uplink`. */
  line: string;
  /** The parent lines it sits under, outermost first: `["interface GigabitEthernet0/1"]`; [] at top level. */
  path: string[];
}

/**
 * `show archive config differences [<file> [<file>]]`: the contextual diff IOS computes on the box, the
 * same diff NAPALM's `compare_config()` shows (netconfig.md §1.2).
 *
 * Format (Cisco "Configuration Replace and Configuration Rollback", genieparser ShowArchiveConfigDifferences
 * fixtures): a `!Contextual Config Diffs:` header, then config lines; a changed line carries `+`/`-` after its
 * indentation, unchanged parent lines (`interface …`) are printed without a sign to give the context.
 * `!No changes were found` is a valid, empty diff.
 *
 * @example
 * { changed: true, entries: [
 *   { op: "+", line: "switchport voice vlan 200", path: ["interface GigabitEthernet1/0/5"] },
 *   { op: "-", line: "hostname Test4", path: [] } ] }
 */
export interface ShowArchiveConfigDifferences {
  changed: boolean;
  entries: ArchiveDiffEntry[];
}

const HEADER = /^!?\s*Contextual Config Diffs:?\s*$/i;
const NO_CHANGES = /^!?\s*No changes were found\s*$/i;
/** `%Error opening flash:candidate (File not found)` and friends: the diff did not run. */
const FAILED = /^%\s*Error|^%.*(not found|failed|cannot)/i;

export function parseShowArchiveConfigDifferences(text: string): ShowArchiveConfigDifferences {
  const lines = prepare(COMMAND, text).filter((l) => l.text.trim() !== "");
  const first = lines[0] as Line;
  if (lines.length === 1 && NO_CHANGES.test(first.text)) return { changed: false, entries: [] };
  const failed = lines.find((l) => FAILED.test(l.text.trim()));
  if (failed)
    throw new ParseError(
      "PK_ERR_PARSE_DEVICE_ERROR",
      COMMAND,
      failed.n,
      `device error: ${failed.text.trim()}`,
    );
  if (!HEADER.test(first.text))
    throw new ParseError(
      "PK_ERR_PARSE_UNRECOGNISED",
      COMMAND,
      first.n,
      `expected "!Contextual Config Diffs:" first, found ${JSON.stringify(first.text.trim())}`,
    );
  const entries: ArchiveDiffEntry[] = [];
  const stack: { indent: number; line: string }[] = [];
  for (const line of lines.slice(1)) {
    if (NO_CHANGES.test(line.text)) continue;
    const m = /^(\s*)([+-]?)(\s*)(.*)$/.exec(line.text) as RegExpExecArray;
    const body = (m[4] as string).trimEnd();
    // `!` separators carry nothing; a `-!` or `+!` line would be a changed comment and is kept.
    if (m[2] === "" && body.startsWith("!")) continue;
    if (body === "") throw unrecognised(COMMAND, line, "a sign without a command");
    const indent = (m[1] as string).length + (m[3] as string).length;
    while (stack.length > 0 && (stack.at(-1) as { indent: number }).indent >= indent) stack.pop();
    if (m[2] === "+" || m[2] === "-") entries.push({ op: m[2], line: body, path: stack.map((s) => s.line) });
    stack.push({ indent, line: body });
  }
  return { changed: entries.length > 0, entries };
}
