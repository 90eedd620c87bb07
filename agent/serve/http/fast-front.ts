/**
 * The plain-HTTP listener's connections start here, before node's HTTP stack sees them. A boot storm is
 * hundreds of keep-alive connections each asking `GET /<file> HTTP/1.1` with a Host and a User-Agent; for
 * that one shape this front reads the head itself (request-head.ts), asks the provisioning service, and
 * writes status line, headers and body in one write. Per request that saves node's parser callbacks,
 * IncomingMessage/ServerResponse objects and header bookkeeping, which on this box cost more than the
 * provisioning decision itself (bench/README.md, http).
 *
 * Anything else, from the first request that is not that shape on, belongs to node: the bytes not yet
 * answered are put back on the socket (unshift) and node's own connection listener takes the socket, as if
 * it had just been accepted. So Range, If-None-Match, uploads, the API, chunked bodies, HTTP/1.0, oversized
 * or malformed heads and slow (split) heads are all parsed and answered by node and fastify, as before.
 * The answers written here are the ones node writes for the same reply, byte for byte (same header order
 * and case, Date, Connection, Keep-Alive); test/peers/http-fast-front.test.ts compares the two.
 */
import { type Server, STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import { withoutIpv4Mapping } from "../../site/ip.js";
import { internalErrorReply, type PhoneFileReply } from "./phone-files.js";
import { readRequestHead } from "./request-head.js";

export interface FastRequest {
  method: "GET" | "HEAD";
  /** The request target as sent (path and query, still percent-encoded). */
  target: string;
  source: string;
  userAgent: string | undefined;
}

/** The reply, or undefined when node and fastify should answer this request (another route, closing). */
export type FastAnswer = (request: FastRequest) => PhoneFileReply | Promise<PhoneFileReply> | undefined;

/** Bodies up to this size go out in the same buffer as the head: one write, one syscall. */
const copyBodyLimit = 16 * 1024;

type ConnectionListener = (this: Server, socket: Socket) => void;

/**
 * Puts the front before node's connection listener on a plain `http.Server` (not an https one: TLS sockets
 * reach node's listener through the TLS server). Also extends closeIdleConnections/closeAllConnections,
 * which fastify calls on close, to the connections this front still holds.
 */
export function installFastFront(server: Server, answer: FastAnswer): void {
  const nodeListeners = server.listeners("connection") as ConnectionListener[];
  const nodeListener = nodeListeners[0];
  if (nodeListeners.length !== 1 || !nodeListener) {
    throw new Error(`expected node's one HTTP connection listener, found ${nodeListeners.length}`);
  }
  server.removeListener("connection", nodeListener);
  const open = new Set<FastConnection>();
  const context: FrontContext = {
    answer,
    open,
    keepAliveHeader: () => {
      const seconds = Math.floor(server.keepAliveTimeout / 1000);
      return seconds > 0
        ? `Connection: keep-alive\r\nKeep-Alive: timeout=${seconds}\r\n`
        : "Connection: keep-alive\r\n";
    },
    handOver: (socket) => nodeListener.call(server, socket),
  };
  // Idle keep-alive connections are closed by one sweep rather than a timer per socket: net's socket
  // timeout is re-armed on every read and write, a cost per request here. The sweep runs while there are
  // connections, every tenth of the timeout, so an idle one goes after 1.0-1.1 times keepAliveTimeout.
  let sweep: NodeJS.Timeout | undefined;
  const sweepIdle = () => {
    const limit = server.keepAliveTimeout;
    const now = Date.now();
    for (const connection of open) connection.closeIfIdleSince(now - limit);
    if (open.size === 0 && sweep) {
      clearInterval(sweep);
      sweep = undefined;
    }
  };
  server.on("connection", (socket: Socket) => {
    open.add(new FastConnection(socket, context));
    if (!sweep && server.keepAliveTimeout > 0) {
      sweep = setInterval(sweepIdle, Math.max(100, Math.floor(server.keepAliveTimeout / 10)));
      sweep.unref();
    }
  });
  const closeIdle = server.closeIdleConnections.bind(server);
  server.closeIdleConnections = () => {
    closeIdle();
    for (const connection of open) connection.closeIfIdle();
  };
  const closeAll = server.closeAllConnections.bind(server);
  server.closeAllConnections = () => {
    closeAll();
    for (const connection of open) connection.destroy();
  };
}

interface FrontContext {
  answer: FastAnswer;
  open: Set<FastConnection>;
  keepAliveHeader(): string;
  handOver(socket: Socket): void;
}

class FastConnection {
  /** Received bytes not answered yet (only while a reply is in flight or the socket must drain). */
  private unread: Buffer | undefined;
  private waiting = false;
  private clientEnded = false;
  private finished = false;
  /** When the client last sent something (the keep-alive timeout counts from the request, as node's does). */
  private lastActive = Date.now();
  private readonly source: string;

  private readonly onData = (chunk: Buffer) => {
    // After Connection: close or a server close the answer is on its way out; what follows is not read,
    // as node does not read past such a request either.
    if (this.finished) return;
    this.lastActive = Date.now();
    const bytes = this.unread ? Buffer.concat([this.unread, chunk]) : chunk;
    this.unread = undefined;
    if (this.waiting) this.unread = bytes;
    else this.serve(bytes, 0);
  };
  private readonly onEnd = () => {
    this.clientEnded = true;
    if (!this.waiting && !this.unread) this.finish(false);
  };
  private readonly onClose = () => this.detach();
  private readonly onError = () => {
    // net destroys the socket after an error; 'close' follows and detaches.
  };

  constructor(
    private readonly socket: Socket,
    private readonly context: FrontContext,
  ) {
    this.source = withoutIpv4Mapping(socket.remoteAddress ?? "");
    socket.on("data", this.onData);
    socket.on("end", this.onEnd);
    socket.on("error", this.onError);
    socket.on("close", this.onClose);
  }

  /** Server closing: an idle keep-alive connection goes now, a busy one after its answer. */
  closeIfIdle(): void {
    if (this.waiting) {
      this.clientEnded = true;
      return;
    }
    this.finish(true);
  }

  /** The keep-alive timeout: a connection with nothing in flight and no request since `cutoff` goes. */
  closeIfIdleSince(cutoff: number): void {
    if (!this.waiting && this.lastActive < cutoff) this.destroy();
  }

  destroy(): void {
    this.socket.destroy();
    this.detach();
  }

  /** Answers the requests in bytes[offset..] until one needs node, one is incomplete, or one is in flight. */
  private serve(bytes: Buffer, offset: number): void {
    let at = offset;
    while (at < bytes.length) {
      const head = readRequestHead(bytes, at);
      // An incomplete head goes to node too: its headersTimeout deals with slow senders, not a clock here.
      if (head.kind !== "request") {
        this.handOver(bytes.subarray(at));
        return;
      }
      let reply: PhoneFileReply | Promise<PhoneFileReply> | undefined;
      try {
        reply = this.context.answer({
          method: head.method,
          target: head.target,
          source: this.source,
          userAgent: head.userAgent,
        });
      } catch {
        reply = internalErrorReply;
      }
      if (reply === undefined) {
        this.handOver(bytes.subarray(at));
        return;
      }
      at = head.end;
      const rest = at < bytes.length ? bytes.subarray(at) : undefined;
      if (reply instanceof Promise) {
        this.wait(rest);
        reply.then(
          (r) => this.answered(head.method, head.close, r),
          () => this.answered(head.method, head.close, internalErrorReply),
        );
        return;
      }
      this.write(head.method, head.close, reply);
      if (head.close) {
        this.finish(false);
        return;
      }
      if (this.socket.writableNeedDrain) {
        this.wait(rest);
        this.socket.once("drain", () => this.resume());
        return;
      }
    }
    if (this.clientEnded) this.finish(false);
  }

  private wait(rest: Buffer | undefined): void {
    this.waiting = true;
    this.unread = rest;
    this.socket.pause();
  }

  private answered(method: "GET" | "HEAD", close: boolean, reply: PhoneFileReply): void {
    if (this.finished) return;
    this.write(method, close, reply);
    if (close) {
      this.finish(false);
      return;
    }
    if (this.socket.writableNeedDrain) this.socket.once("drain", () => this.resume());
    else this.resume();
  }

  private resume(): void {
    if (this.finished) return;
    this.waiting = false;
    const rest = this.unread;
    this.unread = undefined;
    this.socket.resume();
    if (rest) this.serve(rest, 0);
    else if (this.clientEnded) this.finish(false);
  }

  private write(method: "GET" | "HEAD", close: boolean, reply: PhoneFileReply): void {
    const body = method === "HEAD" ? undefined : reply.body;
    if (!close && body && body.length > 0 && body.length <= copyBodyLimit) {
      this.socket.write(preparedAnswer(reply, body, this.context.keepAliveHeader()));
      return;
    }
    let head = statusAndHeaders(reply);
    head += `Date: ${httpDate()}\r\n`;
    head += close ? "Connection: close\r\n\r\n" : `${this.context.keepAliveHeader()}\r\n`;
    if (!body || body.length === 0) {
      this.socket.write(head, "latin1");
    } else if (body.length <= copyBodyLimit) {
      const headLength = Buffer.byteLength(head, "latin1");
      const out = Buffer.allocUnsafe(headLength + body.length);
      out.write(head, 0, headLength, "latin1");
      body.copy(out, headLength);
      this.socket.write(out);
    } else {
      this.socket.cork();
      this.socket.write(head, "latin1");
      this.socket.write(body);
      this.socket.uncork();
    }
  }

  /** Ends our side after what was written (`now`: at once if nothing is pending, as node's idle close). */
  private finish(now: boolean): void {
    if (this.finished) return;
    this.finished = true;
    if (now && this.socket.writableLength === 0) this.socket.destroy();
    else this.socket.destroySoon();
    this.detach();
  }

  private handOver(unanswered: Buffer): void {
    // Only after an answer read from the store: the client pipelined more and half-closed meanwhile. The
    // stream has ended, so node could not read the rest; a phone never does this, the connection just ends.
    if (this.clientEnded) {
      this.finish(false);
      return;
    }
    this.detach();
    this.finished = true;
    const socket = this.socket;
    socket.removeListener("data", this.onData);
    socket.removeListener("end", this.onEnd);
    socket.removeListener("error", this.onError);
    socket.removeListener("close", this.onClose);
    // With no 'data' listener left the bytes are buffered, and node's listener reads them first.
    if (unanswered.length > 0) socket.unshift(unanswered);
    this.context.handOver(socket);
  }

  private detach(): void {
    this.context.open.delete(this);
  }
}

/** Status line and the reply's own headers, as node writes them. */
function statusAndHeaders(reply: PhoneFileReply): string {
  let head = `HTTP/1.1 ${reply.status} ${STATUS_CODES[reply.status] ?? "unknown"}\r\n`;
  for (const name in reply.headers) head += `${name}: ${reply.headers[name]}\r\n`;
  return head;
}

interface PreparedAnswer {
  bytes: Buffer;
  /** Where the 29 characters of the Date value sit in `bytes`. */
  dateAt: number;
  stampedSecond: number;
  keepAlive: string;
}

/**
 * The whole answer to a keep-alive GET of a small file, head and body in one buffer, made once per reply and
 * re-stamped with the Date once a second: a boot storm's answer is then one write of a ready buffer. A buffer
 * still queued for one socket when the next second's Date is stamped in goes out with the newer Date, which
 * is still the right length and still true to the second; nothing else in it ever changes.
 */
const prepared = new WeakMap<PhoneFileReply, PreparedAnswer>();

function preparedAnswer(reply: PhoneFileReply, body: Buffer, keepAlive: string): Buffer {
  const date = httpDate();
  let entry = prepared.get(reply);
  if (entry === undefined || entry.keepAlive !== keepAlive || date.length !== 29) {
    const before = `${statusAndHeaders(reply)}Date: `;
    const head = `${before}${date}\r\n${keepAlive}\r\n`;
    const headLength = Buffer.byteLength(head, "latin1");
    const bytes = Buffer.allocUnsafe(headLength + body.length);
    bytes.write(head, 0, headLength, "latin1");
    body.copy(bytes, headLength);
    entry = { bytes, dateAt: Buffer.byteLength(before, "latin1"), stampedSecond: dateSecond, keepAlive };
    // An odd-length date (a year past 9999) is never kept: the next answer builds afresh.
    if (date.length === 29) prepared.set(reply, entry);
    return bytes;
  }
  if (entry.stampedSecond !== dateSecond) {
    entry.bytes.write(date, entry.dateAt, 29, "latin1");
    entry.stampedSecond = dateSecond;
  }
  return entry.bytes;
}

let dateSecond = -1;
let dateText = "";

/** The Date header's value (RFC 9110 §5.6.7), formatted once per second as node does. */
function httpDate(): string {
  const now = Date.now();
  const second = Math.floor(now / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateText = new Date(second * 1000).toUTCString();
  }
  return dateText;
}
