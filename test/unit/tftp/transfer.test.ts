/** The transfer state machine on a fake socket and clock: every packet and timer is explicit. */
import { describe, expect, it } from "vitest";
import { Harness } from "../../helpers/tftp-transfer-harness.js";

const bytes = (n: number) => Buffer.alloc(n, 0x61);

describe("Transfer without options (RFC 1350 lock-step)", () => {
  it("sends DATA 1 at once and one block per ACK; the last block is short", () => {
    const h = new Harness({ data: bytes(1000) });
    h.transfer.start();
    expect(h.take()).toEqual(["D1"]);
    h.ack(1);
    expect(h.take()).toEqual(["D2"]);
    expect(h.sent).toEqual([]);
    h.ack(2);
    expect(h.outcome).toEqual({ ok: true });
    expect(h.stats).toMatchObject({ bytes: 1000, blocks: 2, dataPackets: 2, retransmits: 0, timeouts: 0 });
    expect(h.timer).toBeUndefined();
  });

  it("ends a multiple of blksize with an empty block, and an empty file is one empty block", () => {
    const h = new Harness({ data: bytes(1024) });
    h.transfer.start();
    h.ack(1).ack(2);
    expect(h.take()).toEqual(["D1", "D2", "D3:0"]);
    h.ack(3);
    expect(h.outcome).toEqual({ ok: true });
    const empty = new Harness({ data: bytes(0) });
    empty.transfer.start();
    expect(empty.take()).toEqual(["D1:0"]);
    empty.ack(1);
    expect(empty.stats).toMatchObject({ bytes: 0, blocks: 1 });
  });

  it("never answers a duplicate, old or future ACK (Sorcerer's Apprentice)", () => {
    const h = new Harness({ data: bytes(2000) });
    h.transfer.start();
    h.ack(1);
    h.take();
    h.ack(1).ack(1).ack(0).ack(3).ack(9).ack(65535);
    expect(h.take()).toEqual([]);
    h.ack(2).ack(2).ack(2);
    expect(h.take()).toEqual(["D3"]);
  });
});

describe("Transfer with an OACK (RFC 2347)", () => {
  const oack = new Map([["blksize", "8"]]);

  it("waits for ACK 0 before DATA 1 and ignores other ACKs meanwhile", () => {
    const h = new Harness({ data: bytes(20), blksize: 8, oack });
    h.transfer.start();
    expect(h.take()).toEqual(["OACK"]);
    h.ack(1).ack(2);
    expect(h.take()).toEqual([]);
    h.ack(0);
    expect(h.take()).toEqual(["D1"]);
    h.ack(0);
    expect(h.take()).toEqual([]);
  });

  it("retransmits the OACK on timeout", () => {
    const h = new Harness({ data: bytes(20), oack });
    h.transfer.start();
    h.timeout();
    h.timeout();
    expect(h.take()).toEqual(["OACK", "OACK", "OACK"]);
    expect(h.stats).toBeUndefined();
  });
});

describe("Transfer with a window (RFC 7440)", () => {
  it("sends a window, slides on the last ACK and restarts after the ACKed block on a partial ACK", () => {
    const h = new Harness({ data: bytes(10 * 8 + 3), blksize: 8, windowsize: 4 });
    h.transfer.start();
    expect(h.take()).toEqual(["D1", "D2", "D3", "D4"]);
    h.ack(4);
    expect(h.take()).toEqual(["D5", "D6", "D7", "D8"]);
    h.ack(6); // the client lost 7: it ACKs the last block it got in order
    expect(h.take()).toEqual(["D7", "D8", "D9", "D10"]);
    h.ack(6).ack(5).ack(6);
    expect(h.take()).toEqual([]);
    h.ack(10);
    expect(h.take()).toEqual(["D11"]);
    h.ack(11);
    expect(h.outcome).toEqual({ ok: true });
    expect(h.stats).toMatchObject({ blocks: 11, dataPackets: 13, retransmits: 2, timeouts: 0 });
  });

  it("retransmits the whole unacknowledged window on timeout", () => {
    const h = new Harness({ data: bytes(100), blksize: 8, windowsize: 3 });
    h.transfer.start();
    h.ack(2);
    h.take();
    h.timeout();
    expect(h.take()).toEqual(["D3", "D4", "D5"]);
  });
});

