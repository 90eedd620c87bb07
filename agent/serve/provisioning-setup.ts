import { join } from "node:path";
import type { FamilyId } from "../../drivers/phones/types.js";
import type { Catalog } from "../catalog/load.js";
import type { AuditSink } from "../provision/audit-log.js";
import { bootstrapFile } from "../provision/bootstrap.js";
import { type PhoneRef, phonesToResync } from "../provision/changes.js";
import { CheckIns, type InventoryPhone } from "../provision/check-ins.js";
import type { FirmwareStore } from "../provision/firmware-store.js";
import { MissTracker } from "../provision/miss-tracker.js";
import { ServedTree } from "../provision/served-tree.js";
import { type ProvisionEvent, type ProvisioningDeps, ProvisioningService } from "../provision/service.js";
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
  /** Applies a changed site file; returns the inventory phones that must re-fetch their files. */
  reload(site: Site): PhoneRef[];
  /** The site's phones as they are now. */
  phones(): PhoneRef[];
}

interface SiteParts {
  tree: ServedTree;
  allowedSubnets: Ipv4Net[];
  inventory: (InventoryPhone & { family: FamilyId })[];
  bootstrapFor: ProvisioningDeps["bootstrapFor"];
}

/** What a site file decides for provisioning: its files (rendered in memory), subnets and inventory. */
function siteParts(
  site: Site,
  catalog: Catalog,
  secrets: SecretResolver,
  deviceToken: ((mac: string) => string) | undefined,
): SiteParts {
  const tree = new ServedTree(
    renderPhoneFiles(site, catalog, secrets, deviceToken ? { deviceToken } : undefined),
  );
  const allowedSubnets = (site.provisioning.allowed_subnets ?? [site.vlans.voice.subnet]).map(
    (c) => parseCidr(c) as Ipv4Net,
  );
  const inventory: SiteParts["inventory"] = [];
  for (const ph of site.phones) {
    const model = catalog.findPhone(ph.model);
    // render-site has refused the site already if a model were unknown or not autoprovisioning.
    if (model?.family)
      inventory.push({ mac: normaliseMac(ph.mac), extension: ph.extension, model, family: model.family });
  }
  const view = siteProvisioningView(site, secrets);
  const bootstraps = new Map<FamilyId, ReturnType<typeof bootstrapFile>>();
  const bootstrapFor = (family: FamilyId) => {
    let file = bootstraps.get(family);
    if (!file) {
      file = bootstrapFile(family, view);
      bootstraps.set(family, file);
    }
    return file;
  };
  return { tree, allowedSubnets, inventory, bootstrapFor };
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
  /** Per-phone secret token for the call-event URLs in the phone files (agent/calls/device-tokens.ts). */
  deviceToken?: (mac: string) => string;
}): ProvisioningSetup {
  const parts = siteParts(opts.site, opts.catalog, opts.secrets, opts.deviceToken);
  const p = opts.site.provisioning;
  const misses = new MissTracker({
    threshold: p.miss_threshold,
    windowMs: p.miss_window_seconds * 1000,
    blockMs: p.block_seconds * 1000,
  });
  const checkIns = new CheckIns(parts.inventory);
  const service = new ProvisioningService({
    tree: parts.tree,
    firmware: opts.firmware,
    misses,
    checkIns,
    audit: opts.audit,
    allowedSubnets: parts.allowedSubnets,
    bootstrapFor: parts.bootstrapFor,
    ...(opts.now ? { now: opts.now } : {}),
    ...(opts.onEvent ? { onEvent: opts.onEvent } : {}),
  });
  const polycomMacs = (inv: SiteParts["inventory"]) =>
    new Set(inv.filter((i) => i.family === "polycom").map((i) => i.mac));
  const uploads = new UploadArea({
    dir: opts.stateDir === undefined ? undefined : join(opts.stateDir, "uploads"),
    mode: p.polycom_uploads,
    limitBytes: p.upload_limit_bytes,
    polycomMacs: polycomMacs(parts.inventory),
    allowedSubnets: parts.allowedSubnets,
    audit: opts.audit,
    ...(opts.now ? { now: opts.now } : {}),
  });
  let inventory = parts.inventory;
  return {
    service,
    uploads,
    phones: () => inventory.map((i) => ({ mac: i.mac, family: i.family })),
    tree: parts.tree,
    misses,
    allowedSubnets: parts.allowedSubnets,
    reload(site) {
      const next = siteParts(site, opts.catalog, opts.secrets, opts.deviceToken);
      const resync = phonesToResync(service.tree, next.tree, next.inventory);
      service.update({
        tree: next.tree,
        allowedSubnets: next.allowedSubnets,
        bootstrapFor: next.bootstrapFor,
      });
      checkIns.reconcile(next.inventory);
      inventory = next.inventory;
      const q = site.provisioning;
      uploads.update({
        mode: q.polycom_uploads,
        limitBytes: q.upload_limit_bytes,
        polycomMacs: polycomMacs(next.inventory),
        allowedSubnets: next.allowedSubnets,
      });
      return resync;
    },
  };
}
