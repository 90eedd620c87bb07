/**
 * The NOC's view end to end: `patchkast serve` monitors the lab (SNMP and SSH to the simulated router and
 * switch, OPTIONS to the lab's SIP proxy) and a real Prometheus (Debian package prometheus) scrapes its
 * /metrics with the `site` and `sla_tier` labels the monitoring README prescribes and evaluates the shipped
 * rules. Then the lab breaks: a phone port loses its voice VLAN and the SIP proxy stops, and the alerts go
 * pending (their `for:` durations are minutes; pending proves the expressions hold on the agent's real
 * series). Everything listens on 127.0.0.0/8.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { loadCatalog } from "../../agent/catalog/load.js";
import { runPush } from "../../agent/cli/devices.js";
import { packageRoot, sitesDir } from "../../agent/paths.js";
import { renderSite } from "../../agent/render/render-site.js";
import { loadSiteFile } from "../../agent/site/load.js";
import { injectFault } from "../../lab/faults.js";
import { type Lab, startLab } from "../../lab/lab.js";
import { writeLabSiteFile } from "../helpers/lab-site-file.js";
import { onPath } from "../helpers/peer-tools.js";
import { type ServeProcess, startServeProcess } from "../helpers/serve-process.js";
import { secrets } from "../lab/helpers.js";

const hasPrometheus = onPath("prometheus");
if (!hasPrometheus)
  console.warn(
    "monitoring e2e skipped: prometheus is not installed (Debian package prometheus; see .ci/run)",
  );

const agentAddress = "127.20.0.10";
const work = mkdtempSync(join(tmpdir(), "pk-prom-e2e-"));
let lab: Lab;
let serve: ServeProcess;
let prometheus: ChildProcess;
let promUrl: string;
let promLog = "";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/**
 * The shipped rules with every group evaluated each second instead of each minute (or 5): the test cannot
 * wait minutes per evaluation. Nothing else changes.
 */
function fastRules(): string {
  const doc = parse(
    readFileSync(join(packageRoot, "monitoring/prometheus/rules/patchkast.rules.yml"), "utf8"),
  ) as { groups: { interval?: string }[] };
  for (const g of doc.groups) g.interval = "1s";
  const file = join(work, "rules.yml");
  writeFileSync(file, stringify(doc));
  return file;
}

interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

