import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchAgentPhones } from "../../../agent/accept/agent-phones.js";
import { observationLines } from "../../../agent/accept/progress.js";
import { PatchkastError } from "../../../agent/errors.js";
import { checkIn, observations } from "./fixtures.js";

let server: Server;
let base: string;
const answers: Record<string, [number, string]> = {
  "/ok/api/v1/phones": [200, JSON.stringify({ phones: [checkIn("00:15:65:1a:b0:01")] })],
  "/broken/api/v1/phones": [200, "<html>"],
  "/shape/api/v1/phones": [200, JSON.stringify({ phones: [{ nomac: 1 }] })],
};
beforeAll(async () => {
  server = createServer((req, res) => {
    const [status, body] = answers[req.url ?? ""] ?? [404, "not found"];
    res.writeHead(status, { "content-type": "application/json" }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function errorOf(url: string): Promise<PatchkastError> {
  const err = await fetchAgentPhones(url, 2000).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(PatchkastError);
  return err as PatchkastError;
}

describe("phone check-ins from the running agent", () => {
  it("reads /api/v1/phones", async () => {
    const phones = await fetchAgentPhones(`${base}/ok/`);
    expect(phones.map((p) => p.mac)).toEqual(["00:15:65:1a:b0:01"]);
  });

  it("says where it asked and why it got nothing", async () => {
    const missing = await errorOf(`${base}/missing`);
    expect(missing.code).toBe("PK_ERR_OBSERVE_SOURCE");
    expect(missing.message).toContain(`${base}/missing/api/v1/phones: HTTP 404`);
    expect(missing.message).toContain("patchkast serve");
    expect((await errorOf(`${base}/broken`)).message).toContain("not JSON");
    expect((await errorOf(`${base}/shape`)).message).toContain("no phones list");
    // Nothing listens on port 9 of loopback.
    expect((await errorOf("http://127.0.0.1:9")).message).toContain("127.0.0.1:9/api/v1/phones");
  });
});

describe("observation lines", () => {
  it("prints each SIP probe and the check-ins, failures with their reason", () => {
    const lines = observationLines(
      observations({
        sipProbes: [
          {
            target: "sip.example.net:5060",
            transport: "tcp",
            at: "t",
            inMaintenance: false,
            result: {
              status: null,
              reason: "no answer",
              rttMs: null,
              reachable: false,
              failure: "timeout",
              retransmissions: 3,
            },
          },
        ],
        phones: {
          ok: false,
          error: "reading phone check-ins: HTTP 404",
          code: "PK_ERR_OBSERVE_SOURCE",
          at: "t",
          source: "x",
        },
      }),
    );
    expect(lines).toEqual([
      "sip.example.net:5060/tcp: SIP OPTIONS FAILED: no answer",
      "phones: check-ins FAILED: reading phone check-ins: HTTP 404",
    ]);
  });
});
