/**
 * Shared by the per-command parser tests: every `test/fixtures/ios/<command>/<case>.txt` (self-written,
 * modelled on real output) must parse to exactly its `<case>.json`, and errors must be typed ParseErrors.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { packageRoot } from "../../../agent/paths.js";
import { ParseError } from "../../../drivers/ios/parse/common.js";

const fixtures = join(packageRoot, "test", "fixtures", "ios");

export function fixtureText(folder: string, name: string): string {
  return readFileSync(join(fixtures, folder, `${name}.txt`), "utf8");
}

/** One test per fixture case, comparing the whole parse with the expected JSON. */
export function itParsesFixtures(folder: string, parse: (text: string) => unknown): void {
  const cases = readdirSync(join(fixtures, folder))
    .filter((f) => f.endsWith(".txt"))
    .sort();
  it("has at least two fixture cases", () => expect(cases.length).toBeGreaterThanOrEqual(2));
  for (const file of cases) {
    it(`parses fixture ${file} to ${file.replace(/\.txt$/, ".json")}`, () => {
      const expected: unknown = JSON.parse(
        readFileSync(join(fixtures, folder, file.replace(/\.txt$/, ".json")), "utf8"),
      );
      const actual: unknown = JSON.parse(
        JSON.stringify(parse(readFileSync(join(fixtures, folder, file), "utf8"))),
      );
      expect(actual).toEqual(expected);
    });
  }
}

/** Runs `fn`, expecting a ParseError with this code (and line, when given); returns it for more checks. */
export function parseErrorOf(fn: () => unknown, code: ParseError["code"], line?: number | null): ParseError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ParseError);
    const e = err as ParseError;
    expect(e.code).toBe(code);
    if (line !== undefined) expect(e.line).toBe(line);
    return e;
  }
  throw new Error("expected a ParseError, but the text parsed");
}

/** What a switch prints for a command it does not have (echo, caret line, error, prompt). */
export const invalidInput = (command: string) =>
  `${command}\n           ^\n% Invalid input detected at '^' marker.\n\nsw1#`;
