import { join } from "node:path";
import { EventKey } from "../../agent/calls/device-tokens.js";
import { loadCatalog } from "../../agent/catalog/load.js";
import { packageRoot, sitesDir } from "../../agent/paths.js";
import { type RenderedFile, renderSite } from "../../agent/render/render-site.js";
import { loadSiteFile } from "../../agent/site/load.js";
import { PlaceholderSecretResolver } from "../../agent/site/secrets.js";

/** The example sites whose rendered files are committed and compared on every run. */
export const goldenSites = ["example-vdsl", "example-fibre"] as const;
export const goldenDir = join(packageRoot, "test", "golden");

/** An obviously fake call-event key, so the committed files carry stable per-device tokens. */
export const goldenEventKey = EventKey.fromHex("feedface".repeat(8));

export function renderGolden(name: string): RenderedFile[] {
  const catalog = loadCatalog();
  const site = loadSiteFile(join(sitesDir, `${name}.yaml`), catalog);
  return renderSite(site, catalog, new PlaceholderSecretResolver(), { deviceToken: goldenEventKey.tokens() });
}
