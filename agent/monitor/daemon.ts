import type { CallSource } from "../calls/types.js";
import type { CheckResult } from "../checks/types.js";
import type { Logger } from "../log.js";
import { exportCalls, exportRound, precreateSeries, recordSipProbe } from "../metrics/export-round.js";
import type { MonitorMetrics } from "../metrics/monitor-metrics.js";
import type { Site } from "../site/schema.js";
import type { Observations, SipProbeObservation } from "./observations.js";
import { type Job, Scheduler } from "./scheduler.js";
import { buildStatus, type CallsStatus, type Round, type SiteStatus } from "./status.js";

/**
 * What `patchkast serve` runs next to the provisioning servers: a monitoring round (devices, drift,
 * phones, checks), frequent SIP probes (the SLA availability counters), and call counting. The pieces
 * that talk to the network come in as functions, so this file is testable with fakes and the daemon
 * wiring stays in agent/cli/serve.ts.
 */
export interface MonitorDeps {
  /** The site in force (it follows reloads of the site file). */
  site: () => Site;
  log: Logger;
  metrics: MonitorMetrics;
  /** One round of observations; SIP probes may be left empty when `probeSip` runs them on its own. */
  observe: (signal: AbortSignal) => Promise<Observations>;
  check: (observations: Observations) => CheckResult[];
  /** Probes the provider's proxy once per configured transport. */
  probeSip?: (signal: AbortSignal) => Promise<SipProbeObservation[]>;
  callSources?: readonly CallSource[];
  /** Max concurrent calls of the site's access line, or null when the line table has no figure. */
  capacity: () => number | null;
  inMaintenanceWindow: (now: Date) => boolean;
  intervals?: { roundMs?: number; sipProbeMs?: number; callsMs?: number };
  now?: () => number;
}

export interface Monitor {
  start(): Promise<void>;
  stop(): Promise<void>;
  status(): SiteStatus;
  latest(): Round | null;
  /** Runs a round now (or joins the one running) and resolves with it. */
  runRound(): Promise<Round | null>;
}

export function createMonitor(deps: MonitorDeps): Monitor {
  const now = deps.now ?? Date.now;
  let round: Round | null = null;
  let probes: SipProbeObservation[] = [];
  let calls: CallsStatus = { bySource: {}, capacity: deps.capacity(), utilization: null };
  const sources = deps.callSources ?? [];

  const jobs: Job[] = [
    {
      name: "round",
      intervalMs: deps.intervals?.roundMs ?? 60_000,
      run: async (signal) => {
        const observed = await deps.observe(signal);
        for (const p of observed.sipProbes) recordSipProbe(deps.metrics, p);
        for (const s of sources) s.onRound?.(observed);
        if (deps.probeSip && observed.sipProbes.length === 0) observed.sipProbes = probes;
        if (observed.calls === undefined && Object.keys(calls.bySource).length > 0)
          observed.calls = { bySource: calls.bySource, at: new Date(now()).toISOString() };
        const results = deps.check(observed);
        exportRound(deps.metrics, deps.site(), observed, results);
        round = { observations: observed, results, finishedAt: new Date(now()).toISOString() };
        const failed = results.filter((r) => r.status === "fail").map((r) => r.id);
        deps.log.info(
          { checks: results.length, failed, unknown: results.filter((r) => r.status === "unknown").length },
          failed.length > 0 ? `monitoring round: ${failed.length} check(s) failing` : "monitoring round done",
        );
      },
    },
    {
      name: "calls",
      intervalMs: deps.intervals?.callsMs ?? 5_000,
      run: async () => {
        const t = now();
        deps.metrics.maintenanceWindow.set(deps.inMaintenanceWindow(new Date(t)) ? 1 : 0);
        const bySource: Record<string, number> = {};
        for (const s of sources) if (s.available !== false) bySource[s.name] = s.active(t);
        for (const s of sources)
          if (s.available === false) deps.metrics.callsActive.remove({ source: s.name });
        const capacity = deps.capacity();
        exportCalls(deps.metrics, bySource, capacity);
        const most = Math.max(0, ...Object.values(bySource));
        calls = { bySource, capacity, utilization: capacity ? most / capacity : null };
      },
    },
  ];
  const probeSip = deps.probeSip;
  if (probeSip) {
    jobs.push({
      name: "sip_probe",
      intervalMs: deps.intervals?.sipProbeMs ?? 30_000,
      run: async (signal) => {
        const got = await probeSip(signal);
        for (const p of got) recordSipProbe(deps.metrics, p);
        probes = got;
        const down = got.filter((p) => !p.result.reachable);
        if (down.length > 0)
          deps.log.warn(
            {
              targets: down.map((p) => `${p.target}/${p.transport}`),
              reasons: down.map((p) => p.result.reason),
            },
            "SIP proxy not reachable",
          );
      },
    });
  }
  const scheduler = new Scheduler(jobs, { log: deps.log, metrics: deps.metrics, now });

  return {
    async start() {
      precreateSeries(deps.metrics, deps.site());
      for (const s of sources) {
        try {
          await s.start?.();
        } catch (err) {
          // A call source that cannot start (no capture privilege, say) is a log line, not a dead daemon.
          deps.log.error(
            { source: s.name, err: (err as Error).message },
            `call source ${s.name} did not start`,
          );
        }
      }
      scheduler.start();
    },
    async stop() {
      await scheduler.stop();
      for (const s of sources) await s.stop?.().catch(() => undefined);
    },
    status: () =>
      buildStatus(deps.site(), round, calls, scheduler.states(), deps.inMaintenanceWindow(new Date(now()))),
    latest: () => round,
    async runRound() {
      await scheduler.runNow("round");
      return round;
    },
  };
}
