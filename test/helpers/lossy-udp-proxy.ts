/**
 * A UDP proxy for TFTP tests that drops packets in both directions with a seeded PRNG and can
 * duplicate every ACK the client sends. The client talks to the proxy's front port; each client
 * gets its own upstream socket, so the server sees one TID per client.
 *
 * TFTP-aware in one respect: a request (RRQ/WRQ) always goes to the server's listening port, and
 * everything else goes to the port the server last answered from (its transfer ID). Without that,
 * a retransmitted RRQ would land on the transfer socket, which no real network does.
 */
import { createSocket, type RemoteInfo, type Socket } from "node:dgram";

export interface LossyProxyOptions {
  /** The server's listening address. */
  target: { address: string; port: number };
  seed: number;
  /** Probability of dropping a packet, per direction. */
  dropToServer: number;
  dropToClient: number;
  /** Send every client ACK that survives the drop twice. */
  duplicateAcks?: boolean;
}

export interface ProxyCounters {
  toServer: { forwarded: number; dropped: number; duplicated: number };
  toClient: { forwarded: number; dropped: number };
}

export interface LossyProxy {
  port: number;
  counters: ProxyCounters;
  close(): Promise<void>;
}

/** mulberry32: tiny, fast, good enough for deterministic test loss. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Upstream {
  socket: Socket;
  serverTid: { address: string; port: number } | undefined;
}

const bound = (socket: Socket): Promise<void> =>
  new Promise((resolve, reject) => {
    socket.once("error", reject);
    socket.bind(0, "127.0.0.1", () => {
      socket.off("error", reject);
      resolve();
    });
  });

export async function startLossyUdpProxy(opts: LossyProxyOptions): Promise<LossyProxy> {
  const random = seededRandom(opts.seed);
  const counters: ProxyCounters = {
    toServer: { forwarded: 0, dropped: 0, duplicated: 0 },
    toClient: { forwarded: 0, dropped: 0 },
  };
  const front = createSocket("udp4");
  await bound(front);
  const upstreams = new Map<string, Promise<Upstream>>();

  const openUpstream = async (client: RemoteInfo): Promise<Upstream> => {
    const up: Upstream = { socket: createSocket("udp4"), serverTid: undefined };
    await bound(up.socket);
    up.socket.on("message", (msg, rinfo) => {
      up.serverTid = { address: rinfo.address, port: rinfo.port };
      if (random() < opts.dropToClient) return void counters.toClient.dropped++;
      counters.toClient.forwarded++;
      front.send(msg, client.port, client.address);
    });
    return up;
  };

  front.on("message", async (msg, client) => {
    const key = `${client.address}|${client.port}`;
    let pending = upstreams.get(key);
    if (!pending) {
      pending = openUpstream(client);
      upstreams.set(key, pending);
    }
    const up = await pending;
    if (random() < opts.dropToServer) return void counters.toServer.dropped++;
    const opcode = msg.length >= 2 ? msg.readUInt16BE(0) : 0;
    const to = opcode === 1 || opcode === 2 || !up.serverTid ? opts.target : up.serverTid;
    counters.toServer.forwarded++;
    up.socket.send(msg, to.port, to.address);
    if (opts.duplicateAcks && opcode === 4) {
      counters.toServer.duplicated++;
      up.socket.send(msg, to.port, to.address);
    }
  });

  const closeOne = (s: Socket) => new Promise<void>((resolve) => s.close(() => resolve()));
  return {
    port: front.address().port,
    counters,
    close: async () => {
      const ups = await Promise.all(upstreams.values());
      await Promise.all([closeOne(front), ...ups.map((u) => closeOne(u.socket))]);
    },
  };
}
