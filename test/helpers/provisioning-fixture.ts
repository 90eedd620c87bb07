import { join } from "node:path";
import { sitesDir } from "../../agent/paths.js";
import { MemoryAuditSink } from "../../agent/provision/audit-log.js";
import { FirmwareStore } from "../../agent/provision/firmware-store.js";
import { setUpProvisioning } from "../../agent/serve/provisioning-setup.js";
import { loadSiteFile } from "../../agent/site/load.js";
import type { Site } from "../../agent/site/schema.js";
import { PlaceholderSecretResolver } from "../../agent/site/secrets.js";
import { catalog } from "./family-harness.js";

export const fibreSite = loadSiteFile(join(sitesDir, "example-fibre.yaml"), catalog);
export const vdslSite = loadSiteFile(join(sitesDir, "example-vdsl.yaml"), catalog);
export const secrets = new PlaceholderSecretResolver();

/** Every SIP password of a site, as the placeholder resolver renders them: none may leak. */
export function sipPasswords(site: Site): string[] {
  return site.phones.map((p) => secrets.resolve(p.sip.password).reveal());
}

/** A provisioning setup for a site with a settable clock and an in-memory audit trail. */
export function provisioningFor(
  site: Site = fibreSite,
  opts: { firmware?: FirmwareStore; stateDir?: string } = {},
) {
  const audit = new MemoryAuditSink();
  const clock = { now: Date.parse("2026-11-22T10:00:00Z") };
  const events: { result: string; family: string; blockedSource?: boolean }[] = [];
  const setup = setUpProvisioning({
    site,
    catalog,
    secrets,
    firmware: opts.firmware ?? FirmwareStore.empty(),
    audit,
    stateDir: opts.stateDir,
    now: () => clock.now,
    onEvent: (e) => events.push(e),
  });
  return { ...setup, audit, clock, events };
}
