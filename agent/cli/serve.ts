import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import type { FastifyInstance } from "fastify";
import { TcpdumpSource } from "../../drivers/capture/tcpdump.js";
import { notify } from "../../drivers/sip/client.js";
import { createCaptureCallSource } from "../calls/capture-source.js";
import { loadOrCreateEventKey } from "../calls/device-tokens.js";
import { PhoneEventSource, phoneEventSite } from "../calls/phone-event-source.js";
import type { CallSource } from "../calls/types.js";
import { PatchkastError } from "../errors.js";
import { createLogger, type Logger } from "../log.js";
import { createMetrics } from "../metrics/registry.js";
import type { Monitor } from "../monitor/daemon.js";
import { RotatingAuditLog } from "../provision/audit-log.js";
import { FirmwareStore } from "../provision/firmware-store.js";
import { resyncPhones } from "../provision/resync.js";
import { registerPhoneEventsRoute } from "../serve/http/events-route.js";
import { registerStatusRoutes } from "../serve/http/status-route.js";
import { setUpMonitoring } from "../serve/monitoring-setup.js";
import { setUpProvisioning } from "../serve/provisioning-setup.js";
import { type RunningServers, startServers } from "../serve/servers.js";
import { watchSiteFile } from "../serve/site-watcher.js";
import { parseCidr } from "../site/ip.js";
import { loadSiteFile } from "../site/load.js";
import { type CatalogOption, catalogFrom, type Io, secretResolverFor } from "./common.js";

export interface ServeOptions extends CatalogOption {
  stateDir: string;
  bind: string;
  tftpPort: string;
  tftpMaxTransfers: string;
  tftpEngine?: string;
  httpPort?: string;
  httpsPort?: string;
  tlsCert?: string;
  tlsKey?: string;
  tlsLegacy?: boolean;
  firmwareDir?: string;
  phoneSipPort?: string;
  placeholderSecrets?: boolean;
  /** commander's `--no-monitor`: false turns monitoring off (provisioning only). */
  monitor?: boolean;
  roundInterval?: string;
  sipProbeInterval?: string;
  /** Count calls from SIP seen on this interface (a mirror port); needs CAP_NET_RAW for tcpdump. */
  captureInterface?: string;
  captureFilter?: string;
}

function port(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new PatchkastError("PK_ERR_USAGE", `${flag} must be a port number 0..65535, not "${value}"`);
  return n;
}

function count(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 100_000)
    throw new PatchkastError("PK_ERR_USAGE", `${flag} must be a whole number 1..100000, not "${value}"`);
  return n;
}

function tftpEngine(value: string | undefined): "auto" | "native" | "js" {
  if (value === undefined || value === "auto" || value === "native" || value === "js") return value ?? "auto";
  throw new PatchkastError("PK_ERR_USAGE", `--tftp-engine must be auto, native or js, not "${value}"`);
}

function seconds(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 1 || n > 86_400)
    throw new PatchkastError("PK_ERR_USAGE", `${flag} must be a number of seconds 1..86400, not "${value}"`);
  return n * 1000;
}

export interface RunningServe extends RunningServers {
  /** null with --no-monitor. */
  monitor: Monitor | null;
}

/**
 * Starts the provisioning servers and the monitoring for a site; resolves with them running (tests stop
 * them with close()).
 */
