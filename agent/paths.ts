import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The package root, found by walking up from this file: the same code runs from `agent/` under tsx
 * and from `dist/agent/` after `tsc`, and both must find configs/ and templates/.
 */
function findPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, "package.json")) && existsSync(join(dir, "templates"))) return dir;
    const parent = dirname(dir);
    if (parent === dir)
      throw new Error("patchkast: cannot find the package root (templates/ next to package.json)");
    dir = parent;
  }
}

export const packageRoot = findPackageRoot();
export const catalogDir = join(packageRoot, "configs", "catalog");
export const sitesDir = join(packageRoot, "configs", "sites");
export const templatesDir = join(packageRoot, "templates");
