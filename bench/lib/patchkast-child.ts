/**
 * The server side of bench/tftp and bench/http: patchkast's real provisioning stack in a process of its
 * own, wired as `patchkast serve` wires it (agent/cli/serve.ts): example-fibre rendered with placeholder
 * secrets, the site's allowed subnet moved to 127.0.0.0/8 so that loopback stands for the voice VLAN, a
 * firmware store loaded from a folder with SHA256SUMS (when --firmware-dir is given), the rotating audit
 * log in a state folder, metrics, and startServers() binding TFTP and HTTP on 127.0.0.1 with free ports.
 *
 * Started by bench/lib/procs.ts as `node --import tsx bench/lib/patchkast-child.ts --state-dir D
 * [--firmware-dir F]`. Prints one JSON line {"tftp":port,"http":port} when listening; stops on SIGTERM
 * or SIGINT, and also when stdin closes, so it never outlives the benchmark that started it.
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import pino from "pino";
import { loadCatalog } from "../../agent/catalog/load.js";
import { createLogger } from "../../agent/log.js";
import { createMetrics } from "../../agent/metrics/registry.js";
import { sitesDir } from "../../agent/paths.js";
import { RotatingAuditLog } from "../../agent/provision/audit-log.js";
import { FirmwareStore } from "../../agent/provision/firmware-store.js";
import { setUpProvisioning } from "../../agent/serve/provisioning-setup.js";
import { startServers } from "../../agent/serve/servers.js";
import { loadSiteFile } from "../../agent/site/load.js";
import type { Site } from "../../agent/site/schema.js";
import { PlaceholderSecretResolver } from "../../agent/site/secrets.js";

const { values } = parseArgs({
  options: {
    "state-dir": { type: "string" },
    "firmware-dir": { type: "string" },
    "tftp-engine": { type: "string" },
  },
});
const stateDir = values["state-dir"];
if (!stateDir) throw new Error("--state-dir is required");

const catalog = loadCatalog();
const base = loadSiteFile(join(sitesDir, "example-fibre.yaml"), catalog);
const site: Site = { ...base, provisioning: { ...base.provisioning, allowed_subnets: ["127.0.0.0/8"] } };

const firmwareDir = values["firmware-dir"];
const firmware = firmwareDir ? await FirmwareStore.load(firmwareDir) : FirmwareStore.empty();
if (firmware.problems.length > 0) throw new Error(`firmware store: ${JSON.stringify(firmware.problems)}`);

// Warnings go to stderr (inherited by the benchmark); stdout carries only the ports line.
const log = createLogger({ level: "warn", destination: pino.destination(2) });
const metrics = createMetrics("bench");
const audit = new RotatingAuditLog(join(stateDir, "audit", "provisioning.log"));
const setup = setUpProvisioning({
  site,
  catalog,
  secrets: new PlaceholderSecretResolver(),
  firmware,
  audit,
  stateDir,
  onEvent: (e) => metrics.countProvisionRequest(e.family, e.result),
});
const servers = await startServers(
  { service: setup.service, uploads: setup.uploads, metrics, log },
  {
    bind: "127.0.0.1",
    tftpPort: 0,
    httpPort: 0,
    ...(values["tftp-engine"] ? { tftpEngine: values["tftp-engine"] as "auto" | "native" | "js" } : {}),
  },
);
const http = servers.http.server.address();
process.stdout.write(
  `${JSON.stringify({
    tftp: servers.tftp.address.port,
    http: typeof http === "object" && http ? http.port : 0,
    tftpEngine: servers.tftp.engine.kind,
  })}\n`,
);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await servers.close();
  await audit.close();
  process.exit(0);
}
process.once("SIGTERM", () => void stop());
process.once("SIGINT", () => void stop());
process.stdin.on("end", () => void stop());
process.stdin.on("close", () => void stop());
process.stdin.resume();