export async function startServe(siteFile: string, opts: ServeOptions, log: Logger): Promise<RunningServe> {
  const catalog = catalogFrom(opts);
  const site = loadSiteFile(siteFile, catalog);
  let current = site;
  const stateDir = resolve(opts.stateDir);
  const firmwareDir = resolve(opts.firmwareDir ?? join(stateDir, "firmware"));
  const firmware = existsSync(join(firmwareDir, "SHA256SUMS"))
    ? await FirmwareStore.load(firmwareDir)
    : FirmwareStore.empty();
  if (!existsSync(join(firmwareDir, "SHA256SUMS"))) {
    log.warn(
      { firmwareDir },
      "no firmware store (SHA256SUMS missing): phones keep their firmware; firmware requests get 404",
    );
  }
  for (const p of firmware.problems) log.error({ firmware: p.path }, `firmware store: ${p.message}`);

  const metrics = createMetrics(process.env.npm_package_version ?? "0.1.0");
  const audit = new RotatingAuditLog(join(stateDir, "audit", "provisioning.log"));
  const secrets = secretResolverFor(siteFile, opts.placeholderSecrets === true);
  // The key behind every phone's call-event token; made on first start, kept in the state dir (0600).
  const eventKey = loadOrCreateEventKey(stateDir);
  const phoneEvents = new PhoneEventSource({
    key: eventKey,
    site: phoneEventSite(site, catalog),
    onResult: (result, family) => metrics.monitor.phoneEvents.inc({ family: family ?? "unknown", result }),
  });
  const setup = setUpProvisioning({
    deviceToken: eventKey.tokens(),
    site,
    catalog,
    secrets,
    firmware,
    audit,
    stateDir,
    onEvent: (e) => {
      metrics.countProvisionRequest(e.family, e.result);
      if (e.blockedSource) {
        metrics.provisionBlockedSources.inc();
        log.warn(
          { source: e.source, path: e.path },
          "provisioning: source blocked after too many requests for unknown MAC-named files",
        );
      }
    },
  });
  const httpsPort = opts.httpsPort === undefined ? undefined : port(opts.httpsPort, "--https-port");
  if (httpsPort !== undefined && (!opts.tlsCert || !opts.tlsKey)) {
    throw new PatchkastError("PK_ERR_USAGE", "--https-port needs --tls-cert and --tls-key (PEM files)");
  }
  const resyncDeps = {
    addressOf: (mac: string) => setup.service.checkIns.addressOf(mac),
    notify,
    ...(opts.phoneSipPort === undefined ? {} : { port: port(opts.phoneSipPort, "--phone-sip-port") }),
  };
  const resync = async (macs?: string[]) => {
    const phones = setup.phones().filter((p) => macs === undefined || macs.includes(p.mac));
    const outcomes = await resyncPhones(phones, resyncDeps);
    for (const o of outcomes) metrics.phoneResyncs.inc({ family: o.family, result: o.result });
    log.info(
      { phones: outcomes.length, sent: outcomes.filter((o) => o.result === "sent").length },
      "resync NOTIFY sent",
    );
    return outcomes;
  };
  const stopWatching = watchSiteFile(siteFile, async () => {
    let next: ReturnType<typeof loadSiteFile>;
    try {
      next = loadSiteFile(siteFile, catalog);
      const changed = setup.reload(next);
      current = next;
      phoneEvents.setSite(phoneEventSite(next, catalog));
      metrics.siteReloads.inc({ result: "applied" });
      log.info({ changedPhones: changed.length }, "site file changed: files re-rendered");
      if (changed.length > 0) await resync(changed.map((c) => c.mac));
    } catch (err) {
      metrics.siteReloads.inc({ result: "invalid" });
      log.error(
        { err: (err as Error).message },
        "site file changed but cannot be used; the previous version stays in force",
      );
    }
  });
  const apiAllowed = [parseCidr(site.vlans.management.subnet)].filter((n) => n !== undefined);
  const callSources: CallSource[] = [phoneEvents];
  if (opts.captureInterface) {
    callSources.push(
      createCaptureCallSource({
        packets: new TcpdumpSource({
          interface: opts.captureInterface,
          ...(opts.captureFilter
            ? { filter: opts.captureFilter }
            : { ports: [site.provider.sip_proxy.port] }),
        }),
        onError: (err) =>
          log.warn(
            { code: err.code, err: err.message },
            "SIP capture failed; the capture call source may be stale",
          ),
      }),
    );
  }
  const monitor =
    opts.monitor === false
      ? null
      : setUpMonitoring({
          site: () => current,
          catalog,
          secrets,
          stateDir,
          metrics: metrics.monitor,
          log,
          phones: () => setup.service.checkIns.list(),
          callSources,
          intervals: {
            roundMs: seconds(opts.roundInterval ?? "60", "--round-interval"),
            sipProbeMs: seconds(opts.sipProbeInterval ?? "30", "--sip-probe-interval"),
          },
        });
  const routes = (app: FastifyInstance) => {
    registerPhoneEventsRoute(app, phoneEvents);
    if (monitor)
      registerStatusRoutes(
        app,
        () => monitor.status(),
        () => monitor.latest(),
      );
  };
  const servers = await startServers(
    { service: setup.service, uploads: setup.uploads, metrics, log, resync, apiAllowed, routes },
    {
      bind: opts.bind,
      tftpPort: port(opts.tftpPort, "--tftp-port"),
      tftpMaxTransfers: count(opts.tftpMaxTransfers, "--tftp-max-transfers"),
      tftpEngine: tftpEngine(opts.tftpEngine),
      httpPort: opts.httpPort === undefined ? site.agent.http_port : port(opts.httpPort, "--http-port"),
      ...(httpsPort !== undefined
        ? {
            https: {
              port: httpsPort,
              certFile: opts.tlsCert as string,
              keyFile: opts.tlsKey as string,
              legacy: opts.tlsLegacy === true,
            },
          }
        : {}),
    },
  );
  const http = servers.http.server.address();
  log.info(
    {
      site: site.site_id,
      files: setup.tree.size,
      firmware: firmware.list().length,
      tftp: servers.tftp.address,
      http: typeof http === "object" && http ? { address: http.address, port: http.port } : http,
      stateDir,
    },
    "patchkast serving",
  );
  await monitor?.start();
  const close = servers.close;
  return {
    ...servers,
    monitor,
    async close() {
      stopWatching();
      await monitor?.stop();
      await close();
      await audit.close();
    },
  };
}

