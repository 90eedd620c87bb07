/**
 * The fast front's request-head reader: it may only say "request" for the strict shape it understands, and
 * must say "handover" (node's parser decides) for everything else, never guess.
 */
import { describe, expect, it } from "vitest";
import { maxFastHeadBytes, readRequestHead } from "../../../agent/serve/http/request-head.js";
import { pseudoRandomBytes } from "../../helpers/tftp-fixtures.js";

const read = (text: string, start = 0) => readRequestHead(Buffer.from(text, "latin1"), start);

describe("readRequestHead", () => {
  it("reads a phone's GET: target, User-Agent, keep-alive, where the next request starts", () => {
    const text =
      "GET /y000000000005.cfg?x=1 HTTP/1.1\r\nHost: 10.0.0.1\r\nUser-Agent:  Yealink SIP-T46S 66.86.0.15 \t\r\nAccept: */*\r\n\r\nGET";
    expect(read(text)).toEqual({
      kind: "request",
      method: "GET",
      target: "/y000000000005.cfg?x=1",
      userAgent: "Yealink SIP-T46S 66.86.0.15",
      close: false,
      end: text.length - 3,
    });
  });

  it("reads HEAD, Connection: close, header names in any case, a request that starts mid-buffer", () => {
    const first = "GET /a HTTP/1.1\r\nHost: x\r\n\r\n";
    const r = read(`${first}HEAD /b HTTP/1.1\r\nCONNECTION: Close\r\nhost:x\r\n\r\n`, first.length);
    expect(r).toMatchObject({
      kind: "request",
      method: "HEAD",
      target: "/b",
      close: true,
      userAgent: undefined,
    });
  });

  it("waits for the blank line, then gives up on heads longer than the limit", () => {
    expect(read("GET /a HTTP/1.1\r\nHost: x\r\n")).toEqual({ kind: "incomplete" });
    expect(read(`GET /a HTTP/1.1\r\nX: ${"y".repeat(maxFastHeadBytes)}`)).toEqual({ kind: "handover" });
    expect(read(`GET /a HTTP/1.1\r\nHost: x\r\nX: ${"y".repeat(maxFastHeadBytes)}\r\n\r\n`)).toEqual({
      kind: "handover",
    });
  });

  const handovers: [string, string][] = [
    ["POST", "POST /a HTTP/1.1\r\nHost: x\r\n\r\n"],
    ["lower-case method", "get /a HTTP/1.1\r\nHost: x\r\n\r\n"],
    ["HTTP/1.0", "GET /a HTTP/1.0\r\nHost: x\r\n\r\n"],
    ["HTTP/2 preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"],
    ["absolute-form", "GET http://x/a HTTP/1.1\r\nHost: x\r\n\r\n"],
    ["asterisk", "GET * HTTP/1.1\r\nHost: x\r\n\r\n"],
    ["two spaces", "GET  /a HTTP/1.1\r\nHost: x\r\n\r\n"],
    ["non-ASCII target", "GET /caf\u00e9 HTTP/1.1\r\nHost: x\r\n\r\n"],
    ["no Host", "GET /a HTTP/1.1\r\nUser-Agent: x\r\n\r\n"],
    ["two Hosts", "GET /a HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n"],
    ["two User-Agents", "GET /a HTTP/1.1\r\nHost: x\r\nUser-Agent: a\r\nUser-Agent: b\r\n\r\n"],
    ["Content-Length", "GET /a HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"],
    ["Transfer-Encoding", "GET /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"],
    ["Expect", "GET /a HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n\r\n"],
    ["Range", "GET /a HTTP/1.1\r\nHost: x\r\nrange: bytes=0-1\r\n\r\n"],
    ["If-Range", 'GET /a HTTP/1.1\r\nHost: x\r\nIf-Range: "e"\r\n\r\n'],
    ["If-None-Match", 'GET /a HTTP/1.1\r\nHost: x\r\nIf-None-Match: "e"\r\n\r\n'],
    ["Upgrade", "GET /a HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n\r\n"],
    ["Connection with tokens", "GET /a HTTP/1.1\r\nHost: x\r\nConnection: keep-alive, Upgrade\r\n\r\n"],
    ["space before colon", "GET /a HTTP/1.1\r\nHost : x\r\n\r\n"],
    ["obs-fold", "GET /a HTTP/1.1\r\nHost: x\r\nX: a\r\n b\r\n\r\n"],
    ["bare LF inside CRLF lines", "GET /a HTTP/1.1\r\nHost: x\nY: z\r\n\r\n"],
    ["bare CR in a value", "GET /a HTTP/1.1\r\nHost: x\rY\r\n\r\n"],
    ["NUL in a value", "GET /a HTTP/1.1\r\nHost: x\u0000\r\n\r\n"],
    ["non-ASCII in a value", "GET /a HTTP/1.1\r\nHost: x\r\nUser-Agent: \u00ff\r\n\r\n"],
    ["empty header name", "GET /a HTTP/1.1\r\n: x\r\nHost: x\r\n\r\n"],
    ["no headers at all", "GET /a HTTP/1.1\r\n\r\n"],
    ["65 header lines", `GET /a HTTP/1.1\r\nHost: x\r\n${"X: y\r\n".repeat(64)}\r\n`],
  ];
  for (const [name, text] of handovers) {
    it(`hands over: ${name}`, () => {
      expect(read(text)).toEqual({ kind: "handover" });
    });
  }

  it("never takes a bare-LF request (no CRLF blank line: incomplete, and the front hands incomplete heads over)", () => {
    expect(read("GET /a HTTP/1.1\nHost: x\n\n").kind).toBe("incomplete");
  });

  it("never throws on random bytes and only says request for heads that look like one", () => {
    for (let i = 0; i < 3000; i++) {
      const noise = pseudoRandomBytes(1 + (i % 700), i + 7);
      const prefix = i % 3 === 0 ? Buffer.from("GET /", "latin1") : Buffer.alloc(0);
      const buf = Buffer.concat([prefix, noise, Buffer.from("\r\n\r\n")]);
      const r = readRequestHead(buf, 0);
      if (r.kind === "request") {
        expect(buf.subarray(0, 4).toString("latin1")).toMatch(/^(GET |HEAD)/);
        expect(r.target).toMatch(/^\/[\x21-\x7e]*$/);
      }
    }
  });
});
