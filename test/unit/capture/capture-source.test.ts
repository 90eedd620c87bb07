/**
 * The "capture" call source over a fake PacketSource, and TcpdumpSource over a scripted stand-in for
 * tcpdump (a node child that writes what tcpdump would), so that start, errors and stop are tested
 * without capture privileges. The real tcpdump runs in test/peers/capture-sipp.test.ts.
 */
import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { createCaptureCallSource } from "../../../agent/calls/capture-source.js";
import { PatchkastError } from "../../../agent/errors.js";
import { FakePacketSource } from "../../../drivers/capture/fake-source.js";
import type { CapturedSip } from "../../../drivers/capture/sip-reader.js";
import { sipPortFilter, TcpdumpSource, tcpdumpArgs } from "../../../drivers/capture/tcpdump.js";
import { ethernet, ipv4, pcapFile, sipRequest, sipResponse, udp } from "./pcap-builder.js";

const invite = sipRequest({ callId: "c1", fromTag: "a", cseq: 1, method: "INVITE" });
const ok = sipResponse(200, { callId: "c1", fromTag: "a", toTag: "b", cseq: 1, method: "INVITE" });
const bye = sipRequest({ callId: "c1", fromTag: "a", toTag: "b", cseq: 2, method: "BYE" });
const now = Date.now();
const pcapOf = (...msgs: Buffer[]) =>
  pcapFile(
    { linkType: 1 },
    msgs.map((m, i) => ({
      timeMs: now + i,
      data: ethernet(ipv4("127.0.0.1", "127.0.0.2", 17, udp(5060, 5060, m))),
    })),
  );

describe("capture call source", () => {
  it("counts calls from the packets its source delivers", async () => {
    const packets = new FakePacketSource();
    const source = createCaptureCallSource({ packets });
    expect(source.name).toBe("capture");
    await source.start?.();
    await source.start?.();
    expect(packets.starts).toBe(1);
    packets.pushPcap(pcapOf(invite, ok));
    expect(source.active(now + 10)).toBe(1);
    packets.pushPcap(pcapOf(bye).subarray(24));
    expect(source.active(now + 20)).toBe(0);
    await source.stop?.();
    expect(packets.stops).toBe(1);
  });

  it("keeps capture errors with their code and passes them on", async () => {
    const packets = new FakePacketSource();
    const seen: PatchkastError[] = [];
    const source = createCaptureCallSource({ packets, onError: (e) => seen.push(e) });
    await source.start?.();
    packets.fail(
      new PatchkastError("PK_ERR_CAPTURE_PROCESS", "tcpdump -i eth1: exited (code 1) while capturing"),
    );
    expect(seen.map((e) => e.code)).toEqual(["PK_ERR_CAPTURE_PROCESS"]);
    expect(source.errors).toHaveLength(1);
  });

  it("a capture that cannot start rejects start(), and a later start() tries again", async () => {
    const packets = new FakePacketSource();
    packets.failStart = new PatchkastError(
      "PK_ERR_CAPTURE_PROCESS",
      "tcpdump -i eth9: No such device exists",
    );
    const source = createCaptureCallSource({ packets });
    await expect(source.start?.()).rejects.toThrow(/No such device/);
    packets.failStart = undefined;
    await source.start?.();
    expect(packets.starts).toBe(2);
  });
});

/** A stand-in for tcpdump: `script` runs in a node child with `pcap` (base64) in its environment. */
function fakeTcpdump(script: string, pcap: Buffer = Buffer.alloc(0)) {
  const calls: string[][] = [];
  return {
    calls,
    spawnChild: (_cmd: string, args: string[]) => {
      calls.push(args);
      return spawn(process.execPath, ["-e", script], {
        stdio: ["ignore", "pipe", "pipe"],
        env: { ...process.env, PCAP: pcap.toString("base64") },
      });
    },
  };
}

const listening = `process.stderr.write("tcpdump: listening on lo, link-type EN10MB (Ethernet), snapshot length 262144 bytes\\n");`;
const writePcap = `process.stdout.write(Buffer.from(process.env.PCAP, "base64"));`;
const onTerm = `process.on("SIGTERM", () => { process.stderr.write("3 packets captured\\n3 packets received by filter\\n0 packets dropped by kernel\\n"); process.exit(0); }); setInterval(() => {}, 1000);`;

