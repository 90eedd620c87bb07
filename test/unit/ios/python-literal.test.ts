import { describe, expect, it } from "vitest";
import { parsePythonLiteral } from "../../helpers/python-literal.js";

describe("parsePythonLiteral (reader for genieparser expected_output files)", () => {
  it("reads dicts, lists, tuples, strings, numbers, True/False/None, comments and trailing commas", () => {
    const text = `expected_output = {
      # a comment
      'a': {"b": [1, -2, 3.5, ], 'c': (True, False, None)},
      1: 'it''s', "esc": 'x\\ty\\'z\\x41',
    }`;
    expect(parsePythonLiteral(text)).toEqual({
      a: { b: [1, -2, 3.5], c: [true, false, null] },
      "1": "its",
      esc: "x\ty'zA",
    });
  });

  it("fails loudly on what it does not know", () => {
    expect(() => parsePythonLiteral("{'a': foo}")).toThrow(/unexpected token at offset 6/);
    expect(() => parsePythonLiteral("{'a': 1} extra")).toThrow(/text after the literal/);
    expect(() => parsePythonLiteral("{'a': 'open")).toThrow(/unterminated string/);
  });
});
