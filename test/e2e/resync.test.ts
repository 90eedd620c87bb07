/**
 * Resync end to end: `patchkast serve` as a process, a phone (SIPp as its SIP stack, on its own loopback
 * address) fetches its file, then the site file changes: the agent re-renders and sends the phone its
 * family's NOTIFY; the operations API does the same on request and refuses other callers.
 */
import { appendFileSync, chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packageRoot } from "../../agent/paths.js";
import { type ServeProcess, startServeProcess } from "../helpers/serve-process.js";
import { onPath, type Peer, startSipp } from "../peers/sip-peers.js";

const phoneAddress = "127.0.6.6";
const mac = "0015654a1001";
const have = onPath("sipp");
if (!have) console.warn("resync e2e test skipped: sipp missing (apt-get install sip-tester)");

function http(port: number, method: string, path: string, body?: unknown, localAddress = "127.0.0.1") {
  return new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port,
        method,
        path,
        localAddress,
        agent: false,
        headers: body ? { "content-type": "application/json" } : {},
      },
      (res) => {
        let text = "";
        res.on("data", (d) => {
          text += String(d);
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on("error", reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

async function waitFor<T>(what: string, probe: () => T | undefined, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.runIf(have)("resync NOTIFY", () => {
  const work = mkdtempSync(join(tmpdir(), "pk-resync-"));
  chmodSync(work, 0o755);
  const siteFile = join(work, "site.yaml");
  let phone: Peer;
  let serve: ServeProcess;

  beforeAll(async () => {
    const base = readFileSync(join(packageRoot, "configs/sites/example-vdsl.yaml"), "utf8");
    writeFileSync(siteFile, `${base}\nprovisioning:\n  allowed_subnets: [127.0.0.0/8]\n`);
    phone = await startSipp("notify-check-sync.xml", { transport: "udp", host: phoneAddress });
    serve = await startServeProcess([
      siteFile,
      "--bind",
      "127.0.0.1",
      "--tftp-port",
      "0",
      "--http-port",
      "0",
      "--state-dir",
      join(work, "state"),
      "--placeholder-secrets",
      "--phone-sip-port",
      String(phone.port),
    ]);
    // The phone boots: fetches its own file from its own address, with its User-Agent.
    const res = await new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: "127.0.0.1",
          port: serve.httpPort,
          path: `/${mac}.cfg`,
          localAddress: phoneAddress,
          agent: false,
          headers: { "user-agent": "Yealink SIP-T22P 7.61.115.7 00:15:65:4a:10:01" },
        },
        (r) => {
          r.resume();
          r.on("end", () => resolve(r.statusCode ?? 0));
        },
      );
      req.on("error", reject);
      req.end();
    });
    expect(res).toBe(200);
  }, 60_000);
  afterAll(async () => {
    await serve?.stop();
    await phone?.stop();
  });

  it("sends the family's NOTIFY on request through the operations API", async () => {
    const r = await http(serve.httpPort, "POST", "/api/v1/resync", { macs: [mac] });
    expect(r.status).toBe(200);
    const body = JSON.parse(r.text) as {
      phones: { mac: string; result: string; status: number; address: string }[];
    };
    expect(body.phones).toEqual([
      expect.objectContaining({ mac, result: "sent", status: 200, address: phoneAddress }),
    ]);
    // Phones that never fetched anything are not NOTIFYed: they get the files when they boot.
    const all = JSON.parse((await http(serve.httpPort, "POST", "/api/v1/resync", {})).text) as {
      phones: { result: string }[];
    };
    expect(all.phones.filter((p) => p.result === "unknown-address")).toHaveLength(5);
  });

  it("rejects a malformed request (who may call it: test/unit/provision/resync.test.ts)", async () => {
    expect((await http(serve.httpPort, "POST", "/api/v1/resync", { macs: ["nope"] })).status).toBe(400);
  });

  it("re-renders a changed site file and resyncs exactly the phone it changed", async () => {
    const before = serve.logs.length;
    const text = readFileSync(siteFile, "utf8").replace(
      'user: "Jan de Vries"',
      'user: "Jan de Vries-Bakker"',
    );
    writeFileSync(siteFile, text);
    appendFileSync(siteFile, "\n");
    const line = await waitFor("resync after the change", () =>
      serve.logs.slice(before).find((l) => l.msg === "resync NOTIFY sent"),
    );
    expect(line).toMatchObject({ phones: 1, sent: 1 });
    expect(
      serve.logs.slice(before).find((l) => l.msg === "site file changed: files re-rendered"),
    ).toMatchObject({ changedPhones: 1 });
    const file = await http(serve.httpPort, "GET", `/${mac}.cfg`, undefined, phoneAddress);
    expect(file.text).toContain("Jan de Vries-Bakker");
  }, 30_000);

  it("keeps the previous site when the changed file is broken", async () => {
    const before = serve.logs.length;
    writeFileSync(siteFile, "schema_version: 1\ncustomer: [broken\n");
    await waitFor("the invalid-site log line", () =>
      serve.logs.slice(before).find((l) => String(l.msg).includes("cannot be used")),
    );
    expect((await http(serve.httpPort, "GET", `/${mac}.cfg`, undefined, phoneAddress)).text).toContain(
      "Jan de Vries-Bakker",
    );
  }, 30_000);
});
