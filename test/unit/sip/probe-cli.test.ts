/**
 * `patchkast probe sip` through the real CLI program (agent/main.ts) with captured output, against
 * in-process UASes, plus the target syntax it accepts.
 */
import { afterEach, describe, expect, it } from "vitest";
import { describeProbe } from "../../../agent/cli/probe.js";
import { main } from "../../../agent/main.js";
import { parseSipTarget, targetUri } from "../../../drivers/sip/target.js";
import { type FakeUas, reply, startUdpUas } from "./fake-uas.js";

let uas: FakeUas | undefined;
afterEach(async () => {
  await uas?.close();
  uas = undefined;
});

async function run(...args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

describe("patchkast probe sip", () => {
  it("prints one line per probe and a min/avg/max summary; exit 0 when all answered", async () => {
    uas = await startUdpUas(({ request }) => [reply(request, 200, "OK")]);
    const r = await run("probe", "sip", `udp:127.0.0.1:${uas.port}`, "--count", "3", "--interval", "0");
    expect(r.code).toBe(0);
    expect(r.out).toHaveLength(4);
    for (const line of r.out.slice(0, 3))
      expect(line).toMatch(
        new RegExp(`^OPTIONS sip:127\\.0\\.0\\.1:${uas.port} udp → 200 OK in \\d+\\.\\d ms$`),
      );
    expect(r.out[3]).toMatch(/^3 probes, 3 reachable, 0 not; rtt min\/avg\/max = [\d.]+\/[\d.]+\/[\d.]+ ms$/);
  });

  it("--expect makes a 404 unreachable: exit 1, and the line says why", async () => {
    uas = await startUdpUas(({ request }) => [reply(request, 404, "Not Found")]);
    const r = await run("probe", "sip", `127.0.0.1:${uas.port}`, "--expect", "200");
    expect(r.code).toBe(1);
    expect(r.out[0]).toMatch(/→ 404 Not Found in [\d.]+ ms \(not in --expect 200\)$/);
    expect((await run("probe", "sip", `127.0.0.1:${uas.port}`, "--expect", "200,404")).code).toBe(0);
  });

  it("a silent proxy: 'no answer after … (timeout, N retransmissions)', exit 1", async () => {
    uas = await startUdpUas(() => []);
    // T1 50 ms: sends at 0, 50, 150, 350; the next (750) falls after the 0.5 s timeout.
    const r = await run("probe", "sip", `sip:127.0.0.1:${uas.port}`, "--timeout", "0.5", "--t1", "50");
    expect(r.code).toBe(1);
    expect(r.out).toEqual([
      `OPTIONS sip:127.0.0.1:${uas.port} udp → no answer after 0.5 s (timeout, 3 retransmissions)`,
    ]);
  });

  it("usage mistakes are errors with a code, not crashes", async () => {
    const r = await run("probe", "sip", "tcp:127.0.0.1:5060", "--transport", "udp");
    expect(r.code).toBe(1);
    expect(r.err.join("\n")).toContain("PK_ERR_SIP_TARGET");
    expect((await run("probe", "sip", "127.0.0.1", "--count", "0")).err.join("\n")).toContain("PK_ERR_USAGE");
    expect((await run("probe", "sip", "127.0.0.1", "--expect", "2000")).err.join("\n")).toContain(
      "PK_ERR_USAGE",
    );
  });

  it("describes refused and DNS failures in words", () => {
    const target = { host: "10.0.0.5", port: 5060, transport: "udp" } as const;
    const base = { status: null, rttMs: null, reachable: false, retransmissions: 0 };
    const refused = {
      ...base,
      reason: "ICMP port unreachable from 10.0.0.5:5060 (ECONNREFUSED)",
      failure: "refused",
    } as const;
    expect(describeProbe(target, refused, 32)).toBe(
      "OPTIONS sip:10.0.0.5:5060 udp → ICMP port unreachable from 10.0.0.5:5060 (ECONNREFUSED) (refused, 0 retransmissions)",
    );
    const timeout = { ...base, reason: "", failure: "timeout", retransmissions: 10 } as const;
    expect(describeProbe(target, timeout, 32)).toBe(
      "OPTIONS sip:10.0.0.5:5060 udp → no answer after 32 s (timeout, 10 retransmissions)",
    );
  });
});

describe("parseSipTarget", () => {
  it.each([
    ["sip.example.net", { host: "sip.example.net", port: 5060, transport: "udp" }],
    ["10.0.0.5:5070", { host: "10.0.0.5", port: 5070, transport: "udp" }],
    ["udp:10.0.0.5:5060", { host: "10.0.0.5", port: 5060, transport: "udp" }],
    ["tcp:proxy.example.net", { host: "proxy.example.net", port: 5060, transport: "tcp" }],
    ["sip:proxy.example.net:5080;transport=tcp", { host: "proxy.example.net", port: 5080, transport: "tcp" }],
    ["sip:alice@proxy.example.net", { host: "proxy.example.net", port: 5060, transport: "udp" }],
    ["[2001:db8::1]:5062", { host: "2001:db8::1", port: 5062, transport: "udp" }],
    ["2001:db8::1", { host: "2001:db8::1", port: 5060, transport: "udp" }],
  ])("%s", (text, expected) => {
    expect(parseSipTarget(text)).toEqual(expected);
  });

  it("takes --transport as the default, and refuses a conflict", () => {
    expect(parseSipTarget("10.0.0.5", "tcp").transport).toBe("tcp");
    expect(() => parseSipTarget("udp:10.0.0.5", "tcp")).toThrow(
      expect.objectContaining({ code: "PK_ERR_SIP_TARGET" }),
    );
  });

  it.each([
    "",
    "host:0",
    "host:65536",
    "host:abc",
    "sips:host",
    "tls:host:5061",
    "bad host",
    "sip:h;transport=sctp",
    "a:b:c",
  ])("refuses %j", (text) => {
    expect(() => parseSipTarget(text)).toThrow(expect.objectContaining({ code: "PK_ERR_SIP_TARGET" }));
  });

  it("prints IPv6 in brackets", () => {
    expect(targetUri({ host: "2001:db8::1", port: 5060, transport: "udp" })).toBe("sip:[2001:db8::1]:5060");
  });
});
