import type { Catalog } from "../catalog/load.js";
import type { CheckResult } from "../checks/types.js";
import type { Observations } from "../monitor/observations.js";
import { firmwareMatches, type PhoneCheckIn } from "../provision/check-ins.js";
import type { Site } from "../site/schema.js";
import { redactDeep } from "./redact.js";
import type {
  AcceptanceReport,
  DeviceRow,
  FirmwareStatus,
  LineCapacity,
  PhoneRow,
  ReportMeta,
  SlaSummary,
  Verdict,
} from "./types.js";

export interface ReportInput {
  site: Site;
  catalog: Catalog;
  results: readonly CheckResult[];
  observations: Observations;
  meta: ReportMeta;
}

/**
 * Builds the acceptance report. Pure: the same input gives the same report. Only named fields of the site
 * are copied (never credentials, never secret references), and every string is passed through the
 * secret filter of `meta.redact` at the end.
 */
export function buildAcceptanceReport(input: ReportInput): AcceptanceReport {
  const { site, catalog, results, observations, meta } = input;
  const checks = results.map((r) => ({ ...r, evidence: r.evidence.map((e) => ({ ...e })) }));
  const counts = {
    total: checks.length,
    pass: checks.filter((c) => c.status === "pass").length,
    fail: checks.filter((c) => c.status === "fail").length,
    unknown: checks.filter((c) => c.status === "unknown").length,
  };
  const allowUnknown = meta.allowUnknown === true;
  const { verdict, reason } = judge(checks, allowUnknown);
  const line = lineOf(site, catalog);
  const phones = observations.phones;
  const report: AcceptanceReport = {
    schemaVersion: 1,
    kind: "patchkast-acceptance-report",
    title: "Protocol van Oplevering",
    verdict,
    verdictReason: reason,
    policy: { unknownBlocksAcceptance: !allowUnknown },
    counts,
    customer: site.customer,
    site: {
      id: site.site_id,
      timeZone: site.time_zone,
      sipProxy: `${site.provider.sip_proxy.host}:${site.provider.sip_proxy.port}/${site.provider.sip_proxy.transport}`,
      accessLine: site.access_line,
      slaTier: site.sla_tier,
    },
    date: localDate(meta.finishedAt, site.time_zone),
    startedAt: meta.startedAt.toISOString(),
    finishedAt: meta.finishedAt.toISOString(),
    durationMs: Math.max(0, meta.finishedAt.getTime() - meta.startedAt.getTime()),
    observedAt: observations.at,
    agent: { version: meta.agentVersion, node: meta.nodeVersion ?? process.version },
    line,
    sla: slaOf(site, catalog),
    devices: devicesOf(site),
    phones: phoneRows(site, catalog, phones.ok ? phones.value : []),
    phonesObserved: phones.ok ? { ok: true } : { ok: false, error: phones.error, code: phones.code },
    calls: callsOf(observations, line),
    checks,
    signatures: [
      { party: "engineer", label: "Engineer", name: meta.engineer ?? null, date: null, signature: null },
      { party: "customer", label: "Customer", name: null, date: null, signature: null },
    ],
  };
  return redactDeep(report, meta.redact ?? []);
}

function judge(checks: readonly CheckResult[], allowUnknown: boolean): { verdict: Verdict; reason: string } {
  const ids = (status: CheckResult["status"]) => checks.filter((c) => c.status === status).map((c) => c.id);
  const failed = ids("fail");
  const unknown = ids("unknown");
  const list = (n: number, what: string, names: string[]) =>
    `${n} check${n === 1 ? "" : "s"} ${what}: ${names.join(", ")}`;
  if (checks.length === 0)
    return { verdict: "not_accepted", reason: "no check ran, so nothing was verified" };
  const parts: string[] = [];
  if (failed.length > 0) parts.push(list(failed.length, "failed", failed));
  if (unknown.length > 0) parts.push(list(unknown.length, "could not be judged", unknown));
  if (failed.length > 0 || (unknown.length > 0 && !allowUnknown))
    return { verdict: "not_accepted", reason: parts.join("; ") };
  if (unknown.length > 0)
    return {
      verdict: "accepted_with_reservations",
      reason: `${parts.join("; ")} (accepted with --allow-unknown)`,
    };
  return { verdict: "accepted", reason: `all ${checks.length} checks passed` };
}

