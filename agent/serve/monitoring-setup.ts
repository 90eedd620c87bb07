import { join } from "node:path";
import { FileHostKeyStore } from "../../drivers/ios/host-keys.js";
import { QosEstimateSource, VoiceMibSource } from "../calls/round-sources.js";
import type { CallSource } from "../calls/types.js";
import type { Catalog } from "../catalog/load.js";
import { runChecks } from "../checks/index.js";
import type { Logger } from "../log.js";
import type { MonitorMetrics } from "../metrics/monitor-metrics.js";
import { createMonitor, type Monitor } from "../monitor/daemon.js";
import { inMaintenanceWindow } from "../monitor/maintenance.js";
import { observeSite, probeSipProxy } from "../monitor/observe.js";
import { realObserveDeps } from "../monitor/observe-real.js";
import type { PhoneCheckIn } from "../provision/check-ins.js";
import type { Site } from "../site/schema.js";
import type { SecretResolver } from "../site/secrets.js";

export interface MonitoringSetupDeps {
  /** The site in force; follows reloads of the site file. */
  site: () => Site;
  catalog: Catalog;
  secrets: SecretResolver;
  stateDir: string;
  metrics: MonitorMetrics;
  log: Logger;
  phones: () => readonly PhoneCheckIn[];
  /** Call sources that listen on their own (phone events, capture); the router-fed ones are added here. */
  callSources?: readonly CallSource[];
  intervals?: { roundMs?: number; sipProbeMs?: number; callsMs?: number };
}

/**
 * The monitoring side of `patchkast serve`, wired over the real drivers: a round reads every device over
 * SNMP and SSH (host keys pinned in the state dir, as push and diff pin them), checks the phones'
 * check-ins, runs every check; the SIP proxy is probed on its own, more often, because the SLA
 * availability counters are made of those probes.
 */
export function setUpMonitoring(deps: MonitoringSetupDeps): Monitor {
  const hostKeys = new FileHostKeyStore(join(deps.stateDir, "known_hosts"));
  const window = (now: Date) =>
    inMaintenanceWindow(now, deps.site().time_zone, deps.catalog.sla.maintenance_window);
  // Built per use: the site may have been reloaded, and secrets are resolved fresh from their files.
  const observeDeps = (signal: AbortSignal) => ({
    ...realObserveDeps({ site: deps.site(), catalog: deps.catalog, secrets: deps.secrets, hostKeys }),
    phones: deps.phones,
    inMaintenanceWindow: window,
    signal,
  });
  return createMonitor({
    site: deps.site,
    log: deps.log,
    metrics: deps.metrics,
    // The round leaves SIP to the probe job (its results are merged into the round's observations).
    observe: (signal) => observeSite({ ...observeDeps(signal), probeSip: undefined }),
    check: (observations) => runChecks({ site: deps.site(), catalog: deps.catalog, observations }),
    probeSip: (signal) => probeSipProxy(observeDeps(signal)),
    callSources: [...(deps.callSources ?? []), new VoiceMibSource(), new QosEstimateSource()],
    capacity: () => deps.catalog.findLine(deps.site().access_line)?.max_concurrent_calls ?? null,
    inMaintenanceWindow: window,
    ...(deps.intervals ? { intervals: deps.intervals } : {}),
  });
}
