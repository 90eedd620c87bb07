import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { createMonitorMetrics } from "../../../agent/metrics/monitor-metrics.js";
import { Scheduler } from "../../../agent/monitor/scheduler.js";

function memoryLog() {
  const lines: { obj: Record<string, unknown>; msg: string }[] = [];
  const log = {
    warn: (obj: Record<string, unknown>, msg: string) => lines.push({ obj, msg }),
  } as unknown as import("../../../agent/log.js").Logger;
  return { log, lines };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("Scheduler", () => {
  it("isolates a failing job: a log line and collector_success 0, the other job keeps running", async () => {
    const registry = new Registry();
    const metrics = createMonitorMetrics(registry);
    const { log, lines } = memoryLog();
    let good = 0;
    const s = new Scheduler(
      [
        {
          name: "round",
          intervalMs: 10,
          run: async () => {
            good++;
          },
        },
        {
          name: "sip_probe",
          intervalMs: 10,
          run: async () => {
            throw Object.assign(new Error("probing sip.example.net:5060/udp: timeout after 2 s"), {
              code: "PK_ERR_SIP_TIMEOUT",
            });
          },
        },
      ],
      { log, metrics },
    );
    s.start();
    await sleep(80);
    await s.stop();
    expect(good).toBeGreaterThan(2);
    const text = await registry.metrics();
    expect(text).toMatch(/patchkast_collector_success\{collector="round"\} 1/);
    expect(text).toMatch(/patchkast_collector_success\{collector="sip_probe"\} 0/);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines[0]?.obj).toMatchObject({ collector: "sip_probe", code: "PK_ERR_SIP_TIMEOUT" });
    const st = s.states().find((x) => x.name === "sip_probe");
    expect(st?.failures).toBe(st?.runs);
    expect(st?.lastError).toContain("timeout");
  });

  it("never runs one job twice at once; runNow joins the run in flight", async () => {
    const { log } = memoryLog();
    let running = 0;
    let maxRunning = 0;
    let runs = 0;
    const s = new Scheduler(
      [
        {
          name: "round",
          intervalMs: 1,
          run: async () => {
            running++;
            runs++;
            maxRunning = Math.max(maxRunning, running);
            await sleep(30);
            running--;
          },
        },
      ],
      { log },
    );
    s.start();
    const a = s.runNow("round");
    const b = s.runNow("round");
    await Promise.all([a, b]);
    expect(runs).toBe(1);
    await sleep(50);
    await s.stop();
    expect(maxRunning).toBe(1);
  });

  it("stop() aborts a running job and waits for it", async () => {
    const { log } = memoryLog();
    let aborted = false;
    const s = new Scheduler(
      [
        {
          name: "round",
          intervalMs: 1000,
          run: (signal) =>
            new Promise<void>((resolve) => {
              signal.addEventListener("abort", () => {
                aborted = true;
                resolve();
              });
            }),
        },
      ],
      { log },
    );
    s.start();
    await sleep(5);
    await s.stop();
    expect(aborted).toBe(true);
    expect(s.states()[0]?.running).toBe(false);
  });
});
