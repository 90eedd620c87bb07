/**
 * The NOC side of the metrics contract (monitoring/): Prometheus recording and alert rules, their
 * `promtool test rules` unit tests, the agent's real exposition under `promtool check metrics`, and the
 * Grafana dashboard. promtool comes from the Debian package `prometheus` (.ci/run installs it; the
 * service is never started); without it the promtool blocks skip and say so. The static checks run
 * always: metric names against DESIGN.md's contract, the SLA objectives against configs/catalog/sla.yaml,
 * the DST test series against the real Europe/Amsterdam calendar, and the dashboard JSON.
 */
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Counter, Gauge, Histogram, Summary } from "prom-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { createMetrics } from "../../agent/metrics/registry.js";
import { packageRoot } from "../../agent/paths.js";
import { onPath, run } from "../helpers/peer-tools.js";

const monitoring = join(packageRoot, "monitoring");
const rulesDir = join(monitoring, "prometheus", "rules");
const testsDir = join(monitoring, "prometheus", "tests");
const rulesFiles = readdirSync(rulesDir)
  .filter((f) => f.endsWith(".yml"))
  .map((f) => join(rulesDir, f));
const testFiles = readdirSync(testsDir)
  .filter((f) => f.endsWith(".test.yml"))
  .sort();
const dashboardFile = join(monitoring, "grafana", "patchkast-site.json");

const hasPromtool = onPath("promtool");
if (!hasPromtool)
  console.warn(
    "prometheus rule tests skipped: promtool is not installed (Debian package prometheus: apt-get install prometheus; see .ci/run)",
  );
const skipNote = hasPromtool ? "" : " (SKIPPED: promtool not installed; apt-get install prometheus)";

/**
 * The metric names of DESIGN.md "Metrics" and the labels the agent exports on each (no `site`: the scrape
 * adds it). The rules and the dashboard may use only these, `up`, and the rules' own recordings.
 */
const contract: Record<string, { type: "counter" | "gauge"; labels: string[] }> = {
  patchkast_build_info: { type: "gauge", labels: ["version", "node"] },
  patchkast_device_up: { type: "gauge", labels: ["device", "role"] },
  patchkast_collector_success: { type: "gauge", labels: ["collector"] },
  patchkast_collector_duration_seconds: { type: "gauge", labels: ["collector"] },
  patchkast_sip_probe_success: { type: "gauge", labels: ["target", "transport"] },
  patchkast_sip_probe_duration_seconds: { type: "gauge", labels: ["target", "transport"] },
  patchkast_sip_probes_total: { type: "counter", labels: ["target", "transport", "in_maintenance"] },
  patchkast_sip_probe_failures_total: {
    type: "counter",
    labels: ["target", "transport", "in_maintenance", "reason"],
  },
  patchkast_maintenance_window: { type: "gauge", labels: [] },
  patchkast_calls_active: { type: "gauge", labels: ["source"] },
  patchkast_line_capacity_calls: { type: "gauge", labels: [] },
  patchkast_line_utilization_ratio: { type: "gauge", labels: [] },
  patchkast_poe_port_power_watts: { type: "gauge", labels: ["device", "port"] },
  patchkast_poe_budget_watts: { type: "gauge", labels: ["device"] },
  patchkast_port_voice_vlan: { type: "gauge", labels: ["device", "port"] },
  patchkast_check_status: { type: "gauge", labels: ["check"] },
  patchkast_phone_info: { type: "gauge", labels: ["mac", "model", "firmware"] },
  patchkast_phone_firmware_compliant: { type: "gauge", labels: ["mac"] },
  patchkast_provision_requests_total: { type: "counter", labels: ["family", "result"] },
  patchkast_tftp_bytes_sent_total: { type: "counter", labels: [] },
  patchkast_config_drift: { type: "gauge", labels: ["device"] },
};

