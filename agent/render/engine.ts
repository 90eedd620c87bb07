import nunjucks from "nunjucks";
import { PatchkastError } from "../errors.js";
import { templatesDir } from "../paths.js";
import { type EscapeFormat, escapeDeep } from "./escape.js";

/**
 * The template engine. Templates only loop and branch over a view model; every string in the view is
 * escaped for the file's format before the template runs (autoescape is off because Nunjucks only
 * knows HTML escaping). Undefined variables are errors, so a renamed view field cannot render blank.
 */
export interface RenderRequest {
  /** Template path relative to templates/, e.g. `phones/yealink/mac.cfg.njk`. */
  template: string;
  format: EscapeFormat;
  view: Record<string, unknown>;
  lineEnding?: "lf" | "crlf";
}

let env: nunjucks.Environment | undefined;

function environment(): nunjucks.Environment {
  env ??= new nunjucks.Environment(new nunjucks.FileSystemLoader(templatesDir, { noCache: false }), {
    autoescape: false,
    throwOnUndefined: true,
    trimBlocks: true,
    lstripBlocks: true,
  });
  return env;
}

export function renderTemplate(req: RenderRequest): string {
  let out: string;
  try {
    out = environment().render(req.template, escapeDeep(req.view, req.format));
  } catch (err) {
    const reason = err instanceof Error ? err.message.replace(/\s+/g, " ").trim() : String(err);
    throw new PatchkastError("PK_ERR_RENDER_TEMPLATE", `rendering ${req.template}: ${reason}`, {
      cause: err,
    });
  }
  if (req.lineEnding === "crlf") out = out.replace(/\r?\n/g, "\r\n");
  return out;
}
