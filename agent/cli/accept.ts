import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { FileHostKeyStore } from "../../drivers/ios/host-keys.js";
import { fetchAgentPhones } from "../accept/agent-phones.js";
import { verdictLine } from "../accept/progress.js";
import { RecordingSecretResolver } from "../accept/redact.js";
import { localDate } from "../accept/report.js";
import { type AcceptDeps, exitCodeFor, reportFiles, runAcceptance } from "../accept/run.js";
import { terminal } from "../accept/text.js";
import { assertReportDirFree, writeReportDir } from "../accept/write.js";
import type { Catalog } from "../catalog/load.js";
import { type CheckLimits, runChecks } from "../checks/index.js";
import { PatchkastError } from "../errors.js";
import { inMaintenanceWindow } from "../monitor/maintenance.js";
import { observeSite } from "../monitor/observe.js";
import { realObserveDeps } from "../monitor/observe-real.js";
import { packageRoot } from "../paths.js";
import { loadSiteFile } from "../site/load.js";
import type { Site } from "../site/schema.js";
import type { SecretResolver } from "../site/secrets.js";
import { type CatalogOption, catalogFrom, type Io, secretResolverFor } from "./common.js";

/**
 * `patchkast accept <site>`: the post-install acceptance ("Protocol van Oplevering"). Observes the site once,
 * runs every check once, prints a line per step and per check on stderr and the verdict on stdout, and
 * writes report.json, junit.xml and report.html into a new folder.
 *
 * Exit codes:
 *   0  accepted: every check passed (or, with --allow-unknown, none failed and some could not be judged)
 *   1  not accepted: a check failed, a check could not be judged (without --allow-unknown), or none ran
 *   2  acceptance did not run or left no report: wrong usage, site or catalog file with mistakes, a
 *      missing secret, the report folder already exists (without --force), or the report could not be written
 *  70  a bug (main.ts)
 */
export interface AcceptOptions extends CatalogOption {
  out?: string;
  force?: boolean;
  allowUnknown?: boolean;
  engineer?: string;
  stateDir: string;
  agentUrl?: string;
  placeholderSecrets?: boolean;
  /** Slowest acceptable SIP OPTIONS round trip, ms (checks/limits.ts). */
  maxSipRtt?: string;
  /** Free PoE budget each switch must keep, percent. */
  minPoeHeadroom?: string;
}

/** What the real collectors need; everything `accept` knows about the run. */
export interface WireInput {
  siteFile: string;
  site: Site;
  catalog: Catalog;
  stateDir: string;
  /** Hand this to the collectors: it remembers each secret so the report can be scrubbed of it. */
  secrets: SecretResolver;
  /** The running agent (`patchkast serve`) whose provisioning service knows the phones' check-ins. */
  agentUrl: string;
  /** Thresholds given on the command line; the rest are checks/limits.ts defaults. */
  limits?: Partial<CheckLimits>;
}

/**
 * THE place where `accept` meets the collectors and the checks: one round of observeSite over the real
 * drivers (as `serve` runs it, agent/serve/monitoring-setup.ts), the phones' check-ins from the running
 * agent's API, then every check. Tests pass their own function instead.
 */
export function wireAcceptDeps(input: WireInput): AcceptDeps {
  const { site, catalog, secrets } = input;
  return {
    observe: (onStep) =>
      observeSite(
        {
          ...realObserveDeps({
            site,
            catalog,
            secrets,
            hostKeys: new FileHostKeyStore(join(input.stateDir, "known_hosts")),
          }),
          phones: () => fetchAgentPhones(input.agentUrl),
          inMaintenanceWindow: (now) =>
            inMaintenanceWindow(now, site.time_zone, catalog.sla.maintenance_window),
        },
        (e) =>
          onStep({
            subject: e.device ?? site.site_id,
            step: e.step,
            ok: e.ok,
            ...(e.detail === undefined ? {} : { detail: e.detail }),
          }),
      ),
    runChecks: (ctx) => runChecks(input.limits ? { ...ctx, limits: input.limits } : ctx),
  };
}

/** ./acceptance-<site_id>-<YYYY-MM-DD>, the date in the site's time zone. */
export function defaultOutDir(site: Site, at: Date): string {
  return `acceptance-${site.site_id}-${localDate(at, site.time_zone)}`;
}

function agentVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8")) as { version?: string };
    return pkg.version ?? "unknown";
  } catch {
    return process.env.npm_package_version ?? "unknown";
  }
}

