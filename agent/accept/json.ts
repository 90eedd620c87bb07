import type { AcceptanceReport } from "./types.js";

/**
 * report.json: the report as it is, for tools (the NOC's ticket, a later comparison). JSON.stringify
 * escapes control characters and lone surrogates, so the file is valid UTF-8 JSON whatever the evidence says.
 */
export function reportJson(report: AcceptanceReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
