import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { PatchkastError } from "../errors.js";
import type { RenderedFile } from "../render/render-site.js";

/**
 * Writes rendered files below `outDir`. Each file is written to a temporary name and renamed, so a crash
 * or a full disk never leaves a half-written config where a phone or a push could pick it up. Files that
 * carry credentials are readable by the owner only.
 */
export function writeRenderedFiles(outDir: string, files: readonly RenderedFile[]): string[] {
  const root = resolve(outDir);
  const written: string[] = [];
  for (const file of files) {
    const target = resolve(root, file.path);
    const rel = relative(root, target);
    if (rel.startsWith("..") || rel.startsWith(sep) || rel === "") {
      throw new PatchkastError(
        "PK_ERR_OUTPUT_WRITE",
        `refusing to write ${file.path}: it would land outside ${root}`,
      );
    }
    const temp = join(dirname(target), `.${process.pid}.tmp-${rel.replace(/[\\/]/g, "_")}`);
    try {
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(temp, Buffer.from(file.content, file.encoding), { mode: file.secrets ? 0o600 : 0o644 });
      renameSync(temp, target);
    } catch (err) {
      throw new PatchkastError("PK_ERR_OUTPUT_WRITE", `writing ${target}: ${(err as Error).message}`, {
        cause: err,
      });
    }
    written.push(target);
  }
  return written;
}
