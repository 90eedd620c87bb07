/**
 * The plain-HTTP fast front (agent/serve/http/fast-front.ts) over real TCP on loopback: every request it
 * answers must get exactly the bytes node's HTTP stack writes for it, everything else must reach node and
 * fastify untouched (on the same connection, in order), and connections must end as node's would.
 * Two apps on the same provisioning setup: one with the front, one without (fastFront: false).
 */
import { createConnection, type Socket } from "node:net";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildHttpApp } from "../../agent/serve/http/app.js";
import { fibreSite, provisioningFor, sipPasswords } from "../helpers/provisioning-fixture.js";

const p = provisioningFor();
const yealinkUa = "Yealink SIP-T46S 66.86.0.15 00:15:65:6b:20:01";

let hookCalls = 0;
function app(fastFront: boolean): FastifyInstance {
  const a = buildHttpApp({ provisioning: p.service, uploads: p.uploads, protocol: "http", fastFront });
  // Counts what goes through fastify; phone files answered by the front (or answeredDirectly) never do.
  a.addHook("onRequest", async () => {
    hookCalls++;
  });
  return a;
}
const front = app(true);
const plain = app(false);
let frontPort = 0;
let plainPort = 0;

beforeAll(async () => {
  for (const a of [front, plain]) await a.listen({ host: "127.0.0.1", port: 0 });
  frontPort = (front.server.address() as { port: number }).port;
  plainPort = (plain.server.address() as { port: number }).port;
});
afterAll(async () => {
  await Promise.all([front.close(), plain.close()]);
});

function connect(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: "127.0.0.1", port }, () => resolve(socket));
    socket.on("error", reject);
  });
}

/** Writes the parts (pausing between them) and collects what comes back until `until` holds or it closes. */
async function exchange(
  port: number,
  parts: string[],
  until: (text: string) => boolean,
  opts: { gapMs?: number; end?: boolean } = {},
): Promise<{ text: string; closed: boolean }> {
  const socket = await connect(port);
  let text = "";
  let closed = false;
  const done = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 3000);
    socket.on("data", (d: Buffer) => {
      text += d.toString("latin1");
      if (until(text)) {
        clearTimeout(timer);
        resolve();
      }
    });
    socket.on("close", () => {
      closed = true;
      clearTimeout(timer);
      resolve();
    });
  });
  for (const [i, part] of parts.entries()) {
    if (i > 0) await new Promise((r) => setTimeout(r, opts.gapMs ?? 50));
    socket.write(part, "latin1");
  }
  if (opts.end) socket.end();
  await done;
  // A server that ends the connection does so right after the last answer; give it a moment to show.
  if (!closed) await new Promise((r) => setTimeout(r, 50));
  socket.destroy();
  return { text, closed };
}

/** Counts complete responses in raw bytes (each has content-length, or none for 304/HEAD). */
function responses(text: string, head = false): number {
  let count = 0;
  let at = 0;
  for (;;) {
    const end = text.indexOf("\r\n\r\n", at);
    if (end === -1) return count;
    const headText = text.slice(at, end);
    const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(headText)?.[1]);
    const length = Number(/\r\ncontent-length: (\d+)/i.exec(headText)?.[1] ?? 0);
    const body = head || status === 304 ? 0 : length;
    if (text.length < end + 4 + body) return count;
    count++;
    at = end + 4 + body;
  }
}

const withoutDate = (text: string) => text.replace(/\r\nDate: [^\r]+/g, "\r\nDate: -");

function get(path: string, headers: Record<string, string> = {}, method = "GET"): string {
  const lines = Object.entries({ Host: "10.60.20.10", ...headers }).map(([k, v]) => `${k}: ${v}\r\n`);
  return `${method} ${path} HTTP/1.1\r\n${lines.join("")}\r\n`;
}

