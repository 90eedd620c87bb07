/**
 * The status page (`GET /status`) as a browser shows it: the real route on loopback, read by headless
 * Chromium (Debian package chromium) with --dump-dom. The page must show the site's state, its checks and
 * devices, and stay inert whatever the site file and the evidence say: hostile customer names and check
 * summaries must come out as text, never as elements.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Fastify, { type FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCatalog } from "../../agent/catalog/load.js";
import type { CheckResult } from "../../agent/checks/types.js";
import { buildStatus, type Round } from "../../agent/monitor/status.js";
import { registerStatusRoutes } from "../../agent/serve/http/status-route.js";
import { loadSiteFile } from "../../agent/site/load.js";
import { labSite } from "../../lab/lab.js";
import { hostileStrings } from "../helpers/hostile.js";
import { onPath, run } from "../helpers/peer-tools.js";

const hasChromium = onPath("chromium");
const site = loadSiteFile(labSite, loadCatalog());
const markup = hostileStrings.filter((s) => /[<>&"']/.test(s));
const at = "2026-11-22T10:00:00.000Z";

const results: CheckResult[] = [
  {
    id: "voice_vlan",
    title: "Voice VLAN on phone ports",
    status: "fail",
    summary: "Gi1/0/3 has none",
    evidence: [],
  },
  { id: "poe", title: "PoE", status: "pass", summary: "8 ports deliver", evidence: [] },
  ...markup.map((s, i) => ({
    id: `hostile_${i}`,
    title: `<img src=x onerror="document.title='owned'">${s}`,
    status: "unknown" as const,
    summary: `<script>document.title='owned'</script>${s}`,
    evidence: [],
  })),
];
const round: Round = {
  finishedAt: at,
  results,
  observations: {
    at,
    devices: [
      {
        name: "lab-sw1",
        role: "switch",
        address: "127.20.0.2",
        snmp: {},
        cli: {},
        drift: { ok: true, at, source: "", value: [] },
      },
    ],
    sipProbes: [],
    phones: { ok: true, at, source: "", value: [] },
  },
};
const hostileSite = { ...site, customer: `</title><script>document.title='owned'</script>${markup[0]}` };

let app: FastifyInstance;
let url: string;
beforeAll(async () => {
  app = Fastify();
  registerStatusRoutes(
    app,
    () =>
      buildStatus(
        hostileSite,
        round,
        { bySource: { phone_events: 2 }, capacity: 8, utilization: 0.25 },
        [],
        false,
      ),
    () => round,
  );
  await app.listen({ host: "127.0.0.1", port: 0 });
  url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}/status`;
});
afterAll(async () => app?.close());

async function dumpDom(): Promise<string> {
  const profile = mkdtempSync(join(tmpdir(), "pk-status-chromium-"));
  const { code, output } = await run(
    "chromium",
    [
      ...["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
      ...["--disable-component-update", "--disable-sync", "--no-first-run", `--user-data-dir=${profile}`],
      "--dump-dom",
      url,
    ],
    tmpdir(),
  );
  expect(code, output).toBe(0);
  return output;
}

describe.skipIf(!hasChromium)("the status page in Chromium", () => {
  it("shows state, checks, devices and calls, and no hostile text became markup", async () => {
    const dom = await dumpDom();
    expect(dom).toContain("State: <b>degraded</b>");
    expect(dom).toMatch(/Checks \(1 pass, 1 fail, \d+ unknown\)/);
    expect(dom).toContain("Gi1/0/3 has none");
    expect(dom).toContain("lab-sw1");
    expect(dom).toContain("phone_events: 2");
    expect(dom).toContain("utilisation 25 %");
    // Had any of it run, document.title would read "owned"; had any become an element, the DOM would
    // have script or img elements.
    expect(dom).not.toMatch(/<title>owned<\/title>/);
    expect(dom).not.toMatch(/<script[\s>]/i);
    expect(dom).not.toMatch(/<img[\s>]/i);
    expect(dom).toContain("&lt;script&gt;document.title='owned'&lt;/script&gt;");
  }, 60_000);
});

describe("the status API", () => {
  it("answers /api/v1/status and /api/v1/checks without caching", async () => {
    const s = await app.inject({ url: "/api/v1/status" });
    expect(s.headers["cache-control"]).toBe("no-store");
    expect(s.json()).toMatchObject({ state: "degraded", calls: { capacity: 8 } });
    const c = await app.inject({ url: "/api/v1/checks" });
    expect(c.json().checks).toHaveLength(results.length);
  });
});
