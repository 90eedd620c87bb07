/**
 * The lab's SIP proxy (lab/sip-proxy.ts) on its own loopback address, over UDP and TCP: our own client
 * (drivers/sip) probes and registers; raw requests check the RFC 3261 §8.2.6 echo, 405/501/481/420,
 * ACK (no answer) and malformed input (400 or silence, never a crash); sipsak and SIPp (Debian) are
 * real peers; stop() makes it unreachable and start() brings it back on the same port.
 */
import { createSocket } from "node:dgram";
import { mkdtempSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { options, register } from "../../drivers/sip/client.js";
import { headerValue, headerValues, parseMessage, type SipResponse } from "../../drivers/sip/message.js";
import { startLab } from "../../lab/lab.js";
import { type LabSipProxy, startSipProxy } from "../../lab/sip-proxy.js";
import { siteAsRunning } from "../../lab/sip-site.js";
import { onPath, run } from "../helpers/peer-tools.js";
import { freePort } from "../peers/sip-peers.js";
import { secrets } from "./helpers.js";

const host = "127.20.0.5";
const fast = { timers: { t1Ms: 50, t2Ms: 400 }, timeoutMs: 3000 };
let proxy: LabSipProxy;

beforeAll(async () => {
  proxy = await startSipProxy({
    host,
    port: 0,
    realm: "lab.test",
    accounts: new Map([["31201234500", "s3cret"]]),
  });
});
afterAll(async () => proxy?.stop());

const target = (transport: "udp" | "tcp") => ({ host, port: proxy.port, transport });

/** Sends one datagram and returns the first reply within `ms`, or null. */
function udpExchange(bytes: string | Buffer, ms = 500): Promise<Buffer | null> {
  const s = createSocket("udp4");
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      s.close();
      resolve(null);
    }, ms);
    s.on("message", (m) => {
      clearTimeout(timer);
      s.close();
      resolve(m);
    });
    s.bind(0, "127.0.0.1", () => s.send(bytes, proxy.port, host));
  });
}

/** Writes bytes on a TCP connection; resolves with what came back and whether the proxy closed it. */
function tcpExchange(bytes: string | Buffer, ms = 500): Promise<{ data: Buffer; closed: boolean }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const sock = connect(proxy.port, host, () => sock.write(bytes));
    const done = (closed: boolean) => {
      clearTimeout(timer);
      sock.destroy();
      resolve({ data: Buffer.concat(chunks), closed });
    };
    const timer = setTimeout(() => done(false), ms);
    sock.on("data", (d) => chunks.push(d));
    sock.on("end", () => done(true));
    sock.on("error", () => done(true));
  });
}

function request(
  method: string,
  extra: string[] = [],
  opts: { rport?: boolean; port?: number } = {},
): string {
  const via = `SIP/2.0/UDP 127.0.0.1:${opts.port ?? 5999};branch=z9hG4bK-${method}-1${opts.rport === false ? "" : ";rport"}`;
  return [
    `${method} sip:lab.test SIP/2.0`,
    `Via: ${via}`,
    "Via: SIP/2.0/UDP 10.0.0.9:5060;branch=z9hG4bK-upstream;received=10.0.0.8",
    "Max-Forwards: 70",
    'From: "Anna" <sip:anna@lab.test>;tag=from-1',
    "To: <sip:bob@lab.test>",
    "Call-ID: echo-test@127.0.0.1",
    `CSeq: 42 ${method}`,
    ...extra,
    "Content-Length: 0",
    "",
    "",
  ].join("\r\n");
}

const parsed = (b: Buffer | null) => parseMessage(b ?? Buffer.alloc(0)) as SipResponse;

