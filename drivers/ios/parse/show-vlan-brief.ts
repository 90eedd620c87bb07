import { type Line, ParseError, prepare, unrecognised } from "./common.js";

const COMMAND = "show vlan brief";

/**
 * One row of `show vlan brief`.
 *
 * @example
 * { id: 200, name: "VOICE", status: "active", ports: ["Gi1/0/1", "Gi1/0/2"] }
 */
export interface VlanBriefEntry {
  id: number;
  name: string;
  /** `active`, `suspended`, `act/lshut`, `sus/lshut`, `act/ishut`, `act/unsup`. */
  status: string;
  /** Access ports as printed (abbreviated: `Gi1/0/1`); trunks are never listed here. */
  ports: string[];
}

const HEADER = /^VLAN\s+Name\s+Status\s+Ports\s*$/;
const ROW = /^(\d{1,4})\s+(\S.*?)\s+(active|suspended|(?:act|sus)\/\w+)(?:\s+(\S.*))?$/;
/** Port lists wrap onto lines that start in the Ports column (genie ShowVlanBrief golden output). */
const CONTINUATION = /^\s{8,}(\S.*)$/;

const portsOf = (text: string | undefined): string[] =>
  (text ?? "")
    .split(",")
    .map((p) => p.trim())
    .filter((p) => p !== "");

export function parseShowVlanBrief(text: string): VlanBriefEntry[] {
  const lines = prepare(COMMAND, text).filter((l) => l.text.trim() !== "");
  const at = lines[0] as Line;
  if (!HEADER.test(at.text)) {
    throw new ParseError(
      "PK_ERR_PARSE_UNRECOGNISED",
      COMMAND,
      at.n,
      `expected the "VLAN Name Status Ports" header first, found ${JSON.stringify(at.text.trim())}`,
    );
  }
  const vlans: VlanBriefEntry[] = [];
  for (const line of lines.slice(1)) {
    if (/^-+(\s+-+)*$/.test(line.text)) continue;
    const row = ROW.exec(line.text);
    if (row) {
      vlans.push({
        id: Number(row[1]),
        name: row[2] as string,
        status: row[3] as string,
        ports: portsOf(row[4]),
      });
      continue;
    }
    const more = CONTINUATION.exec(line.text);
    const last = vlans.at(-1);
    if (more && last) {
      last.ports.push(...portsOf(more[1]));
      continue;
    }
    throw unrecognised(COMMAND, line);
  }
  return vlans;
}
