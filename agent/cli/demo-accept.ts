import { join } from "node:path";
import { MemoryHostKeyStore } from "../../drivers/ios/host-keys.js";
import type { Lab } from "../../lab/lab.js";
import { bootLabPhones } from "../../lab/phone-boot.js";
import { siteAsRunning } from "../../lab/sip-site.js";
import { verdictLine } from "../accept/progress.js";
import { reportFiles, runAcceptance } from "../accept/run.js";
import type { Verdict } from "../accept/types.js";
import { writeReportDir } from "../accept/write.js";
import type { Catalog } from "../catalog/load.js";
import { runChecks } from "../checks/index.js";
import { createLogger } from "../log.js";
import { createMetrics } from "../metrics/registry.js";
import { inMaintenanceWindow } from "../monitor/maintenance.js";
import { observeSite } from "../monitor/observe.js";
import { realObserveDeps } from "../monitor/observe-real.js";
import { RotatingAuditLog } from "../provision/audit-log.js";
import { FirmwareStore } from "../provision/firmware-store.js";
import { setUpProvisioning } from "../serve/provisioning-setup.js";
import { startServers } from "../serve/servers.js";
import type { SecretResolver } from "../site/secrets.js";
import type { Io } from "./common.js";

/** Where the lab's agent listens: its address in the lab site (agent.address), any free port. */
const agentAddress = "127.20.0.10";

/**
 * The demo's last step, the post-install acceptance: the agent's provisioning servers hand the lab phones
 * their files (each phone boots with its real User-Agent), then every check runs once against the lab and
 * the report goes to `<out>/acceptance` (report.json, junit.xml, report.html), as `patchkast accept` writes
 * it on site. Every provisioning request is audited in `<out>/audit/provisioning.log`.
 */
export async function demoAcceptance(
  lab: Lab,
  catalog: Catalog,
  secrets: SecretResolver,
  out: string,
  io: Io,
): Promise<Verdict> {
  const site = siteAsRunning(lab);
  const log = createLogger({ level: "silent" });
  const audit = new RotatingAuditLog(join(out, "audit", "provisioning.log"));
  const setup = setUpProvisioning({
    site,
    catalog,
    secrets,
    firmware: FirmwareStore.empty(),
    audit,
    stateDir: undefined,
  });
  const servers = await startServers(
    { service: setup.service, uploads: setup.uploads, metrics: createMetrics("demo"), log },
    { bind: agentAddress, tftpPort: 0, httpPort: 0 },
  );
  try {
    const http = servers.http.server.address();
    const port = typeof http === "object" && http ? http.port : 0;
    const boots = await bootLabPhones(lab, { agentUrl: `http://${agentAddress}:${port}/`, catalog });
    io.out(
      `provisioning: ${boots.filter((b) => b.ok).length} of ${boots.length} lab phones fetched their files from the agent`,
    );
    const report = await runAcceptance(
      site,
      catalog,
      {
        observe: () =>
          observeSite({
            ...realObserveDeps({ site, catalog, secrets, hostKeys: new MemoryHostKeyStore() }),
            phones: () => setup.service.checkIns.list(),
            inMaintenanceWindow: (now) =>
              inMaintenanceWindow(now, site.time_zone, catalog.sla.maintenance_window),
          }),
        // The lab's SIP proxy shares this one process with the simulated devices the checks are reading, so
        // its round trip measures this process, not a WAN: the demo allows 2 s (on site: 300 ms).
        runChecks: (ctx) => runChecks({ ...ctx, limits: { sipRttMs: 2000 } }),
      },
      { agentVersion: "demo", allowUnknown: false, secrets: () => [] },
      () => {},
    );
    for (const c of report.checks) io.out(`  ${c.status.padEnd(7)} ${c.id}: ${c.summary}`);
    const dir = writeReportDir(join(out, "acceptance"), reportFiles(report), true);
    io.out(`accept: ${verdictLine(report, dir)}`);
    return report.verdict;
  } finally {
    await servers.close();
    await audit.close();
  }
}
