import { resolve } from "node:path";
import type { Command } from "commander";
import { renderSite } from "../render/render-site.js";
import { loadSiteFile } from "../site/load.js";
import { writeRenderedFiles } from "../store/write-files.js";
import { type CatalogOption, catalogFrom, type Io, secretResolverFor } from "./common.js";

export interface RenderOptions extends CatalogOption {
  out: string;
  placeholderSecrets?: boolean;
}

/** `patchkast render <site> --out <dir>`: every router, switch and phone file of the site. */
export function runRender(siteFile: string, opts: RenderOptions, io: Io): number {
  const catalog = catalogFrom(opts);
  const site = loadSiteFile(siteFile, catalog);
  const files = renderSite(site, catalog, secretResolverFor(siteFile, opts.placeholderSecrets === true));
  const outDir = resolve(opts.out);
  writeRenderedFiles(outDir, files);
  const count = (kind: string) => files.filter((f) => f.kind === kind).length;
  io.out(`${site.site_id}: wrote ${files.length} files to ${outDir}`);
  io.out(`  router/    ${count("router")} config`);
  io.out(`  switches/  ${count("switch")} config(s)`);
  io.out(`  phones/    ${count("phone")} provisioning files for ${site.phones.length} phones`);
  if (opts.placeholderSecrets) io.out("  (placeholder secrets: these files are for review, not for devices)");
  return 0;
}

export function registerRender(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command("render")
    .description("render the router, switch and phone files of a site into a folder")
    .argument("<site>", "site YAML file")
    .requiredOption("-o, --out <dir>", "output folder (created if missing; files are replaced atomically)")
    .option(
      "--placeholder-secrets",
      "use stand-in values instead of resolving env:/file: secrets (review, golden files)",
    )
    .option("--catalog <dir>", "catalog folder (default: the built-in configs/catalog)")
    .action((site: string, opts: RenderOptions) => setExit(runRender(site, opts, io)));
}
