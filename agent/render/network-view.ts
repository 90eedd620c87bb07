import type { Catalog } from "../catalog/load.js";
import type { Site, SiteSwitch } from "../site/schema.js";
import type { SecretResolver } from "../site/secrets.js";
import { renderTemplate } from "./engine.js";
import type { RenderedFile } from "./render-site.js";
import { routerView } from "./router-view.js";
import { switchView } from "./switch-view.js";

/**
 * The standard router and switch configs of a site, as full files for `configure replace` (DESIGN.md
 * "Device push safety"). Pure: the view models decide, the templates in templates/cisco-ios only loop and
 * branch. Both files carry credentials (local user, enable secret, SNMPv3 keys, PPP password).
 */
export function renderRouterConfig(site: Site, catalog: Catalog, secrets: SecretResolver): RenderedFile {
  const view = routerView(site, catalog, secrets);
  return {
    path: `router/${site.router.name}.cfg`,
    content: renderTemplate({ template: "cisco-ios/router.cfg.njk", format: "ios", view: { ...view } }),
    encoding: "utf8",
    kind: "router",
    device: site.router.name,
    secrets: true,
  };
}

export function renderSwitchConfig(
  site: Site,
  sw: SiteSwitch,
  catalog: Catalog,
  secrets: SecretResolver,
): RenderedFile {
  const view = switchView(site, sw, catalog, secrets);
  return {
    path: `switches/${sw.name}.cfg`,
    content: renderTemplate({ template: "cisco-ios/switch.cfg.njk", format: "ios", view: { ...view } }),
    encoding: "utf8",
    kind: "switch",
    device: sw.name,
    secrets: true,
  };
}
