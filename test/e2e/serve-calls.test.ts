/**
 * The call sources as `patchkast serve` wires them: SIPp holds three calls on loopback while serve
 * captures them with `--capture-interface lo`, and a lab phone reports a call with the event URL from
 * the file serve handed it; /api/v1/status and /metrics must show both, per source, against the lab
 * line's capacity. The lab devices are not started (their reads fail on loopback; the calls do not depend
 * on them). Needs root for tcpdump and Debian's sip-tester; skipped with the reason otherwise.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SiteStatus } from "../../agent/monitor/status.js";
import { labSite } from "../../lab/lab.js";
import { sippCaptureSkipReason } from "../helpers/peer-tools.js";
import { type ServeProcess, startServeProcess } from "../helpers/serve-process.js";
import { freePort, sippDir } from "../peers/sip-peers.js";

const skipReason = sippCaptureSkipReason();
if (skipReason) console.warn(`serve call-source test skipped: ${skipReason}`);

const agentAddress = "127.20.0.10";
/** The lab's first phone (Yealink T22P, configs/sites/lab.yaml) on its voice-VLAN stand-in address. */
const phone = {
  mac: "0015651ab001",
  source: "127.20.30.11",
  userAgent: "Yealink SIP-T22P 7.61.115.7 00:15:65:1a:b0:01",
};
const work = mkdtempSync(join(tmpdir(), "pk-serve-calls-"));
let serve: ServeProcess;
const sipps: ChildProcess[] = [];

/** GET over HTTP from a chosen source address (the phone's), returning status and body. */
function get(
  url: string,
  from: string,
  userAgent = "patchkast-test",
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { localAddress: from, headers: { "user-agent": userAgent } }, (res) => {
      let body = "";
      res.on("data", (d) => {
        body += String(d);
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

async function status(): Promise<SiteStatus> {
  const r = await get(`http://${agentAddress}:${serve.httpPort}/api/v1/status`, "127.0.0.1");
  return JSON.parse(r.body) as SiteStatus;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 40_000): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  while (Date.now() < end) {
    last = await probe().catch((e: unknown) => e);
    if (last !== undefined && !(last instanceof Error)) return last as T;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what}: not within ${ms / 1000} s (last: ${JSON.stringify(last)})`);
}

let uasPort = 0;
let uacPort = 0;

beforeAll(async () => {
  if (skipReason) return;
  uasPort = await freePort();
  uacPort = await freePort();
  serve = await startServeProcess(
    [
      labSite,
      ...["--bind", agentAddress, "--tftp-port", "0", "--http-port", "0"],
      ...["--state-dir", join(work, "state"), "--placeholder-secrets", "--round-interval", "3600"],
      ...["--capture-interface", "lo", "--capture-filter", `udp and (port ${uasPort} or port ${uacPort})`],
    ],
    { monitor: true },
  );
}, 60_000);

afterAll(async () => {
  for (const s of sipps) s.kill("SIGKILL");
  await serve?.stop();
});

describe.skipIf(skipReason !== "")("serve counts calls from its sources", () => {
  it("capture: three calls SIPp holds show as calls_active{source=capture} 3", async () => {
    // The capture child must be listening before the INVITEs go out.
    await until("capture started", async () => {
      const s = await status();
      return s.collectors.some((c) => c.name === "calls" && c.runs > 0) ? s : undefined;
    });
    const common = ["-i", "127.0.0.1", "-t", "u1", "-nostdin"];
    sipps.push(
      spawn("sipp", ["-sf", join(sippDir, "capture-uas-answer.xml"), "-p", String(uasPort), ...common], {
        stdio: "ignore",
      }),
    );
    await new Promise((r) => setTimeout(r, 500));
    sipps.push(
      spawn(
        "sipp",
        [
          `127.0.0.1:${uasPort}`,
          ...["-sf", join(sippDir, "capture-uac-hold.xml"), "-p", String(uacPort), ...common],
          ...["-users", "3"],
        ],
        { stdio: "ignore" },
      ),
    );
    const s = await until("three captured calls", async () => {
      const st = await status();
      return st.calls.bySource.capture === 3 ? st : undefined;
    });
    expect(s.calls.capacity).toBeGreaterThan(0);
    expect(s.calls.utilization).toBeCloseTo(3 / (s.calls.capacity ?? 1), 6);
    const metrics = await get(`http://${agentAddress}:${serve.httpPort}/metrics`, "127.0.0.1");
    expect(metrics.body).toMatch(/^patchkast_calls_active\{source="capture"\} 3$/m);
  }, 60_000);

  it("phone events: a call the phone reports with its own event URL counts, and ends", async () => {
    const file = await get(
      `http://${agentAddress}:${serve.httpPort}/${phone.mac}.cfg`,
      phone.source,
      phone.userAgent,
    );
    expect(file.status).toBe(200);
    const established = /CallEstablished = (http:\S+)/.exec(file.body)?.[1];
    const terminated = /CallTerminated = (http:\S+)/.exec(file.body)?.[1];
    if (!established || !terminated) throw new Error("the phone's file has no call-event URLs");
    // The phone substitutes its variables ($mac, $call_id, …) and calls the URL from the voice VLAN.
    const fill = (u: string) =>
      u
        .replace(/^http:\/\/[^/]+/, `http://${agentAddress}:${serve.httpPort}`)
        .replace("$mac", phone.mac)
        .replace("$call_id", "7")
        .replace("$local", "200")
        .replace("$remote", "0612345678");
    expect((await get(fill(established), phone.source, phone.userAgent)).status).toBe(200);
    await until("one phone-event call", async () => {
      const st = await status();
      return st.calls.bySource.phone_events === 1 ? st : undefined;
    });
    expect((await get(fill(terminated), phone.source, phone.userAgent)).status).toBe(200);
    await until("no phone-event call", async () => {
      const st = await status();
      return st.calls.bySource.phone_events === 0 ? st : undefined;
    });
  }, 60_000);
});
