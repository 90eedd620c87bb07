import { describe, expect, it } from "vitest";
import { errorCodes, PatchkastError } from "../../../agent/errors.js";
import { newBranch, newCallId, newTag } from "../../../drivers/sip/build.js";
import {
  buildRequest,
  frameStream,
  headerValue,
  headerValues,
  parseMessage,
  type RequestSpec,
  SipMessageError,
} from "../../../drivers/sip/message.js";
import { seededRandom } from "../../helpers/lossy-udp-proxy.js";
import { malformedCorpus } from "./malformed-corpus.js";

const crlf = (lines: string[]) => Buffer.from(lines.join("\r\n"), "utf8");

const ok200 = [
  "SIP/2.0 200 OK",
  "Via: SIP/2.0/UDP 192.0.2.10:5062;branch=z9hG4bKabc123;rport=40001;received=198.51.100.7",
  "From: <sip:patchkast@192.0.2.10:5062>;tag=f1",
  "To: <sip:proxy.example.net:5060>;tag=t9",
  "Call-ID: a84b4c76e66710",
  "CSeq: 1 OPTIONS",
  "Allow: INVITE, ACK, OPTIONS",
  "Allow: NOTIFY",
  "Server: Kamailio (5.6.3 (x86_64/linux))",
  "Content-Length: 0",
  "",
  "",
];

describe("parseMessage: responses", () => {
  it("reads status, reason, Via rport/received, tags, CSeq and joins repeated headers", () => {
    const msg = parseMessage(crlf(ok200));
    expect(msg).toMatchObject({ kind: "response", status: 200, reason: "OK", callId: "a84b4c76e66710" });
    if (msg.kind !== "response") throw new Error("not a response");
    expect(msg.cseq).toEqual({ seq: 1, method: "OPTIONS" });
    expect(msg.via[0]).toMatchObject({
      transport: "UDP",
      host: "192.0.2.10",
      port: 5062,
      branch: "z9hG4bKabc123",
    });
    expect(msg.via[0]).toMatchObject({ rport: 40001, received: "198.51.100.7" });
    expect(msg.from.tag).toBe("f1");
    expect(msg.to).toMatchObject({ uri: "sip:proxy.example.net:5060", tag: "t9" });
    expect(headerValues(msg, "allow")).toEqual(["INVITE", "ACK", "OPTIONS", "NOTIFY"]);
    expect(msg.body.length).toBe(0);
  });

  it("expands compact forms (v f t i l m) and unfolds continuation lines", () => {
    const msg = parseMessage(
      crlf([
        "SIP/2.0 180 Ringing",
        "v: SIP/2.0/TCP [2001:db8::1]:5060 ;branch=z9hG4bKx",
        "f: sip:a@example.net;tag=1",
        't: "Bob, the phone" <sip:b@example.net>;tag=2',
        "i: xyz@host",
        "m: <sip:b@192.0.2.1>;expires=60",
        "CSeq: 7",
        "   REGISTER",
        "Subject: one",
        "\ttwo",
        "l: 0",
        "",
        "",
      ]),
    );
    expect(msg.via[0]).toMatchObject({ transport: "TCP", host: "[2001:db8::1]", port: 5060 });
    expect(msg.from).toMatchObject({ uri: "sip:a@example.net", tag: "1" });
    expect(msg.to.tag).toBe("2");
    expect(msg.cseq).toEqual({ seq: 7, method: "REGISTER" });
    expect(headerValue(msg, "subject")).toBe("one two");
    expect(headerValue(msg, "contact")).toBe("<sip:b@192.0.2.1>;expires=60");
    expect(headerValue(msg, "m")).toBe("<sip:b@192.0.2.1>;expires=60");
  });

  it("splits comma-combined Via values, keeping commas inside quotes", () => {
    const lines = [...ok200];
    lines[1] =
      'Via: SIP/2.0/UDP a.example;branch=z9hG4bK1;x="p,q", SIP/2.0/UDP b.example:5070;branch=z9hG4bK2';
    const msg = parseMessage(crlf(lines));
    expect(msg.via.map((v) => v.host)).toEqual(["a.example", "b.example"]);
    expect(msg.via[0]?.params.get("x")).toBe("p,q");
  });

  it("honours Content-Length on UDP: extra bytes are dropped, a missing header means the rest", () => {
    const withBody = [
      ...ok200.slice(0, -3),
      "Content-Type: text/plain",
      "Content-Length: 5",
      "",
      "hello+extra",
    ];
    expect(parseMessage(crlf(withBody)).body.toString()).toBe("hello");
    const noLength = [...ok200.slice(0, -3), "", "body"];
    expect(parseMessage(crlf(noLength)).body.toString()).toBe("body");
    expect(() => parseMessage(crlf(noLength), { stream: true })).toThrow(SipMessageError);
  });

  it("accepts UTF-8 in the reason phrase and an empty reason", () => {
    const lines = [...ok200];
    lines[0] = "SIP/2.0 200 Prêt";
    expect(parseMessage(crlf(lines))).toMatchObject({ reason: "Prêt" });
    lines[0] = "SIP/2.0 200 ";
    expect(parseMessage(crlf(lines))).toMatchObject({ status: 200, reason: "" });
  });
});

