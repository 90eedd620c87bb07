/**
 * 10,000 malformed or hostile HTTP requests over real TCP connections to the provisioning HTTP server;
 * afterwards it is up and serves a good client normally. Bounded in count and time; loopback only.
 */
import { createConnection } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildHttpApp } from "../../agent/serve/http/app.js";
import { provisioningFor } from "../helpers/provisioning-fixture.js";
import { pseudoRandomBytes } from "../helpers/tftp-fixtures.js";
import { traversalCorpus } from "../helpers/traversal-corpus.js";

const p = provisioningFor();
const app = buildHttpApp({ provisioning: p.service, uploads: p.uploads, protocol: "http" });
let port = 0;
beforeAll(async () => {
  await app.listen({ host: "127.0.0.1", port: 0 });
  port = (app.server.address() as { port: number }).port;
});
afterAll(() => app.close());

/** Deterministic generator of bad requests: each index gives one, so a failure can be replayed. */
function malformed(i: number): Buffer {
  const rnd = pseudoRandomBytes(64 + (i % 512), i + 1);
  const kinds: (() => string | Buffer)[] = [
    () => rnd,
    () => `GET /${rnd.toString("latin1")} HTTP/1.1\r\nHost: x\r\n\r\n`,
    () => `GET /${traversalCorpus[i % traversalCorpus.length]} HTTP/1.1\r\nHost: x\r\n\r\n`,
    () => `GET /%${(i % 256).toString(16)}%zz HTTP/1.1\r\nHost: x\r\n\r\n`,
    () => `GET /${"a".repeat(9000 + i)} HTTP/1.1\r\nHost: x\r\n\r\n`,
    () => `GET / HTTP/1.1\r\n${"X-Long: ".padEnd(20000, "y")}\r\n\r\n`,
    () => `BREW /coffee HTCPCP/1.0\r\n\r\n`,
    () => `GET / HTTP/9.9\r\nHost: x\r\n\r\n`,
    () => `PUT /0004f2000001-app.log HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999\r\n\r\nshort`,
    () => `POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nnot hex\r\n0\r\n\r\n`,
    () => `GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
    () =>
      `GET /y000000000005.cfg HTTP/1.1\r\nHost: x\r\nUser-Agent: ${rnd.toString("latin1").replace(/[\r\n]/g, "")}\r\n\r\n`,
    () => `GET /y000000000005.cfg HTTP/1.1\r\nHost: x\r\nRange: bytes=${i}-${i - 5},-,abc\r\n\r\n`,
    () => `GET /y000000000005.cfg HTTP/1.1\r\nHost: x\r\nFoo\0Bar: 1\r\n\r\n`,
    () => `GET /y000000000005.cfg HTTP/1.1\r\n`,
    () => "\r\n\r\n\r\n",
  ];
  const make = kinds[i % kinds.length] as () => string | Buffer;
  const out = make();
  return typeof out === "string" ? Buffer.from(out, "latin1") : out;
}

function fire(payload: Buffer): Promise<void> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: "127.0.0.1", port });
    const done = () => {
      socket.destroy();
      resolve();
    };
    socket.setTimeout(2000, done);
    socket.on("error", done);
    socket.on("close", done);
    socket.on("data", () => socket.end());
    socket.on("connect", () => {
      socket.write(payload);
      // Half-close: the server answers what it got, or gives up on an incomplete request.
      socket.end();
    });
  });
}

function goodRequest(): Promise<{ status: number; body: string }> {
  return fetch(`http://127.0.0.1:${port}/y000000000005.cfg`).then(async (r) => ({
    status: r.status,
    body: await r.text(),
  }));
}

describe("HTTP server under malformed requests", () => {
  it("survives 10,000 of them and then serves a good client normally", async () => {
    const before = await goodRequest();
    expect(before.status).toBe(200);
    const total = 10_000;
    const parallel = 100;
    for (let start = 0; start < total; start += parallel) {
      await Promise.all(Array.from({ length: parallel }, (_, k) => fire(malformed(start + k))));
    }
    const after = await goodRequest();
    expect(after.status).toBe(200);
    expect(after.body).toBe(before.body);
    // Nothing outside the tree and no credential left the server on the way: only bootstrap and shared files.
    expect(p.audit.records.every((r) => r.result !== "served" || r.device === undefined)).toBe(true);
  }, 120_000);
});
