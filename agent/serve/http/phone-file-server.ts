/**
 * The HTTP(S) server under the fastify app (fastify's serverFactory): the same server fastify would create,
 * with one change: a request that fastify's router would hand to the phone-file route is answered straight
 * from node's request listener (phone-files.ts). A boot storm is hundreds of phones asking for small files;
 * fastify's per-request objects, hooks and reply pipeline cost as much as the answer itself there. Every other
 * request (the API, metrics, uploads, events, routes added later) goes through fastify as before.
 * On plain HTTP the fast front (fast-front.ts) comes first and answers the simplest of these GETs before
 * node even parses them; what it hands over arrives here.
 */
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import { createServer as createHttpsServer, type ServerOptions as TlsServerOptions } from "node:https";
import { type FastAnswer, installFastFront } from "./fast-front.js";

/** The fastify options its own server factory applies (fastify/lib/server.js), mirrored here. */
export interface ServerTimeouts {
  keepAliveTimeout: number;
  requestTimeout: number;
  connectionTimeout: number;
  maxRequestsPerSocket: number;
}

export function phoneFileServer(
  fastifyHandler: (req: IncomingMessage, res: ServerResponse) => void,
  timeouts: ServerTimeouts,
  tls: TlsServerOptions | undefined,
  /** Answers the request and returns true, or returns false and leaves it to fastify. */
  answeredDirectly: (req: IncomingMessage, res: ServerResponse) => boolean,
  /** Plain HTTP only: answers plain phone-file GETs before node's HTTP parser (fast-front.ts). */
  fastAnswer?: FastAnswer,
): Server {
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    if (!answeredDirectly(req, res)) fastifyHandler(req, res);
  };
  // An https.Server is a tls.Server, not an http.Server, but has every member fastify uses of one.
  const server = tls ? (createHttpsServer(tls, listener) as unknown as Server) : createHttpServer(listener);
  server.keepAliveTimeout = timeouts.keepAliveTimeout;
  server.requestTimeout = timeouts.requestTimeout;
  server.setTimeout(timeouts.connectionTimeout);
  if (timeouts.maxRequestsPerSocket > 0) server.maxRequestsPerSocket = timeouts.maxRequestsPerSocket;
  // maxRequestsPerSocket is node's to count; with it set, every connection stays with node.
  if (fastAnswer && !tls && !(timeouts.maxRequestsPerSocket > 0)) installFastFront(server, fastAnswer);
  return server;
}
