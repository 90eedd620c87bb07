import { join } from "node:path";
import type { Command } from "commander";
import { configDrift, formatDiff } from "../../drivers/ios/drift.js";
import { FileHostKeyStore } from "../../drivers/ios/host-keys.js";
import { parseShowRunningConfig, renderConfig } from "../../drivers/ios/parse/show-running-config.js";
import { type PushResult, pushConfig } from "../../drivers/ios/push.js";
import { IosSession, type IosTarget } from "../../drivers/ios/session.js";
import type { Catalog } from "../catalog/load.js";
import { PatchkastError } from "../errors.js";
import { renderRouterConfig, renderSwitchConfig } from "../render/network-view.js";
import { loadSiteFile } from "../site/load.js";
import type { Site } from "../site/schema.js";
import type { SecretResolver } from "../site/secrets.js";
import { ConfigHistory } from "../store/config-history.js";
import { type CatalogOption, catalogFrom, type Io, secretResolverFor } from "./common.js";

export interface SiteDevice {
  name: string;
  role: "router" | "switch";
  target: IosTarget;
  /** The standard config patchkast renders for it (with real secrets: never printed). */
  intent: () => string;
}

/** The site's router and switches with their SSH targets; secrets are resolved here, once. */
export function siteDevices(site: Site, catalog: Catalog, secrets: SecretResolver): SiteDevice[] {
  const target = (d: Site["router"] | Site["switches"][number]): IosTarget => ({
    name: d.name,
    host: d.management_address,
    port: d.ssh_port,
    username: d.credentials.username,
    password: secrets.resolve(d.credentials.password, `SSH password of ${d.name}`).reveal(),
    ...(d.credentials.enable_secret
      ? { enableSecret: secrets.resolve(d.credentials.enable_secret, `enable secret of ${d.name}`).reveal() }
      : {}),
    legacyAlgorithms: d.legacy_ssh,
  });
  return [
    {
      name: site.router.name,
      role: "router",
      target: target(site.router),
      intent: () => renderRouterConfig(site, catalog, secrets).content,
    },
    ...site.switches.map((sw) => ({
      name: sw.name,
      role: "switch" as const,
      target: target(sw),
      intent: () => renderSwitchConfig(site, sw, catalog, secrets).content,
    })),
  ];
}

interface DeviceOptions extends CatalogOption {
  device?: string[];
  stateDir: string;
  placeholderSecrets?: boolean;
}

function selected(devices: SiteDevice[], names: string[] | undefined): SiteDevice[] {
  if (!names || names.length === 0) return devices;
  const unknown = names.filter((n) => !devices.some((d) => d.name === n));
  if (unknown.length > 0)
    throw new PatchkastError(
      "PK_ERR_USAGE",
      `no device ${unknown.join(", ")} in this site (devices: ${devices.map((d) => d.name).join(", ")})`,
    );
  return devices.filter((d) => names.includes(d.name));
}

function context(siteFile: string, opts: DeviceOptions) {
  const catalog = catalogFrom(opts);
  const site = loadSiteFile(siteFile, catalog);
  const devices = selected(
    siteDevices(site, catalog, secretResolverFor(siteFile, opts.placeholderSecrets === true)),
    opts.device,
  );
  const hostKeys = new FileHostKeyStore(join(opts.stateDir, "known_hosts"));
  const history = new ConfigHistory(join(opts.stateDir, "history"));
  return {
    site,
    devices,
    hostKeys,
    history,
    connect: (d: SiteDevice) => () => IosSession.open(d.target, hostKeys),
  };
}