describe("Transfer timeouts", () => {
  it("backs off exponentially up to the ceiling, then sends ERROR 0 timeout and ends", () => {
    const h = new Harness({ data: bytes(100) });
    h.transfer.start();
    for (let i = 0; i < 6; i++) h.timeout();
    expect(h.timerDurations).toEqual([1000, 2000, 4000, 8000, 8000, 8000]);
    expect(h.take()).toEqual(["D1", "D1", "D1", "D1", "D1", "D1", "E0:timeout"]);
    expect(h.outcome).toEqual({ ok: false, reason: "timeout after 5 retransmissions" });
    expect(h.stats).toMatchObject({
      blocks: 1,
      dataPackets: 6,
      retransmits: 5,
      timeouts: 6,
      durationMs: 31_000,
    });
    expect(h.timer).toBeUndefined();
  });

  it("starts the back-off and the retry budget over after progress", () => {
    const h = new Harness({ data: bytes(2000), retries: 2 });
    h.transfer.start();
    h.timeout();
    h.timeout();
    h.ack(1);
    h.timeout();
    h.timeout();
    expect(h.timerDurations).toEqual([1000, 2000, 4000, 1000, 2000, 4000]);
    expect(h.outcome).toBeUndefined();
  });

  it("uses a fixed interval when the plan pins it (negotiated RFC 2349 timeout)", () => {
    const h = new Harness({ data: bytes(100), initialTimeoutMs: 3000, maxTimeoutMs: 3000 });
    h.transfer.start();
    h.timeout();
    h.timeout();
    expect(h.timerDurations).toEqual([3000, 3000, 3000]);
  });
});

describe("Transfer block numbers beyond 65535", () => {
  it("wraps to 0 after 65535 and maps wrapped ACKs back to the right block", () => {
    const blocks = 65535 + 3; // the last, block 65538, goes out as 2 and is short
    const h = new Harness({ data: bytes((blocks - 1) * 8 + 5), blksize: 8, windowsize: 64 });
    h.transfer.start();
    let acked = 0;
    while (!h.outcome) {
      const window = h.sent.filter((p) => p.kind === "data");
      const last = window.at(-1);
      if (last?.kind !== "data") throw new Error("nothing sent");
      acked += window.length;
      h.sent = [];
      h.ack(last.block);
    }
    expect(acked).toBe(blocks);
    expect(h.stats).toMatchObject({ blocks, dataPackets: blocks, retransmits: 0 });
  });

  it("sends block 65536 as block 0 (and still ends with an empty block after the wrap)", () => {
    const h = new Harness({ data: bytes(65537 * 8), blksize: 8, windowsize: 65535 });
    h.transfer.start();
    h.take();
    h.ack(65535);
    const next = h.take();
    expect(next).toEqual(["D0", "D1", "D2:0"]);
  });
});

describe("Transfer endings", () => {
  it("ends without reply on a client ERROR", () => {
    const h = new Harness({ data: bytes(100) });
    h.transfer.start();
    h.take();
    h.transfer.handle({ kind: "error", code: 8, message: "option refused" });
    expect(h.take()).toEqual([]);
    expect(h.outcome).toEqual({ ok: false, reason: "client sent ERROR 8: option refused" });
  });

  it("answers a request or DATA from the client with ERROR 4 and ends", () => {
    const h = new Harness({ data: bytes(100) });
    h.transfer.start();
    h.take();
    h.transfer.handle({ kind: "rrq", filename: "x", mode: "octet", options: new Map() });
    expect(h.take()).toEqual(["E4:illegal operation: rrq"]);
    expect(h.outcome).toMatchObject({ ok: false });
  });

  it("abort tells the client with ERROR 0, and nothing happens after the end", () => {
    const h = new Harness({ data: bytes(5000) });
    h.transfer.start();
    h.take();
    h.transfer.abort("server shutting down");
    h.ack(1);
    h.transfer.abort("again");
    expect(h.take()).toEqual(["E0:server shutting down"]);
    expect(h.transfer.finished).toBe(true);
    expect(h.stats).toMatchObject({ bytes: 0, blocks: 1 });
  });
});
