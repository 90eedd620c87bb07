import { type Line, ParseError, prepare, textOrNull, unrecognised } from "./common.js";

const COMMAND = "show interfaces status";

/**
 * One row of `show interfaces status`.
 *
 * @example
 * { port: "Gi1/0/2", name: "AccessPoint", status: "connected", statusDetail: null, vlan: "8",
 *   duplex: "a-full", speed: "a-1000", type: "10/100/1000BaseTX", fcMode: null }
 */
export interface InterfaceStatus {
  port: string;
  /** The description, cut by IOS to 18 characters; null when empty. */
  name: string | null;
  /** `connected`, `notconnect`, `disabled`, `err-disabled`, `monitoring`, `suspended`, `up`, `down`, … */
  status: string;
  /** Text after `status:` (`TD`, `TDR` in ntc cisco_ios_show_interfaces_status.raw); null when none. */
  statusDetail: string | null;
  /** As printed: a VLAN number, `trunk`, `routed`, `unassigned`; null on fibre-channel lines. */
  vlan: string | null;
  duplex: string | null;
  speed: string | null;
  /** Media type as printed (`10/100/1000BaseTX`, `Not Present`, `1000BaseSX SFP`); null when blank. */
  type: string | null;
  /** Fibre-channel port mode from `fc2/1 is up Port mode is NP` lines; null otherwise. */
  fcMode: string | null;
}

const HEADER = /^Port\s+Name\s+Status\s+Vlan\s+Duplex\s+Speed(\s+Type)?\s*$/;
const DUPLEX = "(?:a-)?(?:full|half)|auto";
/**
 * Rows are read from the structure, not from the header's column positions: real output drifts from them
 * (`Fa1/6   test` and `Po3       Wireless Controlle` in the ntc fixtures are shifted), and a full-width name
 * runs up to the status (`Half Duplex 2950-S notconnect`). The name is the shortest text that leaves a valid
 * `status[: detail] vlan duplex speed [type]` tail; known statuses are tried first so a name containing a
 * duplex word cannot shift the columns.
 */
const KNOWN_STATUS =
  "connected|notconnect|disabled|err-disabled|suspended|monitoring|inactive|faulty|sfpAbsent|xcvrAbsen|noXcvr|notconnec|linkFlapE|channelDo|routed";
const row = (status: string) =>
  new RegExp(
    `^(\\S+)\\s+(.*?)\\s*(?<=\\s)(${status})(?::\\s*(\\S*))?\\s+(\\S+)\\s+(${DUPLEX})\\s+(\\S+)(?:\\s+(.*))?$`,
  );
const ROW_KNOWN = row(KNOWN_STATUS);
const ROW_ANY = row("\\S+?");
/** NX-OS-style fibre-channel lines in ntc cisco_ios_show_interfaces_status2.raw. */
const FC = /^(\S+) is (up|down)(?:\s+Port mode is (\S+)|\s+\((.*)\))?$/;

export function parseShowInterfacesStatus(text: string): InterfaceStatus[] {
  const lines = prepare(COMMAND, text).filter((l) => l.text.trim() !== "" && !/^-+$/.test(l.text.trim()));
  const first = lines[0] as Line;
  if (!HEADER.test(first.text))
    throw new ParseError(
      "PK_ERR_PARSE_UNRECOGNISED",
      COMMAND,
      first.n,
      `expected the "Port Name Status Vlan Duplex Speed Type" header first, found ${JSON.stringify(first.text.trim())}`,
    );
  const out: InterfaceStatus[] = [];
  for (const line of lines.slice(1)) {
    const fc = FC.exec(line.text);
    if (fc) {
      out.push({
        port: fc[1] as string,
        name: null,
        status: fc[2] as string,
        statusDetail: null,
        vlan: null,
        duplex: null,
        speed: null,
        type: textOrNull(fc[4]),
        fcMode: fc[3] ?? null,
      });
      continue;
    }
    const m = ROW_KNOWN.exec(line.text) ?? ROW_ANY.exec(line.text);
    if (!m) throw unrecognised(COMMAND, line);
    out.push({
      port: m[1] as string,
      name: textOrNull(m[2]),
      status: m[3] as string,
      statusDetail: textOrNull(m[4]),
      vlan: m[5] as string,
      duplex: m[6] as string,
      speed: m[7] as string,
      type: textOrNull(m[8]),
      fcMode: null,
    });
  }
  return out;
}
