/**
 * Writes schema/site.schema.json from the zod site schema, so editors complete and check site files
 * (`# yaml-language-server: $schema=...` at the top of a site file). A test fails when it is stale.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "../agent/paths.js";
import { siteJsonSchemaText } from "../agent/site/json-schema.js";

const file = join(packageRoot, "schema", "site.schema.json");
writeFileSync(file, siteJsonSchemaText());
console.log(`wrote ${file}`);
