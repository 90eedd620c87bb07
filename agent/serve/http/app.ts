import type { IncomingMessage, ServerResponse } from "node:http";
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import type { Registry } from "prom-client";
import { memoByString } from "../../memo.js";
import type { ResyncOutcome } from "../../provision/resync.js";
import type { ProvisioningService } from "../../provision/service.js";
import type { UploadArea } from "../../provision/uploads.js";
import { contains, type Ipv4Net } from "../../site/ip.js";
import { type PhoneEventSink, registerPhoneEventsRoute } from "./events-route.js";
import type { FastAnswer } from "./fast-front.js";
import { phoneFileServer, type ServerTimeouts } from "./phone-file-server.js";
import { phoneFileReply, remoteAddressOf, requestPath, servePhoneFile } from "./phone-files.js";

export { requestPath } from "./phone-files.js";

export interface HttpAppDeps {
  provisioning: ProvisioningService;
  uploads: UploadArea;
  protocol: "http" | "https";
  /** The Prometheus registry served at /metrics. */
  metrics?: Registry;
  /** Sends the resync NOTIFY to the given phones (all inventory phones when none are given). */
  resync?: (macs?: string[]) => Promise<ResyncOutcome[]>;
  /** Who may use the operations API (POST): loopback and the management VLAN. */
  apiAllowed?: readonly Ipv4Net[];
  /** Call events the phones push to /events/<token>/… (agent/calls/phone-event-source.ts). */
  phoneEvents?: PhoneEventSink;
  /** false: every request goes through node's HTTP parser (tests compare both paths). Default true. */
  fastFront?: boolean;
}

/**
 * The HTTP(S) provisioning app: phone files at the paths each family asks for, firmware under /firmware/
 * with Range support, Polycom uploads, and the JSON API. Built without listening (fastify's app/server
 * split), so tests drive it with inject() and the daemon binds it.
 */
