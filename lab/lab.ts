import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { type Catalog, loadCatalog } from "../agent/catalog/load.js";
import { packageRoot, sitesDir } from "../agent/paths.js";
import { loadSiteFile } from "../agent/site/load.js";
import type { Site } from "../agent/site/schema.js";
import { EnvFileSecretResolver, parseSecretRef, type SecretResolver } from "../agent/site/secrets.js";
import { credentialsOf, routerBootstrap, switchBootstrap } from "./bootstrap.js";
import { LabClock } from "./clock.js";
import { IosDevice } from "./device/device.js";
import { hardwareFor, membersFor } from "./device/hardware.js";
import { canonicalInterface } from "./device/params.js";
import { phonesFromSite, type SimPhone } from "./phones.js";
import { type LabSipProxy, startSipProxy } from "./sip-proxy.js";
import { labSipAccounts, labSipHost } from "./sip-site.js";
import { type DeviceSnmpAgent, startSnmpAgent } from "./snmp-agent.js";
import { type DeviceSshServer, generateHostKey, startSshServer } from "./ssh-server.js";
import { cable } from "./world.js";

export const labSite = join(sitesDir, "lab.yaml");
export const defaultStateDir = join(packageRoot, "lab", ".state");

export interface LabOptions {
  /** The site to simulate; default configs/sites/lab.yaml. */
  site?: string;
  /** Where devices keep flash, nvram and SSH host keys between runs; null keeps everything in memory. */
  stateDir?: string | null;
  /** Bind every device here instead of its management address (e.g. 127.0.0.1 for a site not on loopback). */
  bindAddress?: string;
  /** 22 and 161 by default; 0 picks free ports. With `bindAddress`, device n gets port + n. */
  sshPort?: number;
  snmpPort?: number;
  /**
   * The SIP proxy's port (UDP and TCP): the site's provider.sip_proxy port (5060) by default, so the site
   * file as it is reaches it; 0 picks a free one. With `sshPort: 0` it defaults to 0 too, so that the labs
   * of tests running side by side do not fight over 5060.
   */
  sipPort?: number;
  /** Device minutes per real minute for the revert timer (60: a 1-minute timer expires after 1 s). */
  timeScale?: number;
  secrets?: SecretResolver;
  catalog?: Catalog;
  /** The SNMPv2c community of the bootstrap config. */
  community?: string;
}

export interface LabDevice {
  name: string;
  role: "router" | "switch";
  model: string;
  host: string;
  sshPort: number;
  snmpPort: number;
  device: IosDevice;
  /** Cuts every SSH session to this device (a link going down). */
  dropSessions(): void;
}

export interface Lab {
  site: Site;
  siteFile: string;
  devices: LabDevice[];
  phones: SimPhone[];
  /** The provider's SIP proxy (lab/sip-proxy.ts) on its own loopback address; stop() it to cut it off. */
  sip: LabSipProxy;
  clock: LabClock;
  community: string;
  stop(): Promise<void>;
}

/** For each `file:` secret of the site that does not exist yet, a random value (mode 0600). */
export function ensureFileSecrets(siteFile: string, site: Site): string[] {
  const written: string[] = [];
  const visit = (v: unknown): void => {
    if (typeof v === "string") {
      const ref = parseSecretRef(v);
      if (ref?.kind !== "file") return;
      const path = isAbsolute(ref.path) ? ref.path : resolve(dirname(siteFile), ref.path);
      if (existsSync(path)) return;
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, `${randomBytes(9).toString("base64url").replace(/[-_]/g, "x")}\n`, { mode: 0o600 });
      written.push(path);
    } else if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === "object") Object.values(v).forEach(visit);
  };
  visit(site);
  return written;
}

function hostKey(stateDir: string | null, name: string): string {
  if (!stateDir) return generateHostKey();
  const file = join(stateDir, name, "ssh_host_rsa_key");
  if (existsSync(file)) return readFileSync(file, "utf8");
  const key = generateHostKey();
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, key, { mode: 0o600 });
  return key;
}

