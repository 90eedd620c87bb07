/**
 * The server over real UDP on 127.0.0.1, driven packet by packet from a raw socket: the protocol
 * rules that the real clients in test/peers cannot be made to exercise.
 */
import { afterEach, describe, expect, it } from "vitest";
import { PatchkastError } from "../../../agent/errors.js";
import { encodeAck, encodeError, encodeRequest } from "../../../agent/serve/tftp/packets.js";
import { startTftpServer } from "../../../agent/serve/tftp/server.js";
import {
  memorySource,
  type RawPeer,
  type RecordingServer,
  rawPeer,
  startRecordingServer,
  testFiles,
  tftpEngines,
} from "../../helpers/tftp-fixtures.js";

const files = testFiles();
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(opts: Parameters<typeof startRecordingServer>[1] = {}) {
  const rec = await startRecordingServer(files, opts);
  cleanups.push(() => rec.server.close());
  const peer = await rawPeer();
  cleanups.push(() => peer.close());
  return { rec, peer };
}

const rrq = (name: string, mode = "octet", options: Record<string, string> = {}) =>
  encodeRequest("rrq", name, mode, new Map(Object.entries(options)));

async function expectError(peer: RawPeer, rec: RecordingServer, code: number, message: RegExp) {
  const reply = await peer.next();
  expect(reply.packet).toMatchObject({ kind: "error", code, message: expect.stringMatching(message) });
  expect(reply.from.port).toBe(rec.port); // refusals come from the listening port, no socket opened
}

