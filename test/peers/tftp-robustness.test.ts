/**
 * The server under hostile and heavy load on 127.0.0.1: 20,000 fuzzed datagrams at the listening
 * port and at a running transfer's port, then 50 parallel transfers and the concurrency limit.
 * Counts and content only, no durations.
 */
import { createSocket, type Socket } from "node:dgram";
import { afterEach, describe, expect, it } from "vitest";
import { encodeAck, encodeRequest } from "../../agent/serve/tftp/packets.js";
import { seededRandom } from "../helpers/lossy-udp-proxy.js";
import {
  type RecordingServer,
  rawPeer,
  sha256,
  startRecordingServer,
  testFiles,
  tftpEngines,
} from "../helpers/tftp-fixtures.js";
import { fuzzPacket } from "../helpers/tftp-fuzz.js";
import { tftpDownload } from "../helpers/tftp-test-client.js";

const int = (random: () => number, below: number) => Math.floor(random() * below);
const files = testFiles();
const oneMb = files.get("firmware/one-mb.bin") as Buffer;
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function server(opts: Parameters<typeof startRecordingServer>[1] = {}): Promise<RecordingServer> {
  const rec = await startRecordingServer(files, opts);
  cleanups.push(() => rec.server.close());
  return rec;
}

async function fuzzSocket(): Promise<{ socket: Socket; replies: () => number }> {
  const socket = createSocket("udp4");
  let replies = 0;
  socket.on("message", () => replies++);
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  cleanups.push(() => new Promise((resolve) => socket.close(() => resolve())));
  return { socket, replies: () => replies };
}

/** Sends `count` fuzzed datagrams, yielding to the event loop often so the server keeps up. */
async function fuzz(socket: Socket, port: number, count: number, seed: number): Promise<void> {
  const random = seededRandom(seed);
  for (let i = 0; i < count; i++) {
    const packet = fuzzPacket(random);
    await new Promise<void>((resolve) => socket.send(packet, port, "127.0.0.1", () => resolve()));
    if (i % 16 === 0 || packet.length > 8192) await new Promise((r) => setImmediate(r));
  }
}

