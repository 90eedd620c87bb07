import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import type { Lab } from "../../lab/lab.js";

type Doc = Record<string, unknown>;

/**
 * The lab site file as a running lab answers it: each device's SSH and SNMP port and the SIP proxy's
 * port, which tests pick freely (port 0) so that labs of tests running side by side do not collide.
 * `change` edits the parsed YAML before it is written. Returns the written file's path.
 */
export function writeLabSiteFile(lab: Lab, dir: string, change?: (doc: Doc) => void): string {
  const doc = parse(readFileSync(lab.siteFile, "utf8")) as Doc;
  const ports = (name: string) => {
    const d = lab.devices.find((x) => x.name === name);
    if (!d) throw new Error(`the lab has no device ${name}`);
    return { ssh_port: d.sshPort, snmp_port: d.snmpPort };
  };
  const router = doc.router as Doc & { name: string };
  Object.assign(router, ports(router.name));
  for (const sw of doc.switches as (Doc & { name: string })[]) Object.assign(sw, ports(sw.name));
  const provider = doc.provider as { sip_proxy: Doc };
  provider.sip_proxy = { ...provider.sip_proxy, host: lab.sip.host, port: lab.sip.port };
  change?.(doc);
  const file = join(dir, "lab.yaml");
  writeFileSync(file, stringify(doc));
  return file;
}
