import { readFileSync } from "node:fs";
import type { FastifyInstance } from "fastify";
import { PatchkastError } from "../errors.js";
import type { Logger } from "../log.js";
import type { AgentMetrics } from "../metrics/registry.js";
import type { ProvisioningService } from "../provision/service.js";
import type { UploadArea } from "../provision/uploads.js";
import { withoutIpv4Mapping } from "../site/ip.js";
import { buildHttpApp, type HttpAppDeps } from "./http/app.js";
import { startTftpServer, type TftpEvent, type TftpFileSource, type TftpServer } from "./tftp/index.js";

export interface ServerOptions {
  bind: string;
  tftpPort: number;
  /** Concurrent TFTP transfers; a whole office rebooting after a power cut must fit. */
  tftpMaxTransfers?: number;
  /** Who moves TFTP bytes (agent/serve/tftp/types.ts `engine`); default "auto": native when built. */
  tftpEngine?: "auto" | "native" | "js";
  httpPort: number;
  https?: { port: number; certFile: string; keyFile: string; legacy: boolean };
}

export interface RunningServers {
  tftp: TftpServer;
  http: FastifyInstance;
  https?: FastifyInstance;
  close(): Promise<void>;
}

/** TFTP reads go through the same provisioning service as HTTP: one policy, one audit trail. */
export function tftpSource(service: ProvisioningService): TftpFileSource {
  return {
    async read(path, client) {
      const answer = service.handle({
        path,
        source: withoutIpv4Mapping(client.address),
        protocol: "tftp",
      });
      if (answer.kind === "file") return { ok: true, data: answer.file.content };
      if (answer.kind === "firmware") return { ok: true, data: await service.firmwareBytes(answer.image) };
      return answer.status === 404
        ? { ok: false, code: "not-found", message: "File not found" }
        : { ok: false, code: "access-denied", message: "Access violation" };
    },
  };
}

export async function startServers(
  deps: {
    service: ProvisioningService;
    uploads: UploadArea;
    metrics: AgentMetrics;
    log: Logger;
    resync?: HttpAppDeps["resync"];
    apiAllowed?: HttpAppDeps["apiAllowed"];
    /** More routes on the HTTP(S) apps (the status API, phone call events); exact paths win over "/*". */
    routes?: (app: FastifyInstance) => void;
  },
  opts: ServerOptions,
): Promise<RunningServers> {
  const onTftpEvent = (e: TftpEvent) => {
    if (e.type === "completed") deps.metrics.tftpBytesSent.inc(e.bytes);
    if (e.type === "completed" || e.type === "failed" || e.type === "refused")
      deps.metrics.tftpTransfers.inc({ result: e.type });
    if (e.type === "failed")
      deps.log.warn({ path: e.path, client: e.client.address, reason: e.reason }, "TFTP transfer failed");
  };
  const tftp = await bind("TFTP", "udp", opts.tftpPort, () =>
    startTftpServer({
      host: opts.bind,
      port: opts.tftpPort,
      source: tftpSource(deps.service),
      onEvent: onTftpEvent,
      maxConcurrent: opts.tftpMaxTransfers ?? 1000,
      ...(opts.tftpEngine ? { engine: opts.tftpEngine } : {}),
    }),
  );
  // Says once how firmware moves: the native engine (a thread per transfer) or JS, and why not native.
  if (tftp.engine.kind === "native") deps.log.info("TFTP transfers run on the native engine");
  else deps.log.warn({ reason: tftp.engine.note }, "TFTP transfers run in JS (slower lock-step downloads)");
  const common = {
    provisioning: deps.service,
    uploads: deps.uploads,
    metrics: deps.metrics.registry,
    ...(deps.resync ? { resync: deps.resync } : {}),
    ...(deps.apiAllowed ? { apiAllowed: deps.apiAllowed } : {}),
  };
  const http = buildHttpApp({ ...common, protocol: "http" });
  deps.routes?.(http);
  await bind("HTTP", "tcp", opts.httpPort, () => http.listen({ host: opts.bind, port: opts.httpPort }));
  let https: FastifyInstance | undefined;
  if (opts.https) {
    const tls = {
      key: readFileSync(opts.https.keyFile),
      cert: readFileSync(opts.https.certFile),
      legacy: opts.https.legacy,
    };
    https = buildHttpApp({ ...common, protocol: "https" }, tls);
    deps.routes?.(https);
    const port = opts.https.port;
    await bind("HTTPS", "tcp", port, () => (https as FastifyInstance).listen({ host: opts.bind, port }));
  }
  return {
    tftp,
    http,
    ...(https ? { https } : {}),
    async close() {
      await Promise.allSettled([tftp.close(), http.close(), https?.close()]);
    },
  };
}

/** Starts one listener, turning "permission denied" and "in use" into errors that say what to do. */
async function bind<T>(what: string, proto: string, port: number, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (err) {
    // The TFTP server wraps the socket error in its own PatchkastError; the errno is on the cause.
    const errno =
      (err as { code?: unknown; cause?: { code?: unknown } }).cause?.code ??
      (err as NodeJS.ErrnoException).code;
    const code = typeof errno === "string" ? errno : undefined;
    if (code === "EACCES" && port < 1024) {
      throw new PatchkastError(
        "PK_ERR_SERVE_BIND",
        `cannot bind ${what} to ${proto} port ${port}: ports below 1024 need privilege. Run as root, or grant the ` +
          'capability once with `setcap cap_net_bind_service=+ep "$(readlink -f "$(command -v node)")"` (the Docker ' +
          `image does this), or use --${what.toLowerCase()}-port with a higher port and redirect ${port} to it`,
        { cause: err },
      );
    }
    if (code === "EADDRINUSE") {
      throw new PatchkastError(
        "PK_ERR_SERVE_BIND",
        `cannot bind ${what} to ${proto} port ${port}: already in use (another TFTP/HTTP server, or patchkast running twice?)`,
        { cause: err },
      );
    }
    throw new PatchkastError(
      "PK_ERR_SERVE_BIND",
      `cannot start ${what} on ${proto} port ${port}: ${(err as Error).message}`,
      { cause: err },
    );
  }
}
