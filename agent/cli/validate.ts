import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { PatchkastError } from "../errors.js";
import { renderSite } from "../render/render-site.js";
import { validateSiteText } from "../site/load.js";
import type { Site } from "../site/schema.js";
import { PlaceholderSecretResolver } from "../site/secrets.js";
import { formatProblem } from "../yaml-source.js";
import { type CatalogOption, catalogFrom, type Io } from "./common.js";

/** `patchkast validate <site...>`: every mistake of every file, with file:line:column; exit 0 or 1. */
export function runValidate(files: string[], opts: CatalogOption, io: Io): number {
  const catalog = catalogFrom(opts);
  let failed = 0;
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (err) {
      io.err(`${file}: cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      failed++;
      continue;
    }
    const result = validateSiteText(text, file, catalog);
    const refusal = result.site ? renderRefusal(result.site, catalog) : null;
    if (refusal) {
      failed++;
      io.err(`${file}: ${refusal}`);
      io.err(`${file}: 1 mistake(s)`);
      continue;
    }
    if (result.site) {
      io.out(`${file}: ok (${result.site.phones.length} phones, ${result.site.switches.length} switch(es))`);
      continue;
    }
    failed++;
    for (const p of result.problems) io.err(formatProblem(p));
    io.err(`${file}: ${result.problems.length} mistake(s)`);
  }
  return failed === 0 ? 0 : 1;
}

/**
 * What the renderer would refuse although every field is right on its own (a combination no file can
 * serve, such as a Yealink model whose shared file cannot carry both firmware generations the site asks
 * for). Rendered with stand-in secrets: validate never needs the real ones. Null when it renders.
 */
function renderRefusal(site: Site, catalog: ReturnType<typeof catalogFrom>): string | null {
  try {
    renderSite(site, catalog, new PlaceholderSecretResolver());
    return null;
  } catch (err) {
    if (err instanceof PatchkastError && err.code === "PK_ERR_RENDER_REFUSED") return err.message;
    throw err;
  }
}

export function registerValidate(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command("validate")
    .description(
      "check site files against the schema and the catalogs; lists every mistake with file:line:column",
    )
    .argument("<site...>", "site YAML file(s)")
    .option("--catalog <dir>", "catalog folder (default: the built-in configs/catalog)")
    .action((files: string[], opts: CatalogOption) => setExit(runValidate(files, opts, io)));
}
