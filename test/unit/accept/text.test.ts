import { describe, expect, it } from "vitest";
import { checkLine, stepLine } from "../../../agent/accept/progress.js";
import { cssString, html, terminal, visible, xmlAttr, xmlText } from "../../../agent/accept/text.js";
import { result } from "./fixtures.js";

describe("report text escaping", () => {
  it("shows what no format may carry, keeps everything else", () => {
    expect(visible("a\u0000b\u001b[31mc\u007f\u0085\u202e\ud800 \udfff \ud800\udfff 😀 Ørsted\t\n\r")).toBe(
      "a\\x00b\\x1b[31mc\\x7f\\x85\\u202e\\ud800 \\udfff \u{103ff} 😀 Ørsted\t\n\r",
    );
  });

  it("escapes XML text and attributes, and HTML", () => {
    expect(xmlText(`<a href="x">&'\r\n`)).toBe("&lt;a href=&quot;x&quot;&gt;&amp;&apos;&#13;\n");
    expect(xmlAttr("a\tb\nc\rd")).toBe("a&#9;b&#10;c&#13;d");
    expect(html(`<img src=x onerror='1'>&`)).toBe("&lt;img src=x onerror=&#39;1&#39;&gt;&amp;");
    expect(html(null)).toBe("");
    expect(html(32)).toBe("32");
  });

  it("keeps escape sequences and line breaks off the terminal", () => {
    expect(terminal("ok\r\u001b[2Kfake ok\nnext")).toBe("ok \\x1b[2Kfake ok next");
    expect(stepLine({ subject: "sw\u001b]0;x\u0007", step: "snmp poe", ok: false, detail: "a\nb" })).toBe(
      "sw\\x1b]0;x\\x07: snmp poe FAILED: a b",
    );
    expect(checkLine(result("poe", "unknown", { summary: "line1\r\nline2" }))).toBe(
      "check poe: UNKNOWN line1 line2",
    );
  });

  it("makes CSS strings that cannot end early", () => {
    expect(cssString('a"b</style>\\ é')).toBe('"a\\22 b\\3c \\2f style\\3e \\5c  \\e9 "');
  });
});
