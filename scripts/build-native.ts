/**
 * Builds native/tftp-transfer.c and tftp-transfer-thread.c into native/build/tftp-transfer.node (the TFTP server's thread-per-transfer
 * engine, agent/serve/tftp/native-engine.ts). Runs on `npm ci` (prepare) and `npm run build`.
 *
 * Only a C compiler and node's own headers are needed (Node-API: the symbols come from the running node),
 * so nothing is downloaded. Without a compiler the server runs its transfers in JS: this prints why and
 * exits 0, unless --required is given (CI, the Docker image), where a missing engine is an error.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const sources = ["tftp-transfer.c", "tftp-transfer-thread.c"].map((f) => join(root, "native", f));
const target = join(root, "native", "build", "tftp-transfer.node");
const required = process.argv.includes("--required");
// Node's headers sit beside its binary's prefix: /usr/include/node, /usr/local/include/node (Docker's node image).
const headers = join(dirname(process.execPath), "..", "include", "node");
const compiler = process.env.CC ?? "cc";

function giveUp(why: string): never {
  const what = `patchkast: the native TFTP engine is not built (${why}); TFTP transfers will run in JS`;
  console.error(required ? `${what}. --required: failing.` : what);
  process.exit(required ? 1 : 0);
}

if (!existsSync(join(headers, "node_api.h"))) giveUp(`no node_api.h in ${headers}`);
mkdirSync(dirname(target), { recursive: true });
const partial = `${target}.${process.pid}.partial`;
const args = ["-O2", "-std=gnu11", "-Wall", "-Wextra", "-fPIC", "-shared", "-pthread"];
const result = spawnSync(compiler, [...args, `-I${headers}`, "-o", partial, ...sources, "-lm"], {
  stdio: ["ignore", "inherit", "inherit"],
});
if (result.error || result.status !== 0) {
  rmSync(partial, { force: true });
  giveUp(result.error ? `${compiler}: ${result.error.message}` : `${compiler} exited with ${result.status}`);
}
// Renamed into place, so a running server never loads a half-written file.
renameSync(partial, target);
console.error(`patchkast: built ${target}`);
