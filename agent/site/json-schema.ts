import { z } from "zod";
import { siteSchema } from "./schema.js";

/** The site file's JSON Schema, generated from the zod schema (the one source of truth). */
export function siteJsonSchemaText(): string {
  const schema = z.toJSONSchema(siteSchema, { io: "input", unrepresentable: "any" });
  const withMeta = {
    ...schema,
    $id: "https://patchkast.invalid/schema/site.schema.json",
    title: "patchkast site file",
    description:
      "One customer site: VLANs, WAN, router, switches, phones. Secrets are env:NAME or file:path references.",
  };
  return `${JSON.stringify(withMeta, null, 2)}\n`;
}
