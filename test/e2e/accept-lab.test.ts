/**
 * The automated post-install acceptance against the lab, as the installer runs it: the standard config
 * pushed, `patchkast serve` handing out the phone files, the lab's phones booted against it, then
 * `patchkast accept` as a real process. It must accept the site as installed, and refuse it — naming the
 * check and its evidence — for each fault of issue 5: voice VLAN missing on a port, PoE off, QoS trust
 * missing, SIP proxy unreachable, wrong phone firmware, drifted config. Everything on 127.0.0.0/8.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AcceptanceReport } from "../../agent/accept/types.js";
import { runPush } from "../../agent/cli/devices.js";
import { packageRoot } from "../../agent/paths.js";
import { type FaultName, injectFault } from "../../lab/faults.js";
import { type Lab, startLab } from "../../lab/lab.js";
import { bootLabPhones, bootPhone, labPhoneAddress } from "../../lab/phone-boot.js";
import { writeLabSiteFile } from "../helpers/lab-site-file.js";
import { patchkastCommand, type ServeProcess, startServeProcess } from "../helpers/serve-process.js";
import { secrets } from "../lab/helpers.js";

const agentAddress = "127.20.0.10";
const work = mkdtempSync(join(tmpdir(), "pk-accept-lab-"));
const stateDir = join(work, "state");
let lab: Lab;
let siteFile: string;
let serve: ServeProcess;
let agentUrl: string;

interface AcceptRun {
  code: number | null;
  stdout: string;
  stderr: string;
  report: AcceptanceReport;
}

let runs = 0;
/** `patchkast accept` as the installer's pipeline runs it; reads report.json back. */
function accept(): Promise<AcceptRun> {
  const out = join(work, `report-${++runs}`);
  const args = [
    ...patchkastCommand(),
    "accept",
    siteFile,
    ...["--out", out, "--state-dir", stateDir, "--agent-url", agentUrl, "--placeholder-secrets"],
    // The lab answers SNMP, SSH and SIP from one Node process that this test shares with the collectors'
    // load: its SIP proxy's round trip says nothing about a WAN. The RTT bound is the check's business
    // (unit tests); here the proxy must answer at all.
    ...["--max-sip-rtt", "5000"],
  ];
  const child = spawn(process.execPath, args, { cwd: packageRoot, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => {
    stdout += String(d);
  });
  child.stderr.on("data", (d) => {
    stderr += String(d);
  });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code) => {
      try {
        const report = JSON.parse(readFileSync(join(out, "report.json"), "utf8")) as AcceptanceReport;
        resolve({ code, stdout, stderr, report });
      } catch (err) {
        reject(new Error(`accept exited ${code} without a report: ${String(err)}\n${stderr}`));
      }
    });
  });
}

type ReportCheck = AcceptanceReport["checks"][number];
const byId = (r: AcceptRun, id: string): ReportCheck | undefined => r.report.checks.find((c) => c.id === id);
const failing = (r: AcceptRun) => r.report.checks.filter((c) => c.status === "fail").map((c) => c.id);
const evidenceText = (c: ReportCheck | undefined) =>
  (c?.evidence ?? [])
    .filter((e) => e.ok === false)
    .map((e) => `${e.subject} ${e.expected ?? ""} ${e.observed}`)
    .join("\n");

beforeAll(async () => {
  lab = await startLab({ secrets, stateDir: null, sshPort: 0, snmpPort: 0, timeScale: 60 });
  siteFile = writeLabSiteFile(lab, work);
  const io = { out: () => {}, err: () => {} };
  expect(await runPush(siteFile, { stateDir, placeholderSecrets: true, revertMinutes: "1" }, io)).toBe(0);
  serve = await startServeProcess([
    siteFile,
    ...["--bind", agentAddress, "--tftp-port", "0", "--http-port", "0"],
    ...["--state-dir", join(work, "serve-state"), "--placeholder-secrets"],
  ]);
  agentUrl = `http://${agentAddress}:${serve.httpPort}`;
  const boots = await bootLabPhones(lab, { agentUrl: `${agentUrl}/` });
  expect(boots.filter((b) => !b.ok).map((b) => b.mac)).toEqual([]);
}, 180_000);

afterAll(async () => {
  await serve?.stop();
  await lab?.stop();
});