describe("fast front: answers byte-identical to node's", () => {
  const cases: [string, string][] = [
    ["shared file", get("/y000000000005.cfg", { "User-Agent": yealinkUa })],
    ["shared file, no User-Agent", get("/y000000000005.cfg")],
    ["HEAD", get("/y000000000005.cfg", { "User-Agent": yealinkUa }, "HEAD")],
    ["query string", get("/y000000000005.cfg?mac=001565000001", { "User-Agent": yealinkUa })],
    [
      "per-device file from outside the allowed subnets: 403",
      get("/0015656b2001.cfg", { "User-Agent": yealinkUa }),
    ],
    ["unknown file: 404", get("/nothing-here.txt")],
    ["traversal: 400", get("/../etc/passwd")],
    ["encoded traversal: 400", get("/%2e%2e/etc/passwd")],
    ["bad percent-encoding: 400", get("/%zz")],
    ["Connection: close", get("/y000000000005.cfg", { Connection: "close" })],
    [
      "header case and spacing",
      "GET /y000000000005.cfg HTTP/1.1\r\nhOsT:x\r\nuser-AGENT:   Yealink SIP-T22P 7.61.115.7   \r\n\r\n",
    ],
    // The following go to node in the front's app; the answer must not change.
    ["Range", get("/y000000000005.cfg", { Range: "bytes=0-9" })],
    ["If-None-Match", get("/y000000000005.cfg", { "If-None-Match": '"nope"' })],
    ["HTTP/1.0", "GET /y000000000005.cfg HTTP/1.0\r\nHost: x\r\n\r\n"],
    ["no Host", "GET /y000000000005.cfg HTTP/1.1\r\nUser-Agent: x\r\n\r\n"],
    ["two Hosts", "GET /y000000000005.cfg HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"],
    ["absolute-form", "GET http://x/y000000000005.cfg HTTP/1.1\r\nHost: x\r\n\r\n"],
    ["API route", get("/api/v1/phones")],
    ["health route", get("/healthz")],
    ["obs-fold", "GET /y000000000005.cfg HTTP/1.1\r\nHost: x\r\nUser-Agent: a\r\n b\r\n\r\n"],
    ["bare LF", "GET /y000000000005.cfg HTTP/1.1\nHost: x\n\n"],
    ["lower-case method", "get /y000000000005.cfg HTTP/1.1\r\nHost: x\r\n\r\n"],
    ["non-ASCII in a header", "GET /y000000000005.cfg HTTP/1.1\r\nHost: x\r\nUser-Agent: caf\u00e9\r\n\r\n"],
  ];
  for (const [name, request] of cases) {
    it(name, async () => {
      const head = request.startsWith("HEAD");
      const untilOne = (t: string) => responses(t, head) >= 1;
      const viaFront = await exchange(frontPort, [request], untilOne);
      const viaNode = await exchange(plainPort, [request], untilOne);
      expect(viaNode.text.length).toBeGreaterThan(0);
      expect(withoutDate(viaFront.text)).toBe(withoutDate(viaNode.text));
      expect(viaFront.closed).toBe(viaNode.closed);
    });
  }
});

describe("fast front: connections", () => {
  it("answers phone files without running fastify, and hands everything else to it", async () => {
    const before = hookCalls;
    await exchange(frontPort, [get("/y000000000005.cfg")], (t) => responses(t) >= 1);
    expect(hookCalls).toBe(before);
    await exchange(frontPort, [get("/healthz")], (t) => responses(t) >= 1);
    expect(hookCalls).toBe(before + 1);
    // Without the front (HTTPS, or requests handed over), node's request listener still answers phone files
    // without fastify (phone-file-server.ts); only what fastify's router gives another route runs its hooks.
    await exchange(plainPort, [get("/y000000000005.cfg")], (t) => responses(t) >= 1);
    expect(hookCalls).toBe(before + 1);
    await exchange(plainPort, [get("/healthz")], (t) => responses(t) >= 1);
    expect(hookCalls).toBe(before + 2);
  });

  it("keeps pipelined requests in order across the hand-over to node", async () => {
    const pipelined = [
      get("/y000000000005.cfg"),
      get("/nothing-here.txt"),
      get("/y000000000005.cfg", { Range: "bytes=0-4" }), // node from here on
      get("/healthz"),
      get("/y000000000005.cfg"),
    ].join("");
    const { text } = await exchange(frontPort, [pipelined], (t) => responses(t) >= 5);
    const statuses = [...text.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => m[1]);
    expect(statuses, text).toEqual(["200", "404", "206", "200", "200"]);
    const viaNode = await exchange(plainPort, [pipelined], (t) => responses(t) >= 5);
    expect(withoutDate(text)).toBe(withoutDate(viaNode.text));
  });

  it("reads a head that arrives in pieces (node finishes it)", async () => {
    const request = get("/y000000000005.cfg", { "User-Agent": yealinkUa });
    const parts = [request.slice(0, 20), request.slice(20, 60), request.slice(60)];
    const split = await exchange(frontPort, parts, (t) => responses(t) >= 1);
    const whole = await exchange(plainPort, [request], (t) => responses(t) >= 1);
    expect(withoutDate(split.text)).toBe(withoutDate(whole.text));
  });

  it("serves many requests on one keep-alive connection, then a half-close ends it", async () => {
    const requests = Array.from({ length: 50 }, (_, i) =>
      get(i % 2 ? "/y000000000005.cfg" : "/nothing-here.txt", { "User-Agent": yealinkUa }),
    );
    const { text, closed } = await exchange(frontPort, requests, (t) => responses(t) >= 50, {
      gapMs: 1,
      end: true,
    });
    expect(responses(text)).toBe(50);
    expect(closed).toBe(true);
  });

  it("answers a Connection: close request and nothing pipelined after it, then closes", async () => {
    // RFC 9112 §9.6: after "close" no further request is read. (Node's parser, given both in one chunk, answers
    // only "400 Bad Request" for the data after close and drops the first request's answer; the front answers
    // the first request as if it had come alone.)
    const alone = get("/y000000000005.cfg", { Connection: "close" });
    const viaFront = await exchange(frontPort, [alone + get("/nothing-here.txt")], () => false);
    const reference = await exchange(plainPort, [alone], () => false);
    expect(responses(viaFront.text)).toBe(1);
    expect(viaFront.closed).toBe(true);
    expect(withoutDate(viaFront.text)).toBe(withoutDate(reference.text));
    // The same with the second request in a later packet, while the first answer is going out.
    const later = await exchange(frontPort, [alone, get("/nothing-here.txt")], () => false, { gapMs: 1 });
    expect(responses(later.text)).toBe(1);
    expect(later.closed).toBe(true);
  });

  it("answers a request sent with a half-close, then closes", async () => {
    const { text, closed } = await exchange(frontPort, [get("/y000000000005.cfg")], () => false, {
      end: true,
    });
    expect(responses(text)).toBe(1);
    expect(closed).toBe(true);
  });

  it("refuses to serve credentials to the guessed-MAC path the same way node does", async () => {
    const request = get("/001565aaaaaa.cfg", { "User-Agent": yealinkUa });
    const viaFront = await exchange(frontPort, [request], (t) => responses(t) >= 1);
    const viaNode = await exchange(plainPort, [request], (t) => responses(t) >= 1);
    expect(withoutDate(viaFront.text)).toBe(withoutDate(viaNode.text));
    for (const password of sipPasswords(fibreSite)) expect(viaFront.text).not.toContain(password);
  });
});

