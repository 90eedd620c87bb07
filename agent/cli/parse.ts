import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { ParseError } from "../../drivers/ios/parse/common.js";
import { iosCommands, resolveCommand } from "../../drivers/ios/parse/index.js";
import type { Io } from "./common.js";

/** Where the text comes from: a file, or stdin for `-` (injectable so tests need no real stdin). */
export interface ParseSources {
  readFile(path: string): string;
  readStdin(): string;
}

const realSources: ParseSources = {
  readFile: (path) => readFileSync(path, "utf8"),
  readStdin: () => readFileSync(0, "utf8"),
};

/**
 * `patchkast parse ios "<command>" <file|->`: the parse as pretty JSON on stdout.
 * Exit 0 parsed; 1 the text is not that command's output (ParseError, with reason and line) or unreadable;
 * 2 the command is unknown or ambiguous (the known commands are listed).
 */
export function runParseIos(
  command: string,
  file: string,
  io: Io,
  sources: ParseSources = realSources,
): number {
  const resolved = resolveCommand(command);
  if (!resolved.ok) {
    io.err(`patchkast parse ios: ${resolved.reason}`);
    io.err("known commands (IOS abbreviations such as `sh ver`, `sh lldp nei det` work too):");
    for (const c of iosCommands) io.err(`  ${c}`);
    return 2;
  }
  let text: string;
  try {
    text = file === "-" ? sources.readStdin() : sources.readFile(file);
  } catch (err) {
    io.err(
      `patchkast parse ios: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
    return 1;
  }
  try {
    io.out(JSON.stringify(resolved.parse(text), null, 2));
    return 0;
  } catch (err) {
    if (!(err instanceof ParseError)) throw err;
    const where = `${file === "-" ? "stdin" : file}${err.line === null ? "" : ` at line ${err.line}`}`;
    const what =
      err.code === "PK_ERR_PARSE_DEVICE_ERROR"
        ? `the device answered "${resolved.command}" with an error`
        : `this is not "${resolved.command}" output`;
    io.err(`patchkast parse ios: ${where}: ${what}`);
    io.err(`  ${err.reason}`);
    io.err(`  (${err.code})`);
    return 1;
  }
}

export function registerParse(program: Command, io: Io, setExit: (code: number) => void): void {
  const parse = program.command("parse").description("read a device's show output into JSON");
  parse
    .command("ios")
    .description(`read Cisco IOS/IOS-XE show output: ${iosCommands.join(", ")}`)
    .argument("<command>", 'the show command that produced the text, as typed (quoted): "sh lldp nei det"')
    .argument("<file>", "the captured output, or - for stdin")
    .action((command: string, file: string) => setExit(runParseIos(command, file, io)));
}
