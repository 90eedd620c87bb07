/**
 * The pcap framing (drivers/capture/pcap.ts) and the whole reader (sip-reader.ts) over self-written
 * files: every link type, both byte orders, both timestamp resolutions, any chunking, malformed packets.
 */
import { describe, expect, it } from "vitest";
import { PatchkastError } from "../../../agent/errors.js";
import { LINKTYPE } from "../../../drivers/capture/packets.js";
import { type PcapRecord, PcapStream, parseGlobalHeader } from "../../../drivers/capture/pcap.js";
import { type CapturedSip, SipCaptureReader } from "../../../drivers/capture/sip-reader.js";
import {
  ethernet,
  type FileSpec,
  ipv4,
  ipv6,
  linuxSll,
  linuxSll2,
  nullLoopback,
  pcapFile,
  pcapHeader,
  pcapRecord,
  sdp,
  seeded,
  sipRequest,
  sipResponse,
  tcp,
  udp,
} from "./pcap-builder.js";

const invite = sipRequest({ callId: "c1@x", fromTag: "a", cseq: 1, method: "INVITE", body: sdp });
const ok = sipResponse(200, { callId: "c1@x", fromTag: "a", toTag: "b", cseq: 1, method: "INVITE" });
const t0 = 1_763_700_000_123.456;

function readAll(bytes: Buffer, chunker: (b: Buffer) => Buffer[] = (b) => [b]) {
  const got: CapturedSip[] = [];
  const reader = new SipCaptureReader((m) => got.push(m));
  for (const c of chunker(bytes)) reader.push(c);
  return { got, stats: reader.stats(), reader };
}

function randomChunks(seed: number, max: number) {
  const rnd = seeded(seed);
  return (b: Buffer) => {
    const out: Buffer[] = [];
    for (let i = 0; i < b.length; ) {
      const n = 1 + Math.floor(rnd() * max);
      out.push(b.subarray(i, i + n));
      i += n;
    }
    return out;
  };
}

