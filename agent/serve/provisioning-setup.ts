import { join } from "node:path";
import type { FamilyId } from "../../drivers/phones/types.js";
import type { Catalog } from "../catalog/load.js";
import type { AuditSink } from "../provision/audit-log.js";
import { bootstrapFile } from "../provision/bootstrap.js";
import { CheckIns } from "../provision/check-ins.js";
import type { FirmwareStore } from "../provision/firmware-store.js";
import { MissTracker } from "../provision/miss-tracker.js";
import { ServedTree } from "../provision/served-tree.js";
import { type ProvisionEvent, ProvisioningService } from "../provision/service.js";
import { UploadArea } from "../provision/uploads.js";
import { renderPhoneFiles } from "../render/render-site.js";
import { normaliseMac, siteProvisioningView } from "../render/view-model.js";
import { type Ipv4Net, parseCidr } from "../site/ip.js";
import type { Site } from "../site/schema.js";
import type { SecretResolver } from "../site/secrets.js";

export interface ProvisioningSetup {
  service: ProvisioningService;
  uploads: UploadArea;
  tree: ServedTree;
  misses: MissTracker;
  allowedSubnets: Ipv4Net[];
}

/**
 * Everything the provisioning servers need for one site: its phone files rendered in memory with the real
 * secrets, the policy's state, check-ins and uploads. Pure wiring; the servers are started elsewhere.
 */
export function setUpProvisioning(opts: {
  site: Site;
  catalog: Catalog;
  secrets: SecretResolver;
  firmware: FirmwareStore;
  audit: AuditSink;
  stateDir: string | undefined;
  now?: () => number;
  onEvent?: (e: ProvisionEvent) => void;
}): ProvisioningSetup {
  const { site, catalog } = opts;
  const tree = new ServedTree(renderPhoneFiles(site, catalog, opts.secrets));
  const p = site.provisioning;
  const allowedSubnets = (p.allowed_subnets ?? [site.vlans.voice.subnet]).map((c) => parseCidr(c) as Ipv4Net);
  const misses = new MissTracker({
    threshold: p.miss_threshold,
    windowMs: p.miss_window_seconds * 1000,
    blockMs: p.block_seconds * 1000,
  });
  const inventory = site.phones.map((ph) => ({
    mac: normaliseMac(ph.mac),
    extension: ph.extension,
    model: catalog.findPhone(ph.model),
  }));
  const checkIns = new CheckIns(
    inventory.filter((i) => i.model !== undefined) as {
      mac: string;
      extension: string;
      model: NonNullable<(typeof inventory)[number]["model"]>;
    }[],
  );
  const view = siteProvisioningView(site, opts.secrets);
  const bootstraps = new Map<FamilyId, ReturnType<typeof bootstrapFile>>();
  const service = new ProvisioningService({
    tree,
    firmware: opts.firmware,
    misses,
    checkIns,
    audit: opts.audit,
    allowedSubnets,
    bootstrapFor: (family) => {
      let file = bootstraps.get(family);
      if (!file) {
        file = bootstrapFile(family, view);
        bootstraps.set(family, file);
      }
      return file;
    },
    ...(opts.now ? { now: opts.now } : {}),
    ...(opts.onEvent ? { onEvent: opts.onEvent } : {}),
  });
  const polycomMacs = new Set(inventory.filter((i) => i.model?.family === "polycom").map((i) => i.mac));
  const uploads = new UploadArea({
    dir: opts.stateDir === undefined ? undefined : join(opts.stateDir, "uploads"),
    mode: p.polycom_uploads,
    limitBytes: p.upload_limit_bytes,
    polycomMacs,
    allowedSubnets,
    audit: opts.audit,
    ...(opts.now ? { now: opts.now } : {}),
  });
  return { service, uploads, tree, misses, allowedSubnets };
}
