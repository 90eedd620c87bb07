/**
 * The public client (options/register/notify) against in-process UASes on 127.0.0.1 that behave
 * deterministically: drop the first copy, answer 100 then 200, challenge, send garbage, split a
 * TCP response into single bytes. Timers are shortened; no assertion depends on RTT values.
 */
import { createHash } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { notify, options, register } from "../../../drivers/sip/client.js";
import { parseChallenge } from "../../../drivers/sip/digest.js";
import { headerValue } from "../../../drivers/sip/message.js";
import { type FakeUas, type Handler, reply, startTcpUas, startUdpUas } from "./fake-uas.js";

let uas: FakeUas | undefined;
afterEach(async () => {
  await uas?.close();
  uas = undefined;
});
const udp = async (h: Handler) => {
  uas = await startUdpUas(h);
  return { host: "127.0.0.1", port: uas.port, transport: "udp" } as const;
};
const tcp = async (h: Handler, chunked = false) => {
  uas = await startTcpUas(h, { chunked });
  return { host: "127.0.0.1", port: uas.port, transport: "tcp" } as const;
};
const timers = { t1Ms: 100, t2Ms: 800 };

describe("options", () => {
  it("retransmits once when the first copy is lost, and sends the §8.1.1 headers", async () => {
    const target = await udp(({ request, copy }) => (copy === 0 ? [] : [reply(request, 200, "OK")]));
    const result = await options(target, { timers, timeoutMs: 3000, fromUser: "probe-1" });
    expect(result).toMatchObject({ status: 200, reason: "OK", reachable: true, retransmissions: 1 });
    expect(result.rttMs).toBeGreaterThan(0);
    // The fake adds received= but leaves rport without a value.
    expect(result.seenAs).toEqual({ address: "127.0.0.1", port: null });
    const [first, second] = uas?.received ?? [];
    expect(first?.text).toBe(second?.text);
    const req = first?.request;
    expect(req?.uri).toBe(`sip:127.0.0.1:${target.port}`);
    expect(req?.via[0]?.branch).toMatch(/^z9hG4bK[0-9a-f]{24}$/);
    expect(req?.via[0]?.params.has("rport")).toBe(true);
    expect(req && headerValue(req, "max-forwards")).toBe("70");
    expect(req && headerValue(req, "user-agent")).toMatch(/^patchkast\/\d+\.\d+\.\d+/);
    expect(req?.from.uri).toMatch(/^sip:probe-1@127\.0\.0\.1:\d+$/);
    expect(req?.from.tag).toMatch(/^[0-9a-f]{16}$/);
  });

  it("waits through 100 Trying for the final response", async () => {
    const target = await udp(({ request, copy }) =>
      copy === 0 ? [reply(request, 100, "Trying")] : [reply(request, 200, "OK")],
    );
    const result = await options(target, { timers, timeoutMs: 3000 });
    expect(result).toMatchObject({ status: 200, retransmissions: 1 });
  });

  it("skips a response for another branch and takes the one for ours", async () => {
    const target = await udp(({ request }) => {
      const other = reply(request, 500, "Other").replace(/branch=[^;\r]+/, "branch=z9hG4bKnotours");
      return [other, reply(request, 202, "Accepted")];
    });
    expect(await options(target, { timers, timeoutMs: 3000 })).toMatchObject({ status: 202 });
  });

  it("reports 'malformed' when only unparseable answers arrive", async () => {
    const target = await udp(() => ["SIP/2.0 200 OK\r\nno headers at all\r\n\r\n"]);
    const result = await options(target, { timers, timeoutMs: 250 });
    expect(result).toMatchObject({ status: null, reachable: false, failure: "malformed", rttMs: null });
  });

  it("reports 'refused' at once for a closed UDP port (ICMP port unreachable)", async () => {
    const target = await udp(() => []);
    await uas?.close();
    uas = undefined;
    const result = await options(target, { timers, timeoutMs: 5000 });
    expect(result).toMatchObject({ status: null, failure: "refused", retransmissions: 0 });
  });

  it("reports 'dns' for a name that does not resolve", async () => {
    const result = await options(
      { host: "no-such-host.invalid", port: 5060, transport: "udp" },
      { timeoutMs: 500 },
    );
    expect(result).toMatchObject({ status: null, failure: "dns", reachable: false });
  });

  it("frames a TCP response sent one byte at a time", async () => {
    const target = await tcp(({ request }) => [`\r\n\r\n${reply(request, 200, "OK")}`], true);
    const result = await options(target, { timeoutMs: 3000 });
    expect(result).toMatchObject({ status: 200, retransmissions: 0 });
    expect(uas?.received[0]?.request.via[0]?.transport).toBe("TCP");
  });

  it("gives up on a TCP stream it cannot frame (no Content-Length)", async () => {
    const target = await tcp(({ request }) => [
      reply(request, 200, "OK").replace("Content-Length: 0\r\n", ""),
    ]);
    const result = await options(target, { timeoutMs: 3000 });
    expect(result).toMatchObject({ status: null, failure: "malformed" });
  });

  it("reports 'refused' for a closed TCP port", async () => {
    const target = await tcp(() => []);
    await uas?.close();
    uas = undefined;
    expect(await options(target, { timeoutMs: 3000 })).toMatchObject({ failure: "refused", status: null });
  });
});

const md5 = (s: string) => createHash("md5").update(s).digest("hex");

