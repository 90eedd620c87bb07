import { describe, expect, it } from "vitest";
import { reportJunit } from "../../../agent/accept/junit.js";
import { buildAcceptanceReport } from "../../../agent/accept/report.js";
import type { CheckResult } from "../../../agent/checks/types.js";
import { hostileStrings } from "../../helpers/hostile.js";
import { catalog, labSite, meta, observations, result } from "./fixtures.js";
import { findAll, parseXml, type XmlElement } from "./xml-reader.js";

function junitOf(results: CheckResult[], customer = labSite.customer): XmlElement {
  const report = buildAcceptanceReport({
    site: { ...labSite, customer },
    catalog,
    results,
    observations: observations(),
    meta,
  });
  return parseXml(reportJunit(report));
}

const only = (el: XmlElement, tag: string) => {
  const all = findAll(el, tag);
  expect(all, `exactly one <${tag}>`).toHaveLength(1);
  return all[0] as XmlElement;
};

describe("junit.xml", () => {
  it("is one testsuite with one testcase per check and counts that match", () => {
    const root = junitOf([
      result("a", "pass"),
      result("b", "fail"),
      result("c", "unknown"),
      result("d", "fail"),
    ]);
    expect(root.name).toBe("testsuites");
    const suite = only(root, "testsuite");
    expect(suite.attrs).toMatchObject({
      name: "acceptance patchkast-lab",
      tests: "4",
      failures: "2",
      errors: "0",
      skipped: "1",
      time: "42.500",
      timestamp: "2026-11-22T09:15:00",
    });
    expect(root.attrs).toMatchObject({ tests: "4", failures: "2", skipped: "1" });
    const cases = findAll(suite, "testcase");
    expect(cases.map((c) => [c.attrs.name, c.children.map((k) => k.name)])).toEqual([
      ["a", ["system-out"]],
      ["b", ["failure"]],
      ["c", ["skipped"]],
      ["d", ["failure"]],
    ]);
    expect(cases.every((c) => c.attrs.classname === "patchkast.accept.patchkast-lab")).toBe(true);
  });

  it("puts the summary in the message and the evidence in the body", () => {
    const root = junitOf([result("b", "fail"), result("c", "unknown")]);
    const failure = only(root, "failure");
    expect(failure.attrs.message).toBe("summary of b: fail");
    expect(failure.text).toContain(
      "[FAIL] lab-sw1 GigabitEthernet1/0/3: no voice VLAN (expected voice VLAN 30) [SNMP CISCO-VLAN-MEMBERSHIP-MIB on 127.20.0.2]",
    );
    const skipped = only(root, "skipped");
    expect(skipped.attrs.message).toBe("unknown: summary of c: unknown");
    expect(skipped.text).toContain("[?] lab-sw1 GigabitEthernet1/0/3: not observed: timeout after 4 s");
  });

  it("carries customer, verdict, line capacity and SLA tier as properties", () => {
    const props = Object.fromEntries(
      findAll(junitOf([result("a", "pass")]), "property").map((p) => [p.attrs.name, p.attrs.value]),
    );
    expect(props).toMatchObject({
      customer: "Patchkast Lab",
      site: "patchkast-lab",
      verdict: "ACCEPTED",
      line_max_concurrent_calls: "32",
      sla_tier: "Standard (next working day) (99.6%)",
      agent_version: "9.8.7-test",
    });
  });

  it.each(hostileStrings.map((s) => [JSON.stringify(s), s]))(
    "stays well-formed and keeps the text with hostile %s",
    (_label, s) => {
      const hostile = result(`id ${s}`, "fail", {
        title: s,
        summary: s,
        evidence: [{ subject: s, expected: s, observed: s, ok: false, source: s }],
      });
      const root = junitOf([hostile, result("ok", "unknown", { summary: s })], s);
      // Nothing the value says became markup: the structure is the same as with a harmless value.
      expect(findAll(root, "testcase")).toHaveLength(2);
      expect(findAll(root, "failure")).toHaveLength(1);
      expect(findAll(root, "skipped")).toHaveLength(1);
      const failure = only(root, "failure");
      // What XML cannot carry (NUL) is shown, not dropped; everything else reads back exactly.
      const expected = s.replace("\u0000", "\\x00");
      expect(failure.attrs.message).toBe(expected);
      expect(failure.text.split("\n")).toContain(expected.split("\n")[0]);
      expect(failure.text).toContain(expected);
      const customer = findAll(root, "property").find((p) => p.attrs.name === "customer");
      expect(customer?.attrs.value).toBe(expected);
    },
  );

  it("shows every control character XML forbids instead of writing it", () => {
    const controls = Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)).join("");
    const weird = `${controls}\u007f\u0085\ufffe\uffff\ud800 lone\u202e evil`;
    const xml = reportJunit(
      buildAcceptanceReport({
        site: labSite,
        catalog,
        results: [result("x", "fail", { summary: weird })],
        observations: observations(),
        meta,
      }),
    );
    const failure = only(parseXml(xml), "failure");
    expect(failure.attrs.message).toContain("\\x00\\x01");
    expect(failure.attrs.message).toContain("\\x1f\\x7f\\x85\\ufffe\\uffff\\ud800 lone\\u202e evil");
    // Tab, LF and CR are legal and survive, as references, even in an attribute.
    expect(failure.attrs.message).toContain("\t\n\\x0b\\x0c\r\\x0e");
  });
});

describe("the test's XML reader refuses what a real parser refuses", () => {
  it.each([
    ["bare ampersand", "<a>x & y</a>"],
    ["control character", "<a>\u0001</a>"],
    ["control character reference", "<a>&#1;</a>"],
    ["unknown entity", "<a>&nbsp;</a>"],
    ["duplicate attribute", '<a x="1" x="2"/>'],
    ["mismatched tag", "<a></b>"],
    ["unclosed tag", "<a><b></a>"],
    ["two roots", "<a/><b/>"],
    ["< in attribute", '<a x="<"/>'],
    ["]]> in text", "<a>]]></a>"],
    ["-- in comment", "<a><!-- x -- y --></a>"],
    ["lone surrogate", "<a>\ud800</a>"],
  ])("%s", (_what, xml) => {
    expect(() => parseXml(xml)).toThrow();
  });

  it("reads references and normalises attribute whitespace", () => {
    const el = parseXml(
      '<?xml version="1.0" encoding="UTF-8"?>\n<a x="1&#10;2\t3" y=\'&quot;\'>&lt;&#x41;&amp;</a>',
    );
    expect(el.attrs).toEqual({ x: "1\n2 3", y: '"' });
    expect(el.text).toBe("<A&");
  });
});
