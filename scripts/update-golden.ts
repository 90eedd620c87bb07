/**
 * Re-renders the example sites into test/golden/<site>/ with placeholder secrets. Run after an intended
 * change to templates or view models, then review the diff; test/golden/golden.test.ts fails on any
 * difference between these files and a fresh render.
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { writeRenderedFiles } from "../agent/store/write-files.js";
import { goldenDir, goldenSites, renderGolden } from "../test/golden/golden-sites.js";

for (const name of goldenSites) {
  const dir = join(goldenDir, name);
  rmSync(dir, { recursive: true, force: true });
  const files = renderGolden(name);
  writeRenderedFiles(dir, files);
  console.log(`${name}: ${files.length} files in ${dir}`);
}
