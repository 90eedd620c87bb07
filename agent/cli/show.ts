import type { Command } from "commander";
import {
  type DeviceReading,
  deviceReadings,
  openSnmpClient,
  readDevice,
  readingToJson,
} from "../../drivers/snmp/index.js";
import { PatchkastError } from "../errors.js";
import { loadSiteFile } from "../site/load.js";
import type { Site } from "../site/schema.js";
import type { SecretResolver } from "../site/secrets.js";
import { type CatalogOption, catalogFrom, type Io, secretResolverFor } from "./common.js";

/** The SNMPv3 authPriv target of a site device (SHA/AES: what the standard config sets up). */
export function snmpTargetOf(site: Site, deviceName: string, secrets: SecretResolver) {
  const device = [site.router, ...site.switches].find((d) => d.name === deviceName);
  if (!device) {
    const names = [site.router, ...site.switches].map((d) => d.name).join(", ");
    throw new PatchkastError("PK_ERR_USAGE", `no device "${deviceName}" in this site (devices: ${names})`);
  }
  return {
    host: device.management_address,
    port: device.snmp_port,
    maxRepetitions: device.snmp_max_repetitions,
    name: device.name,
    version: "3" as const,
    user: {
      name: site.snmp.user,
      authProtocol: "sha" as const,
      authKey: secrets.resolve(site.snmp.auth_key, "SNMP auth key").reveal(),
      privProtocol: "aes" as const,
      privKey: secrets.resolve(site.snmp.priv_key, "SNMP priv key").reveal(),
    },
  };
}

/** `patchkast show <site> <device> <what>`: what an SNMP reader sees on a device, as JSON. */
export async function runShow(
  siteFile: string,
  device: string,
  what: string,
  opts: CatalogOption & { placeholderSecrets?: boolean },
  io: Io,
): Promise<number> {
  if (!deviceReadings.includes(what as DeviceReading)) {
    io.err(`patchkast show: "${what}" is not one of ${deviceReadings.join(", ")}`);
    return 2;
  }
  const site = loadSiteFile(siteFile, catalogFrom(opts));
  const client = openSnmpClient(
    snmpTargetOf(site, device, secretResolverFor(siteFile, opts.placeholderSecrets === true)),
  );
  try {
    io.out(readingToJson(await readDevice(client, what as DeviceReading)));
    return 0;
  } finally {
    client.close();
  }
}

export function registerShow(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command("show")
    .description(`what patchkast reads from a device over SNMPv3 (${deviceReadings.join(", ")}), as JSON`)
    .argument("<site>", "site YAML file")
    .argument("<device>", "router or switch name from the site file")
    .argument("<what>", deviceReadings.join(" | "))
    .option("--placeholder-secrets", "use stand-in secrets (the lab)")
    .option("--catalog <dir>", "catalog folder")
    .action(async (site: string, device: string, what: string, opts) =>
      setExit(await runShow(site, device, what, opts, io)),
    );
}
