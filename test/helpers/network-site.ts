import { join } from "node:path";
import { loadCatalog } from "../../agent/catalog/load.js";
import { sitesDir } from "../../agent/paths.js";
import { loadSiteFile } from "../../agent/site/load.js";
import type { Site } from "../../agent/site/schema.js";
import { PlaceholderSecretResolver } from "../../agent/site/secrets.js";

/**
 * The example VDSL site, parsed once, for router and switch render tests. Each test takes its own deep
 * copy and changes what it needs (platform, WAN mode, forwards, phones), so the YAML stays the single
 * source of the values the assertions compare against.
 */
// TEMPORARY while the phone family drivers are being written in parallel (see family-harness.ts).
export const catalog = loadCatalog();
export const secrets = new PlaceholderSecretResolver();

const example = loadSiteFile(join(sitesDir, "example-vdsl.yaml"), catalog);

export function exampleSite(change?: (site: Site) => void): Site {
  const site = structuredClone(example);
  change?.(site);
  return site;
}

/** What the placeholder resolver gives for a reference: the value that must appear in the config. */
export function secretValue(ref: string): string {
  return secrets.resolve(ref).reveal();
}

/** Lines of `text` that contain `value`, for "this secret appears only where the config needs it". */
export function linesWith(text: string, value: string): string[] {
  return text.split("\n").filter((l) => l.includes(value));
}
