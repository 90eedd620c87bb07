import { createHash } from "node:crypto";
import { phoneFamily } from "../../drivers/phones/index.js";
import type { FamilyId, SiteProvisioningView } from "../../drivers/phones/types.js";
import { renderTemplate } from "../render/engine.js";
import type { ServedFile } from "./served-tree.js";

/**
 * The answer to a MAC-named request from a device that is not in the site's inventory: a valid file in
 * the family's syntax that sets nothing, so a new phone boots without credentials and an attacker guessing
 * MACs learns nothing (the Tancredi "token-less bootstrap", reference/provisioning.md §3.2). It is the
 * same for every MAC, so it reveals nothing about which MACs exist.
 */
export function bootstrapFile(family: FamilyId, site: SiteProvisioningView): ServedFile {
  const driver = phoneFamily(family);
  if (!driver) throw new Error(`no phone family ${family}`);
  const spec = driver.bootstrap;
  const text = renderTemplate({
    template: spec.template,
    format: spec.format,
    lineEnding: spec.lineEnding ?? "lf",
    view: {
      generatedBy: site.generatedBy,
      about:
        "bootstrap: this device is not in the site's inventory, so it gets no settings and no credentials",
    },
  });
  const content = Buffer.from(text, spec.encoding ?? "utf8");
  return {
    name: spec.name,
    content,
    family,
    secrets: false,
    etag: `"${createHash("sha256").update(content).digest("base64url").slice(0, 27)}"`,
  };
}
