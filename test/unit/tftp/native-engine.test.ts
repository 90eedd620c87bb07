/**
 * The native transfer engine (native/tftp-transfer.c) next to the JS one: built where a compiler is,
 * the same packets on the wire for the same client behaviour, block numbers past 65535, a client's
 * ERROR, a transfer dropped before it started, and an environment going away under a running thread.
 */
import { spawn, spawnSync } from "node:child_process";
import { readdirSync, readlinkSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadNativeEngine } from "../../../agent/serve/tftp/native-engine.js";
import { openNativeSession } from "../../../agent/serve/tftp/native-session.js";
import { encodeAck, encodeError, encodeRequest } from "../../../agent/serve/tftp/packets.js";
import { startTftpServer } from "../../../agent/serve/tftp/server.js";
import { onPath } from "../../helpers/peer-tools.js";
import {
  memorySource,
  type RawPeer,
  rawPeer,
  sha256,
  startRecordingServer,
  testFiles,
  tftpEngines,
} from "../../helpers/tftp-fixtures.js";
import { tftpDownload } from "../../helpers/tftp-test-client.js";

const files = testFiles();
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(opts: Parameters<typeof startRecordingServer>[1]) {
  const rec = await startRecordingServer(files, opts);
  cleanups.push(() => rec.server.close());
  const peer = await rawPeer();
  cleanups.push(() => peer.close());
  return { rec, peer };
}

/** The next `count` packets as "DATA n" / "OACK" / "ERROR c" lines. */
async function nextPackets(peer: RawPeer, count: number): Promise<string[]> {
  const seen: string[] = [];
  for (let i = 0; i < count; i++) {
    const { packet } = await peer.next();
    if (packet.kind === "data") seen.push(`DATA ${packet.block} (${packet.data.length})`);
    else if (packet.kind === "error") seen.push(`ERROR ${packet.code}`);
    else seen.push(packet.kind.toUpperCase());
  }
  return seen;
}

/** "DATA n (512)" for the full blocks from..to. */
const dataLines = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => `DATA ${from + i} (512)`);

describe("building and choosing", () => {
  it("is built on a machine with a C compiler (npm ci runs scripts/build-native.ts)", () => {
    const load = loadNativeEngine();
    if (onPath("cc")) expect(load, load.ok ? "" : load.reason).toMatchObject({ ok: true });
    else expect(load).toMatchObject({ ok: false, reason: expect.stringMatching(/not built|loading/) });
  });

  it("is what the server runs by default, and the JS engine when asked", async () => {
    const native = await startRecordingServer(files);
    cleanups.push(() => native.server.close());
    const expected = loadNativeEngine().ok ? "native" : "js";
    expect(native.server.engine.kind).toBe(expected);
    const js = await startRecordingServer(files, { engine: "js" });
    cleanups.push(() => js.server.close());
    expect(js.server.engine).toEqual({ kind: "js", note: "the js engine was asked for" });
  });
});

describe.each(tftpEngines)("%s engine on the wire", (engine) => {
  it("slides on ACKs inside the window, ignores duplicate and bogus ones, retransmits on timeout only", async () => {
    // multi-1468.bin is 10,276 octets: 21 blocks of 512, the last one 36 octets. The timeout is long
    // enough that no step of this script, on a slow machine, is overtaken by a retransmission.
    const { rec, peer } = await setup({ engine, initialTimeoutMs: 1500, maxTimeoutMs: 1500 });
    peer.send(encodeRequest("rrq", "multi-1468.bin", "octet", new Map([["windowsize", "4"]])), rec.port);
    const oack = await peer.next();
    expect(oack.packet).toEqual({ kind: "oack", options: new Map([["windowsize", "4"]]) });
    const tid = oack.from.port;
    peer.send(encodeAck(0), tid);
    expect(await nextPackets(peer, 4)).toEqual(dataLines(1, 4));
    peer.send(encodeAck(2), tid); // lost 3: the window slides to 3..6 at once
    peer.send(encodeAck(2), tid); // a duplicate: never answered
    peer.send(encodeAck(9), tid); // beyond what was sent: ignored
    peer.send(encodeAck(1), tid); // stale: ignored
    expect(await nextPackets(peer, 4)).toEqual(dataLines(3, 6));
    peer.send(encodeAck(6), tid);
    expect(await nextPackets(peer, 4)).toEqual(dataLines(7, 10));
    // Silence: after the timeout the unacknowledged window goes out again, once.
    expect(await nextPackets(peer, 4)).toEqual(dataLines(7, 10));
    for (const last of [10, 14, 18]) {
      peer.send(encodeAck(last), tid);
      await nextPackets(peer, last === 18 ? 3 : 4);
    }
    peer.send(encodeAck(21), tid);
    const done = await rec.waitFor("completed");
    expect(done).toMatchObject({ bytes: 10_276, blocks: 21, dataPackets: 27, retransmits: 6, timeouts: 1 });
    expect(peer.received.at(-1)?.packet).toMatchObject({ kind: "data", block: 21 });
    expect(peer.received).toHaveLength(1 + 27);
  });

  it("numbers blocks modulo 65536 past block 65535 (1 MB in 8-octet blocks)", async () => {
    const { rec } = await setup({ engine });
    const oneMb = files.get("firmware/one-mb.bin") as Buffer;
    const result = await tftpDownload({
      server: { address: "127.0.0.1", port: rec.port },
      file: "firmware/one-mb.bin",
      blksize: 8,
      windowsize: 64,
    });
    expect(sha256(result.data)).toBe(sha256(oneMb));
    expect(await rec.waitFor("completed")).toMatchObject({ blocks: oneMb.length / 8 + 1 });
  }, 60_000);

  it("serves over IPv6 (::1), windowsize 1 and 8", async () => {
    const rec = await startRecordingServer(files, { engine, host: "::1" });
    cleanups.push(() => rec.server.close());
    const oneMb = files.get("firmware/one-mb.bin") as Buffer;
    for (const windowsize of [1, 8]) {
      const result = await tftpDownload({
        server: { address: "::1", port: rec.port },
        file: "firmware/one-mb.bin",
        blksize: 1468,
        windowsize,
      });
      expect(sha256(result.data)).toBe(sha256(oneMb));
    }
    expect(rec.server.engine.kind).toBe(engine === "native" && loadNativeEngine().ok ? "native" : "js");
  });

  it("ends on the client's ERROR without answering it", async () => {
    const { rec, peer } = await setup({ engine });
    peer.send(encodeRequest("rrq", "multi-1468.bin", "octet"), rec.port);
    const first = await peer.next();
    peer.send(encodeError(0, "user cancelled"), first.from.port);
    expect(await rec.waitFor("failed")).toMatchObject({
      reason: "client sent ERROR 0: user cancelled",
      bytes: 0,
      blocks: 1,
    });
    // Anything the server sent after the ERROR would be here by now: it is sent before "failed".
    expect(peer.received.map((r) => r.packet.kind)).toEqual(["data"]);
    expect(rec.server.activeTransfers()).toBe(0);
  });
});

