import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { z } from "zod";
import { phoneFamily } from "../../drivers/phones/index.js";
import type { FamilyId } from "../../drivers/phones/types.js";
import { PatchkastError } from "../errors.js";
import { catalogDir as defaultCatalogDir } from "../paths.js";
import {
  formatPath,
  formatProblem,
  type Problem,
  parseYaml,
  sortProblems,
  zodProblems,
} from "../yaml-source.js";
import { type LineRow, linesFileSchema, phonesFileSchema, type SlaFile, slaFileSchema } from "./schema.js";

/** A phone model from the provider's list, as the rest of patchkast uses it. */
export interface PhoneModel {
  id: string;
  brand: string;
  model: string;
  printedAs: string;
  category: "desk" | "dect" | "video" | "softclient" | "ata";
  supportedByProvider: boolean;
  supportedByMaker: boolean;
  autoprovisioning: boolean;
  firmware: string | null;
  family: FamilyId | null;
  familyOptions: Record<string, unknown>;
  source: string;
}

export interface Catalog {
  phones: readonly PhoneModel[];
  lines: readonly LineRow[];
  sla: SlaFile;
  /** Finds a model by id ("yealink-t22p") or by brand and model as people write it ("Yealink T22P"). */
  findPhone(name: string): PhoneModel | undefined;
  findLine(key: string): LineRow | undefined;
}

export function modelKey(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

function readChecked<S extends z.ZodType>(dir: string, name: string, schema: S, problems: Problem[]) {
  const file = join(dir, name);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    problems.push({ file, line: 1, column: 1, path: "", message: `cannot read: ${(err as Error).message}` });
    return undefined;
  }
  const parsed = parseYaml(text, file);
  problems.push(...parsed.problems);
  if (!parsed.source) return undefined;
  const result = schema.safeParse(parsed.source.data);
  if (!result.success) {
    problems.push(...zodProblems(parsed.source, result.error.issues));
    return undefined;
  }
  return { data: result.data as z.output<S>, source: parsed.source };
}

/** Loads and validates the three catalog files; table mistakes fail here, naming the row. */
export function loadCatalog(dir: string = defaultCatalogDir): Catalog {
  const problems: Problem[] = [];
  const phonesFile = readChecked(dir, "phones.yaml", phonesFileSchema, problems);
  const linesFile = readChecked(dir, "lines.yaml", linesFileSchema, problems);
  const slaFile = readChecked(dir, "sla.yaml", slaFileSchema, problems);

  const phones: PhoneModel[] = [];
  if (phonesFile) {
    const seen = new Set<string>();
    phonesFile.data.phones.forEach((row, i) => {
      const at = (key: string, message: string) => {
        const path = ["phones", i, key];
        problems.push({
          file: phonesFile.source.file,
          ...phonesFile.source.locate(path),
          path: formatPath(path),
          message,
        });
      };
      if (seen.has(row.id)) at("id", `model id "${row.id}" appears twice`);
      seen.add(row.id);
      let familyOptions = row.family_options;
      if (row.family !== null) {
        const family = phoneFamily(row.family);
        if (!family) {
          at("family", `"${row.id}" names an unknown family "${row.family}"`);
        } else {
          const parsedOptions = family.optionsSchema.safeParse(row.family_options);
          if (parsedOptions.success) familyOptions = parsedOptions.data;
          else
            for (const issue of parsedOptions.error.issues)
              at(
                "family_options",
                `"${row.id}": ${formatPath(issue.path as (string | number)[])} ${issue.message}`,
              );
        }
      }
      if (row.autoprovisioning && (row.family === null || row.firmware === null)) {
        at("autoprovisioning", `"${row.id}" autoprovisions, so it needs a family and a firmware`);
      }
      phones.push({
        id: row.id,
        brand: row.brand,
        model: row.model,
        printedAs: row.printed_as,
        category: row.category,
        supportedByProvider: row.supported_by_provider,
        supportedByMaker: row.supported_by_maker,
        autoprovisioning: row.autoprovisioning,
        firmware: row.firmware,
        family: row.family as FamilyId | null,
        familyOptions,
        source: row.source,
      });
    });
  }
  if (linesFile) {
    const keys = new Set<string>();
    linesFile.data.lines.forEach((row, i) => {
      if (keys.has(row.key)) {
        const path = ["lines", i, "key"];
        problems.push({
          file: linesFile.source.file,
          ...linesFile.source.locate(path),
          path: formatPath(path),
          message: `line key "${row.key}" appears twice`,
        });
      }
      keys.add(row.key);
    });
  }
  if (problems.length > 0 || !phonesFile || !linesFile || !slaFile) {
    const sorted = sortProblems(problems).map(formatProblem);
    throw new PatchkastError(
      "PK_ERR_CATALOG_INVALID",
      `the catalog in ${dir} has ${sorted.length} mistake(s):\n${sorted.join("\n")}`,
      {
        details: sorted,
      },
    );
  }

  const byKey = new Map<string, PhoneModel>();
  for (const p of phones) {
    byKey.set(p.id, p);
    byKey.set(modelKey(`${p.brand} ${p.model}`), p);
  }
  const lines = linesFile.data.lines;
  return {
    phones,
    lines,
    sla: slaFile.data,
    findPhone: (name) => byKey.get(modelKey(name)),
    findLine: (key) => lines.find((l) => l.key === key),
  };
}