export function registerServe(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command("serve")
    .description(
      "serve the site's phone files and firmware over TFTP and HTTP(S), to the right phone only, and monitor the site (checks, SIP probes, calls) for /metrics and /api/v1/status",
    )
    .argument("<site>", "site YAML file")
    .option(
      "--state-dir <dir>",
      "audit log, uploads, firmware store",
      process.env.PATCHKAST_STATE_DIR ?? "patchkast-state",
    )
    .option("--bind <address>", "address to listen on", "0.0.0.0")
    .option("--tftp-port <port>", "TFTP port (69 needs root or CAP_NET_BIND_SERVICE)", "69")
    .option("--tftp-max-transfers <n>", "concurrent TFTP transfers before new ones get 'server busy'", "1000")
    .option(
      "--tftp-engine <engine>",
      "who moves TFTP bytes: native (a thread per transfer, built by npm ci), js, or auto (native when built)",
      "auto",
    )
    .option("--http-port <port>", "HTTP port (default: agent.http_port of the site)")
    .option("--https-port <port>", "also serve HTTPS on this port")
    .option("--tls-cert <file>", "PEM certificate for HTTPS")
    .option("--tls-key <file>", "PEM private key for HTTPS")
    .option("--tls-legacy", "allow TLS 1.0/1.1 and old ciphers for old phones on the HTTPS listener")
    .option("--phone-sip-port <port>", "port the phones take resync NOTIFYs on (default 5060)")
    .option("--firmware-dir <dir>", "firmware store with a SHA256SUMS file (default: <state-dir>/firmware)")
    .option("--placeholder-secrets", "serve with stand-in secrets (demos and tests only)")
    .option("--no-monitor", "provisioning only: no device reads, SIP probes or checks")
    .option("--round-interval <seconds>", "how often to read the devices and run every check", "60")
    .option("--sip-probe-interval <seconds>", "how often to probe the provider's SIP proxy", "30")
    .option(
      "--capture-interface <name>",
      "count calls from the SIP signalling seen on this interface (a mirror port; runs tcpdump, needs CAP_NET_RAW)",
    )
    .option("--capture-filter <bpf>", "capture filter (default: UDP and TCP on the SIP proxy's port)")
    .option("--catalog <dir>", "catalog folder (default: the built-in configs/catalog)")
    .action(async (site: string, opts: ServeOptions) => {
      const log = createLogger();
      const servers = await startServe(site, opts, log);
      await new Promise<void>((done) => {
        const stop = (signal: string) => {
          log.info({ signal }, "stopping");
          servers.close().then(done, done);
        };
        process.once("SIGINT", () => stop("SIGINT"));
        process.once("SIGTERM", () => stop("SIGTERM"));
      });
      io.out("patchkast stopped");
      setExit(0);
    });
}
