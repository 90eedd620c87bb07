/**
 * When the configuration last changed, from CISCO-CONFIG-MAN-MIB ccmHistory (1.3.6.1.4.1.9.9.43.1.1):
 * ccmHistoryRunningLastChanged (.1.0), ccmHistoryRunningLastSaved (.2.0), ccmHistoryStartupLastChanged
 * (.3.0). All three are TimeStamps, i.e. the value of sysUpTime (SNMPv2-MIB 1.3.6.1.2.1.1.3.0) at the
 * event, in hundredths of a second, so they only mean something next to sysUpTime read in the same GET.
 *
 * - 0 means "not since the agent started" (RFC 2579 TimeStamp).
 * - sysUpTime wraps after 2^32 ticks (497 days); a stamp larger than sysUpTime means it wrapped once.
 * - "Unsaved" compares the running change with the startup write, not with RunningLastSaved: the MIB's
 *   RunningLastSaved also moves on `copy running tftp:`, which saves nothing to NVRAM.
 * None of the public recordings has ccmHistory (the 2960X has sysUpTime 718475737, ~83 days).
 */

import { dropUndefined } from "./if-mib.js";
import type { SnmpClient, Varbind } from "./types.js";
import { num } from "./values.js";

export const sysUpTime = "1.3.6.1.2.1.1.3.0";
export const ccmHistoryRunningLastChanged = "1.3.6.1.4.1.9.9.43.1.1.1.0";
export const ccmHistoryRunningLastSaved = "1.3.6.1.4.1.9.9.43.1.1.2.0";
export const ccmHistoryStartupLastChanged = "1.3.6.1.4.1.9.9.43.1.1.3.0";

const wrap = 2 ** 32;

export interface ConfigChange {
  /** The raw TimeStamp (sysUpTime ticks at the event). */
  ticks: number;
  /** Seconds before the reading; undefined when the event predates the agent's start (ticks = 0). */
  secondsAgo?: number;
  /** `now` minus secondsAgo. */
  at?: Date;
}

export interface ConfigHistory {
  /** False when the device answers none of the ccmHistory objects. */
  supported: boolean;
  sysUpTimeSeconds?: number;
  runningLastChanged?: ConfigChange;
  runningLastSaved?: ConfigChange;
  startupLastChanged?: ConfigChange;
  /** Running config changed after the last write to startup (or after the last save, when no startup stamp). */
  unsavedChanges?: boolean;
}

function change(ticks: number | undefined, up: number | undefined, now: Date): ConfigChange | undefined {
  if (ticks === undefined) return undefined;
  if (ticks === 0 || up === undefined) return { ticks };
  const agoTicks = ticks <= up ? up - ticks : up + wrap - ticks;
  const secondsAgo = agoTicks / 100;
  return { ticks, secondsAgo, at: new Date(now.getTime() - secondsAgo * 1000) };
}

/** Pure: the GET of sysUpTime and the three ccmHistory stamps → interpreted times. */
export function parseConfigHistory(varbinds: readonly Varbind[], now: Date): ConfigHistory {
  const get = (oid: string) => num(varbinds.find((vb) => vb.oid === oid));
  const up = get(sysUpTime);
  const running = get(ccmHistoryRunningLastChanged);
  const saved = get(ccmHistoryRunningLastSaved);
  const startup = get(ccmHistoryStartupLastChanged);
  const reference = startup ?? saved;
  // Ticks only compare within one wrap of sysUpTime; compare the ages instead of the raw stamps.
  const age = (t: number | undefined) =>
    t === undefined || up === undefined ? undefined : t <= up ? up - t : up + wrap - t;
  const runningAge = age(running);
  const referenceAge = age(reference);
  return dropUndefined({
    supported: running !== undefined || saved !== undefined || startup !== undefined,
    sysUpTimeSeconds: up === undefined ? undefined : up / 100,
    runningLastChanged: change(running, up, now),
    runningLastSaved: change(saved, up, now),
    startupLastChanged: change(startup, up, now),
    unsavedChanges:
      running === undefined || reference === undefined
        ? undefined
        : running === 0
          ? false
          : reference === 0
            ? true
            : (runningAge ?? 0) < (referenceAge ?? 0),
  });
}

export async function readConfigHistory(client: SnmpClient, now = new Date()): Promise<ConfigHistory> {
  const varbinds = await client.get(
    [sysUpTime, ccmHistoryRunningLastChanged, ccmHistoryRunningLastSaved, ccmHistoryStartupLastChanged],
    "SNMPv2-MIB sysUpTime and CISCO-CONFIG-MAN-MIB ccmHistory",
  );
  return parseConfigHistory(varbinds, now);
}