/** A registrar that challenges (401 or 407) and checks the digest itself. */
function registrar(password: string, status: 401 | 407 = 401): Handler {
  const header = status === 401 ? "WWW-Authenticate" : "Proxy-Authenticate";
  return ({ request }) => {
    const auth = headerValue(request, status === 401 ? "authorization" : "proxy-authorization");
    const challenge = `${header}: Digest realm="test", nonce="n0nce", qop="auth", opaque="op"`;
    if (auth === undefined) return [reply(request, status, "Unauthorized", [challenge])];
    const p = Object.fromEntries([...auth.matchAll(/(\w+)="?([^",]*)"?/g)].map((m) => [m[1], m[2]]));
    const ha1 = md5(`${p.username}:test:${password}`);
    const expected = md5(`${ha1}:n0nce:${p.nc}:${p.cnonce}:auth:${md5(`REGISTER:${p.uri}`)}`);
    if (p.response !== expected || p.opaque !== "op")
      return [reply(request, status, "Unauthorized", [challenge])];
    return [reply(request, 200, "OK", [`Contact: ${headerValue(request, "contact")};expires=1800`])];
  };
}

describe("register", () => {
  it("answers a 401 once with Authorization: same Call-ID and tag, CSeq 2, new branch", async () => {
    const target = await udp(registrar("s3cret"));
    const result = await register(
      target,
      { username: "1001", password: "s3cret", domain: "voice.example" },
      { timers },
    );
    expect(result).toMatchObject({ status: 200, registered: true, expires: 1800, retransmissions: 0 });
    const [a, b] = (uas?.received ?? []).map((r) => r.request);
    expect(a?.uri).toBe("sip:voice.example");
    expect(a?.to.uri).toBe("sip:1001@voice.example");
    expect(b?.callId).toBe(a?.callId);
    expect(b?.from.tag).toBe(a?.from.tag);
    expect([a?.cseq.seq, b?.cseq.seq]).toEqual([1, 2]);
    expect(b?.via[0]?.branch).not.toBe(a?.via[0]?.branch);
    expect(b && headerValue(b, "expires")).toBe("3600");
  });

  it("answers a 407 with Proxy-Authorization over TCP", async () => {
    const target = await tcp(registrar("s3cret", 407));
    const result = await register(target, { username: "1001", password: "s3cret" }, { timeoutMs: 3000 });
    expect(result).toMatchObject({
      status: 200,
      registered: true,
      challenge: { status: 407, realm: "test" },
    });
    expect(uas?.received[1]?.request.headers.some((h) => h.name === "proxy-authorization")).toBe(true);
  });

  it("stops after one retry with a wrong password and never shows the password", async () => {
    const target = await udp(registrar("s3cret"));
    const result = await register(target, { username: "1001", password: "hunter2-wrong" }, { timers });
    expect(result).toMatchObject({ status: 401, registered: false });
    expect(uas?.received).toHaveLength(2);
    expect(JSON.stringify(result)).not.toContain("hunter2-wrong");
    expect(uas?.received.map((r) => r.text).join("")).not.toContain("hunter2-wrong");
  });

  it("does not answer a challenge it cannot compute (SHA-256 only)", async () => {
    const target = await udp(({ request }) => [
      reply(request, 401, "Unauthorized", [
        'WWW-Authenticate: Digest realm="r", nonce="n", algorithm=SHA-256',
      ]),
    ]);
    const result = await register(target, { username: "1001", password: "x" }, { timers });
    expect(result).toMatchObject({ status: 401, registered: false });
    expect(result.reason).toContain("no MD5 Digest challenge");
    expect(uas?.received).toHaveLength(1);
  });

  it("refuses a user name that would break the URI before sending anything", async () => {
    const target = { host: "127.0.0.1", port: 9, transport: "udp" } as const;
    await expect(register(target, { username: "a@b", password: "x" })).rejects.toMatchObject({
      code: "PK_ERR_SIP_REQUEST",
    });
  });
});

describe("notify", () => {
  it("sends an out-of-dialog NOTIFY with Event, Subscription-State: terminated and Contact", async () => {
    const target = await udp(({ request }) => [reply(request, 200, "OK")]);
    const result = await notify(target, { event: "check-sync;reboot=false", toUser: "201" }, { timers });
    expect(result).toMatchObject({ status: 200, reachable: true });
    const req = uas?.received[0]?.request;
    expect(req?.uri).toBe(`sip:201@127.0.0.1:${target.port}`);
    expect(req && headerValue(req, "event")).toBe("check-sync;reboot=false");
    expect(req && headerValue(req, "subscription-state")).toBe("terminated");
    expect(req && headerValue(req, "contact")).toMatch(/^<sip:patchkast@127\.0\.0\.1:\d+>$/);
  });

  it.each(["check-sync\r\nX: 1", "", "bad event"])("refuses event %j", async (event) => {
    await expect(notify({ host: "127.0.0.1", port: 9, transport: "udp" }, { event })).rejects.toMatchObject({
      code: "PK_ERR_SIP_REQUEST",
    });
  });
});

describe("digest helper used by the fake registrar", () => {
  it("parses the challenge the fake sends", () => {
    expect(parseChallenge('Digest realm="test", nonce="n0nce", qop="auth", opaque="op"')?.qop).toEqual([
      "auth",
    ]);
  });
});
