import { PatchkastError } from "../../../agent/errors.js";

/**
 * Shared pieces of the IOS `show` parsers: the typed error, and the one place that turns what an SSH
 * session captured into clean lines (pager remnants, backspaces, CRLF, echo and prompt removed) while
 * keeping each line's number in the original text, so an error can point at it.
 */

export type ParseErrorCode =
  | "PK_ERR_PARSE_DEVICE_ERROR"
  | "PK_ERR_PARSE_UNRECOGNISED"
  | "PK_ERR_PARSE_EMPTY"
  | "PK_ERR_PARSE_COMMAND";

/** The text could not be read as this command's output. Never an empty result instead. */
export class ParseError extends PatchkastError {
  readonly command: string;
  /** 1-based line in the text handed to the parser; null when the problem is the text as a whole. */
  readonly line: number | null;
  readonly reason: string;

  constructor(code: ParseErrorCode, command: string, line: number | null, reason: string) {
    super(code, `${command}: ${line === null ? "" : `line ${line}: `}${reason}`);
    this.name = "ParseError";
    this.command = command;
    this.line = line;
    this.reason = reason;
  }
}

export interface Line {
  /** 1-based line number in the original text. */
  n: number;
  text: string;
}

/** Thrown for a line the parser does not understand; quotes the line so the user sees it. */
export function unrecognised(command: string, line: Line, what = "unrecognised line"): ParseError {
  const shown = line.text.length > 80 ? `${line.text.slice(0, 77)}...` : line.text;
  return new ParseError("PK_ERR_PARSE_UNRECOGNISED", command, line.n, `${what}: ${JSON.stringify(shown)}`);
}

/**
 * Replays one captured line the way a terminal shows it: `\b` moves left, `\r` goes to column 0 and later
 * characters overwrite. That is how IOS erases its pager: " --More-- " followed by backspaces, blanks and
 * backspaces, then the next line on the same row (Cisco IOS terminal pager; netmiko strips it the same way).
 */
function replayTerminal(raw: string): string {
  const text = raw.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "");
  const cells: string[] = [];
  let col = 0;
  for (const ch of text) {
    if (ch === "\b") col = Math.max(0, col - 1);
    else if (ch === "\r") col = 0;
    else if (ch === "\x03") {
      // A raw ETX (banner delimiter) shows as ^C, the way IOS prints it in show running-config.
      cells[col++] = "^";
      cells[col++] = "C";
    } else if (ch === "\t" || ch >= " ") {
      cells[col] = ch;
      col++;
    }
  }
  return Array.from(cells, (c) => c ?? " ").join("");
}

const PAGER = /^ ?-{2} ?More ?-{2} ?/;
/** `terminal exec prompt timestamp` prints these two lines before every output (genieparser fixtures). */
const TIMESTAMP = /^(Load for five secs: |Time source is )/;
/** A bare prompt: `LAB-SW123_9200L#`, `rtr-01>`, `sw1(config)#` (oxidized C9200L session ends so). */
const PROMPT = /^[\w.\-@/:()~]+[#>]$/;
/** The echoed command, with or without its prompt: `show version`, `sw1#sh run`. */
const ECHO = /^(?:[\w.\-@/:()~]+[#>] ?)?sh(?:o|ow)? +\S/i;

/**
 * Lines without CR, pager remnants, backspace edits and trailing blanks; leading echo/timestamp lines and a
 * trailing prompt removed; leading and trailing blank lines removed.
 */
export function cleanLines(text: string): Line[] {
  const lines: Line[] = text.split("\n").map((raw, i) => ({
    n: i + 1,
    text: replayTerminal(raw).replace(PAGER, "").trimEnd(),
  }));
  const blankOrNoise = (l: Line) => l.text.trim() === "" || TIMESTAMP.test(l.text);
  while (lines.length > 0 && blankOrNoise(lines[0] as Line)) lines.shift();
  if (lines.length > 0 && ECHO.test((lines[0] as Line).text)) lines.shift();
  while (lines.length > 0 && blankOrNoise(lines[0] as Line)) lines.shift();
  while (lines.length > 0 && (lines.at(-1) as Line).text.trim() === "") lines.pop();
  if (lines.length > 0 && PROMPT.test((lines.at(-1) as Line).text.trim())) lines.pop();
  while (lines.length > 0 && (lines.at(-1) as Line).text.trim() === "") lines.pop();
  return lines;
}

// `% CDP is not enabled` / `% LLDP is not enabled` also mean: nothing to parse, and not "no neighbours".
const DEVICE_ERROR =
  /^% ?(Invalid input|Incomplete command|Ambiguous command|Unknown command|Unrecognized command|Error|Authorization failed|Permission denied|Command authorization failed|Bad |.*\bis not (enabled|running|supported)\b)/i;

/**
 * The device refused the command: `% Invalid input detected at '^' marker.` (possibly after the caret line),
 * `% Incomplete command.`, `% Ambiguous command`. Checked on the first lines only, so a banner further down
 * a running-config that happens to start with "%" is not mistaken for one.
 */
export function checkDeviceError(command: string, lines: readonly Line[]): void {
  for (const line of lines.slice(0, 4)) {
    const t = line.text.trim();
    if (t === "^" || t === "") continue;
    if (DEVICE_ERROR.test(t)) {
      const hint = /Invalid input/i.test(t)
        ? " (the device does not know this command or an argument; e.g. Catalyst 9000 has no `mls qos`)"
        : "";
      throw new ParseError("PK_ERR_PARSE_DEVICE_ERROR", command, line.n, `device error: ${t}${hint}`);
    }
    return;
  }
}

/** Clean lines, after checking for a device error; empty output throws unless `emptyOk`. */
export function prepare(command: string, text: string, emptyOk = false): Line[] {
  const lines = cleanLines(text);
  checkDeviceError(command, lines);
  if (lines.length === 0 && !emptyOk)
    throw new ParseError("PK_ERR_PARSE_EMPTY", command, null, "no output to parse");
  return lines;
}

/** "12" → 12; anything else → null. */
export function intOrNull(text: string | undefined): number | null {
  if (text === undefined || !/^-?\d+$/.test(text.trim())) return null;
  return Number.parseInt(text, 10);
}

/** "23.2" → 23.2; anything else → null. */
export function numOrNull(text: string | undefined): number | null {
  if (text === undefined || !/^-?\d+(\.\d+)?$/.test(text.trim())) return null;
  return Number.parseFloat(text);
}

/** Empty or blank → null; otherwise the trimmed text. */
export function textOrNull(text: string | undefined): string | null {
  const t = text?.trim() ?? "";
  return t === "" ? null : t;
}

/** `Key: value` with the key trimmed; null when the line has no colon. */
export function keyValue(text: string): { key: string; value: string } | null {
  const m = /^\s*([^:]+?)\s*:\s?(.*)$/.exec(text);
  return m ? { key: m[1] as string, value: (m[2] as string).trim() } : null;
}