interface Rule {
  record?: string;
  alert?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface RuleGroup {
  name: string;
  interval?: string;
  rules: Rule[];
}
const groups: RuleGroup[] = rulesFiles.flatMap(
  (f) => (parse(readFileSync(f, "utf8")) as { groups: RuleGroup[] }).groups,
);
const rules = groups.flatMap((g) => g.rules);
const recorded = new Set(rules.flatMap((r) => (r.record ? [r.record] : [])));

/**
 * The metric names a PromQL expression selects: strings, label matchers, ranges and grouping clauses
 * removed, then every identifier that is not a function call, keyword or number. Grafana's `$variables`
 * only appear inside those removed parts.
 */
function metricNames(expr: string): string[] {
  const keywords = new Set(["and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring"]);
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""')
    .replace(/\{[^}]*\}/g, " ")
    .replace(/\[[^\]]*\]/g, " ")
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, " ")
    .replace(/\b(?:group_left|group_right)\b/g, " ")
    .replace(/\boffset\s+-?\w+/g, " ");
  const names = new Set<string>();
  for (const m of stripped.matchAll(/(?<![\w.$:])([A-Za-z_:][\w:]*)(?![\w:])(?!\s*\()/g)) {
    const name = m[1] as string;
    if (keywords.has(name.toLowerCase()) || /^(?:inf|nan)$/i.test(name)) continue;
    names.add(name);
  }
  return [...names];
}

/** promtool's expanding notation: `a`, `a+bxn`, `a-bxn`, `axn`, `_`, `_xn`, `stale`. */
function expand(values: string): Array<number | null> {
  const out: Array<number | null> = [];
  for (const token of values.trim().split(/\s+/)) {
    const blanks = /^_(?:x(\d+))?$/.exec(token);
    if (blanks) {
      for (let i = 0; i < (blanks[1] ? Number(blanks[1]) : 1); i++) out.push(null);
      continue;
    }
    if (token === "stale") {
      out.push(null);
      continue;
    }
    const m = /^(-?[\d.e]+)(?:([+-][\d.e]+)?x(\d+))?$/.exec(token);
    if (!m) throw new Error(`cannot expand ${token}`);
    const a = Number(m[1]);
    const b = m[2] ? Number(m[2]) : 0;
    const n = m[3] === undefined ? 0 : Number(m[3]);
    for (let i = 0; i <= n; i++) out.push(a + i * b);
  }
  return out;
}

/** `promtool` with stdin, never rejecting. */
function promtool(args: string[], input?: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn("promtool", args, { cwd: packageRoot, stdio: ["pipe", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d: Buffer) => {
      output += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      output += d.toString();
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 110_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, output });
    });
    child.stdin.end(input ?? "");
  });
}

