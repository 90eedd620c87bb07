/** Shared set-up for the TFTP tests: an in-memory file source, test files and an event recorder. */
import { createHash } from "node:crypto";
import { createSocket } from "node:dgram";
import { decodePacket, type TftpPacket } from "../../agent/serve/tftp/packets.js";
import { startTftpServer } from "../../agent/serve/tftp/server.js";
import type {
  TftpEvent,
  TftpFileSource,
  TftpServer,
  TftpServerOptions,
} from "../../agent/serve/tftp/types.js";
import { seededRandom } from "./lossy-udp-proxy.js";

/**
 * The engines the protocol tests run against: the native thread-per-transfer one (built by npm ci
 * when a C compiler is there; test/unit/tftp/native-engine.test.ts fails if it is not on such a
 * machine) and the JS one it falls back to. Both must behave identically on the wire.
 */
export const tftpEngines = ["native", "js"] as const;

export const sha256 = (data: Buffer): string => createHash("sha256").update(data).digest("hex");

/** Deterministic pseudo-random bytes (so a failure can be reproduced byte for byte). */
export function pseudoRandomBytes(length: number, seed: number): Buffer {
  const random = seededRandom(seed);
  const out = Buffer.allocUnsafe(length);
  for (let i = 0; i < length; i += 4) {
    const word = Math.floor(random() * 0x1_0000_0000);
    for (let j = 0; j < 4 && i + j < length; j++) out[i + j] = (word >>> (8 * j)) & 0xff;
  }
  return out;
}

/** The files every TFTP test serves: small, exactly one block, a multiple of 1468, 1 MB and 5 MB. */
export function testFiles(): Map<string, Buffer> {
  const cfg = `<device><deviceProtocol>SIP</deviceProtocol>\n<sshUserId>admin</sshUserId>\r\n</device>\n`;
  return new Map([
    ["SEP001122334455.cnf.xml", Buffer.from(cfg)],
    ["exact-512.bin", pseudoRandomBytes(512, 1)],
    ["multi-1468.bin", pseudoRandomBytes(1468 * 7, 2)],
    ["firmware/one-mb.bin", pseudoRandomBytes(1024 * 1024, 3)],
    ["firmware/five-mb.bin", pseudoRandomBytes(5 * 1024 * 1024, 4)],
    ["empty.cfg", Buffer.alloc(0)],
  ]);
}

export function memorySource(files: ReadonlyMap<string, Buffer>): TftpFileSource {
  return {
    read: async (path) => {
      const data = files.get(path);
      if (data) return { ok: true, data };
      if (path.startsWith("private/")) return { ok: false, code: "access-denied", message: "not for you" };
      return { ok: false, code: "not-found", message: `${path} not found` };
    },
  };
}

export interface RecordingServer {
  server: TftpServer;
  port: number;
  events: TftpEvent[];
  /** Resolves with the first event (already seen or future) that matches. */
  waitFor<T extends TftpEvent["type"]>(
    type: T,
    match?: (e: Extract<TftpEvent, { type: T }>) => boolean,
  ): Promise<Extract<TftpEvent, { type: T }>>;
}

/** Starts a server on 127.0.0.1 with an ephemeral port, recording every event. */
export async function startRecordingServer(
  files: ReadonlyMap<string, Buffer>,
  opts: Partial<TftpServerOptions> = {},
): Promise<RecordingServer> {
  const events: TftpEvent[] = [];
  const waiters: Array<(e: TftpEvent) => boolean> = [];
  const server = await startTftpServer({
    host: "127.0.0.1",
    port: 0,
    source: memorySource(files),
    ...opts,
    onEvent: (e) => {
      events.push(e);
      for (let i = waiters.length - 1; i >= 0; i--) if (waiters[i]?.(e)) waiters.splice(i, 1);
    },
  });
  const waitFor: RecordingServer["waitFor"] = (type, match) =>
    new Promise((resolve) => {
      type E = Extract<TftpEvent, { type: typeof type }>;
      const test = (e: TftpEvent): boolean => {
        if (e.type !== type || (match && !match(e as E))) return false;
        resolve(e as E);
        return true;
      };
      if (!events.some(test)) waiters.push(test);
    });
  return { server, port: server.address.port, events, waitFor };
}

export interface RawReply {
  packet: TftpPacket;
  from: { address: string; port: number };
}

/** A bare UDP socket on 127.0.0.1 that speaks TFTP packets by hand and queues what comes back. */
export interface RawPeer {
  port: number;
  send(packet: Buffer, port: number): void;
  /** The next reply; rejects if none comes within `waitMs` (a hang guard, not a timing assertion). */
  next(waitMs?: number): Promise<RawReply>;
  received: RawReply[];
  close(): Promise<void>;
}

export async function rawPeer(): Promise<RawPeer> {
  const socket = createSocket("udp4");
  const queue: RawReply[] = [];
  const received: RawReply[] = [];
  let wake: (() => void) | undefined;
  socket.on("message", (msg, rinfo) => {
    const decoded = decodePacket(msg);
    if (!decoded.ok) return;
    const reply = { packet: decoded.packet, from: { address: rinfo.address, port: rinfo.port } };
    queue.push(reply);
    received.push(reply);
    wake?.();
  });
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  const next = async (waitMs = 10_000): Promise<RawReply> => {
    const deadline = Date.now() + waitMs;
    while (queue.length === 0) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error("no TFTP reply arrived");
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
    }
    return queue.shift() as RawReply;
  };
  return {
    port: socket.address().port,
    send: (packet, port) => socket.send(packet, port, "127.0.0.1"),
    next,
    received,
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}