export function buildHttpApp(
  deps: HttpAppDeps,
  https?: { key: Buffer; cert: Buffer; legacy: boolean },
): FastifyInstance {
  const tls = https
    ? {
        key: https.key,
        cert: https.cert,
        // Old phones on the provider's list speak TLS 1.0 with ciphers OpenSSL 3 disables at its default
        // security level (provisioning.md §3.5); the legacy listener opts in to them, nothing else does.
        ...(https.legacy
          ? { minVersion: "TLSv1" as const, ciphers: "DEFAULT:@SECLEVEL=0" }
          : { minVersion: "TLSv1.2" as const }),
      }
    : undefined;
  const phoneFiles = { provisioning: deps.provisioning, protocol: deps.protocol };
  // The catch-all GET route: phone files and firmware. Also answered without fastify (phone-file-server.ts).
  const servePhoneFileRoute = (req: FastifyRequest, reply: FastifyReply) => {
    reply.hijack();
    return servePhoneFile(phoneFiles, req.raw, reply.raw);
  };
  let closing = false;
  /**
   * Only what fastify's router would give the catch-all: any route registered here wins, as in fastify.
   * findRoute hands back fastify's one handler wrapper for every route, so the catch-all is recognised by its
   * wildcard: for "/*" it is the whole path, for any other wildcard route ("/events/*") less. Routes are
   * fixed once fastify is ready (it refuses new ones), so the answer per method and path is kept.
   */
  const catchAllGets = memoByString(
    (key) => {
      const space = key.indexOf(" ");
      const method = key.slice(0, space);
      const path = key.slice(space + 1);
      const route = app.findRoute({ method, url: path });
      return route !== null && route.params["*"] === path.slice(1);
    },
    { limit: 4096, maxKeyLength: 512 },
  );
  const isPhoneFileRoute = (method: string, url: string): boolean => {
    const query = url.indexOf("?");
    return catchAllGets(`${method} ${query === -1 ? url : url.slice(0, query)}`);
  };
  const answeredDirectly = (req: IncomingMessage, res: ServerResponse): boolean => {
    // While closing, fastify answers 503 (return503OnClosing).
    if (closing || (req.method !== "GET" && req.method !== "HEAD")) return false;
    if (!isPhoneFileRoute(req.method, req.url ?? "/")) return false;
    void servePhoneFile(phoneFiles, req, res);
    return true;
  };
  const fastAnswer: FastAnswer = (request) => {
    if (closing || !isPhoneFileRoute(request.method, request.target)) return undefined;
    return phoneFileReply(phoneFiles, {
      method: request.method,
      url: request.target,
      source: request.source,
      ...(request.userAgent !== undefined ? { userAgent: request.userAgent } : {}),
    });
  };
  const app = Fastify({
    logger: false,
    // Phones send small requests; anything big is not a phone. Uploads are bounded separately.
    bodyLimit: 1024 * 1024,

    return503OnClosing: true,
    // fastify passes its resolved options, timeouts included, to the factory.
    serverFactory: (handler, options) =>
      phoneFileServer(
        handler,
        options as unknown as ServerTimeouts,
        tls,
        answeredDirectly,
        deps.fastFront === false ? undefined : fastAnswer,
      ),
  });
  app.addHook("preClose", async () => {
    closing = true;
  });
  app.addContentTypeParser("*", { parseAs: "buffer", bodyLimit: 1024 * 1024 }, (_req, body, done) =>
    done(null, body),
  );

  app.get("/healthz", async () => ({ status: "ok" }));
  if (deps.phoneEvents) registerPhoneEventsRoute(app, deps.phoneEvents);
  app.get("/api/v1/phones", async () => ({ phones: deps.provisioning.checkIns.list() }));
  const registry = deps.metrics;
  if (registry) {
    app.get("/metrics", async (_req, reply) => {
      reply.type(registry.contentType).send(await registry.metrics());
    });
  }

  const resync = deps.resync;
  if (resync) {
    app.post("/api/v1/resync", async (req, reply) => {
      const source = remoteAddressOf(req.raw);
      if (!isLoopback(source) && !(deps.apiAllowed ?? []).some((net) => contains(net, source))) {
        return reply
          .code(403)
          .send({ error: "the operations API answers loopback and the management VLAN only" });
      }
      const body = (Buffer.isBuffer(req.body) ? safeJson(req.body) : req.body) as
        | { macs?: unknown }
        | undefined;
      const macs = body?.macs;
      if (
        macs !== undefined &&
        !(Array.isArray(macs) && macs.every((m) => typeof m === "string" && /^[0-9a-f]{12}$/.test(m)))
      ) {
        return reply.code(400).send({ error: "macs must be a list of 12 lower-case hex digits each" });
      }
      return { phones: await resync(macs as string[] | undefined) };
    });
  }

  app.get("/*", servePhoneFileRoute);
  app.put("/*", (req, reply) => handlePut(deps, req, reply));
  app.post("/*", (req, reply) => handlePut(deps, req, reply));
  app.setNotFoundHandler((_req, reply) =>
    reply.code(405).header("allow", "GET, HEAD, PUT").send("method not allowed\n"),
  );
  app.setErrorHandler((err, _req, reply) => {
    const status =
      typeof (err as { statusCode?: number }).statusCode === "number"
        ? (err as { statusCode: number }).statusCode
        : 500;
    reply
      .code(status >= 400 && status < 600 ? status : 500)
      .type("text/plain")
      .send(status === 500 ? "internal error\n" : `${(err as Error).message}\n`);
  });
  return app;
}

async function handlePut(deps: HttpAppDeps, req: FastifyRequest, reply: FastifyReply): Promise<void> {
  const path = requestPath(req.url);
  if (!path.ok) {
    reply.code(400).type("text/plain").send(`bad path: ${path.reason}\n`);
    return;
  }
  const body = Buffer.isBuffer(req.body)
    ? req.body
    : Buffer.from(typeof req.body === "string" ? req.body : "");
  const result = await deps.uploads.accept({
    path: path.path,
    source: remoteAddressOf(req.raw),
    body,
    protocol: deps.protocol,
    ...userAgentOf(req),
  });
  reply.code(result.status).type("text/plain").send(`${result.message}\n`);
}

function isLoopback(address: string): boolean {
  return address.startsWith("127.") || address === "::1";
}

function safeJson(body: Buffer): unknown {
  try {
    return body.length === 0 ? undefined : JSON.parse(body.toString("utf8"));
  } catch {
    return { macs: "invalid" };
  }
}

function userAgentOf(req: FastifyRequest): { userAgent?: string } {
  const ua = req.headers["user-agent"];
  return typeof ua === "string" ? { userAgent: ua } : {};
}