describe.runIf(loadNativeEngine().ok)("the native engine's own edges", () => {
  it("releases a transfer's port and reports nothing when it is dropped before it started", async () => {
    const load = loadNativeEngine();
    if (!load.ok) throw new Error(load.reason);
    const events: unknown[] = [];
    let ended = 0;
    let closed = 0;
    const session = await openNativeSession(load.api, {
      config: { host: "127.0.0.1", onEvent: (e) => events.push(e) },
      client: { address: "127.0.0.1", port: 9 },
      path: "x.bin",
      plan: {
        data: Buffer.alloc(10),
        blksize: 512,
        windowsize: 1,
        oack: new Map(),
        initialTimeoutMs: 1000,
        maxTimeoutMs: 1000,
        retries: 1,
      },
      onEnded: () => ended++,
      onClosed: () => closed++,
    });
    await session.abort("request withdrawn");
    expect({ events, ended, closed }).toEqual({ events: [], ended: 0, closed: 1 });
  });

  it("queues at most a bounded number of a flooding client's junk datagrams for JS", async () => {
    let blocked = false;
    let junk = 0;
    const server = await startTftpServer({
      engine: "native",
      host: "127.0.0.1",
      port: 0,
      source: memorySource(files),
      onEvent: (e) => {
        if (e.type !== "malformed" || !e.onTransferSocket) return;
        junk++;
        // The first junk datagram stops this thread for a second: the transfer's thread reads on.
        if (blocked) return;
        blocked = true;
        const until = Date.now() + 1000;
        while (Date.now() < until) {
          // busy: no message of the transfer can be handled now
        }
      },
    });
    const rec = { port: server.address.port, server };
    cleanups.push(() => rec.server.close());
    // A client in another process: RRQ, DATA 1, then 5,000 junk datagrams at its own transfer port, then ACK 1.
    const client = `
      const s = require("node:dgram").createSocket("udp4");
      s.on("message", (m, r) => {
        if (m[1] !== 3) return;
        for (let i = 0; i < 5000; i++) s.send(Buffer.from([0, 9, i & 255]), r.port, "127.0.0.1");
        s.send(Buffer.from([0, 4, 0, 1]), r.port, "127.0.0.1", () => s.close());
      });
      s.send(Buffer.from("${encodeRequest("rrq", "exact-512.bin", "octet").toString("hex")}", "hex"), ${rec.port}, "127.0.0.1");`;
    const child = spawn(process.execPath, ["-e", client], { stdio: "inherit" });
    const exitCode = await new Promise((resolve) => child.once("exit", resolve));
    expect(exitCode).toBe(0);
    // Block 2 (empty) follows ACK 1; nobody ACKs it, so the transfer is aborted at close().
    while (!blocked) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 200));
    expect(junk).toBeGreaterThan(0);
    expect(junk).toBeLessThanOrEqual(64 + 1);
  });

  it.each(["exit", "worker"])(
    "ends running threads when their environment goes away (%s)",
    (mode) => {
      const child = join(import.meta.dirname, "..", "..", "helpers", "native-teardown-child.ts");
      const result = spawnSync(process.execPath, ["--import", "tsx", child, mode], {
        encoding: "utf8",
        timeout: 30_000,
      });
      expect(result.stderr).toBe("");
      expect({ status: result.status, signal: result.signal, stdout: result.stdout }).toEqual({
        status: 0,
        signal: null,
        stdout: "ended\n",
      });
    },
    40_000,
  );
});

/** This process's open sockets, from /proc/self/fd (Linux). */
const openSockets = () =>
  readdirSync("/proc/self/fd").filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`).startsWith("socket:");
    } catch {
      return false; // the directory's own descriptor, gone by now
    }
  }).length;

it.each(tftpEngines)("leaves no socket open after transfers and close() (%s engine)", async (engine) => {
  const before = openSockets();
  const rec = await startRecordingServer(files, { engine });
  cleanups.push(() => rec.server.close());
  for (let i = 0; i < 3; i++) {
    const result = await tftpDownload({
      server: { address: "127.0.0.1", port: rec.port },
      file: "multi-1468.bin",
      blksize: 1468,
    });
    expect(result.data).toEqual(files.get("multi-1468.bin"));
  }
  await rec.waitFor("completed");
  await rec.server.close(); // waits until every transfer's sockets are closed
  expect(openSockets()).toBe(before);
});