describe.each(tftpEngines)("%s engine", (engine) => {
  describe("fuzzing", () => {
    it("survives 10,000 datagrams at the listening port and 10,000 at a transfer port", async () => {
      const rec = await server({ engine });
      // The victim stops after block 3 until the fuzzing is over; it must then finish intact.
      let stopFuzzing: () => void = () => {};
      const fuzzed = new Promise<void>((resolve) => {
        stopFuzzing = resolve;
      });
      let transferPort = 0;
      const victim = tftpDownload({
        server: { address: "127.0.0.1", port: rec.port },
        file: "firmware/one-mb.bin",
        blksize: 1468,
        windowsize: 4,
        onTid: (tid) => {
          transferPort = tid.port;
        },
        hold: { block: 3, until: fuzzed },
      });
      while (transferPort === 0) await new Promise((r) => setTimeout(r, 5));
      const attacker = await fuzzSocket();
      await fuzz(attacker.socket, rec.port, 10_000, 0xf00d);
      await fuzz(attacker.socket, transferPort, 10_000, 0xbeef);
      stopFuzzing();
      expect(sha256((await victim).data)).toBe(sha256(oneMb));
      const byAttacker = (e: { client?: { port: number } }) =>
        e.client?.port === attacker.socket.address().port;
      const seen = rec.events.filter((e) => e.type !== "completed" && byAttacker(e)).length;
      console.info(`fuzz: ${seen} server events and ${attacker.replies()} replies for 20,000 datagrams`);
      expect(attacker.replies()).toBeGreaterThan(10_000);
      // A well-behaved client still gets its file afterwards.
      const after = await tftpDownload({
        server: { address: "127.0.0.1", port: rec.port },
        file: "exact-512.bin",
      });
      expect(after.data).toEqual(files.get("exact-512.bin"));
    }, 120_000);

    it("drops junk from the client's own TID without disturbing its transfer", async () => {
      const rec = await server({ engine });
      const peer = await rawPeer();
      cleanups.push(() => peer.close());
      peer.send(encodeRequest("rrq", "exact-512.bin", "octet"), rec.port);
      const first = await peer.next();
      // Too short, or an opcode that does not exist: undecodable, so dropped without an answer.
      const random = seededRandom(7);
      for (let i = 0; i < 1000; i++) {
        const junk = Buffer.from([int(random, 3) === 0 ? 0 : 9, int(random, 256), int(random, 256)]);
        peer.send(i % 3 === 0 ? junk.subarray(0, int(random, 2)) : junk, first.from.port);
        if (i % 16 === 0) await new Promise((r) => setImmediate(r));
      }
      // If the kernel dropped our ACK among the junk, the server resends DATA 1: ACK it again.
      let reply = first;
      while (reply.packet.kind === "data" && reply.packet.block === 1) {
        peer.send(encodeAck(1), first.from.port);
        reply = await peer.next();
      }
      expect(reply.packet).toEqual({ kind: "data", block: 2, data: Buffer.alloc(0) });
      peer.send(encodeAck(2), first.from.port);
      expect(await rec.waitFor("completed")).toMatchObject({ path: "exact-512.bin", blocks: 2 });
      expect(rec.events.filter((e) => e.type === "malformed" && e.onTransferSocket).length).toBeGreaterThan(
        0,
      );
      expect(peer.received.every((r) => r.packet.kind === "data")).toBe(true);
    });
  });

  describe("concurrency", () => {
    it("completes 50 parallel transfers, refuses the 51st while they run, then serves it", async () => {
      const rec = await server({ engine, maxConcurrent: 50 });
      let release: () => void = () => {};
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      const downloads = Array.from({ length: 50 }, (_, i) =>
        tftpDownload({
          server: { address: "127.0.0.1", port: rec.port },
          file: "firmware/one-mb.bin",
          blksize: 1468,
          windowsize: i % 2 === 0 ? 1 : 8,
          hold: { block: 1, until: held },
        }),
      );
      while (rec.events.filter((e) => e.type === "started").length < 50)
        await new Promise((r) => setTimeout(r, 5));
      expect(rec.server.activeTransfers()).toBe(50);
      const extra = await rawPeer();
      cleanups.push(() => extra.close());
      extra.send(encodeRequest("rrq", "exact-512.bin", "octet"), rec.port);
      expect((await extra.next()).packet).toEqual({ kind: "error", code: 0, message: "server busy" });
      release();
      for (const result of await Promise.all(downloads)) expect(sha256(result.data)).toBe(sha256(oneMb));
      // The clients resolve on sending their last ACK; the server completes when it arrives.
      while (rec.server.activeTransfers() > 0) await new Promise((r) => setTimeout(r, 5));
      expect(rec.events.filter((e) => e.type === "completed")).toHaveLength(50);
      expect(rec.events.filter((e) => e.type === "failed")).toHaveLength(0);
      const late = await tftpDownload({
        server: { address: "127.0.0.1", port: rec.port },
        file: "exact-512.bin",
      });
      expect(late.data).toEqual(files.get("exact-512.bin"));
    }, 120_000);
  });

  describe("the largest block", () => {
    it.each([1, 4])(
      "delivers 5 MB in 65464-byte blocks at windowsize %i",
      async (windowsize) => {
        // At windowsize 4 a window is 256 KiB, more than a default Linux socket receive buffer holds:
        // the kernel drops the tail of each window and the RFC 7440 recovery has to do real work.
        const rec = await server({ engine, initialTimeoutMs: 200 });
        const five = files.get("firmware/five-mb.bin") as Buffer;
        const result = await tftpDownload({
          server: { address: "127.0.0.1", port: rec.port },
          file: "firmware/five-mb.bin",
          blksize: 65464,
          windowsize,
          timeoutMs: 100,
          retries: 200,
        });
        expect(result.oack?.get("blksize")).toBe("65464");
        expect(sha256(result.data)).toBe(sha256(five));
        expect(await rec.waitFor("completed")).toMatchObject({ blocks: Math.floor(five.length / 65464) + 1 });
      },
      60_000,
    );
  });
});
