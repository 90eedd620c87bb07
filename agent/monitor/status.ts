import type { CheckResult, CheckStatus } from "../checks/types.js";
import type { Site } from "../site/schema.js";
import { deviceReadable, type Observations } from "./observations.js";
import type { JobState } from "./scheduler.js";

/** The latest complete monitoring round the daemon holds. */
export interface Round {
  observations: Observations;
  results: CheckResult[];
  finishedAt: string;
}

export interface CallsStatus {
  bySource: Record<string, number>;
  capacity: number | null;
  utilization: number | null;
}

/** GET /api/v1/status: the site at a glance, for the NOC and the acceptance test. */
export interface SiteStatus {
  site: { id: string; customer: string; timeZone: string; slaTier: string; accessLine: string };
  /** healthy: every check passed; degraded: one failed; unknown: no round yet, or checks unknown. */
  state: "healthy" | "degraded" | "unknown";
  lastRound: string | null;
  inMaintenanceWindow: boolean;
  checks: {
    counts: Record<CheckStatus, number>;
    results: { id: string; title: string; status: CheckStatus; summary: string }[];
  };
  devices: { name: string; role: string; address: string; up: boolean; drift: boolean | null }[];
  sip: {
    target: string;
    transport: string;
    reachable: boolean;
    status: number | null;
    rttMs: number | null;
    at: string;
  }[];
  calls: CallsStatus;
  phones: { inventory: number; seen: number; compliant: number; nonCompliant: number };
  collectors: JobState[];
}

export function buildStatus(
  site: Site,
  round: Round | null,
  calls: CallsStatus,
  collectors: JobState[],
  inMaintenanceWindow: boolean,
): SiteStatus {
  const results = round?.results ?? [];
  const counts: Record<CheckStatus, number> = { pass: 0, fail: 0, unknown: 0 };
  for (const r of results) counts[r.status]++;
  const state =
    round === null || results.length === 0
      ? "unknown"
      : counts.fail > 0
        ? "degraded"
        : counts.unknown > 0
          ? "unknown"
          : "healthy";
  const obs = round?.observations;
  const phones = obs?.phones.ok ? obs.phones.value : [];
  return {
    site: {
      id: site.site_id,
      customer: site.customer,
      timeZone: site.time_zone,
      slaTier: site.sla_tier,
      accessLine: site.access_line,
    },
    state,
    lastRound: round?.finishedAt ?? null,
    inMaintenanceWindow,
    checks: {
      counts,
      results: results.map(({ id, title, status, summary }) => ({ id, title, status, summary })),
    },
    devices: (obs?.devices ?? []).map((d) => ({
      name: d.name,
      role: d.role,
      address: d.address,
      up: deviceReadable(d),
      drift: d.drift?.ok ? d.drift.value.length > 0 : null,
    })),
    sip: (obs?.sipProbes ?? []).map((p) => ({
      target: p.target,
      transport: p.transport,
      reachable: p.result.reachable,
      status: p.result.status,
      rttMs: p.result.rttMs,
      at: p.at,
    })),
    calls,
    phones: {
      inventory: site.phones.length,
      seen: phones.filter((p) => p.lastSeen !== null).length,
      compliant: phones.filter((p) => p.firmwareCompliant === true).length,
      nonCompliant: phones.filter((p) => p.firmwareCompliant === false).length,
    },
    collectors,
  };
}
