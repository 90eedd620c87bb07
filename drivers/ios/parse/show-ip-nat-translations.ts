import { type Line, ParseError, prepare, unrecognised } from "./common.js";

const COMMAND = "show ip nat translations";

/** `10.9.0.0:51776` → ip + port; `10.9.0.0` → port null; `---` → the whole endpoint is null. */
export interface NatEndpoint {
  ip: string;
  port: number | null;
}

/**
 * One row of `show ip nat translations`.
 *
 * @example
 * { protocol: "udp", insideGlobal: { ip: "203.0.113.2", port: 5060 }, insideLocal: { ip: "10.20.0.21", port: 5060 },
 *   outsideLocal: { ip: "198.51.100.7", port: 5060 }, outsideGlobal: { ip: "198.51.100.7", port: 5060 } }
 */
export interface NatTranslation {
  /** `tcp`, `udp`, `icmp`, `gre`…; null for `---` (a static or simple one-to-one entry). */
  protocol: string | null;
  insideGlobal: NatEndpoint | null;
  insideLocal: NatEndpoint | null;
  outsideLocal: NatEndpoint | null;
  outsideGlobal: NatEndpoint | null;
}

const HEADER = /^Pro\s+Inside global\s+Inside local\s+Outside local\s+Outside global$/;
const TOTAL = /^Total number of translations:\s*(\d+)$/;

function endpoint(line: Line, text: string): NatEndpoint | null {
  if (text === "---") return null;
  const m = /^(\d+\.\d+\.\d+\.\d+)(?::(\d+))?$/.exec(text);
  if (!m) throw unrecognised(COMMAND, line, `not an address[:port] (${text})`);
  return { ip: m[1] as string, port: m[2] === undefined ? null : Number(m[2]) };
}

/**
 * Classic IOS prints nothing at all when there are no translations, so empty output is an empty list;
 * anything else must start with the column header.
 */
export function parseShowIpNatTranslations(text: string): NatTranslation[] {
  const lines = prepare(COMMAND, text, true).filter((l) => l.text.trim() !== "");
  if (lines.length === 0) return [];
  const first = lines[0] as Line;
  if (!HEADER.test(first.text.trim()))
    throw new ParseError(
      "PK_ERR_PARSE_UNRECOGNISED",
      COMMAND,
      first.n,
      `expected the "Pro Inside global Inside local Outside local Outside global" header, found ${JSON.stringify(first.text.trim())}`,
    );
  const out: NatTranslation[] = [];
  for (const line of lines.slice(1)) {
    const t = line.text.trim();
    const total = TOTAL.exec(t);
    if (total) {
      if (Number(total[1]) !== out.length)
        throw new ParseError(
          "PK_ERR_PARSE_UNRECOGNISED",
          COMMAND,
          line.n,
          `the device counts ${total[1]} translations, ${out.length} were read`,
        );
      continue;
    }
    const cols = t.split(/\s+/);
    if (cols.length !== 5) throw unrecognised(COMMAND, line, "expected 5 columns");
    const [pro, ig, il, ol, og] = cols as [string, string, string, string, string];
    out.push({
      protocol: pro === "---" ? null : pro,
      insideGlobal: endpoint(line, ig),
      insideLocal: endpoint(line, il),
      outsideLocal: endpoint(line, ol),
      outsideGlobal: endpoint(line, og),
    });
  }
  return out;
}
