/**
 * One client address and port asking more than once: a retransmitted RRQ must not start a second
 * transfer, a different RRQ means the client moved on, and a finished transfer frees the port.
 */
import { afterEach, describe, expect, it } from "vitest";
import { encodeAck, encodeRequest } from "../../../agent/serve/tftp/packets.js";
import { rawPeer, startRecordingServer, testFiles, tftpEngines } from "../../helpers/tftp-fixtures.js";

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

const rrq = (name: string) => encodeRequest("rrq", name, "octet");

describe.each(tftpEngines)("%s engine", (engine) => {
  describe("requests from the same client port", () => {
    it("ignores an identical RRQ while its transfer runs (a retransmission)", async () => {
      const { rec, peer } = await setup({ engine });
      peer.send(rrq("exact-512.bin"), rec.port);
      peer.send(rrq("exact-512.bin"), rec.port);
      const first = await peer.next();
      peer.send(rrq("exact-512.bin"), rec.port);
      peer.send(encodeAck(1), first.from.port);
      const last = await peer.next();
      expect(last.packet).toEqual({ kind: "data", block: 2, data: Buffer.alloc(0) });
      peer.send(encodeAck(2), first.from.port);
      await rec.waitFor("completed");
      expect(rec.events.filter((e) => e.type === "started")).toHaveLength(1);
    });

    it("drops the old transfer silently when a different RRQ arrives (the client moved on)", async () => {
      const { rec, peer } = await setup({ engine });
      peer.send(rrq("multi-1468.bin"), rec.port);
      const first = await peer.next();
      peer.send(rrq("exact-512.bin"), rec.port);
      const second = await peer.next();
      expect(second.from.port).not.toBe(first.from.port);
      expect(second.packet).toMatchObject({ kind: "data", block: 1 });
      expect(await rec.waitFor("failed")).toMatchObject({
        path: "multi-1468.bin",
        reason: "superseded by a new request from the same client port",
      });
      peer.send(encodeAck(1), second.from.port);
      await peer.next();
      peer.send(encodeAck(2), second.from.port);
      expect(await rec.waitFor("completed")).toMatchObject({ path: "exact-512.bin" });
      // Nothing ever came from the old transfer's port after the switch: no ERROR to confuse the client.
      expect(peer.received.filter((r) => r.from.port === first.from.port)).toHaveLength(1);
      expect(rec.server.activeTransfers()).toBe(0);
    });

    it("serves the next request from the same port as soon as the last ACK arrived", async () => {
      const { rec, peer } = await setup({ engine });
      const completed = () => rec.events.filter((e) => e.type === "completed").length;
      for (const [i, name] of ["empty.cfg", "empty.cfg", "SEP001122334455.cnf.xml"].entries()) {
        peer.send(rrq(name), rec.port);
        const data = await peer.next();
        expect(data.packet).toMatchObject({ kind: "data", block: 1 });
        peer.send(encodeAck(1), data.from.port);
        // The port is free once the transfer completed, even if its socket is still closing.
        while (completed() < i + 1) await new Promise((r) => setImmediate(r));
      }
      expect(rec.events.filter((e) => e.type === "failed")).toHaveLength(0);
    });
  });
});
