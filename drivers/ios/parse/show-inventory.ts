import { type Line, ParseError, prepare, textOrNull, unrecognised } from "./common.js";

const COMMAND = "show inventory";

/**
 * One `NAME:/DESCR:` + `PID:/VID:/SN:` pair of `show inventory`.
 *
 * @example
 * { name: "Switch 1 - Power Supply A", description: "Switch 1 - Power Supply A",
 *   pid: "PWR-C5-600WAC", vid: "V02", serialNumber: "QCS24XXXXXX" }
 */
export interface InventoryItem {
  name: string;
  description: string;
  /** Null when the device prints an empty PID (3640 chassis in ntc cisco_ios_show_inventory.raw). */
  pid: string | null;
  vid: string | null;
  serialNumber: string | null;
}

// Quotes are optional: some releases print `NAME: 1, DESCR: …` unquoted (ntc templates allow both).
const NAME = /^NAME:\s*(?:"(.*?)"|(.*?))\s*,\s*DESCR:\s*(?:"(.*)"|(.*?))\s*$/;
// The PID column is padded before its comma: `PID: C9200L-24P-4G     , VID: V01  , SN: JAE24FFFFFF`.
const PID = /^PID:\s*(.*?)\s*,\s*VID:\s*(.*?)\s*,\s*SN:\s*(.*?)\s*$/;

export function parseShowInventory(text: string): InventoryItem[] {
  const lines = prepare(COMMAND, text).filter((l) => l.text.trim() !== "");
  const items: InventoryItem[] = [];
  let pending: { line: Line; name: string; description: string } | null = null;
  for (const line of lines) {
    const t = line.text.trim();
    const name = NAME.exec(t);
    if (name) {
      if (pending) throw unrecognised(COMMAND, pending.line, "NAME line without its PID line");
      pending = { line, name: name[1] ?? name[2] ?? "", description: name[3] ?? name[4] ?? "" };
      continue;
    }
    const pid = PID.exec(t);
    if (pid && pending) {
      items.push({
        name: pending.name,
        description: pending.description,
        pid: textOrNull(pid[1]),
        vid: textOrNull(pid[2]),
        serialNumber: textOrNull(pid[3]),
      });
      pending = null;
      continue;
    }
    throw unrecognised(COMMAND, line, pid ? "PID line without a NAME line before it" : undefined);
  }
  if (pending) throw unrecognised(COMMAND, pending.line, "NAME line without its PID line");
  if (items.length === 0) throw new ParseError("PK_ERR_PARSE_EMPTY", COMMAND, null, "no inventory items");
  return items;
}