/** YYYY-MM-DD in the site's zone; UTC when the zone is not one Intl knows. */
export function localDate(at: Date, timeZone: string): string {
  const format = (zone: string) =>
    new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" })
      .format(at)
      .replace(/[^0-9-]/g, "");
  try {
    return format(timeZone);
  } catch {
    return format("UTC");
  }
}

function lineOf(site: Site, catalog: Catalog): LineCapacity {
  const row = catalog.findLine(site.access_line);
  if (!row) return { key: site.access_line, found: false };
  return {
    key: row.key,
    found: true,
    technology: row.technology,
    subscription: row.subscription,
    downKbps: row.down_kbps,
    upKbps: row.up_kbps,
    maxConcurrentCalls: row.max_concurrent_calls,
    use: row.use,
    speedIsMaximum: row.speed_is_maximum,
    source: row.source,
  };
}

function slaOf(site: Site, catalog: Catalog): SlaSummary {
  const tier = catalog.sla.tiers.find((t) => t.key === site.sla_tier);
  if (!tier) return { key: site.sla_tier, found: false };
  const w = catalog.sla.maintenance_window;
  const days = w.days.length === 7 ? "mon-sun" : w.days.join(",");
  return {
    key: tier.key,
    found: true,
    name: tier.name,
    availabilityPercent: tier.availability_percent,
    restoreHours: tier.restore_hours,
    restoreHoursKind: tier.restore_hours_kind,
    maintenanceWindow: `${days} ${w.start}-${w.end} ${w.time_zone}`,
    source: tier.source,
  };
}

function devicesOf(site: Site): DeviceRow[] {
  const r = site.router;
  return [
    { name: r.name, role: "router", model: r.model, platform: r.platform, address: r.management_address },
    ...site.switches.map((s) => ({
      name: s.name,
      role: "switch" as const,
      model: s.model,
      platform: s.platform,
      address: s.management_address,
    })),
  ];
}

const macKey = (mac: string) => mac.toLowerCase().replace(/[^0-9a-f]/g, "");

function phoneRows(site: Site, catalog: Catalog, checkIns: readonly PhoneCheckIn[]): PhoneRow[] {
  const byMac = new Map(checkIns.map((c) => [macKey(c.mac), c]));
  return site.phones.map((p) => {
    const seen = byMac.get(macKey(p.mac));
    const model = catalog.findPhone(p.model);
    const expectedFirmware = model?.firmware ?? seen?.expectedFirmware ?? null;
    const reportedFirmware = seen?.reportedFirmware ?? null;
    return {
      mac: p.mac,
      extension: p.extension,
      user: p.user,
      expectedModel: model ? `${model.brand} ${model.model}` : p.model,
      reportedModel: seen?.reportedModel ?? null,
      expectedFirmware,
      reportedFirmware,
      firmware: firmwareStatus(expectedFirmware, reportedFirmware),
      lastSeen: seen?.lastSeen ?? null,
      port: p.port ? `${p.port.switch} ${p.port.interface}` : null,
    };
  });
}

function firmwareStatus(expected: string | null, reported: string | null): FirmwareStatus {
  if (expected === null) return "no_expectation";
  if (reported === null) return "not_reported";
  return firmwareMatches(expected, reported) ? "compliant" : "mismatch";
}

function callsOf(observations: Observations, line: LineCapacity): AcceptanceReport["calls"] {
  const calls = observations.calls;
  if (!calls) return null;
  const values = Object.values(calls.bySource);
  return {
    bySource: { ...calls.bySource },
    highest: values.length === 0 ? 0 : Math.max(...values),
    capacity: line.found ? line.maxConcurrentCalls : null,
    at: calls.at,
  };
}
