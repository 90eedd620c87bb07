import type { FastifyInstance } from "fastify";
import type { Round, SiteStatus } from "../../monitor/status.js";

/**
 * GET /api/v1/status (JSON, for the NOC and the acceptance test), GET /api/v1/checks (the last round's
 * checks with their evidence) and GET /status (a small page an engineer opens on site). Read-only and
 * free of secrets, like /api/v1/phones.
 */
export function registerStatusRoutes(
  app: FastifyInstance,
  status: () => SiteStatus,
  latest: () => Round | null,
): void {
  app.get("/api/v1/status", async (_req, reply) => {
    reply.header("cache-control", "no-store");
    return status();
  });
  // Every check of the last round with its evidence: what the NOC opens when an alert names a check.
  app.get("/api/v1/checks", async (_req, reply) => {
    reply.header("cache-control", "no-store");
    const round = latest();
    return { at: round?.finishedAt ?? null, checks: round?.results ?? [] };
  });
  app.get("/status", async (_req, reply) => {
    reply
      .type("text/html; charset=utf-8")
      .header("cache-control", "no-store")
      .header("content-security-policy", "default-src 'none'; style-src 'unsafe-inline'")
      .send(statusPage(status()));
  });
}

const html = (s: unknown) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const badge: Record<string, string> = { pass: "#1a7f37", fail: "#cf222e", unknown: "#9a6700" };

/** The page: no scripts, no external resources; it refreshes itself every 30 s. */
export function statusPage(s: SiteStatus): string {
  const rows = s.checks.results
    .map(
      (r) =>
        `<tr><td><b style="color:${badge[r.status] ?? "#000"}">${html(r.status.toUpperCase())}</b></td><td>${html(r.title)}</td><td>${html(r.summary)}</td></tr>`,
    )
    .join("\n");
  const devices = s.devices
    .map(
      (d) =>
        `<tr><td>${html(d.name)}</td><td>${html(d.role)}</td><td>${html(d.address)}</td><td>${d.up ? "up" : "<b>down</b>"}</td><td>${d.drift === null ? "?" : d.drift ? "<b>drifted</b>" : "standard"}</td></tr>`,
    )
    .join("\n");
  const sip = s.sip
    .map(
      (p) =>
        `<tr><td>${html(p.target)}/${html(p.transport)}</td><td>${p.reachable ? "reachable" : "<b>unreachable</b>"}</td><td>${html(p.status ?? "-")}</td><td>${p.rttMs === null ? "-" : `${html(p.rttMs.toFixed(1))} ms`}</td></tr>`,
    )
    .join("\n");
  const calls = Object.entries(s.calls.bySource)
    .map(([k, v]) => `${html(k)}: ${html(v)}`)
    .join(", ");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="30">
<title>patchkast — ${html(s.site.customer)} (${html(s.site.id)})</title>
<style>body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:.25em .6em;text-align:left}</style>
</head><body>
<h1>${html(s.site.customer)} <small>${html(s.site.id)}</small></h1>
<p>State: <b>${html(s.state)}</b> · last round ${html(s.lastRound ?? "not yet")} · ${s.inMaintenanceWindow ? "maintenance window" : "service hours"} · SLA ${html(s.site.slaTier)} · line ${html(s.site.accessLine)}</p>
<h2>Checks (${s.checks.counts.pass} pass, ${s.checks.counts.fail} fail, ${s.checks.counts.unknown} unknown)</h2>
<table><tr><th>status</th><th>check</th><th>why</th></tr>
${rows}</table>
<h2>Devices</h2>
<table><tr><th>name</th><th>role</th><th>address</th><th>reachable</th><th>config</th></tr>
${devices}</table>
<h2>SIP proxy</h2>
<table><tr><th>target</th><th>state</th><th>status</th><th>RTT</th></tr>
${sip}</table>
<h2>Calls</h2>
<p>${calls || "no call source"} · capacity ${html(s.calls.capacity ?? "unknown")}${s.calls.utilization === null ? "" : ` · utilisation ${html(Math.round(s.calls.utilization * 100))} %`}</p>
<h2>Phones</h2>
<p>${s.phones.seen} of ${s.phones.inventory} seen · ${s.phones.compliant} on catalog firmware · ${s.phones.nonCompliant} not</p>
</body></html>
`;
}
