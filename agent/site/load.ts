import { readFileSync } from "node:fs";
import { z } from "zod";
import type { Catalog } from "../catalog/load.js";
import { PatchkastError } from "../errors.js";
import {
  formatPath,
  formatProblem,
  type Problem,
  parseYaml,
  sortProblems,
  zodProblems,
} from "../yaml-source.js";
import { type Site, siteSchema } from "./schema.js";
import { checkSite, type PartialSite } from "./semantics.js";

export interface SiteLoadResult {
  site?: Site;
  problems: Problem[];
}

/**
 * Parses and validates site YAML text: every mistake comes back at once, each with file:line:column, the
 * path and a sentence. Sections that are broken are left out of the semantic checks, the rest are checked.
 */
export function validateSiteText(text: string, file: string, catalog: Catalog): SiteLoadResult {
  const parsed = parseYaml(text, file);
  if (!parsed.source) return { problems: parsed.problems };
  const source = parsed.source;
  if (source.data === null || typeof source.data !== "object" || Array.isArray(source.data)) {
    return {
      problems: [
        { file, line: 1, column: 1, path: "", message: "a site file is a YAML mapping (key: value lines)" },
      ],
    };
  }

  const full = siteSchema.safeParse(source.data);
  const problems: Problem[] = full.success ? [] : zodProblems(source, full.error.issues);
  const partial = full.success
    ? (full.data as PartialSite)
    : partialSite(source.data as Record<string, unknown>);
  for (const issue of checkSite(partial, catalog)) {
    problems.push({
      file,
      ...source.locate(issue.path),
      path: formatPath(issue.path),
      message: issue.message,
    });
  }
  const sorted = sortProblems(problems);
  return full.success && sorted.length === 0 ? { site: full.data, problems: [] } : { problems: sorted };
}

/**
 * Keeps each top-level section, each list item and each VLAN that is valid on its own, so that one broken
 * field hides as little as possible from the semantic checks.
 */
function partialSite(data: Record<string, unknown>): PartialSite {
  const out: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(siteSchema.shape)) {
    const value = data[key];
    const inner = unwrap(schema as z.ZodType);
    if (key === "vlans" && inner instanceof z.ZodObject && value !== null && typeof value === "object") {
      const vlans: Record<string, unknown> = {};
      for (const [role, vlanSchema] of Object.entries(inner.shape)) {
        const r = (vlanSchema as z.ZodType).safeParse((value as Record<string, unknown>)[role]);
        if (r.success) vlans[role] = r.data;
      }
      out[key] = vlans;
      continue;
    }
    if (inner instanceof z.ZodArray && Array.isArray(value)) {
      out[key] = value.map((item) => {
        const r = (inner.element as z.ZodType).safeParse(item);
        return r.success ? r.data : undefined;
      });
      continue;
    }
    const r = (schema as z.ZodType).safeParse(value);
    if (r.success) out[key] = r.data;
  }
  return out as PartialSite;
}

function unwrap(schema: z.ZodType): z.ZodType {
  let s: z.ZodType = schema;
  while (s instanceof z.ZodDefault || s instanceof z.ZodOptional) s = s.unwrap() as z.ZodType;
  return s;
}

export function loadSiteFile(file: string, catalog: Catalog): Site {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (err as Error).message;
    throw new PatchkastError("PK_ERR_SITE_READ", `reading site file ${file}: ${why}`);
  }
  const result = validateSiteText(text, file, catalog);
  if (!result.site) {
    const lines = result.problems.map(formatProblem);
    throw new PatchkastError(
      "PK_ERR_SITE_INVALID",
      `${file} has ${lines.length} mistake(s):\n${lines.join("\n")}`,
      {
        details: lines,
      },
    );
  }
  return result.site;
}
