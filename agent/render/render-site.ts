import { phoneFamily } from "../../drivers/phones/index.js";
import type { FamilyId, PhoneDevice } from "../../drivers/phones/types.js";
import type { Catalog } from "../catalog/load.js";
import { PatchkastError } from "../errors.js";
import type { Site } from "../site/schema.js";
import type { SecretResolver } from "../site/secrets.js";
import { renderTemplate } from "./engine.js";
import { renderRouterConfig, renderSwitchConfig } from "./network-view.js";
import { phoneDevice, siteProvisioningView } from "./view-model.js";

export interface RenderedFile {
  /** Path below the output folder: router/<name>.cfg, switches/<name>.cfg, phones/<as the phone asks>. */
  path: string;
  content: string;
  encoding: "utf8" | "latin1";
  kind: "router" | "switch" | "phone";
  /** Device name (router, switch) or lower-case MAC (phone file of one device). */
  device?: string;
  family?: FamilyId;
  /** True when the file carries credentials. */
  secrets: boolean;
}

export interface RenderOptions {
  /**
   * The per-device token of call-event URLs (agent/calls/device-tokens.ts `deviceTokens`). Without it the
   * phone files carry no call-event URLs, whatever the site says.
   */
  deviceToken?: (mac: string) => string;
}

/** Every file of a site, pure: same site, catalog, secrets and token function give byte-identical output. */
export function renderSite(
  site: Site,
  catalog: Catalog,
  secrets: SecretResolver,
  options: RenderOptions = {},
): RenderedFile[] {
  const files: RenderedFile[] = [];
  files.push(renderRouterConfig(site, catalog, secrets));
  for (const sw of site.switches) files.push(renderSwitchConfig(site, sw, catalog, secrets));
  files.push(...renderPhoneFiles(site, catalog, secrets, options));
  assertUniquePaths(files);
  return files;
}

export function renderPhoneFiles(
  site: Site,
  catalog: Catalog,
  secrets: SecretResolver,
  options: RenderOptions = {},
): RenderedFile[] {
  const byFamily = new Map<FamilyId, PhoneDevice[]>();
  site.phones.forEach((p, i) => {
    const device = phoneDevice(p, i, catalog, secrets);
    const family = catalog.findPhone(p.model)?.family as FamilyId;
    const list = byFamily.get(family) ?? [];
    list.push(device);
    byFamily.set(family, list);
  });
  if (byFamily.size === 0) return [];
  const view = siteProvisioningView(site, secrets, options.deviceToken);
  const files: RenderedFile[] = [];
  // Families in a fixed order so that output order never depends on the order of the site file.
  for (const id of [...byFamily.keys()].sort()) {
    const family = phoneFamily(id);
    if (!family) throw new PatchkastError("PK_ERR_RENDER_REFUSED", `no driver for phone family "${id}"`);
    for (const spec of family.files(view, byFamily.get(id) ?? [])) {
      const content = renderTemplate({
        template: spec.template,
        format: spec.format,
        view: spec.view,
        lineEnding: spec.lineEnding ?? "lf",
      });
      files.push({
        path: `phones/${spec.path}`,
        content,
        encoding: spec.encoding ?? "utf8",
        kind: "phone",
        ...(spec.mac === undefined ? {} : { device: spec.mac }),
        family: id,
        secrets: spec.secrets,
      });
    }
  }
  return files;
}

/**
 * Two files may not share a path, not even in different case: phones ask with the case they like and the
 * provisioning server matches without case (reference/provisioning.md §0 item 6).
 */
function assertUniquePaths(files: readonly RenderedFile[]): void {
  const seen = new Map<string, string>();
  for (const f of files) {
    const key = f.path.toLowerCase();
    const other = seen.get(key);
    if (other !== undefined) {
      throw new PatchkastError(
        "PK_ERR_RENDER_REFUSED",
        `two files would be written to ${f.path} (also ${other}); check for duplicate MACs or device names`,
      );
    }
    seen.set(key, f.path);
  }
}
