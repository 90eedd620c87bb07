import { configDrift } from "./config-drift.js";
import { dhcpProvisioningOptions } from "./dhcp-options.js";
import { phoneConfigFetched } from "./phone-config-fetched.js";
import { phoneFirmware } from "./phone-firmware.js";
import { phonePort } from "./phone-port.js";
import { phonePortQos } from "./phone-port-qos.js";
import { phonePortVlans } from "./phone-port-vlans.js";
import { poePhonePorts } from "./poe.js";
import { sipProxyReachable } from "./sip-proxy.js";
import { switchVlans } from "./switch-vlans.js";
import type { Check, CheckContext, CheckResult } from "./types.js";
import { uplinkTrunk } from "./uplink-trunk.js";
import { wanPriorityQueue } from "./wan-priority-queue.js";

export { type CheckLimits, defaultLimits } from "./limits.js";
export type { Check, CheckContext, CheckResult, CheckStatus, Evidence } from "./types.js";

/**
 * Every check, in the order an engineer fixes things: layer 2 on the switch, then QoS and power, then the
 * router, then the provider, then the phones, and drift last (it repeats what the others found as lines).
 */
export const allChecks: readonly Check[] = [
  switchVlans,
  phonePortVlans,
  uplinkTrunk,
  phonePortQos,
  poePhonePorts,
  wanPriorityQueue,
  dhcpProvisioningOptions,
  sipProxyReachable,
  phoneConfigFetched,
  phoneFirmware,
  phonePort,
  configDrift,
];

/**
 * Runs every check. A check that throws (a bug, or observations shaped in a way it did not foresee) gives
 * an `unknown` result with the error as its evidence: one broken check never hides the others.
 */
export function runChecks(ctx: CheckContext, checks: readonly Check[] = allChecks): CheckResult[] {
  return checks.map((check) => {
    try {
      return check.run(ctx);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      return {
        id: check.id,
        title: check.title,
        status: "unknown",
        summary: `the check failed to run: ${message}`,
        evidence: [
          { subject: check.id, observed: `check error: ${message}`, ok: null, source: "patchkast checks" },
        ],
      };
    }
  });
}
