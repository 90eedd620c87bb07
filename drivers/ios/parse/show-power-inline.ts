import { type Line, numOrNull, ParseError, prepare, textOrNull, unrecognised } from "./common.js";

const COMMAND = "show power inline";

/** The PoE budget of one stack member (or of the whole switch on the one-line IOS 12.2 form). */
export interface PoeBudget {
  /** The `Module` column; null for the IOS 12.2 `Available:370.0(w)  Used:15.4(w)  Remaining:354.6(w)` line. */
  module: string | null;
  availableWatts: number;
  usedWatts: number;
  remainingWatts: number;
}

export interface PoePort {
  interface: string;
  /** `auto`, `static`, `off` (= `power inline never`). */
  admin: string;
  /** `on`, `off`, `faulty`, `power-deny`, `err-disable`. */
  oper: string;
  powerWatts: number;
  /** As the device reports it (`IP Phone 7962`, `Ieee PD`); null when the row stops after the power. */
  device: string | null;
  /** `0`…`8` or `n/a`. */
  class: string | null;
  maxWatts: number | null;
}

/**
 * `show power inline`.
 *
 * @example
 * { supported: true,
 *   modules: [{ module: "1", availableWatts: 740, usedWatts: 330, remainingWatts: 410 }],
 *   ports: [{ interface: "Gi1/0/1", admin: "auto", oper: "on", powerWatts: 6.3, device: "IP Phone 7962",
 *             class: "2", maxWatts: 15.4 }],
 *   totals: { portsOn: 1, powerWatts: 6.3 } }
 */
export interface ShowPowerInline {
  /** False when the chassis has no PoE hardware: `%No inline power card on switch` (ntc …_6807-XL.raw). */
  supported: boolean;
  modules: PoeBudget[];
  ports: PoePort[];
  /** The `Totals:` line some releases print under the table; null when absent. */
  totals: { portsOn: number; powerWatts: number } | null;
}

const MODULE_ROW = /^(\S+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)$/;
const ONE_LINE_BUDGET = /^Available:\s*([\d.]+)\(w\)\s+Used:\s*([\d.]+)\(w\)\s+Remaining:\s*([\d.]+)\(w\)$/;
const PORT_ROW = /^(\S+)\s+(auto|static|off|never|on)\s+(\S+)\s+([\d.]+)(?:\s+(.*))?$/;
/** What follows the power: `IP Phone 7962       1     15.4`; the device name may contain blanks. */
const PORT_TAIL = /^(.*?)\s+(\S+)\s+([\d.]+)$/;
const TOTALS = /^Totals:\s+(\d+)\s+on\s+([\d.]+)$/;
const SKIP = [
  /^Module\s+Available\s+Used\s+Remaining$/,
  /^\(Watts\)(\s+\(Watts\))*$/,
  /^Interface\s+Admin\s+Oper\s+Power\s+Device\s+Class\s+Max$/,
  /^[-\s]+$/,
];

function portRow(line: Line, m: RegExpExecArray): PoePort {
  const tail = (m[5] ?? "").trim();
  const t = tail === "" ? null : PORT_TAIL.exec(tail);
  if (tail !== "" && !t) throw unrecognised(COMMAND, line, "port row without Device/Class/Max");
  return {
    interface: m[1] as string,
    admin: m[2] as string,
    oper: m[3] as string,
    powerWatts: Number(m[4]),
    device: t ? textOrNull(t[1]) : null,
    class: t ? (t[2] as string) : null,
    maxWatts: t ? numOrNull(t[3]) : null,
  };
}

export function parseShowPowerInline(text: string): ShowPowerInline {
  const lines = prepare(COMMAND, text).filter((l) => l.text.trim() !== "");
  if (lines.length === 1 && /^%\s*No inline power card/i.test((lines[0] as Line).text.trim()))
    return { supported: false, modules: [], ports: [], totals: null };
  if (!lines.some((l) => /^Interface\s+Admin\s+Oper/.test(l.text.trim())))
    throw new ParseError(
      "PK_ERR_PARSE_UNRECOGNISED",
      COMMAND,
      (lines[0] as Line).n,
      "no `Interface Admin Oper Power …` table: this is not show power inline output",
    );
  const result: ShowPowerInline = { supported: true, modules: [], ports: [], totals: null };
  let inPorts = false;
  for (const line of lines) {
    const t = line.text.trim();
    if (/^Interface\s+Admin/.test(t)) inPorts = true;
    if (SKIP.some((re) => re.test(t))) continue;
    const budget = ONE_LINE_BUDGET.exec(t);
    const module = inPorts ? null : MODULE_ROW.exec(t);
    const port = inPorts ? PORT_ROW.exec(t) : null;
    const totals = TOTALS.exec(t);
    if (budget)
      result.modules.push({
        module: null,
        availableWatts: Number(budget[1]),
        usedWatts: Number(budget[2]),
        remainingWatts: Number(budget[3]),
      });
    else if (module)
      result.modules.push({
        module: module[1] as string,
        availableWatts: Number(module[2]),
        usedWatts: Number(module[3]),
        remainingWatts: Number(module[4]),
      });
    else if (port) result.ports.push(portRow(line, port));
    else if (totals) result.totals = { portsOn: Number(totals[1]), powerWatts: Number(totals[2]) };
    else throw unrecognised(COMMAND, line);
  }
  return result;
}