async function query(expr: string): Promise<Sample[]> {
  const res = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(expr)}`);
  const body = (await res.json()) as { status: string; data: { result: Sample[] }; error?: string };
  if (body.status !== "success") throw new Error(`query ${expr}: ${body.error}`);
  return body.data.result;
}

async function alerts(): Promise<{ labels: Record<string, string>; state: string }[]> {
  const res = await fetch(`${promUrl}/api/v1/alerts`);
  return ((await res.json()) as { data: { alerts: { labels: Record<string, string>; state: string }[] } })
    .data.alerts;
}

/** Polls until `probe` returns a value that is not undefined, or fails after `ms` with the last reason. */
async function eventually<T>(what: string, probe: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const until = Date.now() + ms;
  let last: unknown;
  while (Date.now() < until) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(
    `${what}: not within ${ms / 1000} s${last ? ` (${String(last)})` : ""}\n${promLog.slice(-2000)}`,
  );
}

/**
 * Zones every lab phone can be provisioned for: none observes a daylight-saving rule other than the EU one
 * (the Cisco SPA renderer derives only that rule and refuses the others, e.g. America/Anchorage, which is what
 * made this test fail whenever it ran at an hour that picked a North American zone). One zone per UTC offset
 * from -10 to +11, so some zone has daytime at any hour. The last test below renders the lab site in each.
 */
const daytimeZones = [
  "Pacific/Honolulu",
  "Pacific/Gambier",
  "Pacific/Pitcairn",
  "America/Phoenix",
  "America/Regina",
  "America/Bogota",
  "America/Caracas",
  "America/Sao_Paulo",
  "Atlantic/Azores",
  "Europe/London",
  "Europe/Amsterdam",
  "Europe/Athens",
  "Europe/Moscow",
  "Asia/Dubai",
  "Asia/Karachi",
  "Asia/Dhaka",
  "Asia/Bangkok",
  "Asia/Shanghai",
  "Asia/Tokyo",
  "Australia/Brisbane",
  "Pacific/Noumea",
];

/**
 * A time zone where it is day for the next half hour, so the SLA maintenance window (00:00–07:00 local)
 * is not in force and the availability alerts can fire whenever the test runs. The agent takes the window
 * in the site's zone (monitoring/README.md), so choosing the zone is choosing the window.
 */
function daytimeZone(): string {
  const hour = (zone: string, at: Date) =>
    Number(
      new Intl.DateTimeFormat("en-GB", { timeZone: zone, hour: "2-digit", hourCycle: "h23" }).format(at),
    );
  const now = new Date();
  const later = new Date(now.getTime() + 30 * 60_000);
  const zone = daytimeZones.find((z) => hour(z, now) >= 8 && hour(z, later) <= 21);
  if (!zone) throw new Error("no daytime zone in the list (cannot happen: the list covers 21 offsets)");
  return zone;
}
const timeZone = daytimeZone();

beforeAll(async () => {
  if (!hasPrometheus) return;
  lab = await startLab({ secrets, stateDir: null, sshPort: 0, snmpPort: 0, timeScale: 60 });
  const siteFile = writeLabSiteFile(lab, work, (doc) => {
    doc.time_zone = timeZone;
  });
  const stateDir = join(work, "state");
  const io = { out: () => {}, err: () => {} };
  expect(await runPush(siteFile, { stateDir, placeholderSecrets: true, revertMinutes: "1" }, io)).toBe(0);
  serve = await startServeProcess(
    [
      siteFile,
      ...["--bind", agentAddress, "--tftp-port", "0", "--http-port", "0", "--state-dir", stateDir],
      ...["--placeholder-secrets", "--round-interval", "2", "--sip-probe-interval", "1"],
    ],
    { monitor: true },
  );
  const port = await freePort();
  promUrl = `http://127.0.0.1:${port}`;
  const config = join(work, "prometheus.yml");
  writeFileSync(
    config,
    stringify({
      global: { scrape_interval: "1s", evaluation_interval: "1s" },
      rule_files: [fastRules()],
      scrape_configs: [
        {
          job_name: "patchkast",
          static_configs: [
            {
              targets: [`${agentAddress}:${serve.httpPort}`],
              labels: { site: "patchkast-lab", sla_tier: "standard", tz: "Europe/Amsterdam" },
            },
          ],
        },
      ],
    }),
  );
  prometheus = spawn(
    "prometheus",
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${join(work, "tsdb")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--log.level=warn",
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  prometheus.stdout?.on("data", (d) => {
    promLog += String(d);
  });
  prometheus.stderr?.on("data", (d) => {
    promLog += String(d);
  });
}, 120_000);

afterAll(async () => {
  prometheus?.kill("SIGTERM");
  await serve?.stop();
  await lab?.stop();
});

