/**
 * The server under loss and duplication, with our own RFC-correct client (test/helpers), on
 * 127.0.0.1 only:
 * - a seeded lossy proxy drops 10 % of packets each way and duplicates every ACK; a 1 MB file must
 *   arrive intact at windowsize 1 and 8, with at most twice the ideal number of DATA packets;
 * - a client that ACKs every block twice must get every DATA block exactly once (Sorcerer's
 *   Apprentice, RFC 1123 §4.2.3.1).
 * Assertions are on content and counts, never on durations. The proxy's PRNG is seeded, so the
 * drop sequence is fixed; which packet meets which drop still depends on timer order, so the counts
 * can differ slightly between runs and the bound has room to spare.
 */
import { afterEach, describe, expect, it } from "vitest";
import { type LossyProxy, startLossyUdpProxy } from "../helpers/lossy-udp-proxy.js";
import {
  type RecordingServer,
  sha256,
  startRecordingServer,
  testFiles,
  tftpEngines,
} from "../helpers/tftp-fixtures.js";
import { tftpDownload } from "../helpers/tftp-test-client.js";

const files = testFiles();
const oneMb = files.get("firmware/one-mb.bin") as Buffer;
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function server(opts: Parameters<typeof startRecordingServer>[1]): Promise<RecordingServer> {
  const rec = await startRecordingServer(files, opts);
  cleanups.push(() => rec.server.close());
  return rec;
}

async function proxy(rec: RecordingServer, seed: number): Promise<LossyProxy> {
  const p = await startLossyUdpProxy({
    target: { address: "127.0.0.1", port: rec.port },
    seed,
    dropToServer: 0.1,
    dropToClient: 0.1,
    duplicateAcks: true,
  });
  cleanups.push(() => p.close());
  return p;
}

const blksize = 1468;
const idealBlocks = Math.floor(oneMb.length / blksize) + 1;

describe.each(tftpEngines)("%s engine", (engine) => {
  describe("1 MB through a proxy that drops 10 % each way and duplicates ACKs", () => {
    it.each([
      [1, 0x5eed1],
      [8, 0x5eed8],
    ])(
      "arrives intact at windowsize %i with at most 2x the ideal DATA packets",
      async (windowsize, seed) => {
        // Short timers keep the test quick; they are not asserted on. The client times out before the
        // server so a lost window ACK is usually repaired by a re-ACK rather than a full retransmission.
        const rec = await server({ engine, initialTimeoutMs: 60, maxTimeoutMs: 500, retries: 15 });
        const lossy = await proxy(rec, seed);
        const result = await tftpDownload({
          server: { address: "127.0.0.1", port: lossy.port },
          file: "firmware/one-mb.bin",
          blksize,
          windowsize,
          tsize: true,
          timeoutMs: 30,
          retries: 200, // a budget in time (6 s), so back-to-back losses never make the client quit
          dallyMs: 1500,
        });
        expect(sha256(result.data)).toBe(sha256(oneMb));
        expect(result.oack?.get("tsize")).toBe(String(oneMb.length));
        const done = await rec.waitFor("completed");
        expect(done.blocks).toBe(idealBlocks);
        expect(done.dataPackets).toBeLessThanOrEqual(2 * idealBlocks);
        // The proxy really was lossy and really duplicated ACKs.
        expect(lossy.counters.toServer.dropped + lossy.counters.toClient.dropped).toBeGreaterThan(0);
        expect(lossy.counters.toServer.duplicated).toBeGreaterThan(0);
        console.info(
          `lossy windowsize ${windowsize}: ${done.dataPackets} DATA packets for ${idealBlocks} blocks ` +
            `(${(done.dataPackets / idealBlocks).toFixed(2)}x), ${done.timeouts} server timeouts, ` +
            `proxy ${JSON.stringify(lossy.counters)}`,
        );
      },
      120_000,
    );
  });

  describe("Sorcerer's Apprentice: a client that ACKs every block twice", () => {
    it.each([1, 8])(
      "gets every DATA block exactly once at windowsize %i",
      async (windowsize) => {
        // A long server timeout so that no retransmission can happen on a slow machine: any extra DATA
        // packet could then only come from answering a duplicate ACK.
        const rec = await server({ engine, initialTimeoutMs: 60_000, maxTimeoutMs: 60_000 });
        const result = await tftpDownload({
          server: { address: "127.0.0.1", port: rec.port },
          file: "firmware/one-mb.bin",
          blksize: 512,
          windowsize,
          ackTwice: true,
          timeoutMs: 60_000,
        });
        expect(sha256(result.data)).toBe(sha256(oneMb));
        const done = await rec.waitFor("completed");
        const blocks = oneMb.length / 512 + 1;
        expect(done).toMatchObject({ blocks, dataPackets: blocks, retransmits: 0, timeouts: 0 });
        expect(result.stats).toMatchObject({ dataReceived: blocks, duplicates: 0, outOfOrder: 0 });
      },
      60_000,
    );
  });
});
