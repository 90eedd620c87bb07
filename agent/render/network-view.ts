import type { Catalog } from "../catalog/load.js";
import type { Site, SiteSwitch } from "../site/schema.js";
import type { SecretResolver } from "../site/secrets.js";
import type { RenderedFile } from "./render-site.js";

// Placeholder until the network templates land (being written now; not committed in this form).
export function renderRouterConfig(_site: Site, _catalog: Catalog, _secrets: SecretResolver): RenderedFile {
  throw new Error("router rendering not implemented yet");
}

export function renderSwitchConfig(_site: Site, _sw: SiteSwitch, _secrets: SecretResolver): RenderedFile {
  throw new Error("switch rendering not implemented yet");
}