describe("pcap file header", () => {
  it.each([
    [true, false],
    [false, false],
    [true, true],
    [false, true],
  ])(
    "little-endian %s, nanoseconds %s: byte order and resolution from the magic",
    (littleEndian, nanoseconds) => {
      const h = parseGlobalHeader(pcapHeader({ littleEndian, nanoseconds, linkType: 276, snaplen: 65535 }));
      expect(h).toMatchObject({ littleEndian, nanoseconds, linkType: 276, snaplen: 65535, versionMajor: 2 });
    },
  );

  it("reads the FCS length bits of the LinkType field (libpcap LT_FCS_LENGTH)", () => {
    const h = parseGlobalHeader(pcapHeader({ linkType: 1, linkField: 0x24000001 }));
    expect(h).toMatchObject({ linkType: 1, fcsBytes: 4 });
  });

  it.each([
    ["not pcap", Buffer.from("GET / HTTP/1.1\r\nHost: x\r\n\r\n"), /not a pcap stream: magic 0x47455420/],
    ["pcapng", Buffer.concat([Buffer.from("0a0d0d0a", "hex"), Buffer.alloc(28)]), /pcapng/],
    ["version 3", Buffer.from(pcapHeader({ linkType: 1 }).fill(3, 4, 5)), /unsupported pcap version 3/],
  ])("%s is a PK_ERR_CAPTURE_FORMAT error with context", (_name, bytes, message) => {
    const reader = new SipCaptureReader(() => {});
    let caught: unknown;
    try {
      reader.push(bytes);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(PatchkastError);
    expect((caught as PatchkastError).code).toBe("PK_ERR_CAPTURE_FORMAT");
    expect((caught as Error).message).toMatch(message);
  });

  it("an unsupported link type is refused at the header", () => {
    const reader = new SipCaptureReader(() => {});
    expect(() => reader.push(pcapHeader({ linkType: 105 }))).toThrow(/unsupported link-layer type 105/);
  });
});

describe("pcap record framing", () => {
  const spec: FileSpec = { linkType: 1, littleEndian: false, nanoseconds: true };
  const records = [10, 0, 1500, 3, 70_000].map((n, i) => ({ timeMs: t0 + i, data: Buffer.alloc(n, i + 1) }));
  const file = pcapFile(spec, records);

  function frame(chunks: Buffer[]): PcapRecord[] {
    const out: PcapRecord[] = [];
    const s = new PcapStream(
      () => {},
      (r) => out.push({ ...r, data: Buffer.from(r.data) }),
    );
    for (const c of chunks) s.push(c);
    expect(s.pendingBytes).toBe(0);
    return out;
  }

  it.each([1, 2, 7, 16, 24, 100, 4096])("gives the same records for chunks of %i bytes", (size) => {
    const chunks: Buffer[] = [];
    for (let i = 0; i < file.length; i += size) chunks.push(file.subarray(i, i + size));
    const got = frame(chunks);
    expect(got.map((r) => r.data.length)).toEqual([10, 0, 1500, 3, 70_000]);
    expect(got.map((r) => r.data[0])).toEqual([1, undefined, 3, 4, 5]);
  });

  it("gives the same records for random chunking (seeded)", () => {
    for (const seed of [1, 2, 3]) expect(frame(randomChunks(seed, 300)(file)).length).toBe(5);
  });

  it.each([false, true])("timestamps keep sub-millisecond precision (nanoseconds %s)", (nanoseconds) => {
    const f = pcapFile({ linkType: 1, nanoseconds }, [{ timeMs: t0, data: Buffer.alloc(4) }]);
    const [r] = frame([f]);
    expect(r?.timeMs).toBeCloseTo(t0, 3);
  });

  it("an impossible record length breaks the framing for good, with the offset", () => {
    const bad = Buffer.concat([pcapHeader(spec), Buffer.alloc(16, 0xff)]);
    const s = new PcapStream(
      () => {},
      () => {},
    );
    expect(() => s.push(bad)).toThrow(/pcap record at byte 24 claims 4294967295 bytes/);
    expect(() => s.push(Buffer.alloc(1))).toThrow(/at byte 24/);
  });

  it("strips the FCS when the file declares one and the frame is whole", () => {
    const fcsSpec: FileSpec = { linkType: 1, linkField: 0x24000001 };
    const ip = ipv4("192.0.2.10", "192.0.2.20", 17, udp(5060, 5060, invite));
    const data = Buffer.concat([ethernet(ip), Buffer.from("deadbeef", "hex")]);
    const { got, stats } = readAll(pcapFile(fcsSpec, [{ timeMs: t0, data }]));
    expect(got).toHaveLength(1);
    expect(stats.skipped).toEqual({});
  });
});

const v4 = (payload: Buffer) => ipv4("192.0.2.10", "198.51.100.20", 17, udp(5060, 5062, payload));
const v6 = (payload: Buffer) => ipv6("2001:db8::10", "2001:db8:0:1::20", 17, udp(5060, 5062, payload));

describe("link types, both byte orders, IPv4 and IPv6", () => {
  const linkTypes: [string, number, (ip: Buffer, le: boolean) => Buffer][] = [
    ["EN10MB", LINKTYPE.EN10MB, (ip) => ethernet(ip)],
    ["EN10MB with 802.1Q voice VLAN", LINKTYPE.EN10MB, (ip) => ethernet(ip, [20])],
    ["EN10MB with QinQ", LINKTYPE.EN10MB, (ip) => ethernet(ip, [100, 20])],
    ["LINUX_SLL", LINKTYPE.LINUX_SLL, (ip) => linuxSll(ip)],
    ["LINUX_SLL2", LINKTYPE.LINUX_SLL2, (ip) => linuxSll2(ip)],
    ["NULL", LINKTYPE.NULL, (ip, le) => nullLoopback(ip, le)],
    ["RAW", LINKTYPE.RAW, (ip) => ip],
  ];
  for (const [name, linkType, wrap] of linkTypes)
    for (const littleEndian of [true, false])
      it(`${name}, ${littleEndian ? "little" : "big"}-endian file`, () => {
        const spec: FileSpec = { linkType, littleEndian };
        const f = pcapFile(spec, [
          { timeMs: t0, data: wrap(v4(invite), littleEndian) },
          { timeMs: t0 + 5, data: wrap(v6(ok), littleEndian) },
        ]);
        const { got, stats } = readAll(f, randomChunks(linkType + 7, 64));
        expect(stats).toMatchObject({ packets: 2, sipMessages: 2, skipped: {} });
        expect(got[0]).toMatchObject({
          transport: "udp",
          src: { address: "192.0.2.10", port: 5060 },
          dst: { address: "198.51.100.20", port: 5062 },
          message: { kind: "request", method: "INVITE", callId: "c1@x" },
        });
        expect(got[0]?.message.body.toString()).toBe(sdp);
        expect(got[0]?.timeMs).toBeCloseTo(t0, 3);
        expect(got[1]).toMatchObject({
          src: { address: "2001:db8::10" },
          dst: { address: "2001:db8:0:1::20" },
          message: { kind: "response", status: 200 },
        });
      });

  it("NULL with the other BSD AF_INET6 values (24, 28) and LOOP in network order", () => {
    const f = pcapFile({ linkType: LINKTYPE.NULL }, [
      { timeMs: t0, data: nullLoopback(v6(ok), true, 24) },
      { timeMs: t0, data: nullLoopback(v6(ok), false, 28) },
    ]);
    expect(readAll(f).stats.sipMessages).toBe(2);
    const loop = pcapFile({ linkType: LINKTYPE.LOOP }, [{ timeMs: t0, data: nullLoopback(v4(ok), false) }]);
    expect(readAll(loop).stats.sipMessages).toBe(1);
  });
});

describe("malformed and unusable packets are counted and skipped, never thrown", () => {
  const spec: FileSpec = { linkType: LINKTYPE.EN10MB };
  const fragment = (flags: number) =>
    ethernet(ipv4("192.0.2.1", "192.0.2.2", 17, udp(5060, 5060, invite), flags));
  const arp = Buffer.concat([Buffer.alloc(12, 1), Buffer.from([0x08, 0x06]), Buffer.alloc(28)]);
  const cases: [string, Buffer, string][] = [
    ["IPv4 first fragment (MF)", fragment(0x2000), "ipv4-fragment"],
    ["IPv4 later fragment (offset)", fragment(0x00b9), "ipv4-fragment"],
    ["IPv6 fragment header", ethernet(ipv6("::1", "::1", 17, udp(1, 2, invite), [44])), "ipv6-fragment"],
    ["ARP", arp, "not-ip"],
    ["ICMP", ethernet(ipv4("192.0.2.1", "192.0.2.2", 1, Buffer.alloc(8))), "not-udp-tcp"],
    ["short Ethernet", Buffer.alloc(10), "truncated"],
    ["IHL below 5", ethernet(Buffer.from(v4(invite)).fill(0x44, 0, 1)), "bad-ip-header"],
    ["IP total length beyond the frame", ethernet(v4(invite)).subarray(0, 100), "truncated"],
    ["UDP length below 8", ethernet(ipv4("192.0.2.1", "192.0.2.2", 17, Buffer.alloc(8))), "bad-udp-header"],
    [
      "TCP data offset below 5",
      ethernet(ipv4("192.0.2.1", "192.0.2.2", 6, Buffer.alloc(20))),
      "bad-tcp-header",
    ],
    ["CRLF keep-alive (RFC 5626)", ethernet(v4(Buffer.from("\r\n\r\n"))), "keepalive"],
    [
      "SIP without Call-ID",
      ethernet(v4(Buffer.from("OPTIONS sip:a@b SIP/2.0\r\n\r\n"))),
      "sip-malformed:missing-header",
    ],
    ["not SIP at all", ethernet(v4(Buffer.from("hello world\r\n\r\n"))), "sip-malformed:bad-start-line"],
    ["IPv6 jumbogram", ethernet(Buffer.from(v6(ok)).fill(0, 4, 6)), "ipv6-jumbogram"],
  ];
  it.each(cases)("%s", (_name, data, reason) => {
    const f = pcapFile(spec, [
      { timeMs: t0, data },
      { timeMs: t0, data: ethernet(v4(invite)) },
    ]);
    const { got, stats } = readAll(f);
    expect(stats.skipped).toEqual({ [reason]: 1 });
    expect(got).toHaveLength(1);
  });

  it("a record cut by the snaplen counts as truncated", () => {
    const data = ethernet(v4(invite));
    const f = pcapFile({ ...spec, snaplen: 96 }, [
      { timeMs: t0, data: data.subarray(0, 96), originalLength: data.length },
    ]);
    expect(readAll(f).stats.skipped).toEqual({ truncated: 1 });
  });

  it("survives fuzzed packet contents (seeded byte flips inside records)", () => {
    const rnd = seeded(42);
    const overTcp = ipv4("192.0.2.10", "192.0.2.20", 6, tcp(40000, 5060, 1, invite));
    const good = [ethernet(v4(invite)), ethernet(v6(ok)), linuxSll2(overTcp)];
    let delivered = 0;
    for (let round = 0; round < 300; round++) {
      const data = Buffer.from(good[round % 3] as Buffer);
      for (let k = 0; k < 1 + Math.floor(rnd() * 6); k++)
        data[Math.floor(rnd() * data.length)] = Math.floor(rnd() * 256);
      const cut = rnd() < 0.3 ? data.subarray(0, Math.floor(rnd() * data.length)) : data;
      const linkType = round % 3 === 2 ? LINKTYPE.LINUX_SLL2 : LINKTYPE.EN10MB;
      const { stats } = readAll(pcapFile({ linkType }, [{ timeMs: t0, data: cut }]));
      expect(stats.packets).toBe(1);
      delivered += stats.sipMessages;
      // A UDP datagram is a message or one counted skip; TCP bytes may also wait for more of the stream.
      if (round % 3 !== 2)
        expect(stats.sipMessages + Object.values(stats.skipped).reduce((a, b) => a + b, 0)).toBe(1);
    }
    // Most flips land in the SIP text or addresses and still parse; the rest are counted.
    expect(delivered).toBeGreaterThan(0);
  });
});

describe("streaming", () => {
  it("delivers messages as soon as their record is complete, and keeps the rest", () => {
    const spec: FileSpec = { linkType: LINKTYPE.RAW };
    const rec = pcapRecord(spec, { timeMs: t0, data: v4(invite) });
    const got: CapturedSip[] = [];
    const reader = new SipCaptureReader((m) => got.push(m));
    reader.push(pcapHeader(spec));
    reader.push(rec.subarray(0, rec.length - 1));
    expect(got).toHaveLength(0);
    reader.push(rec.subarray(rec.length - 1));
    expect(got).toHaveLength(1);
    expect(reader.fileHeader?.linkType).toBe(LINKTYPE.RAW);
  });
});
