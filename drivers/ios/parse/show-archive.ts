import { intOrNull, ParseError, prepare, unrecognised } from "./common.js";

const COMMAND = "show archive";

/**
 * `show archive`: whether the config archive (needed by `configure replace … revert`, netconfig.md §0
 * item 2) is on, and the saved copies.
 *
 * @example
 * { enabled: true, maximum: 14, nextFilename: "flash:archive/sw1--3",
 *   archives: [{ index: 1, filename: "flash:archive/sw1--1", mostRecent: false },
 *              { index: 2, filename: "flash:archive/sw1--2", mostRecent: true }],
 *   mostRecent: "flash:archive/sw1--2" }
 */
export interface ShowArchive {
  /** False for ` Archive feature not enabled` (ntc cisco_ios_show_archive.raw). */
  enabled: boolean;
  /** `The maximum archive configurations allowed is 10.` */
  maximum: number | null;
  nextFilename: string | null;
  /** Filled slots only; IOS also prints the empty slot numbers. */
  archives: { index: number; filename: string; mostRecent: boolean }[];
  mostRecent: string | null;
}

const ROW = /^(\d+)(?:\s+(\S+?))?(\s*<-\s*Most Recent)?$/;
const KNOWN = [
  /^The maximum archive configurations allowed is (\d+)\.?$/,
  /^The next archive file will be named (\S+)$/,
  /^There are currently (\d+) archive configurations saved\.?$/,
  /^Archive #\s+Name$/,
];

export function parseShowArchive(text: string): ShowArchive {
  const lines = prepare(COMMAND, text).filter((l) => l.text.trim() !== "");
  if (lines.length === 1 && /^Archive feature not enabled$/.test(lines[0]?.text.trim() ?? ""))
    return { enabled: false, maximum: null, nextFilename: null, archives: [], mostRecent: null };
  const result: ShowArchive = {
    enabled: true,
    maximum: null,
    nextFilename: null,
    archives: [],
    mostRecent: null,
  };
  let sawHeader = false;
  for (const line of lines) {
    const t = line.text.trim();
    const known = KNOWN.map((re) => re.exec(t));
    if (known[0]) result.maximum = intOrNull(known[0][1]);
    else if (known[1]) result.nextFilename = known[1][1] as string;
    else if (known[2]) continue;
    else if (known[3]) sawHeader = true;
    else {
      const row = sawHeader ? ROW.exec(t) : null;
      if (!row) throw unrecognised(COMMAND, line);
      if (row[2] === undefined) continue;
      const entry = { index: Number(row[1]), filename: row[2], mostRecent: row[3] !== undefined };
      result.archives.push(entry);
      if (entry.mostRecent) result.mostRecent = entry.filename;
    }
  }
  if (!sawHeader && result.nextFilename === null)
    throw new ParseError(
      "PK_ERR_PARSE_UNRECOGNISED",
      COMMAND,
      lines[0]?.n ?? null,
      "neither `Archive feature not enabled` nor the archive list: this is not show archive output",
    );
  return result;
}