describe("our own client", () => {
  for (const transport of ["udp", "tcp"] as const) {
    it(`OPTIONS over ${transport} gets 200 OK, and the proxy says where it saw us`, async () => {
      const r = await options(target(transport), fast);
      expect(r).toMatchObject({ status: 200, reachable: true });
      expect(r.seenAs?.address).toBe("127.0.0.1");
      expect(r.responseHeaders?.allow).toBe("OPTIONS, REGISTER, ACK, CANCEL");
    });

    it(`REGISTER over ${transport}: 401 challenge, then 200 with the right password, 403 with a wrong one`, async () => {
      const ok = await register(target(transport), { username: "31201234500", password: "s3cret" }, fast);
      expect(ok).toMatchObject({ status: 200, registered: true, expires: 3600 });
      expect(ok.challenge).toMatchObject({ status: 401, realm: "lab.test", algorithm: "MD5", qop: ["auth"] });
      const bad = await register(target(transport), { username: "31201234500", password: "guess" }, fast);
      expect(bad).toMatchObject({ status: 403, registered: false });
      const unknown = await register(target(transport), { username: "999", password: "s3cret" }, fast);
      expect(unknown.status).toBe(403);
    });
  }
});

describe("RFC 3261 behaviour", () => {
  it("copies Via (all, in order), From, Call-ID and CSeq, tags To, marks the top Via (§8.2.6.2, RFC 3581)", async () => {
    const res = parsed(await udpExchange(request("OPTIONS")));
    const vias = headerValues(res, "via");
    expect(vias).toHaveLength(2);
    expect(vias[0]).toMatch(
      /^SIP\/2\.0\/UDP 127\.0\.0\.1:5999;branch=z9hG4bK-OPTIONS-1;rport=\d+;received=127\.0\.0\.1$/,
    );
    expect(vias[1]).toBe("SIP/2.0/UDP 10.0.0.9:5060;branch=z9hG4bK-upstream;received=10.0.0.8");
    expect(headerValue(res, "from")).toBe('"Anna" <sip:anna@lab.test>;tag=from-1');
    expect(res.to.uri).toBe("sip:bob@lab.test");
    expect(res.to.tag).toMatch(/^[0-9a-f]{12}$/);
    expect(res.callId).toBe("echo-test@127.0.0.1");
    expect(res.cseq).toEqual({ seq: 42, method: "OPTIONS" });
    expect(res.status).toBe(200);
  });

  it("without rport the reply goes to the Via sent-by port (§18.2.2), not the source port", async () => {
    const listener = createSocket("udp4");
    const port = await new Promise<number>((r) =>
      listener.bind(0, "127.0.0.1", () => r(listener.address().port)),
    );
    const got = new Promise<Buffer | null>((resolve) => {
      const t = setTimeout(() => resolve(null), 1000);
      listener.on("message", (m) => {
        clearTimeout(t);
        resolve(m);
      });
    });
    const direct = await udpExchange(request("OPTIONS", [], { rport: false, port }), 300);
    expect(direct).toBeNull();
    expect(parsed(await got).status).toBe(200);
    listener.close();
  });

  it("answers other RFC 3261 methods 405 with Allow, unknown ones 501, CANCEL 481, ACK not at all", async () => {
    const invite = parsed(await udpExchange(request("INVITE")));
    expect(invite.status).toBe(405);
    expect(headerValue(invite, "allow")).toBe("OPTIONS, REGISTER, ACK, CANCEL");
    expect(parsed(await udpExchange(request("BYE"))).status).toBe(405);
    const unknown = parsed(await udpExchange(request("FROB")));
    expect([unknown.status, unknown.cseq.method]).toEqual([501, "FROB"]);
    expect(parsed(await udpExchange(request("CANCEL"))).status).toBe(481);
    // Method names are case-sensitive (§7.1).
    expect(parsed(await udpExchange(request("options"))).status).toBe(501);
    expect(await udpExchange(request("ACK"), 300)).toBeNull();
  });

  it("refuses extensions it does not have with 420 and Unsupported (§8.2.2.3)", async () => {
    const r = parsed(await udpExchange(request("OPTIONS", ["Require: 100rel, timer"])));
    expect(r.status).toBe(420);
    expect(headerValue(r, "unsupported")).toBe("100rel, timer");
  });

  it("answers 400 to a broken request it can still reply to, and drops what it cannot", async () => {
    const badCseq = request("OPTIONS").replace("CSeq: 42 OPTIONS", "CSeq: 42 REGISTER");
    const r = parsed(await udpExchange(badCseq));
    expect(r.status).toBe(400);
    expect(headerValue(r, "warning")).toContain("bad-cseq");
    expect(await udpExchange("\x00\x01garbage\r\n\r\n", 300)).toBeNull();
    expect(await udpExchange(request("OPTIONS").replace(/^Via:.*\r\n/gm, ""), 300)).toBeNull();
    expect(await udpExchange(Buffer.alloc(70_000, 0x41), 300)).toBeNull();
    // The message grammar lets it through; splitting the list at commas does not (unterminated quote).
    const badList = parsed(await udpExchange(request("OPTIONS", ['Require: "unterminated, x'])));
    expect(badList.status).toBe(400);
    // A response sent to the proxy is not answered (it has no client transactions).
    expect(
      await udpExchange("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1:1;branch=z9hG4bKx\r\n\r\n", 300),
    ).toBeNull();
  });

  it("on TCP: frames by Content-Length, closes a stream whose framing is broken, and keeps serving", async () => {
    const two = request("OPTIONS") + request("OPTIONS").replace("echo-test", "second");
    const both = await tcpExchange(two);
    expect(both.data.toString().match(/SIP\/2\.0 200 OK/g)).toHaveLength(2);
    const broken = await tcpExchange(
      request("OPTIONS").replace("Content-Length: 0", "Content-Length: x"),
      1000,
    );
    expect(broken.closed).toBe(true);
    expect(broken.data.toString()).toMatch(/^SIP\/2\.0 400 Bad Request/);
    const flood = await tcpExchange(Buffer.alloc(200_000, 0x41), 1000);
    expect(flood.closed).toBe(true);
    expect((await options(target("tcp"), fast)).status).toBe(200);
  });
});

