import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sitesDir } from "../../agent/paths.js";
import { type RenderedFile, renderPhoneFiles } from "../../agent/render/render-site.js";
import { loadSiteFile, validateSiteText } from "../../agent/site/load.js";
import type { Site } from "../../agent/site/schema.js";
import { PlaceholderSecretResolver } from "../../agent/site/secrets.js";
import { catalog } from "../helpers/family-harness.js";
import { hostileStrings } from "../helpers/hostile.js";
import { parseAastraConfig } from "../helpers/parse-aastra.js";
import { parseGigaset } from "../helpers/parse-gigaset.js";
import { parsePanasonic } from "../helpers/parse-panasonic.js";
import { parsePolycom } from "../helpers/parse-polycom.js";
import { parseSpaProfile } from "../helpers/parse-spa.js";
import { parseYealink } from "../helpers/parse-yealink.js";

/**
 * Hostile text in a site file, end to end: the example site with every family, every phone's user name
 * and the customer replaced by an attack string. Each rendered file is read back with a strict parser of
 * its format; no key may appear or disappear, and only settings that carry the user's name may change.
 */
const siteFile = join(sitesDir, "example-fibre.yaml");
const parsers: Record<string, (text: string) => { settings: Map<string, string> }> = {
  yealink: parseYealink,
  polycom: parsePolycom,
  "cisco-spa": parseSpaProfile,
  aastra: parseAastraConfig,
  panasonic: parsePanasonic,
  gigaset: parseGigaset,
};

function render(site: Site): RenderedFile[] {
  return renderPhoneFiles(site, catalog, new PlaceholderSecretResolver());
}

function withUsers(site: Site, user: string): Site {
  return { ...site, customer: user, phones: site.phones.map((p) => ({ ...p, user })) };
}

const benignSite = loadSiteFile(siteFile, catalog);
const benignName = "Benign Name";
const benign = new Map(render(withUsers(benignSite, benignName)).map((f) => [f.path, f]));

describe("hostile values in a site file", () => {
  it("the site schema refuses line breaks and control characters in user text", () => {
    const text = readFileSync(siteFile, "utf8");
    for (const evil of ['"Evil\\naccount.1.password = x"', '"Evil\\r\\nx"', '"NUL\\u0000"']) {
      const r = validateSiteText(text.replace(/user: "[^"]*"/, `user: ${evil}`), siteFile, catalog);
      expect(r.problems.map((p) => p.message).join()).toContain(
        "must not contain line breaks or control characters",
      );
    }
  });

  it.each(hostileStrings.map((s) => [JSON.stringify(s), s] as const))(
    "%s cannot add or change a setting in any family's file",
    (_label, evil) => {
      const files = render(withUsers(benignSite, evil));
      expect(files.map((f) => f.path)).toEqual([...benign.keys()]);
      for (const file of files) {
        const parse = parsers[file.family ?? ""];
        if (!parse) throw new Error(`no parser for ${file.path}`);
        const before = parse((benign.get(file.path) as RenderedFile).content).settings;
        const after = parse(file.content).settings;
        expect([...after.keys()], file.path).toEqual([...before.keys()]);
        for (const [key, value] of after) {
          const was = before.get(key) ?? "";
          if (value !== was)
            expect(was, `${file.path}: ${key} changed but does not carry the name`).toContain(
              benignName.split(" ")[0],
            );
        }
      }
    },
  );
});