// -------------------------------------------------------------------------------------------------------
describe("the metric contract", () => {
  const design = join(packageRoot, "..", "shared", "DESIGN.md");
  it.runIf(existsSync(design))("matches DESIGN.md's Metrics section name for name", () => {
    const section = /## Metrics[^\n]*\n([\s\S]*?)\n## /.exec(readFileSync(design, "utf8"))?.[1] ?? "";
    const named = new Set([...section.matchAll(/`(patchkast_\w+)/g)].map((m) => m[1]));
    expect([...named].sort()).toEqual(Object.keys(contract).sort());
  });

  it("the agent's registry has every metric of the contract", () => {
    const { registry } = createMetrics("0.0.0-test");
    const exported = new Set(
      registry.getMetricsAsArray().map((m) => (m as unknown as { name: string }).name),
    );
    for (const name of Object.keys(contract)) expect(exported.has(name), `${name} is exported`).toBe(true);
  });

  it("the agent's registry exports contract metrics with exactly the contract's labels and type, never `site`", async () => {
    const { registry } = createMetrics("0.0.0-test");
    const text = await registry.metrics();
    const types = new Map([...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => [m[1], m[2]]));
    for (const metric of registry.getMetricsAsArray()) {
      const name = (metric as unknown as { name: string }).name;
      const labels = [...((metric as unknown as { labelNames?: readonly string[] }).labelNames ?? [])];
      expect(labels, `${name} must not carry site (the scrape adds it)`).not.toContain("site");
      const spec = contract[name];
      if (!spec) continue;
      expect([...labels].sort(), `${name} labels`).toEqual([...spec.labels].sort());
      expect(types.get(name), `${name} type`).toBe(spec.type);
    }
  });
});

describe("rules (static)", () => {
  const alerts = rules.filter((r) => r.alert);

  it("use only contract metrics, `up` and their own recordings", () => {
    for (const rule of rules)
      for (const name of metricNames(rule.expr))
        expect(
          name in contract || name === "up" || recorded.has(name),
          `${rule.record ?? rule.alert}: ${name}`,
        ).toBe(true);
  });

  it("have every alert of the runbook, each with for, severity, a summary and description naming the site, and a runbook anchor that exists", () => {
    const names = new Set(alerts.map((a) => a.alert));
    for (const required of [
      "SIPProxyUnreachable",
      "CallCapacityNearLimit",
      "VoiceVlanMissing",
      "PoEPortFault",
      "PhoneFirmwareDrift",
      "ConfigDrift",
      "AgentDown",
      "SLAErrorBudgetBurn",
    ])
      expect(names, required).toContain(required);
    const readme = readFileSync(join(monitoring, "README.md"), "utf8");
    const anchors = new Set(
      [...readme.matchAll(/^#{2,4} (.+)$/gm)].map((m) =>
        (m[1] as string)
          .toLowerCase()
          .replace(/[^\w\- ]/g, "")
          .replace(/ /g, "-"),
      ),
    );
    for (const a of alerts) {
      expect(a.for, `${a.alert} for`).toMatch(/^\d+[smhd]$/);
      expect(["critical", "warning", "info"], `${a.alert} severity`).toContain(a.labels?.severity);
      expect(a.annotations?.summary, `${a.alert} summary`).toContain("$labels.site");
      expect(a.annotations?.description, `${a.alert} description`).toContain("$labels.site");
      const anchor = /^monitoring\/README\.md#(.+)$/.exec(a.annotations?.runbook ?? "")?.[1];
      expect(anchors, `${a.alert} runbook ${a.annotations?.runbook}`).toContain(anchor);
    }
  });

  it("count only probes outside the maintenance window wherever an alert or an excl_maintenance recording reads the SIP counters", () => {
    const counters = /patchkast_sip_probe(?:s|_failures)_total(\{[^}]*\})?/g;
    for (const rule of rules) {
      if (!(rule.alert || rule.record?.includes("excl_maintenance"))) continue;
      for (const m of rule.expr.matchAll(counters))
        expect(m[1] ?? "", `${rule.alert ?? rule.record}: ${m[0]}`).toContain('in_maintenance="false"');
    }
    // The raw PromQL clock must not decide the window (UTC only, blind to DST).
    for (const rule of rules) expect(rule.expr).not.toMatch(/\b(?:hour|day_of_week|minute)\s*\(/);
  });

  it("record the SLA objectives of configs/catalog/sla.yaml", () => {
    const sla = parse(readFileSync(join(packageRoot, "configs", "catalog", "sla.yaml"), "utf8")) as {
      tiers: Array<{ key: string; availability_percent: number }>;
    };
    const objectives = new Map(
      rules
        .filter((r) => r.record === "patchkast:sla_objective:ratio")
        .map((r) => [r.labels?.sla_tier, Number(/^vector\(([\d.]+)\)$/.exec(r.expr.trim())?.[1])]),
    );
    expect([...objectives.keys()].sort()).toEqual(sla.tiers.map((t) => t.key).sort());
    for (const tier of sla.tiers)
      expect(objectives.get(tier.key)).toBeCloseTo(tier.availability_percent / 100, 9);
  });

  it("the DST test series carry in_maintenance exactly as the agent sets it in Europe/Amsterdam, and its expected availabilities follow from them", () => {
    const text = readFileSync(join(testsDir, "sip-availability-dst.test.yml"), "utf8");
    const t0 = Date.parse(/^# t0: (\S+)$/m.exec(text)?.[1] ?? "");
    expect(Number.isNaN(t0)).toBe(false);
    const doc = parse(text) as {
      tests: Array<{
        interval: string;
        input_series: Array<{ series: string; values: string }>;
        promql_expr_test: Array<{ expr: string; eval_time: string; exp_samples: Array<{ value: number }> }>;
      }>;
    };
    const test = doc.tests[0];
    expect(test?.interval).toBe("1m");
    const series = (name: string, extra = "") => {
      const found = test?.input_series.find(
        (s) => s.series.startsWith(`${name}{`) && s.series.includes(extra),
      );
      expect(found, `${name} ${extra}`).toBeDefined();
      return expand(found?.values ?? "");
    };
    const probesOut = series("patchkast_sip_probes_total", 'in_maintenance="false"');
    const probesIn = series("patchkast_sip_probes_total", 'in_maintenance="true"');
    const failsOut = series("patchkast_sip_probe_failures_total", 'in_maintenance="false"');
    const failsIn = series("patchkast_sip_probe_failures_total", 'in_maintenance="true"');
    const success = series("patchkast_sip_probe_success");
    const window = series("patchkast_maintenance_window");
    const steps = 3 * 1440;
    for (const s of [probesOut, probesIn, failsOut, failsIn, success, window])
      expect(s).toHaveLength(steps + 1);

    const hour = new Intl.DateTimeFormat("en-GB", {
      timeZone: "Europe/Amsterdam",
      hour: "numeric",
      hourCycle: "h23",
    });
    const inWindow = (k: number) => Number(hour.format(new Date(t0 + k * 60_000))) < 7;
    const at = (s: Array<number | null>, k: number) => s[k] as number;
    for (const s of [probesOut, probesIn, failsOut, failsIn]) expect(at(s, 0)).toBe(0);
    const perDay = [0, 1, 2].map(() => ({ eligible: 0, failed: 0 }));
    for (let k = 0; k <= steps; k++) {
      expect(at(window, k), `maintenance_window at minute ${k}`).toBe(inWindow(k) ? 1 : 0);
      if (k === 0) continue;
      const d = (s: Array<number | null>) => at(s, k) - at(s, k - 1);
      const where = `minute ${k} (${new Date(t0 + k * 60_000).toISOString()})`;
      expect([d(probesOut), d(probesIn)], `probe increments at ${where}`).toEqual(
        inWindow(k) ? [0, 1] : [1, 0],
      );
      expect(d(failsOut) >= 0 && d(failsOut) <= d(probesOut), where).toBe(true);
      expect(d(failsIn) >= 0 && d(failsIn) <= d(probesIn), where).toBe(true);
      expect(at(success, k), `success gauge at ${where}`).toBe(d(failsOut) + d(failsIn) === 0 ? 1 : 0);
      const day = perDay[Math.floor((k - 1) / 1440)] as { eligible: number; failed: number };
      day.eligible += d(probesOut);
      day.failed += d(failsOut);
    }
    // The day with the DST change has 8 h of window in real time, but each UTC day here holds 7 h of it.
    expect(perDay.map((p) => p.eligible)).toEqual([1020, 1020, 1020]);
    const availability = test?.promql_expr_test.filter(
      (t) => t.expr.trim() === "site:patchkast_sip_availability_excl_maintenance:ratio_1d",
    );
    expect(availability?.map((t) => t.eval_time)).toEqual(["1d", "2d", "3d"]);
    availability?.forEach((t, i) => {
      const p = perDay[i] as { eligible: number; failed: number };
      expect(t.exp_samples[0]?.value).toBeCloseTo(1 - p.failed / p.eligible, 14);
    });
  });
});

// -------------------------------------------------------------------------------------------------------
interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  targets?: Array<{ expr?: string }>;
  panels?: Panel[];
}
const dashboard = JSON.parse(readFileSync(dashboardFile, "utf8")) as {
  uid: string;
  schemaVersion: number;
  templating: { list: Array<{ name: string; type: string; query?: unknown; definition?: string }> };
  panels: Panel[];
};
const panels = dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
const dashboardExprs = panels.flatMap((p) =>
  (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr ?? "" })),
);

describe("Grafana dashboard", () => {
  it("is a schemaVersion >= 38 dashboard with a site variable from label_values(patchkast_build_info, site)", () => {
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(38);
    expect(dashboard.uid).toBe("patchkast-site");
    const site = dashboard.templating.list.find((v) => v.name === "site");
    expect(site?.type).toBe("query");
    expect(site?.definition).toBe("label_values(patchkast_build_info, site)");
    expect(JSON.stringify(site?.query)).toContain("label_values(patchkast_build_info, site)");
  });

  it("has the panels the NOC needs, with unique ids and no overlapping tiles", () => {
    const titles = panels.map((p) => p.title);
    for (const t of [
      "SIP reachability",
      "SIP round-trip time",
      "Availability vs SLA objective",
      "Calls active by source vs line capacity",
      "PoE per port",
      "Check status",
      "Phone firmware compliance",
      "Provisioning requests by result",
      "Config drift",
    ])
      expect(titles).toContain(t);
    expect(new Set(panels.map((p) => p.id)).size).toBe(panels.length);
    const tiles = panels.map((p) => p.gridPos);
    tiles.forEach((a, i) => {
      expect(a.x + a.w, `panel ${panels[i]?.title} fits 24 columns`).toBeLessThanOrEqual(24);
      tiles.slice(i + 1).forEach((b, j) => {
        const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
        expect(overlap, `${panels[i]?.title} / ${panels[i + j + 1]?.title}`).toBe(false);
      });
    });
  });

  it("queries only contract metrics and the rules' recordings, always for the selected site", () => {
    expect(dashboardExprs.length).toBeGreaterThan(20);
    for (const { panel, expr } of dashboardExprs) {
      for (const name of metricNames(expr))
        expect(name in contract || recorded.has(name), `${panel}: ${name} in ${expr}`).toBe(true);
      for (const m of expr.matchAll(/\b(patchkast_\w+|[a-z_]+:[\w]+:[\w]+)(\{[^}]*\})?/g)) {
        if (m[1] === "patchkast:sla_objective:ratio") continue; // per tier, joined to the site's tier
        expect(m[2] ?? "", `${panel}: ${m[0]}`).toContain('site="$site"');
      }
    }
    const variable = dashboard.templating.list.find((v) => v.name === "site")?.definition ?? "";
    expect(metricNames(/^label_values\(([^,]+),/.exec(variable)?.[1] ?? "")).toEqual([
      "patchkast_build_info",
    ]);
  });
});

// -------------------------------------------------------------------------------------------------------
describe.skipIf(!hasPromtool)(`promtool${skipNote}`, () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "patchkast-promtool-"));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("check rules: the rule files are valid", async () => {
    const result = await promtool(["check", "rules", ...rulesFiles]);
    expect(result, result.output).toMatchObject({ code: 0 });
    expect(result.output).toMatch(/SUCCESS: \d+ rules found/);
  });

  it.concurrent.each(testFiles)(
    "test rules: %s",
    async (file) => {
      const result = await run("promtool", ["test", "rules", file], testsDir);
      expect(result, result.output).toMatchObject({ code: 0 });
      expect(result.output).toContain("SUCCESS");
    },
    120_000,
  );

  it("check metrics: the agent's real registry output lints clean", async () => {
    const metrics = createMetrics("0.1.0");
    // Give every metric of the registry samples, whatever it has grown into, so each is linted with data.
    for (const metric of metrics.registry.getMetricsAsArray()) {
      const names = (metric as unknown as { labelNames?: readonly string[] }).labelNames ?? [];
      const labels = Object.fromEntries(names.map((n) => [n, n === "in_maintenance" ? "false" : "x"]));
      if (metric instanceof Counter) metric.inc(labels, 3);
      else if (metric instanceof Gauge) metric.set(labels, 1);
      else if (metric instanceof Histogram) metric.observe(labels, 0.25);
      else if (metric instanceof Summary) metric.observe(labels, 0.25);
    }
    metrics.provisionRequests.inc({ family: "yealink", result: "served" });
    metrics.provisionRequests.inc({ family: "polycom", result: "bootstrap" });
    metrics.tftpBytesSent.inc(1468 * 3);
    const exposition = await metrics.registry.metrics();
    expect(exposition).toContain('patchkast_provision_requests_total{family="yealink",result="served"} 1');
    const result = await promtool(["check", "metrics"], exposition);
    expect(result.output.trim(), "promtool check metrics findings").toBe("");
    expect(result.code).toBe(0);
  });

  it("check rules: every dashboard query is valid PromQL", async () => {
    const substituted = dashboardExprs.map(({ expr }) =>
      expr
        .replace(/\$__rate_interval|\$__interval|\$__range/g, "5m")
        .replace(/\$\{?site\}?/g, "havenbedrijf-rotterdam"),
    );
    const file = join(dir, "dashboard-queries.rules.yml");
    await writeFile(
      file,
      stringify({
        groups: [
          { name: "dashboard", rules: substituted.map((expr, i) => ({ record: `dashboard:q${i}`, expr })) },
        ],
      }),
    );
    const result = await promtool(["check", "rules", file]);
    expect(result, result.output).toMatchObject({ code: 0 });
  });
});