describe("stop and start (the 'SIP proxy unreachable' fault)", () => {
  it("is refused on UDP and TCP while stopped and answers again on the same port after start", async () => {
    const port = proxy.port;
    await proxy.stop();
    expect(proxy.running).toBe(false);
    expect(await options(target("udp"), fast)).toMatchObject({ status: null, failure: "refused" });
    expect(await options(target("tcp"), fast)).toMatchObject({ status: null, failure: "refused" });
    await proxy.start();
    expect([proxy.running, proxy.port]).toEqual([true, port]);
    expect((await options(target("udp"), fast)).status).toBe(200);
  });
});

const hasSipsak = onPath("sipsak");
describe.skipIf(!hasSipsak)(
  `sipsak as a real peer${hasSipsak ? "" : " (SKIPPED: apt-get install sipsak)"}`,
  () => {
    for (const transport of ["udp", "tcp"] as const) {
      it(`OPTIONS and a digest REGISTER over ${transport}`, async () => {
        const common = ["-E", transport, "-H", "127.0.0.1", "-r", String(proxy.port)];
        const ping = await run("sipsak", ["-vv", ...common, "-s", `sip:probe@${host}`], tmpdir());
        expect(ping.output).toContain("SIP/2.0 200 OK");
        expect(ping.code).toBe(0);
        // sipsak 0.9.8 takes "user@" as the auth name unless -u gives it; -i: no Via warning in usrloc mode.
        const reg = ["-U", "-i", "-C", "sip:31201234500@127.0.0.1", "-x", "60", "-u", "31201234500"];
        const ok = await run(
          "sipsak",
          [...reg, ...common, "-a", "s3cret", "-s", `sip:31201234500@${host}`],
          tmpdir(),
        );
        expect(ok.code, ok.output).toBe(0);
        const bad = await run(
          "sipsak",
          [...reg, ...common, "-a", "wrong", "-s", `sip:31201234500@${host}`],
          tmpdir(),
        );
        expect(bad.code).not.toBe(0);
        expect(bad.output).toContain("403 Forbidden");
      });
    }
  },
);