/** Starts the lab: both devices of the site with SSH and SNMP, phones on their ports. */
export async function startLab(opts: LabOptions = {}): Promise<Lab> {
  const siteFile = resolve(opts.site ?? labSite);
  const catalog = opts.catalog ?? loadCatalog();
  const site = loadSiteFile(siteFile, catalog);
  if (!opts.secrets) ensureFileSecrets(siteFile, site);
  const secrets = opts.secrets ?? new EnvFileSecretResolver(dirname(siteFile));
  const stateDir = opts.stateDir === undefined ? defaultStateDir : opts.stateDir;
  const clock = new LabClock(opts.timeScale ?? 1);
  const community = opts.community ?? process.env.PATCHKAST_LAB_COMMUNITY ?? "patchkast-lab";
  const make = (name: string, model: string, ports: string[]) =>
    new IosDevice({
      name,
      hw: hardwareFor(model, name, membersFor(ports)),
      clock,
      ...(stateDir
        ? { flashDir: join(stateDir, name, "flash"), nvramDir: join(stateDir, name, "nvram") }
        : {}),
    });
  const r = site.router;
  const router = make(r.name, r.model, []);
  const plan: { role: LabDevice["role"]; dev: IosDevice; host: string; boot: string }[] = [
    {
      role: "router",
      dev: router,
      host: r.management_address,
      boot: routerBootstrap(site, credentialsOf(r.credentials, secrets, r.name), secrets, community),
    },
  ];
  const switches = site.switches.map((s) => {
    const dev = make(s.name, s.model, [s.uplink, ...s.phone_ports]);
    plan.push({
      role: "switch",
      dev,
      host: s.management_address,
      boot: switchBootstrap(site, s, credentialsOf(s.credentials, secrets, s.name), secrets, community),
    });
    return { dev, uplink: name(s.uplink) };
  });
  for (const p of plan) boot(p.dev, p.boot);
  const phones = phonesFromSite(site, catalog);
  cable({ router, routerLan: name(r.lan_interface), switches, phones });

  const ssh: DeviceSshServer[] = [];
  const agents: DeviceSnmpAgent[] = [];
  const devices: LabDevice[] = [];
  let sip: LabSipProxy;
  try {
    for (const [i, p] of plan.entries()) {
      const host = opts.bindAddress ?? p.host;
      const shift = (port: number) => (opts.bindAddress && port !== 0 ? port + i : port);
      const server = await startSshServer(p.dev, {
        host,
        port: shift(opts.sshPort ?? 22),
        hostKey: hostKey(stateDir, p.dev.name),
      });
      ssh.push(server);
      const agent = await startSnmpAgent(p.dev, { host, port: shift(opts.snmpPort ?? 161) });
      agents.push(agent);
      devices.push({
        name: p.dev.name,
        role: p.role,
        model: p.dev.hw.model,
        host,
        sshPort: server.port,
        snmpPort: agent.port,
        device: p.dev,
        dropSessions: () => server.dropAll(),
      });
    }
    sip = await startSipProxy({
      host: labSipHost(site, opts.bindAddress),
      port: opts.sipPort ?? (opts.sshPort === 0 ? 0 : site.provider.sip_proxy.port),
      realm: site.provider.sip_proxy.host,
      accounts: labSipAccounts(site, secrets),
    });
  } catch (err) {
    await Promise.all([...ssh.map((s) => s.close()), ...agents.map((a) => a.close())]);
    clock.stop();
    throw err;
  }
  // A change on one device changes what its neighbours see (CDP, link state, DHCP leases).
  for (const p of plan)
    p.dev.onChange(() => {
      for (const a of agents) a.invalidate();
    });
  return {
    site,
    siteFile,
    devices,
    phones,
    sip,
    clock,
    community,
    stop: async () => {
      clock.stop();
      await Promise.all([...ssh.map((s) => s.close()), ...agents.map((a) => a.close()), sip.stop()]);
    },
  };
}

function name(typed: string): string {
  const r = canonicalInterface(typed);
  return "name" in r ? r.name : typed;
}

/** Power-on: the saved startup-config if there is one, else the bootstrap (and `write memory`). */
function boot(dev: IosDevice, bootstrap: string): void {
  const startup = dev.startupConfig();
  const parsed = dev.parse(startup ?? bootstrap);
  if (parsed.failed.length > 0)
    throw new Error(
      `${dev.name}: the ${startup ? "startup" : "bootstrap"} config has lines IOS refuses: ${parsed.failed.map((f) => f.line).join("; ")}`,
    );
  dev.install(parsed.root, parsed.users, "console");
  // SNMPv3 users are not in the startup-config text (IOS keeps them apart): take them from the bootstrap.
  if (startup) {
    const users = dev.parse(bootstrap).users;
    for (const [k, v] of users) dev.snmpUsers.set(k, v);
  } else dev.save("console");
  dev.changedAt.running = null;
}
