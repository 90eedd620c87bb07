#!/usr/bin/env node
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Command, CommanderError } from "commander";
import { registerAccept } from "./cli/accept.js";
import { type Io, processIo } from "./cli/common.js";
import { registerDemo } from "./cli/demo.js";
import { registerDevices } from "./cli/devices.js";
import { registerLab } from "./cli/lab.js";
import { registerParse } from "./cli/parse.js";
import { registerProbe } from "./cli/probe.js";
import { registerRender } from "./cli/render.js";
import { registerServe } from "./cli/serve.js";
import { registerShow } from "./cli/show.js";
import { registerValidate } from "./cli/validate.js";
import { PatchkastError } from "./errors.js";

/** Builds the CLI; `main` runs it. Separate so tests drive the same program with captured output. */
export function buildProgram(io: Io, setExit: (code: number) => void): Command {
  const program = new Command("patchkast")
    .description(
      "The agent in the customer's patch cabinet: renders, serves and checks a hosted-voice site's configs.",
    )
    .version(process.env.npm_package_version ?? "0.1.0")
    .showHelpAfterError()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .exitOverride();
  registerValidate(program, io, setExit);
  registerRender(program, io, setExit);
  registerDemo(program, io, setExit);
  registerServe(program, io, setExit);
  registerDevices(program, io, setExit);
  registerShow(program, io, setExit);
  registerProbe(program, io, setExit);
  registerParse(program, io, setExit);
  registerLab(program, io, setExit);
  registerAccept(program, io, setExit);
  return program;
}

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  let code = 0;
  const program = buildProgram(io, (c) => {
    code = c;
  });
  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    if (err instanceof PatchkastError) {
      io.err(`patchkast: ${err.message}`);
      io.err(`(${err.code})`);
      return 1;
    }
    io.err(`patchkast: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return 70;
  }
  return code;
}

function invokedDirectly(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    // The npm bin is a symlink to this file; compare real paths.
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (invokedDirectly()) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