describe.each(tftpEngines)("%s engine", (engine) => {
  describe("refusals on the listening port", () => {
    it("answers WRQ with ERROR 2 (read-only)", async () => {
      const { rec, peer } = await setup({ engine });
      peer.send(encodeRequest("wrq", "x.cfg", "octet"), rec.port);
      await expectError(peer, rec, 2, /read-only/);
      expect(rec.events).toContainEqual(
        expect.objectContaining({ type: "refused", path: "x.cfg", errorCode: 2 }),
      );
    });

    it("refuses mail and unknown modes with ERROR 4", async () => {
      const { rec, peer } = await setup({ engine });
      peer.send(rrq("empty.cfg", "mail"), rec.port);
      await expectError(peer, rec, 4, /mail/);
      peer.send(rrq("empty.cfg", "binary"), rec.port);
      await expectError(peer, rec, 4, /unknown mode binary/);
    });

    it("maps source answers and path refusals to ERROR 1, 2 and 0", async () => {
      const { rec, peer } = await setup({ engine });
      peer.send(rrq("missing.cfg"), rec.port);
      await expectError(peer, rec, 1, /missing.cfg not found/);
      peer.send(rrq("private/key.pem"), rec.port);
      await expectError(peer, rec, 2, /not for you/);
      peer.send(rrq("../etc/passwd"), rec.port);
      await expectError(peer, rec, 2, /access violation: ".." segment/);
    });

    it("hides a failing source behind ERROR 0 and keeps the cause for the logs", async () => {
      const events: unknown[] = [];
      const server = await startTftpServer({
        engine,
        host: "127.0.0.1",
        port: 0,
        source: { read: async () => Promise.reject(new Error("disk on fire")) },
        onEvent: (e) => events.push(e),
      });
      cleanups.push(() => server.close());
      const peer = await rawPeer();
      cleanups.push(() => peer.close());
      peer.send(rrq("a.cfg"), server.address.port);
      expect((await peer.next()).packet).toEqual({ kind: "error", code: 0, message: "internal error" });
      expect(events).toContainEqual(expect.objectContaining({ reason: "file source failed: disk on fire" }));
    });

    it("answers malformed packets with ERROR 4, and never answers an ERROR", async () => {
      const { rec, peer } = await setup({ engine });
      peer.send(Buffer.from([0, 5, 0, 0, 0x41]), rec.port); // an ERROR: must stay unanswered
      peer.send(Buffer.from([0, 1, 0x66]), rec.port);
      await expectError(peer, rec, 4, /not NUL-terminated/);
      peer.send(Buffer.from([0, 1, 0x63, 0xe9, 0, 0x6f, 0, 0]), rec.port);
      await expectError(peer, rec, 4, /non-ASCII/);
      peer.send(encodeAck(1), rec.port);
      await expectError(peer, rec, 4, /only read requests/);
      peer.send(Buffer.alloc(1), rec.port);
      await expectError(peer, rec, 4, /too short/);
      expect(peer.received).toHaveLength(4);
    });

    it("answers ERROR 0 server busy beyond maxConcurrent", async () => {
      const { rec, peer } = await setup({ engine, maxConcurrent: 1 });
      peer.send(rrq("multi-1468.bin"), rec.port);
      expect((await peer.next()).packet).toMatchObject({ kind: "data", block: 1 });
      const other = await rawPeer();
      cleanups.push(() => other.close());
      other.send(rrq("empty.cfg"), rec.port);
      expect((await other.next()).packet).toEqual({ kind: "error", code: 0, message: "server busy" });
      expect(rec.server.activeTransfers()).toBe(1);
    });
  });

  describe("a transfer on its own TID", () => {
    it("answers from a new port with an OACK, and sends DATA 1 only after ACK 0", async () => {
      const { rec, peer } = await setup({ engine });
      peer.send(rrq("exact-512.bin", "octet", { blksize: "1468", tsize: "0", foo: "bar" }), rec.port);
      const oack = await peer.next();
      expect(oack.from.port).not.toBe(rec.port);
      expect(oack.packet).toEqual({
        kind: "oack",
        options: new Map([
          ["blksize", "1468"],
          ["tsize", "512"],
        ]),
      });
      peer.send(encodeAck(0), oack.from.port);
      const data = await peer.next();
      expect(data.packet).toMatchObject({ kind: "data", block: 1 });
      if (data.packet.kind === "data") expect(data.packet.data).toEqual(files.get("exact-512.bin"));
      peer.send(encodeAck(1), data.from.port);
      await rec.waitFor("completed");
    });

    it("sends netascii with CR LF line ends and CR NUL for a bare CR", async () => {
      const { rec, peer } = await setup({ engine });
      peer.send(rrq("SEP001122334455.cnf.xml", "NetASCII"), rec.port);
      const data = await peer.next();
      const expected = Buffer.from(
        "<device><deviceProtocol>SIP</deviceProtocol>\r\n<sshUserId>admin</sshUserId>\r\0\r\n</device>\r\n",
        "latin1",
      );
      expect(data.packet).toEqual({ kind: "data", block: 1, data: expected });
    });

    it("answers a wrong TID with ERROR 5 without disturbing the transfer", async () => {
      const { rec, peer } = await setup({ engine });
      peer.send(rrq("empty.cfg"), rec.port);
      const first = await peer.next();
      const intruder = await rawPeer();
      cleanups.push(() => intruder.close());
      intruder.send(encodeAck(1), first.from.port);
      intruder.send(encodeError(0, "go away"), first.from.port); // an ERROR: not answered
      expect((await intruder.next()).packet).toEqual({
        kind: "error",
        code: 5,
        message: "unknown transfer ID",
      });
      peer.send(encodeAck(1), first.from.port);
      expect(await rec.waitFor("completed")).toMatchObject({ path: "empty.cfg", dataPackets: 1 });
      expect(intruder.received).toHaveLength(1);
    });

    it("ends with ERROR 4 when the client sends a request on the transfer socket", async () => {
      const { rec, peer } = await setup({ engine });
      peer.send(rrq("multi-1468.bin"), rec.port);
      const first = await peer.next();
      peer.send(rrq("multi-1468.bin"), first.from.port);
      expect((await peer.next()).packet).toMatchObject({ kind: "error", code: 4 });
      expect(await rec.waitFor("failed")).toMatchObject({ reason: "client sent RRQ during a read transfer" });
    });

    it("gives up after the retries with ERROR 0 timeout and frees the slot", async () => {
      const { rec, peer } = await setup({ engine, initialTimeoutMs: 5, maxTimeoutMs: 10, retries: 2 });
      peer.send(rrq("exact-512.bin"), rec.port);
      const failed = await rec.waitFor("failed");
      expect(failed).toMatchObject({
        reason: "timeout after 2 retransmissions",
        dataPackets: 3,
        timeouts: 3,
      });
      const kinds = [];
      for (let i = 0; i < 4; i++) kinds.push((await peer.next()).packet);
      expect(kinds.slice(0, 3).every((p) => p.kind === "data" && p.block === 1)).toBe(true);
      expect(kinds[3]).toEqual({ kind: "error", code: 0, message: "timeout" });
      expect(rec.server.activeTransfers()).toBe(0);
    });
  });

  describe("lifecycle", () => {
    it("close() tells running transfers, waits for pending reads and releases the port", async () => {
      let release: () => void = () => {};
      const slow = new Promise<void>((resolve) => {
        release = resolve;
      });
      const source = memorySource(files);
      const server = await startTftpServer({
        engine,
        host: "127.0.0.1",
        port: 0,
        source: {
          read: async (p, c) => (p === "slow.cfg" ? slow.then(() => source.read(p, c)) : source.read(p, c)),
        },
      });
      const peer = await rawPeer();
      cleanups.push(() => peer.close());
      peer.send(rrq("multi-1468.bin"), server.address.port);
      await peer.next();
      const waiting = await rawPeer();
      cleanups.push(() => waiting.close());
      waiting.send(rrq("slow.cfg"), server.address.port);
      while (server.activeTransfers() < 2) await new Promise((r) => setImmediate(r));
      await server.close();
      release();
      expect(server.activeTransfers()).toBe(0);
      expect((await peer.next()).packet).toEqual({ kind: "error", code: 0, message: "server shutting down" });
      const again = await startTftpServer({ engine, host: "127.0.0.1", port: server.address.port, source });
      await again.close();
      await server.close(); // idempotent
    });

    it("fails to bind a busy port with PK_ERR_TFTP_BIND and a hint", async () => {
      const { rec } = await setup({ engine });
      const attempt = startTftpServer({ host: "127.0.0.1", port: rec.port, source: memorySource(files) });
      await expect(attempt).rejects.toBeInstanceOf(PatchkastError);
      await expect(attempt).rejects.toMatchObject({
        code: "PK_ERR_TFTP_BIND",
        message: expect.stringMatching(/EADDRINUSE.*another TFTP server/),
      });
    });
  });
});
