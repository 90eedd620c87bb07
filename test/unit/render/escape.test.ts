import { describe, expect, it } from "vitest";
import { escapeDeep, escapers } from "../../../agent/render/escape.js";
import { Secret } from "../../../agent/site/secrets.js";
import { hostileStrings } from "../../helpers/hostile.js";

describe("per-format escaping", () => {
  it.each(Object.keys(escapers))("%s never lets a line break or control character through", (format) => {
    const escapeString = escapers[format as keyof typeof escapers];
    for (const s of hostileStrings) expect(escapeString(s)).not.toMatch(/[\u0000-\u001f\u007f]/);
  });

  it("XML escaping leaves no markup", () => {
    for (const s of hostileStrings)
      expect(escapers.xml(s)).not.toMatch(/[<>"']|&(?!(amp|lt|gt|quot|apos|#45);)/);
    expect(escapers.xml("a--b---c")).not.toContain("--");
  });

  it("breaks Yealink's %NULL% in any case", () => {
    expect(escapers["yealink-kv"]("a %NULL% b %null%")).not.toMatch(/%null%/i);
  });

  it("drops ? for IOS and double quotes for Panasonic", () => {
    expect(escapers.ios("why?")).toBe("why");
    expect(escapers["panasonic-kv"]('say "hi"')).toBe("say 'hi'");
  });

  it("escapes every string of a nested view, leaves numbers alone, and refuses class instances", () => {
    const view = { a: "x\ny", n: 5, list: [{ b: "<b>" }], flag: true, none: null };
    expect(escapeDeep(view, "xml")).toEqual({
      a: "x y",
      n: 5,
      list: [{ b: "&lt;b&gt;" }],
      flag: true,
      none: null,
    });
    expect(() => escapeDeep({ s: new Secret("x", "env:X") }, "xml")).toThrow(/Secret/);
  });
});
