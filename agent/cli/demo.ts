import { join } from "node:path";
import type { Command } from "commander";
import { configDrift } from "../../drivers/ios/drift.js";
import { MemoryHostKeyStore } from "../../drivers/ios/host-keys.js";
import { pushConfig } from "../../drivers/ios/push.js";
import { IosSession } from "../../drivers/ios/session.js";
import { openSnmpClient, readDevice } from "../../drivers/snmp/index.js";
import { labSite, startLab } from "../../lab/lab.js";
import { loadCatalog } from "../catalog/load.js";
import { renderSite } from "../render/render-site.js";
import { PlaceholderSecretResolver } from "../site/secrets.js";
import { ConfigHistory } from "../store/config-history.js";
import { writeRenderedFiles } from "../store/write-files.js";
import type { Io } from "./common.js";
import { demoAcceptance } from "./demo-accept.js";
import { siteDevices } from "./devices.js";
import { snmpTargetOf } from "./show.js";

/**
 * `patchkast demo`: the main job on the embedded lab site, with no hardware and no credentials. It starts
 * the lab (a simulated router and switch over SSH and SNMP, with phones on the switch), renders the site,
 * pushes the standard configs safely, checks that nothing drifted, reads what the switch sees over SNMPv3,
 * lets the lab phones fetch their files from the agent and runs the acceptance test: the same steps an
 * engineer runs on site.
 */
export async function runDemo(opts: { out: string }, io: Io): Promise<number> {
  const secrets = new PlaceholderSecretResolver();
  const catalog = loadCatalog();
  io.out("patchkast demo: starting the lab site (simulated ISR4321 and Catalyst 2960-X on loopback)");
  const lab = await startLab({
    site: labSite,
    secrets,
    catalog,
    stateDir: null,
    sshPort: 0,
    snmpPort: 0,
    timeScale: 60,
  });
  try {
    for (const d of lab.devices)
      io.out(`  ${d.name} (${d.model}): ssh ${d.host}:${d.sshPort}, snmp ${d.host}:${d.snmpPort}`);
    const port = (name: string, kind: "sshPort" | "snmpPort") =>
      lab.devices.find((d) => d.name === name)?.[kind] ?? 0;
    const site = {
      ...lab.site,
      router: {
        ...lab.site.router,
        ssh_port: port(lab.site.router.name, "sshPort"),
        snmp_port: port(lab.site.router.name, "snmpPort"),
      },
      switches: lab.site.switches.map((s) => ({
        ...s,
        ssh_port: port(s.name, "sshPort"),
        snmp_port: port(s.name, "snmpPort"),
      })),
    };

    const files = renderSite(site, catalog, secrets);
    writeRenderedFiles(opts.out, files);
    io.out(
      `rendered ${files.length} files of ${site.site_id} into ${opts.out} (router/, switches/, phones/)`,
    );

    const hostKeys = new MemoryHostKeyStore();
    const history = new ConfigHistory(join(opts.out, "history"));
    let failed = 0;
    for (const d of siteDevices(site, catalog, secrets)) {
      const r = await pushConfig({
        device: d.name,
        candidate: d.intent(),
        connect: () => IosSession.open(d.target, hostKeys),
        history,
        revertMinutes: 1,
      });
      io.out(`push ${d.name}: ${r.outcome}: ${r.message}`);
      if (r.outcome === "failed") failed++;
      const session = await IosSession.open(d.target, hostKeys);
      const drift = configDrift(
        d.intent(),
        await session.run("show running-config").finally(() => session.close()),
      );
      io.out(`diff ${d.name}: ${drift.length === 0 ? "no drift" : `${drift.length} line(s) differ`}`);
      if (drift.length > 0) failed++;
    }

    const sw = site.switches[0];
    if (sw) {
      const client = openSnmpClient(snmpTargetOf(site, sw.name, secrets));
      try {
        const poe = await readDevice(client, "poe");
        const lldp = await readDevice(client, "lldp");
        io.out(
          `snmp ${sw.name}: ${poe.ports.filter((p) => p.powered).length} ports delivering PoE, ${lldp.length} LLDP neighbours`,
        );
      } finally {
        client.close();
      }
    }
    io.out(`config history: ${history.dir} (git log works there)`);
    const verdict = await demoAcceptance(lab, catalog, secrets, opts.out, io);
    if (verdict !== "accepted") failed++;
    return failed === 0 ? 0 : 1;
  } finally {
    await lab.stop();
  }
}

export function registerDemo(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command("demo")
    .description(
      "start the lab site and run the agent against it: render, push, diff, read SNMP, provision the phones, accept (no hardware needed)",
    )
    .option("-o, --out <dir>", "where the rendered files and the config history go", "out/demo")
    .action(async (opts: { out: string }) => setExit(await runDemo(opts, io)));
}
