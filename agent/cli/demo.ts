import { join } from "node:path";
import type { Command } from "commander";
import { sitesDir } from "../paths.js";
import type { Io } from "./common.js";
import { runRender } from "./render.js";

export const demoSite = join(sitesDir, "example-vdsl.yaml");

/**
 * `patchkast demo`: the main job on the embedded example site, with placeholder secrets, so a newcomer
 * sees every file patchkast makes without any hardware or credentials.
 */
export function runDemo(opts: { out: string }, io: Io): number {
  io.out(`patchkast demo: rendering the example site ${demoSite}`);
  return runRender(demoSite, { out: opts.out, placeholderSecrets: true }, io);
}

export function registerDemo(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command("demo")
    .description(
      "render the built-in example site with placeholder secrets (no hardware, no credentials needed)",
    )
    .option("-o, --out <dir>", "output folder", "out/demo")
    .action((opts: { out: string }) => setExit(runDemo(opts, io)));
}