describe.skipIf(!hasPrometheus)("Prometheus scrapes the agent monitoring the lab", () => {
  it("scrapes the agent with the site labels and records the rules on its series", async () => {
    const up = await eventually("up{job=patchkast} == 1", async () => {
      const r = await query('up{job="patchkast"}');
      return r[0]?.value[1] === "1" ? r : undefined;
    });
    expect(up[0]?.metric).toMatchObject({ site: "patchkast-lab", sla_tier: "standard", job: "patchkast" });
    // A full monitoring round has run: both devices read, the switch checks judged.
    const devices = await eventually("both lab devices up", async () => {
      const r = await query("patchkast_device_up == 1");
      return r.length === 2 ? r : undefined;
    });
    expect(devices.map((s) => s.metric.device).sort()).toEqual(["lab-rtr1", "lab-sw1"]);
    const ports = await query('patchkast_port_voice_vlan{device="lab-sw1"}');
    expect(ports.length).toBeGreaterThan(0);
    expect(ports.every((s) => s.value[1] === String(lab.site.vlans.voice.id))).toBe(true);
    const drift = await query("patchkast_config_drift");
    expect(drift.map((s) => s.value[1])).toEqual(["0", "0"]);
    // Recording rules evaluated on the agent's series.
    await eventually("agent-present recording", async () => {
      const r = await query('site:patchkast_agent_present:count{site="patchkast-lab"}');
      return r[0]?.value[1] === "1" ? r : undefined;
    });
    await eventually("line capacity recorded", async () => {
      const r = await query("patchkast_line_capacity_calls");
      return Number(r[0]?.value[1]) > 0 ? r : undefined;
    });
    const probes = await eventually("SIP probes counted", async () => {
      const r = await query('sum(patchkast_sip_probes_total{site="patchkast-lab"})');
      return Number(r[0]?.value[1]) >= 2 ? r : undefined;
    });
    expect(Number(probes[0]?.value[1])).toBeGreaterThanOrEqual(2);
    const failures = await query('sum(patchkast_sip_probe_failures_total{site="patchkast-lab"})');
    expect(failures[0]?.value[1]).toBe("0");
  }, 120_000);

  it("a phone port without its voice VLAN puts VoiceVlanMissing in pending, naming the port", async () => {
    const fault = await injectFault(lab, "voice-vlan-missing");
    try {
      const pending = await eventually("VoiceVlanMissing pending", async () => {
        const a = (await alerts()).filter((x) => x.labels.alertname === "VoiceVlanMissing");
        return a.some((x) => x.labels.port === fault.port) ? a : undefined;
      });
      expect(pending.find((x) => x.labels.port === fault.port)).toMatchObject({
        state: "pending",
        labels: { site: "patchkast-lab", device: fault.device },
      });
      // The same round sees the change as drift from the standard config.
      await eventually("drift on the switch", async () => {
        const r = await query(`patchkast_config_drift{device="${fault.device}"}`);
        return r[0]?.value[1] === "1" ? r : undefined;
      });
    } finally {
      await fault.clear();
    }
  }, 90_000);

  it("a stopped SIP proxy fails the probes outside the maintenance window: SIPProxyUnreachable goes pending", async () => {
    const fault = await injectFault(lab, "sip-proxy-unreachable");
    try {
      const failing = await eventually("failed SIP probes", async () => {
        const r = await query("sum by (reason, in_maintenance) (patchkast_sip_probe_failures_total) > 0");
        return r.length > 0 ? r : undefined;
      });
      // The lab proxy is stopped: UDP answers port unreachable, which the client reports as refused.
      expect(failing.map((s) => s.metric.reason)).toContain("refused");
      // The site's zone has daytime now: outside the window, so the probes count against the SLA.
      expect((await query("patchkast_maintenance_window"))[0]?.value[1]).toBe("0");
      expect(failing.every((s) => s.metric.in_maintenance === "false")).toBe(true);
      const a = await eventually("SIPProxyUnreachable pending", async () => {
        const list = (await alerts()).filter((x) => x.labels.alertname === "SIPProxyUnreachable");
        return list.length > 0 ? list : undefined;
      });
      expect(a[0]).toMatchObject({
        state: "pending",
        labels: { target: `${lab.sip.host}:${lab.sip.port}`, transport: "udp", site: "patchkast-lab" },
      });
      const ratio = await query("site:patchkast_sip_probe_errors_excl_maintenance:ratio_rate5m");
      expect(Number(ratio[0]?.value[1])).toBeGreaterThan(0);
    } finally {
      await fault.clear();
    }
  }, 90_000);
});

describe("the zones the Prometheus test picks from", () => {
  it("each renders every file of the lab site, so the test passes at any hour", () => {
    const catalog = loadCatalog();
    const site = loadSiteFile(join(sitesDir, "lab.yaml"), catalog);
    for (const zone of daytimeZones) {
      expect(() => renderSite({ ...site, time_zone: zone }, catalog, secrets), zone).not.toThrow();
    }
  });
});
