import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { goldenDir, goldenSites, renderGolden } from "./golden-sites.js";

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...listFiles(full));
    else out.push(full);
  }
  return out;
}

describe.each(goldenSites)("golden files of %s", (name) => {
  const dir = join(goldenDir, name);
  const rendered = renderGolden(name);

  it("render exactly the committed set of files", () => {
    const committed = listFiles(dir).map((f) => relative(dir, f)).sort();
    expect(rendered.map((f) => f.path).sort()).toEqual(committed);
  });

  it.each(rendered.map((f) => [f.path, f] as const))("%s is byte-identical (npm run golden:update after an intended change)", (_path, file) => {
    // Compared as text so a failure shows the diff; the encoding round-trip keeps it byte-exact.
    const committed = readFileSync(join(dir, file.path)).toString(file.encoding);
    expect(file.content).toBe(committed);
  });
});
