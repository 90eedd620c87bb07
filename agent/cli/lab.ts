import { dirname, relative, resolve } from "node:path";
import type { Command } from "commander";
import { defaultStateDir, type Lab, labSite, startLab } from "../../lab/lab.js";
import { bootLabPhones, type PhoneBoot } from "../../lab/phone-boot.js";
import { PatchkastError } from "../errors.js";
import type { Io } from "./common.js";

export interface LabCliOptions {
  site: string;
  stateDir?: string;
  memory?: boolean;
  sshPort: string;
  snmpPort: string;
  /** Default: the site's provider.sip_proxy port (lab/lab.ts LabOptions.sipPort). */
  sipPort?: string;
  /** Boot the lab phones against this agent URL once the lab is up (lab/phone-boot.ts). */
  bootPhones?: string;
  bind?: string;
  timeScale: string;
}

function port(flag: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new PatchkastError(
      "PK_ERR_USAGE",
      `${flag} ${JSON.stringify(text)} is not a port number (0-65535)`,
    );
  return n;
}

/** Where a secret comes from, never the secret: `in lab/.state/secrets/router-password`, `$VAR`. */
function where(lab: Lab, ref: string | undefined): string {
  if (!ref) return "?";
  if (ref.startsWith("env:")) return `$${ref.slice(4)}`;
  const path = resolve(dirname(lab.siteFile), ref.slice("file:".length));
  return `in ${relative(process.cwd(), path) || path}`;
}

/** What to type to reach each device, in the order an engineer needs it. */
export function describeLab(lab: Lab): string[] {
  const out = [
    `patchkast lab: ${lab.site.customer} (${relative(process.cwd(), lab.siteFile) || lab.siteFile})`,
  ];
  for (const d of lab.devices) {
    const creds =
      d.role === "router"
        ? lab.site.router.credentials
        : lab.site.switches.find((s) => s.name === d.name)?.credentials;
    const sshPort = d.sshPort === 22 ? "" : ` -p ${d.sshPort}`;
    const snmpPort = d.snmpPort === 161 ? "" : `:${d.snmpPort}`;
    out.push(
      `  ${d.role.padEnd(6)} ${d.name} (${d.model})`,
      `    ssh${sshPort} ${creds?.username ?? "patchkast"}@${d.host}   password: ${where(lab, creds?.password)}`,
      `    snmpwalk -v2c -c ${lab.community} ${d.host}${snmpPort} system   (v3: user ${lab.site.snmp.user}, SHA/AES)`,
    );
  }
  const sipPort = lab.sip.port === 5060 ? "" : ` -r ${lab.sip.port}`;
  out.push(
    `  sip    proxy ${lab.sip.host}:${lab.sip.port} udp+tcp   sipsak -s sip:probe@${lab.sip.host}${sipPort}`,
  );
  out.push(
    `  phones: ${lab.phones.map((p) => `${p.extension}@${p.port.replace("GigabitEthernet", "Gi")}`).join(", ")}`,
  );
  out.push("  Ctrl-C stops the lab.");
  return out;
}

/** One line per phone: what it asked the agent for and what it got. */
export function describeBoots(boots: readonly PhoneBoot[]): string[] {
  return boots.map((b) => {
    const files = b.fetched.map((f) => `${f.path} ${f.status ?? f.error ?? "failed"}`).join(", ");
    return `  phone ${b.extension} (${b.mac}) from ${b.source}: ${b.powered ? files : "no PoE, not booted"}`;
  });
}

function agentUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new PatchkastError(
      "PK_ERR_USAGE",
      `--boot-phones ${JSON.stringify(text)} is not a URL like http://127.20.0.10:8080/`,
    );
  }
  if (url.protocol !== "http:")
    throw new PatchkastError("PK_ERR_USAGE", `--boot-phones ${text}: the lab phones fetch over http:// only`);
  return url.href;
}

/** `patchkast lab`: the simulated site, until SIGINT/SIGTERM (or `stop` aborts, in tests). */
export async function runLab(opts: LabCliOptions, io: Io, stop?: AbortSignal): Promise<number> {
  const timeScale = Number(opts.timeScale);
  if (!(timeScale > 0))
    throw new PatchkastError("PK_ERR_USAGE", `--time-scale ${opts.timeScale} must be a number > 0`);
  const bootUrl = opts.bootPhones === undefined ? undefined : agentUrl(opts.bootPhones);
  let lab: Lab;
  try {
    lab = await startLab({
      site: opts.site,
      stateDir: opts.memory ? null : (opts.stateDir ?? defaultStateDir),
      sshPort: port("--ssh-port", opts.sshPort),
      snmpPort: port("--snmp-port", opts.snmpPort),
      ...(opts.sipPort === undefined ? {} : { sipPort: port("--sip-port", opts.sipPort) }),
      timeScale,
      ...(opts.bind ? { bindAddress: opts.bind } : {}),
    });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { address?: string; port?: number };
    if (e.code === "EACCES" || e.code === "EADDRINUSE" || e.code === "EADDRNOTAVAIL") {
      const why =
        e.code === "EACCES"
          ? "needs privilege (ports below 1024)"
          : e.code === "EADDRINUSE"
            ? "is in use"
            : "is not an address of this machine";
      throw new PatchkastError(
        "PK_ERR_SERVE_BIND",
        `the lab cannot listen on ${e.address ?? "?"}:${e.port ?? "?"}: it ${why}; try --ssh-port 2222 --snmp-port 1161${e.code === "EADDRNOTAVAIL" ? " and --bind 127.0.0.1" : ""}`,
      );
    }
    throw err;
  }
  for (const line of describeLab(lab)) io.out(line);
  if (bootUrl) {
    // A phone that cannot boot is news about the agent, not a reason to take the lab down.
    try {
      for (const line of describeBoots(await bootLabPhones(lab, { agentUrl: bootUrl }))) io.out(line);
    } catch (err) {
      io.err(`patchkast lab: the phones could not boot: ${(err as Error).message}`);
    }
  }
  await new Promise<void>((resolve) => {
    const done = () => {
      process.off("SIGINT", done);
      process.off("SIGTERM", done);
      stop?.removeEventListener("abort", done);
      resolve();
    };
    process.once("SIGINT", done);
    process.once("SIGTERM", done);
    stop?.addEventListener("abort", done, { once: true });
  });
  await lab.stop();
  io.out("patchkast lab: stopped");
  return 0;
}

export function registerLab(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command("lab")
    .description(
      "run the lab site: a simulated ISR router and Catalyst switch with phones, over SSH and SNMP on loopback (no hardware needed)",
    )
    .option("--site <file>", "the site to simulate", labSite)
    .option(
      "--state-dir <dir>",
      "where devices keep flash, startup-config and host keys between runs",
      defaultStateDir,
    )
    .option("--memory", "keep nothing between runs")
    .option("--ssh-port <port>", "SSH port of every device (0: any free port)", "22")
    .option("--snmp-port <port>", "SNMP port of every device (0: any free port)", "161")
    .option("--sip-port <port>", "SIP proxy port, UDP and TCP (default: the site's provider.sip_proxy port)")
    .option(
      "--boot-phones <agent-url>",
      "once up, boot the lab phones against this agent, e.g. http://127.20.0.10:8080/",
    )
    .option("--bind <address>", "listen on this address instead of the devices' management addresses")
    .option("--time-scale <n>", "device minutes per real minute for the configure-replace revert timer", "1")
    .action(async (opts: LabCliOptions) => setExit(await runLab(opts, io)));
}