describe("fast front: the prepared answer of a small file", () => {
  it("carries the Date of the second it is sent in, and the same bytes otherwise", async () => {
    const request = get("/y000000000005.cfg", { "User-Agent": yealinkUa });
    const one = await exchange(frontPort, [request], (t) => responses(t) >= 1);
    await new Promise((r) => setTimeout(r, 1100));
    const before = Math.floor(Date.now() / 1000);
    const two = await exchange(frontPort, [request], (t) => responses(t) >= 1);
    const after = Math.floor(Date.now() / 1000);
    const dateOf = (text: string) => Date.parse(/\r\nDate: ([^\r]+)/.exec(text)?.[1] ?? "") / 1000;
    expect(dateOf(two.text)).toBeGreaterThanOrEqual(before);
    expect(dateOf(two.text)).toBeLessThanOrEqual(after);
    expect(dateOf(two.text)).toBeGreaterThan(dateOf(one.text));
    expect(withoutDate(two.text)).toBe(withoutDate(one.text));
  });
});

describe("fast front: timeouts and closing", () => {
  it("closes a keep-alive connection idle for keepAliveTimeout", async () => {
    const a = app(true);
    await a.listen({ host: "127.0.0.1", port: 0 });
    a.server.keepAliveTimeout = 300;
    const port = (a.server.address() as { port: number }).port;
    const started = Date.now();
    const socket = await connect(port);
    const closed = new Promise<number>((resolve) => socket.on("close", () => resolve(Date.now() - started)));
    socket.resume(); // read (and drop) the answer, so that the server's close is seen
    socket.write(get("/y000000000005.cfg"));
    const after = await closed;
    expect(after).toBeGreaterThanOrEqual(290);
    expect(after).toBeLessThan(2000);
    await a.close();
  });

  it("close() ends idle keep-alive connections instead of waiting for them", async () => {
    const a = app(true);
    await a.listen({ host: "127.0.0.1", port: 0 });
    const port = (a.server.address() as { port: number }).port;
    const socket = await connect(port);
    const closed = new Promise<void>((resolve) => socket.on("close", () => resolve()));
    socket.write(get("/y000000000005.cfg"));
    await new Promise<void>((resolve) => socket.once("data", () => resolve()));
    const started = Date.now();
    await a.close();
    await closed;
    // keepAliveTimeout is 72 s; the close must not wait for it.
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