export async function runPush(
  siteFile: string,
  opts: DeviceOptions & { dryRun?: boolean; revertMinutes?: string },
  io: Io,
): Promise<number> {
  const { devices, history, connect } = context(siteFile, opts);
  const results: PushResult[] = [];
  for (const d of devices) {
    io.out(`${d.name}: ${opts.dryRun ? "comparing" : "pushing"} the standard ${d.role} config`);
    try {
      const r = await pushConfig({
        device: d.name,
        candidate: d.intent(),
        connect: connect(d),
        history,
        dryRun: opts.dryRun === true,
        revertMinutes: opts.revertMinutes === undefined ? 5 : Number(opts.revertMinutes),
        onStep: (s) => io.out(`  ${d.name}: ${s}`),
      });
      results.push(r);
      if (r.diff.length > 0) io.out(formatDiff(r.diff).replace(/^/gm, "    "));
      io.out(`${d.name}: ${r.outcome}: ${r.message}`);
    } catch (err) {
      results.push({
        device: d.name,
        outcome: "failed",
        diff: [],
        deviceDiff: "",
        message: (err as Error).message,
      });
      io.err(`${d.name}: failed: ${(err as Error).message}`);
    }
  }
  return results.every((r) => r.outcome !== "failed") ? 0 : 1;
}

export async function runBackup(siteFile: string, opts: DeviceOptions, io: Io): Promise<number> {
  const { devices, history, connect } = context(siteFile, opts);
  let failed = 0;
  for (const d of devices) {
    try {
      const session = await connect(d)();
      try {
        const running = parseShowRunningConfig(await session.run("show running-config", 120_000));
        const commit = await history.record(
          d.name,
          `${renderConfig(running.nodes).join("\n")}\n`,
          `backup of ${d.name}`,
        );
        io.out(
          `${d.name}: ${commit ? `saved as ${commit.slice(0, 12)}` : "unchanged since the last backup"}`,
        );
      } finally {
        session.close();
      }
    } catch (err) {
      failed++;
      io.err(`${d.name}: ${(err as Error).message}`);
    }
  }
  io.out(`history: ${history.dir} (git log works there)`);
  return failed === 0 ? 0 : 1;
}

/** Exit 0: no drift; 1: drift or an error. */
export async function runDiff(siteFile: string, opts: DeviceOptions, io: Io): Promise<number> {
  const { devices, connect } = context(siteFile, opts);
  let status = 0;
  for (const d of devices) {
    try {
      const session = await connect(d)();
      let running: string;
      try {
        running = await session.run("show running-config", 120_000);
      } finally {
        session.close();
      }
      const drift = configDrift(d.intent(), running);
      io.out(
        drift.length === 0
          ? `${d.name}: no drift`
          : `${d.name}: ${drift.length} line(s) differ from the standard config\n${formatDiff(drift).replace(/^/gm, "  ")}`,
      );
      if (drift.length > 0) status = 1;
    } catch (err) {
      status = 1;
      io.err(`${d.name}: ${(err as Error).message}`);
    }
  }
  return status;
}

export function registerDevices(program: Command, io: Io, setExit: (code: number) => void): void {
  const common = (cmd: Command) =>
    cmd
      .argument("<site>", "site YAML file")
      .option("-d, --device <name...>", "only these devices (default: the router and every switch)")
      .option(
        "--state-dir <dir>",
        "known hosts and config history",
        process.env.PATCHKAST_STATE_DIR ?? "patchkast-state",
      )
      .option("--placeholder-secrets", "use stand-in secrets (the lab)")
      .option("--catalog <dir>", "catalog folder");
  common(
    program
      .command("push")
      .description(
        "replace device configs with the standard config, safely (backup, device diff, revert timer, confirm, save)",
      ),
  )
    .option("--dry-run", "show what would change; change nothing")
    .option("--revert-minutes <n>", "minutes until an unconfirmed replace reverts by itself", "5")
    .action(async (site: string, opts) => setExit(await runPush(site, opts, io)));
  common(
    program
      .command("backup")
      .description("save each device's running config into the history (a git repository in the state dir)"),
  ).action(async (site: string, opts) => setExit(await runBackup(site, opts, io)));
  common(
    program
      .command("diff")
      .description("compare each device's running config with the standard config (drift), hierarchically"),
  ).action(async (site: string, opts) => setExit(await runDiff(site, opts, io)));
}
