/**
 * The thresholds the checks judge against. The site file has no settings for them (yet), so the agent
 * passes its own or takes these defaults.
 */
export interface CheckLimits {
  /**
   * Free PoE budget a switch must keep, in percent of its budget. 10 % of a 2960X-24PS (370 W) is 37 W:
   * room for five more class 2 phones (6.5 W each at the PSE) before a new phone is denied power.
   */
  poeHeadroomPercent: number;
  /**
   * Slowest acceptable OPTIONS round trip to the provider's proxy. ITU-T G.114 keeps one-way delay under
   * 150 ms for good speech; a signalling round trip over 300 ms means the path would hurt calls as well.
   */
  sipRttMs: number;
}

export const defaultLimits: CheckLimits = { poeHeadroomPercent: 10, sipRttMs: 300 };

export function limitsOf(given: Partial<CheckLimits> | undefined): CheckLimits {
  return { ...defaultLimits, ...given };
}