function limitsFromOptions(opts: AcceptOptions): Partial<CheckLimits> {
  const limits: Partial<CheckLimits> = {};
  if (opts.maxSipRtt !== undefined) {
    const n = Number(opts.maxSipRtt);
    if (!Number.isFinite(n) || n <= 0 || n > 60_000)
      throw new PatchkastError(
        "PK_ERR_USAGE",
        `--max-sip-rtt must be milliseconds 1..60000, not "${opts.maxSipRtt}"`,
      );
    limits.sipRttMs = n;
  }
  if (opts.minPoeHeadroom !== undefined) {
    const n = Number(opts.minPoeHeadroom);
    if (!Number.isFinite(n) || n < 0 || n >= 100)
      throw new PatchkastError(
        "PK_ERR_USAGE",
        `--min-poe-headroom must be a percentage 0..99, not "${opts.minPoeHeadroom}"`,
      );
    limits.poeHeadroomPercent = n;
  }
  return limits;
}

function couldNotRun(io: Io, err: unknown): number {
  if (!(err instanceof PatchkastError)) throw err;
  io.err(terminal(`patchkast accept: ${err.message.split("\n")[0]}`));
  for (const line of err.message.split("\n").slice(1)) io.err(terminal(`  ${line}`));
  io.err(`(${err.code}; acceptance did not run to a report, exit 2)`);
  return 2;
}

export async function runAccept(
  siteFile: string,
  opts: AcceptOptions,
  io: Io,
  wire: (input: WireInput) => AcceptDeps = wireAcceptDeps,
  now: () => Date = () => new Date(),
): Promise<number> {
  let site: Site;
  let catalog: Catalog;
  let outDir: string;
  let deps: AcceptDeps;
  const secrets = new RecordingSecretResolver(secretResolverFor(siteFile, opts.placeholderSecrets === true));
  try {
    catalog = catalogFrom(opts);
    site = loadSiteFile(siteFile, catalog);
    outDir = opts.out ?? defaultOutDir(site, now());
    assertReportDirFree(outDir, opts.force === true);
    const agentUrl = opts.agentUrl ?? `http://${site.agent.address}:${site.agent.http_port}`;
    const limits = limitsFromOptions(opts);
    deps = wire({ siteFile, site, catalog, stateDir: opts.stateDir, secrets, agentUrl, limits });
  } catch (err) {
    return couldNotRun(io, err);
  }
  io.err(terminal(`accept ${site.site_id} (${site.customer}): observing the site, then running every check`));
  try {
    const report = await runAcceptance(
      site,
      catalog,
      { now, ...deps },
      {
        agentVersion: agentVersion(),
        allowUnknown: opts.allowUnknown === true,
        ...(opts.engineer === undefined ? {} : { engineer: opts.engineer }),
        secrets: () => secrets.values(),
      },
      (line) => io.err(line),
    );
    const dir = writeReportDir(outDir, reportFiles(report), opts.force === true);
    io.out(verdictLine(report, dir));
    return exitCodeFor(report.verdict);
  } catch (err) {
    return couldNotRun(io, err);
  }
}

export function registerAccept(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command("accept")
    .description(
      "acceptance test after an installation: every check once, then report.json, junit.xml and a printable report.html (Protocol van Oplevering); exit 0 accepted, 1 not accepted, 2 did not run",
    )
    .argument("<site>", "site YAML file")
    .option("-o, --out <dir>", "report folder (default: ./acceptance-<site_id>-<date>); must not exist")
    .option("--force", "replace an earlier acceptance report in --out")
    .option("--allow-unknown", "checks that could not be judged do not block acceptance (failures still do)")
    .option("--engineer <name>", "print the engineer's name on the signature field")
    .option(
      "--state-dir <dir>",
      "SSH known hosts (host keys pinned on first use, as push and diff pin them)",
      process.env.PATCHKAST_STATE_DIR ?? "patchkast-state",
    )
    .option(
      "--agent-url <url>",
      "the running `patchkast serve` that knows the phones' check-ins (default: http://<agent.address>:<agent.http_port> of the site)",
    )
    .option("--max-sip-rtt <ms>", "slowest acceptable OPTIONS round trip to the SIP proxy (default 300)")
    .option("--min-poe-headroom <percent>", "free PoE budget each switch must keep (default 10)")
    .option("--placeholder-secrets", "use stand-in secrets (the lab)")
    .option("--catalog <dir>", "catalog folder (default: the built-in configs/catalog)")
    .action(async (site: string, opts: AcceptOptions) => setExit(await runAccept(site, opts, io)));
}
