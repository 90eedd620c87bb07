import { ParseError } from "./common.js";
import { parseShowArchive } from "./show-archive.js";
import { parseShowArchiveConfigDifferences } from "./show-archive-config-differences.js";
import { parseShowCdpNeighborsDetail } from "./show-cdp-neighbors-detail.js";
import { parseShowInterfacesStatus } from "./show-interfaces-status.js";
import { parseShowInterfacesSwitchport } from "./show-interfaces-switchport.js";
import { parseShowInventory } from "./show-inventory.js";
import { parseShowIpDhcpBinding } from "./show-ip-dhcp-binding.js";
import { parseShowIpNatTranslations } from "./show-ip-nat-translations.js";
import { parseShowLldpNeighborsDetail } from "./show-lldp-neighbors-detail.js";
import { parseShowMlsQosInterface } from "./show-mls-qos-interface.js";
import { parseShowPolicyMapInterface } from "./show-policy-map-interface.js";
import { parseShowPowerInline } from "./show-power-inline.js";
import { parseShowRunningConfig } from "./show-running-config.js";
import { parseShowVersion } from "./show-version.js";
import { parseShowVlanBrief } from "./show-vlan-brief.js";

export { ParseError } from "./common.js";

/** One pure parser per command; the key is the command as IOS spells it in full. */
export const iosParsers = {
  "show version": parseShowVersion,
  "show inventory": parseShowInventory,
  "show vlan brief": parseShowVlanBrief,
  "show interfaces switchport": parseShowInterfacesSwitchport,
  "show interfaces status": parseShowInterfacesStatus,
  "show power inline": parseShowPowerInline,
  "show mls qos interface": parseShowMlsQosInterface,
  "show lldp neighbors detail": parseShowLldpNeighborsDetail,
  "show cdp neighbors detail": parseShowCdpNeighborsDetail,
  "show archive": parseShowArchive,
  "show archive config differences": parseShowArchiveConfigDifferences,
  "show policy-map interface": parseShowPolicyMapInterface,
  "show ip dhcp binding": parseShowIpDhcpBinding,
  "show ip nat translations": parseShowIpNatTranslations,
  "show running-config": parseShowRunningConfig,
  "show startup-config": parseShowRunningConfig,
} as const;

export type IosCommand = keyof typeof iosParsers;
export const iosCommands = Object.keys(iosParsers) as IosCommand[];

/**
 * Where a command takes arguments (`*` = any number of words: an interface, `detail`, file names), as IOS
 * accepts them: `show interfaces Gi1/0/1 switchport`, `show lldp neighbors Gi1/0/1 detail`,
 * `show policy-map interface Gi0/0 output`, `show archive config differences nvram:startup-config …`.
 */
const SYNTAX: Record<IosCommand, string> = {
  "show version": "show version",
  "show inventory": "show inventory",
  "show vlan brief": "show vlan brief",
  "show interfaces switchport": "show interfaces * switchport",
  "show interfaces status": "show interfaces * status",
  "show power inline": "show power inline *",
  "show mls qos interface": "show mls qos interface *",
  "show lldp neighbors detail": "show lldp neighbors * detail",
  "show cdp neighbors detail": "show cdp neighbors * detail",
  "show archive": "show archive",
  "show archive config differences": "show archive config differences *",
  "show policy-map interface": "show policy-map interface *",
  "show ip dhcp binding": "show ip dhcp binding *",
  "show ip nat translations": "show ip nat translations *",
  "show running-config": "show running-config *",
  "show startup-config": "show startup-config *",
};

/** Output modifiers keep a configuration a configuration; on any other command they cut the table. */
const PIPES_OK = new Set<IosCommand>(["show running-config", "show startup-config"]);

/** A typed word matches a keyword when it is a prefix of it, at least 2 characters (`sh`, `int`, `nei`). */
const keywordMatches = (typed: string, keyword: string) =>
  typed.length >= Math.min(2, keyword.length) && keyword.startsWith(typed.toLowerCase());

function matches(spec: readonly string[], words: readonly string[]): boolean {
  const [head, ...rest] = spec;
  if (head === undefined) return words.length === 0;
  if (head === "*") return words.some((_, k) => matches(rest, words.slice(k))) || matches(rest, []);
  const [word, ...more] = words;
  return word !== undefined && keywordMatches(word, head) && matches(rest, more);
}

export type Resolved =
  | { ok: true; command: IosCommand; parse: (text: string) => unknown }
  | { ok: false; reason: string; candidates: IosCommand[] };

/**
 * Which parser reads the output of a command line as typed: `sh ver`, `show int switchport`,
 * `sh lldp nei det`, `show run | section interface`. Pure; never throws. More permissive than IOS in one way:
 * a prefix only has to be unique among the commands patchkast parses, not among all IOS keywords.
 */
export function resolveCommand(text: string): Resolved {
  const [left = "", ...pipe] = text.split("|");
  const words = left
    .trim()
    .split(/\s+/)
    .filter((w) => w !== "");
  const found = iosCommands.filter((c) => matches(SYNTAX[c].split(" "), words));
  if (found.length === 0)
    return { ok: false, reason: `no parser for ${JSON.stringify(text.trim())}`, candidates: [] };
  if (found.length > 1)
    return {
      ok: false,
      reason: `${JSON.stringify(text.trim())} is ambiguous: ${found.join(", ")}`,
      candidates: found,
    };
  const command = found[0] as IosCommand;
  if (pipe.length > 0 && !PIPES_OK.has(command))
    return {
      ok: false,
      reason: `output modifiers (| …) change what "${command}" prints; parse the unfiltered output`,
      candidates: [command],
    };
  return { ok: true, command, parse: iosParsers[command] };
}

/** Parses `text` as the output of `command` (as typed); unknown or ambiguous command → ParseError. */
export function parseIos(command: string, text: string): unknown {
  const resolved = resolveCommand(command);
  if (!resolved.ok) throw new ParseError("PK_ERR_PARSE_COMMAND", command, null, resolved.reason);
  return resolved.parse(text);
}
