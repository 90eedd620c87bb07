import { randomBytes } from "node:crypto";
import {
  closeSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { PatchkastError } from "../errors.js";

export interface ReportFile {
  name: string;
  content: string;
}

/** Whether `dir` holds an earlier acceptance report (or nothing), and so may be replaced with --force. */
function isReportDir(dir: string): boolean {
  const entries = readdirSync(dir);
  if (entries.length === 0) return true;
  try {
    const json = JSON.parse(readFileSync(join(dir, "report.json"), "utf8")) as { kind?: unknown };
    return json.kind === "patchkast-acceptance-report";
  } catch {
    return false;
  }
}

/**
 * Throws unless the report can go to `dir`: it does not exist, or --force was given and it holds an earlier
 * acceptance report. Called before the run (so the engineer does not wait for a refusal) and again when
 * writing. --force never replaces a folder that is not a report: `--out . --force` must not eat a checkout.
 */
export function assertReportDirFree(dir: string, force: boolean): void {
  const target = resolve(dir);
  let isDir: boolean;
  try {
    isDir = lstatSync(target).isDirectory();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return;
    throw new PatchkastError("PK_ERR_OUTPUT_WRITE", `cannot look at ${target}: ${(err as Error).message}`);
  }
  if (!isDir)
    throw new PatchkastError(
      "PK_ERR_OUTPUT_WRITE",
      `${target} exists and is not a folder; choose another --out`,
    );
  if (!force)
    throw new PatchkastError(
      "PK_ERR_OUTPUT_WRITE",
      `${target} already exists; pass --force to replace that report, or --out <dir> for a new one`,
    );
  if (!isReportDir(target))
    throw new PatchkastError(
      "PK_ERR_OUTPUT_WRITE",
      `${target} exists and is not a patchkast acceptance report folder; refusing to replace it even with --force`,
    );
}

function writeDurably(file: string, content: string): void {
  const fd = openSync(file, "wx", 0o644);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function syncDir(dir: string): void {
  const fd = openSync(dir, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes the report files into a hidden folder next to `dir`, syncs them, and renames the folder into
 * place: a reader sees no report or a whole one, never half. With --force an earlier report is moved
 * aside first and removed only once the new one is in place (and put back if that fails).
 */
export function writeReportDir(dir: string, files: readonly ReportFile[], force: boolean): string {
  const target = resolve(dir);
  assertReportDirFree(target, force);
  const parent = dirname(target);
  const tag = `${process.pid}-${randomBytes(4).toString("hex")}`;
  const temp = join(parent, `.${basename(target)}.tmp-${tag}`);
  const aside = join(parent, `.${basename(target)}.old-${tag}`);
  try {
    mkdirSync(parent, { recursive: true });
    mkdirSync(temp, { mode: 0o755 });
    for (const f of files) {
      if (f.name !== basename(f.name) || f.name.startsWith("."))
        throw new Error(`report file name ${JSON.stringify(f.name)} is not a plain file name`);
      writeDurably(join(temp, f.name), f.content);
    }
    syncDir(temp);
    let movedAside = false;
    // Without --force nothing is moved: if a folder appeared meanwhile, the rename below fails on it.
    if (force) {
      try {
        renameSync(target, aside);
        movedAside = true;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
      }
    }
    try {
      renameSync(temp, target);
    } catch (err) {
      if (movedAside) renameSync(aside, target);
      throw err;
    }
    syncDir(parent);
    if (movedAside) rmSync(aside, { recursive: true, force: true });
  } catch (err) {
    rmSync(temp, { recursive: true, force: true });
    throw new PatchkastError(
      "PK_ERR_OUTPUT_WRITE",
      `writing the acceptance report to ${target}: ${(err as Error).message}`,
      { cause: err },
    );
  }
  return target;
}