function collect() {
  const messages: CapturedSip[] = [];
  const errors: PatchkastError[] = [];
  let wake: () => void = () => {};
  const sink = {
    message: (m: CapturedSip) => {
      messages.push(m);
      wake();
    },
    error: (e: PatchkastError) => {
      errors.push(e);
      wake();
    },
  };
  const until = (cond: () => boolean) =>
    new Promise<void>((resolve) => {
      wake = () => cond() && resolve();
      wake();
    });
  return { messages, errors, sink, until };
}

describe("tcpdump packet source", () => {
  it("runs tcpdump -i <if> -w - -U -n -s 0 with the SIP-port filter by default", () => {
    expect(tcpdumpArgs({ interface: "eth1" })).toEqual([
      ...["-i", "eth1", "-w", "-", "-U", "-n", "-s", "0", "-B", "16384", "--immediate-mode"],
      "(udp or tcp) and (port 5060)",
    ]);
    expect(tcpdumpArgs({ interface: "lo", ports: [5060, 5080], immediate: false }).at(-1)).toBe(
      "(udp or tcp) and (port 5060 or port 5080)",
    );
    expect(tcpdumpArgs({ interface: "lo", filter: "udp port 7000" }).at(-1)).toBe("udp port 7000");
    expect(() => sipPortFilter([0])).toThrow(/1–65535/);
  });

  it("starts on 'listening on', delivers the SIP messages it captures, and stops the child", async () => {
    const fake = fakeTcpdump(listening + writePcap + onTerm, pcapOf(invite, ok, bye));
    const source = new TcpdumpSource({ interface: "lo", spawnChild: fake.spawnChild });
    const c = collect();
    await source.start(c.sink);
    await c.until(() => c.messages.length === 3);
    expect(c.messages.map((m) => m.message.cseq.method)).toEqual(["INVITE", "INVITE", "BYE"]);
    await source.stop();
    expect(c.errors).toEqual([]);
    expect(source.droppedByKernel).toBe(0);
    expect(source.stats()).toMatchObject({ packets: 3, sipMessages: 3 });
  });

  it("an error before 'listening on' rejects start with tcpdump's words and the command", async () => {
    const fake = fakeTcpdump(
      `process.stderr.write("tcpdump: eth9: No such device exists\\n"); process.exit(1);`,
    );
    const source = new TcpdumpSource({ interface: "eth9", spawnChild: fake.spawnChild });
    const err = await source.start(collect().sink).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PatchkastError);
    expect((err as PatchkastError).code).toBe("PK_ERR_CAPTURE_PROCESS");
    expect((err as Error).message).toMatch(
      /tcpdump -i eth9 .*exited \(code 1\) before capturing: eth9: No such device/,
    );
    expect((err as PatchkastError).details.join()).toMatch(/-w - -U -n -s 0/);
  });

  it("a program that is not there rejects start", async () => {
    const source = new TcpdumpSource({ interface: "lo", command: "/nonexistent/tcpdump" });
    await expect(source.start(collect().sink)).rejects.toThrow(/cannot run \/nonexistent\/tcpdump/);
  });

  it("stderr lines and an exit while capturing become errors with context", async () => {
    const fake = fakeTcpdump(
      `${listening} setTimeout(() => { process.stderr.write("tcpdump: pcap_loop: The interface went down\\n"); process.exit(1); }, 50);`,
    );
    const source = new TcpdumpSource({ interface: "eth1", spawnChild: fake.spawnChild });
    const c = collect();
    await source.start(c.sink);
    await c.until(() => c.errors.length === 2);
    expect(c.errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/tcpdump -i eth1 .*: tcpdump says: pcap_loop: The interface went down/),
      expect.stringMatching(/exited \(code 1\) while capturing/),
    ]);
  });

  it("a stream that is not pcap is a PK_ERR_CAPTURE_FORMAT error, and the child is stopped", async () => {
    const fake = fakeTcpdump(listening + writePcap + onTerm, Buffer.from("this is not a pcap stream at all"));
    const source = new TcpdumpSource({ interface: "lo", spawnChild: fake.spawnChild });
    const c = collect();
    await source.start(c.sink);
    await c.until(() => c.errors.length === 1);
    expect(c.errors[0]?.code).toBe("PK_ERR_CAPTURE_FORMAT");
    expect(c.errors[0]?.message).toMatch(/reading the capture of tcpdump -i lo .*not a pcap stream/);
    await source.stop();
  });
});