describe("patchkast accept against the lab", () => {
  it("accepts the site as installed: every check passes, exit 0, three report files", async () => {
    const r = await accept();
    const notPassing = r.report.checks
      .filter((c) => c.status !== "pass")
      .map((c) => `${c.id}: ${c.status}: ${c.summary}`);
    expect(notPassing, r.stderr).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.report.verdict).toBe("accepted");
    expect(r.report.checks.length).toBeGreaterThanOrEqual(12);
    expect(r.report.phones.length).toBe(lab.site.phones.length);
  }, 120_000);

  /**
   * Each fault, the check that must fail, and what its evidence must name. Other checks may fail as well
   * when the fault really breaks them (a phone without power also drops off LLDP, a manual change is drift):
   * the report must be right, not minimal.
   */
  const cases: {
    fault: FaultName;
    check: string;
    names: (f: Awaited<ReturnType<typeof injectFault>>) => RegExp;
  }[] = [
    { fault: "voice-vlan-missing", check: "voice_vlan", names: (f) => portPattern(f.port) },
    { fault: "poe-off", check: "poe", names: (f) => portPattern(f.port) },
    { fault: "qos-trust-missing", check: "phone_port_qos", names: (f) => portPattern(f.port) },
    {
      fault: "sip-proxy-unreachable",
      check: "sip_proxy_reachable",
      names: () => /5060|refused|unreachable|no answer/i,
    },
    { fault: "wrong-firmware", check: "phone_firmware", names: (f) => macPattern(f.phone?.mac) },
    { fault: "config-drift", check: "config_drift", names: () => /logging host 127\.20\.0\.99/ },
  ];

  for (const c of cases) {
    it(`refuses the site with ${c.fault}: ${c.check} fails and its evidence names the cause`, async () => {
      const fault = await injectFault(lab, c.fault);
      try {
        // A phone's firmware reaches the agent when the phone next boots and fetches its files.
        if (c.fault === "wrong-firmware") {
          const i = lab.phones.findIndex((p) => p.mac === fault.phone?.mac);
          const phone = lab.phones[i];
          if (!phone) throw new Error("the fault names no lab phone");
          const boot = await bootPhone(lab.site, phone, {
            agentUrl: `${agentUrl}/`,
            source: labPhoneAddress(i),
          });
          expect(boot.ok).toBe(true);
        }
        const r = await accept();
        expect(r.code, r.stderr).toBe(1);
        expect(r.report.verdict).toBe("not_accepted");
        expect(failing(r)).toContain(c.check);
        const check = byId(r, c.check);
        expect(evidenceText(check)).toMatch(c.names(fault));
        // The engineer sees it on the terminal too.
        expect(r.stderr).toMatch(new RegExp(`${c.check}.*FAIL|FAIL.*${c.check}`, "i"));
      } finally {
        await fault.clear();
        if (c.fault === "wrong-firmware") await bootLabPhones(lab, { agentUrl: `${agentUrl}/` });
      }
    }, 120_000);
  }

  it("accepts again once every fault is cleared", async () => {
    const r = await accept();
    expect(r.report.checks.filter((c) => c.status !== "pass").map((c) => c.id)).toEqual([]);
    expect(r.code).toBe(0);
  }, 120_000);
});

/** `GigabitEthernet1/0/1` also as IOS abbreviates it (`Gi1/0/1`). */
function portPattern(port: string | undefined): RegExp {
  if (!port) throw new Error("the fault names no port");
  const m = /^([A-Za-z]+)([0-9/]+)$/.exec(port);
  const num = (m?.[2] ?? port).replace(/\//g, "\\/");
  return new RegExp(`(${(m?.[1] ?? "").slice(0, 2)}[A-Za-z]*)${num}(?![0-9])`);
}

/** A MAC in the notations the report may use: 0015.654a.1001, 00:15:65:4a:10:01, 0015654a1001. */
function macPattern(mac: string | undefined): RegExp {
  if (!mac) throw new Error("the fault names no phone");
  const hex = mac.replace(/[^0-9a-f]/gi, "").toLowerCase();
  const pairs = hex.match(/../g) ?? [];
  const alts = [hex, pairs.join(":"), (hex.match(/.{4}/g) ?? []).join(".")];
  return new RegExp(alts.map((a) => a.replace(/\./g, "\\.")).join("|"), "i");
}
