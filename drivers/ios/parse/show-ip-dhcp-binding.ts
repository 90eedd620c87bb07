import { type Line, ParseError, prepare, textOrNull, unrecognised } from "./common.js";

const COMMAND = "show ip dhcp binding";

/**
 * One lease of `show ip dhcp binding` (router as DHCP server for phones and PCs).
 *
 * @example
 * { ipAddress: "10.20.0.21", clientId: "0100.1b54.aa21.07", leaseExpiration: "Mar 02 2025 10:15 AM",
 *   infinite: false, type: "Automatic", state: "Active", interface: "GigabitEthernet0/0/1.20", vrf: null }
 */
export interface DhcpBinding {
  ipAddress: string;
  /** Client-ID / hardware address / user name, as printed (wrapped IDs joined). */
  clientId: string;
  /** As printed: `Infinite` or `Mar 02 2025 10:15 AM`. */
  leaseExpiration: string;
  infinite: boolean;
  /** `Automatic`, `Manual`, `Static`. */
  type: string;
  /** IOS-XE prints State and Interface columns; null on classic IOS. */
  state: string | null;
  interface: string | null;
  /** From a `Bindings from VRF pool <name>:` heading; null for the global table. */
  vrf: string | null;
}

const HEADER = /^IP address\s+Client-ID\//;
const HEADER_CONT = /^(Hardware address\/|User name)$/;
const SECTION = /^Bindings from (?:all pools not associated with VRF|VRF pool (\S+?)):?$/;
const ROW =
  /^(\d+\.\d+\.\d+\.\d+)\s+(\S+)\s+(Infinite|\w{3} \d{1,2} \d{4} \d{1,2}:\d{2} [AP]M|\S+)\s+(Automatic|Manual|Static|Dynamic)(?:\s+(\S+))?(?:\s+(\S+))?$/;
/** Long client IDs wrap into the Client-ID column on the following lines (IOS-XE). */
const WRAPPED_ID = /^\s+([0-9a-f]{1,4}(?:\.[0-9a-f]{1,4})*\.?)$/i;

export function parseShowIpDhcpBinding(text: string): DhcpBinding[] {
  const lines = prepare(COMMAND, text).filter((l) => l.text.trim() !== "");
  if (!lines.some((l) => HEADER.test(l.text.trim())))
    throw new ParseError(
      "PK_ERR_PARSE_UNRECOGNISED",
      COMMAND,
      (lines[0] as Line).n,
      "no `IP address  Client-ID/ …` header: this is not show ip dhcp binding output",
    );
  const out: DhcpBinding[] = [];
  let vrf: string | null = null;
  for (const line of lines) {
    const t = line.text.trim();
    const section = SECTION.exec(t);
    if (section) {
      vrf = section[1] ?? null;
      continue;
    }
    if (HEADER.test(t) || HEADER_CONT.test(t)) continue;
    const row = ROW.exec(t);
    if (row) {
      out.push({
        ipAddress: row[1] as string,
        clientId: row[2] as string,
        leaseExpiration: row[3] as string,
        infinite: row[3] === "Infinite",
        type: row[4] as string,
        state: textOrNull(row[5]),
        interface: textOrNull(row[6]),
        vrf,
      });
      continue;
    }
    const wrapped = WRAPPED_ID.exec(line.text);
    const last = out.at(-1);
    if (wrapped && last) {
      last.clientId += wrapped[1] as string;
      continue;
    }
    throw unrecognised(COMMAND, line);
  }
  return out;
}
