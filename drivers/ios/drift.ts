import {
  type ConfigDiffEntry,
  type ConfigNode,
  diffConfig,
  parseShowRunningConfig,
} from "./parse/show-running-config.js";

/**
 * Lines the device never prints as they were written, so comparing them is noise, not drift:
 * - `snmp-server user …`: IOS keeps SNMPv3 users out of the running config (netconfig.md §3.2);
 * - the type digit of a secret (`secret 0 x` is stored as `secret 9 $9$…`): both sides are masked to
 *   `<secret>` already, the digit is dropped here so only a missing or added secret shows;
 * - defaults IOS never prints: `cdp run` (CDP is on by default) and `power inline auto` (the default PoE
 *   mode), which the standard config states explicitly so that a replace puts them back;
 * - a physical interface with nothing configured: IOS prints every port as an empty stanza.
 */
const unprinted = [/^snmp-server user /, /^cdp run$/, /^power inline auto$/];

function comparable(nodes: readonly ConfigNode[]): ConfigNode[] {
  return nodes
    .filter((n) => !unprinted.some((re) => re.test(n.line)))
    .filter((n) => !(n.children.length === 0 && /^interface \S+$/.test(n.line)))
    .map((n) => ({
      line: n.line.replace(/\b(secret|password) [0-9] <secret>/g, "$1 <secret>"),
      children: comparable(n.children),
    }));
}

/**
 * Drift: what differs between the configuration we rendered (the intent) and what the device runs, both
 * normalised (volatile lines dropped, secrets masked) and compared as a hierarchy. `+` lines are on the
 * device but not in the intent (someone added them); `-` lines are in the intent but missing on the device.
 */
export function configDrift(intent: string, running: string): ConfigDiffEntry[] {
  return diffConfig(
    comparable(parseShowRunningConfig(intent).nodes),
    comparable(parseShowRunningConfig(running).nodes),
  );
}

export function formatDiff(entries: readonly ConfigDiffEntry[]): string {
  return entries
    .map((e) => `${e.op} ${[...e.path, e.line].map((l, i) => `${"  ".repeat(i)}${l}`).join("\n  ")}`)
    .join("\n");
}
