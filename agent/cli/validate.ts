import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { validateSiteText } from "../site/load.js";
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