describe("parseMessage: malformed corpus", () => {
  it(`has at least 30 cases`, () => {
    expect(malformedCorpus.length).toBeGreaterThanOrEqual(30);
  });

  it.each(malformedCorpus.map((c) => [c.name, c] as const))("refuses %s", (_name, c) => {
    let caught: unknown;
    try {
      parseMessage(c.bytes, c.stream ? { stream: true } : {});
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(SipMessageError);
    expect(caught).toBeInstanceOf(PatchkastError);
    expect((caught as SipMessageError).code).toBe("PK_ERR_SIP_MALFORMED");
    expect((caught as SipMessageError).reason).toBe(c.reason);
  });

  it("never throws anything but SipMessageError on 5,000 seeded mutations of a valid response", () => {
    const random = seededRandom(3261);
    const base = crlf(ok200);
    for (let i = 0; i < 5000; i++) {
      const bytes = Buffer.from(base);
      const edits = 1 + Math.floor(random() * 4);
      for (let e = 0; e < edits; e++) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
      const cut = random() < 0.2 ? bytes.subarray(0, Math.floor(random() * bytes.length)) : bytes;
      try {
        parseMessage(cut, { stream: random() < 0.5 });
      } catch (err) {
        if (!(err instanceof SipMessageError)) throw err;
      }
    }
  });
});

describe("buildRequest", () => {
  const spec = (over: Partial<RequestSpec> = {}): RequestSpec => ({
    method: "OPTIONS",
    uri: "sip:proxy.example.net:5060",
    via: { transport: "UDP", host: "192.0.2.10", port: 5062, branch: newBranch() },
    from: { uri: "sip:patchkast@192.0.2.10:5062", tag: newTag() },
    to: { uri: "sip:proxy.example.net:5060" },
    callId: newCallId(),
    cseq: 1,
    userAgent: "patchkast/0.1.0",
    ...over,
  });

  it("writes the §8.1.1 headers, rport and Max-Forwards 70, and parses back", () => {
    const s = spec({ headers: [["Accept", "application/sdp"]] });
    const text = buildRequest(s).toString();
    expect(text.split("\r\n")[0]).toBe("OPTIONS sip:proxy.example.net:5060 SIP/2.0");
    expect(text).toContain(`Via: SIP/2.0/UDP 192.0.2.10:5062;branch=${s.via.branch};rport\r\n`);
    expect(text).toContain("Max-Forwards: 70\r\n");
    expect(text).toContain("User-Agent: patchkast/0.1.0\r\n");
    expect(text.endsWith("Content-Length: 0\r\n\r\n")).toBe(true);
    const back = parseMessage(Buffer.from(text), { stream: true });
    expect(back).toMatchObject({ kind: "request", method: "OPTIONS", callId: s.callId });
    expect(back.via[0]?.branch).toBe(s.via.branch);
    expect(back.from.tag).toBe(s.from.tag);
  });

  it("brackets IPv6 hosts in Via", () => {
    const s = spec({ via: { transport: "TCP", host: "2001:db8::5", port: 5060, branch: newBranch() } });
    expect(buildRequest(s).toString()).toContain("Via: SIP/2.0/TCP [2001:db8::5]:5060;");
  });

  it("uses random branch, tag and Call-ID of enough entropy", () => {
    const branches = new Set(Array.from({ length: 1000 }, newBranch));
    expect(branches.size).toBe(1000);
    for (const b of branches) expect(b).toMatch(/^z9hG4bK[0-9a-f]{24}$/);
    expect(newCallId()).toMatch(/^[0-9a-f]{32}$/);
    expect(newTag()).toMatch(/^[0-9a-f]{16}$/);
  });

  it.each([
    ["CR/LF in a header value", { headers: [["Event", "check-sync\r\nX-Evil: 1"]] as const }],
    ["a space in the Request-URI", { uri: "sip:proxy example" }],
    ["a non-sip URI", { uri: "http://example.net/" }],
    ["a branch without the magic cookie", { via: { transport: "UDP", host: "h", port: 1, branch: "abc" } }],
    ["a bad host", { via: { transport: "UDP", host: "bad host", port: 1, branch: newBranch() } }],
    ["port 0", { via: { transport: "UDP", host: "h", port: 0, branch: newBranch() } }],
    ["a bad method", { method: "OPT IONS" }],
    ["CSeq 0", { cseq: 0 }],
    ["a newline in User-Agent", { userAgent: "x\ny" }],
  ] as const)("refuses %s with PK_ERR_SIP_REQUEST", (_name, over) => {
    expect(() => buildRequest(spec(over as Partial<RequestSpec>))).toThrow(
      expect.objectContaining({ code: "PK_ERR_SIP_REQUEST" }),
    );
  });
});

describe("frameStream (TCP, §18.3)", () => {
  const msg = crlf([...ok200.slice(0, -3), "Content-Length: 3", "", "abc"]);

  it("needs the whole message, skips keep-alive CRLFs, and frames back-to-back messages", () => {
    expect(frameStream(msg.subarray(0, 20))).toEqual({ skip: 0, length: 0 });
    expect(frameStream(msg.subarray(0, msg.length - 1))).toEqual({ skip: 0, length: 0 });
    expect(frameStream(msg)).toEqual({ skip: 0, length: msg.length });
    const two = Buffer.concat([Buffer.from("\r\n\r\n"), msg, msg]);
    expect(frameStream(two)).toEqual({ skip: 4, length: msg.length });
  });

  it("reads the compact l: form and refuses missing, doubled or oversized lengths", () => {
    const compact = Buffer.from(msg.toString().replace("Content-Length: 3", "l: 3"));
    expect(frameStream(compact).length).toBe(compact.length);
    const none = Buffer.from(msg.toString().replace("Content-Length: 3\r\n", ""));
    expect(() => frameStream(none)).toThrow(SipMessageError);
    const twice = Buffer.from(msg.toString().replace("Content-Length: 3", "Content-Length: 3\r\nl: 3"));
    expect(() => frameStream(twice)).toThrow(SipMessageError);
    const huge = Buffer.from(msg.toString().replace("Content-Length: 3", "Content-Length: 9999999"));
    expect(() => frameStream(huge)).toThrow(SipMessageError);
    expect(() => frameStream(Buffer.alloc(70_000, 0x41))).toThrow(SipMessageError);
  });
});

describe("error catalogue", () => {
  it("documents the SIP error codes", () => {
    for (const code of ["PK_ERR_SIP_MALFORMED", "PK_ERR_SIP_REQUEST", "PK_ERR_SIP_TARGET"] as const)
      expect(errorCodes[code]).toMatch(/\w/);
  });
});