/** SIPp as UAC: OPTIONS → 200; REGISTER → 401, again with digest → 200; INVITE → 405, ACK. */
const scenario = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="patchkast lab proxy">
  <send retrans="500"><![CDATA[
OPTIONS sip:[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:sipp@[local_ip]>;tag=[pid]SIPpTag[call_number]
To: <sip:[remote_ip]:[remote_port]>
Call-ID: [call_id]
CSeq: 1 OPTIONS
Max-Forwards: 70
Content-Length: 0

]]></send>
  <recv response="200" />
  <send retrans="500"><![CDATA[
REGISTER sip:[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:31201234500@[remote_ip]>;tag=[pid]SIPpTag[call_number]
To: <sip:31201234500@[remote_ip]>
Call-ID: [call_id]
CSeq: 2 REGISTER
Contact: <sip:31201234500@[local_ip]:[local_port];transport=[transport]>
Expires: 60
Max-Forwards: 70
Content-Length: 0

]]></send>
  <recv response="401" auth="true" />
  <send retrans="500"><![CDATA[
REGISTER sip:[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:31201234500@[remote_ip]>;tag=[pid]SIPpTag[call_number]
To: <sip:31201234500@[remote_ip]>
Call-ID: [call_id]
CSeq: 3 REGISTER
Contact: <sip:31201234500@[local_ip]:[local_port];transport=[transport]>
[authentication username=31201234500 password=s3cret]
Expires: 60
Max-Forwards: 70
Content-Length: 0

]]></send>
  <recv response="200" />
  <send retrans="500"><![CDATA[
INVITE sip:bob@[remote_ip] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:31201234500@[remote_ip]>;tag=[pid]SIPpTag[call_number]
To: <sip:bob@[remote_ip]>
Call-ID: [call_id]
CSeq: 4 INVITE
Contact: <sip:31201234500@[local_ip]:[local_port];transport=[transport]>
Max-Forwards: 70
Content-Length: 0

]]></send>
  <recv response="405" />
  <send><![CDATA[
ACK sip:bob@[remote_ip] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:31201234500@[remote_ip]>;tag=[pid]SIPpTag[call_number]
To: <sip:bob@[remote_ip]>[peer_tag_param]
Call-ID: [call_id]
CSeq: 4 ACK
Max-Forwards: 70
Content-Length: 0

]]></send>
</scenario>
`;

const hasSipp = onPath("sipp");
describe.skipIf(!hasSipp)(
  `SIPp as a real peer${hasSipp ? "" : " (SKIPPED: apt-get install sip-tester)"}`,
  () => {
    for (const transport of ["udp", "tcp"] as const) {
      it(`runs OPTIONS, digest REGISTER and a refused INVITE over ${transport}`, async () => {
        const dir = mkdtempSync(join(tmpdir(), "pk-lab-sipp-"));
        writeFileSync(join(dir, "uac.xml"), scenario);
        const local = String(await freePort());
        const args = [
          "-sf",
          "uac.xml",
          "-m",
          "1",
          "-i",
          "127.0.0.1",
          "-p",
          local,
          "-t",
          transport === "udp" ? "u1" : "t1",
        ];
        args.push("-nostdin", "-timeout", "15s", "-timeout_error", `${host}:${proxy.port}`);
        const r = await run("sipp", args, dir);
        expect(r.code, r.output.slice(-2000)).toBe(0);
      }, 30_000);
    }
  },
);

describe("in the lab", () => {
  it("startLab runs the proxy on the site's address, the site as running reaches it, stop() closes it", async () => {
    const lab = await startLab({ secrets, stateDir: null, sshPort: 0, snmpPort: 0 });
    let stopped = false;
    try {
      expect(lab.site.provider.sip_proxy).toMatchObject({ host: "127.20.0.5", port: 5060, transport: "udp" });
      expect([lab.sip.host, lab.sip.running]).toEqual(["127.20.0.5", true]);
      const proxy = siteAsRunning(lab).provider.sip_proxy;
      expect(proxy).toEqual({ host: "127.20.0.5", port: lab.sip.port, transport: "udp" });
      expect((await options({ host: proxy.host, port: proxy.port, transport: "udp" }, fast)).status).toBe(
        200,
      );
      // The phones' accounts from the site: a phone's REGISTER with its (placeholder) password succeeds.
      const phone = lab.site.phones[0] as (typeof lab.site.phones)[number];
      const account = {
        username: phone.sip.username,
        password: secrets.resolve(phone.sip.password).reveal(),
      };
      expect((await register({ ...proxy, transport: "tcp" }, account, fast)).registered).toBe(true);
      await lab.stop();
      stopped = true;
      expect((await options({ ...proxy, transport: "udp" }, fast)).failure).toBe("refused");
    } finally {
      if (!stopped) await lab.stop();
    }
  });
});
