/**
 * An in-process UAS on 127.0.0.1 for deterministic client tests: a handler sees every copy of
 * every request (with how many copies of that transaction came before) and returns the replies
 * to send, in order. Replies go back to the source address, as a server honouring rport does.
 */
import { createSocket, type Socket } from "node:dgram";
import { createServer, type Server, type Socket as TcpSocket } from "node:net";
import { frameStream, headerValue, parseMessage, type SipRequest } from "../../../drivers/sip/message.js";

export interface Received {
  request: SipRequest;
  text: string;
  /** 0 for the first copy of a branch, 1 for its first retransmission … */
  copy: number;
}

export type Reply = string | Buffer;
export type Handler = (got: Received) => Reply[];

export interface FakeUas {
  port: number;
  received: Received[];
  close(): Promise<void>;
}

/** A response to `req` with the usual copied headers (§8.2.6.2); `extra` lines go before Content-Length. */
export function reply(req: SipRequest, status: number, reason: string, extra: string[] = []): string {
  const to = headerValue(req, "to") ?? "";
  const lines = [
    `SIP/2.0 ${status} ${reason}`,
    ...req.headers.filter((h) => h.name === "via").map((h) => `Via: ${h.value};received=127.0.0.1`),
    `From: ${headerValue(req, "from")}`,
    `To: ${to.includes("tag=") || status === 100 ? to : `${to};tag=uas1`}`,
    `Call-ID: ${req.callId}`,
    `CSeq: ${req.cseq.seq} ${req.cseq.method}`,
    ...extra,
    "Content-Length: 0",
    "",
    "",
  ];
  return lines.join("\r\n");
}

function tracker(handler: Handler, received: Received[]) {
  const copies = new Map<string, number>();
  return (bytes: Buffer): Reply[] => {
    const request = parseMessage(bytes);
    if (request.kind !== "request") return [];
    const key = request.via[0]?.branch ?? "";
    const copy = copies.get(key) ?? 0;
    copies.set(key, copy + 1);
    const got = { request, text: bytes.toString("utf8"), copy };
    received.push(got);
    return handler(got);
  };
}

export async function startUdpUas(handler: Handler): Promise<FakeUas> {
  const received: Received[] = [];
  const handle = tracker(handler, received);
  const socket: Socket = createSocket("udp4");
  socket.on("message", (bytes, from) => {
    for (const r of handle(bytes)) socket.send(r, from.port, from.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", () => resolve()));
  return {
    port: socket.address().port,
    received,
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}

/** `chunked` writes every reply one byte at a time, to exercise Content-Length framing. */
export async function startTcpUas(handler: Handler, opts: { chunked?: boolean } = {}): Promise<FakeUas> {
  const received: Received[] = [];
  const handle = tracker(handler, received);
  const sockets = new Set<TcpSocket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    socket.setNoDelay(true);
    let buffer: Buffer = Buffer.alloc(0);
    socket.on("data", (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const { skip, length } = frameStream(buffer);
        if (length === 0) break;
        const replies = handle(buffer.subarray(skip, skip + length));
        buffer = buffer.subarray(skip + length);
        for (const r of replies) {
          const bytes = Buffer.from(r);
          if (!opts.chunked) socket.write(bytes);
          else for (let i = 0; i < bytes.length; i++) socket.write(bytes.subarray(i, i + 1));
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const address = server.address();
  return {
    port: typeof address === "object" && address ? address.port : 0,
    received,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
