import { describe, expect, it } from "vitest";
import { reportHtml } from "../../../agent/accept/html.js";
import { buildAcceptanceReport } from "../../../agent/accept/report.js";
import type { AcceptanceReport } from "../../../agent/accept/types.js";
import { hostileStrings } from "../../helpers/hostile.js";
import { catalog, checkIn, labSite, meta, observations, result } from "./fixtures.js";

/** A report in which every free-text field the HTML shows holds `s`. */
function reportWith(s: string): AcceptanceReport {
  const site = {
    ...labSite,
    customer: s,
    phones: labSite.phones.map((p, i) => (i === 0 ? { ...p, user: s } : p)),
  };
  const first = labSite.phones[0]?.mac ?? "";
  return buildAcceptanceReport({
    site,
    catalog,
    results: [
      result("a", "fail", {
        title: s,
        summary: s,
        evidence: [{ subject: s, expected: s, observed: s, ok: false, source: s }],
      }),
      result("b", "unknown", { summary: s }),
      result("c", "pass"),
    ],
    observations: observations({
      phones: {
        ok: true,
        at: "t",
        source: "check-ins",
        value: [checkIn(first, { reportedModel: s, reportedFirmware: s, lastSeen: s })],
      },
      calls: { bySource: { [s]: 2 }, at: "t" },
    }),
    meta: { ...meta, engineer: s, agentVersion: s },
  });
}

const tags = (html: string) => html.match(/<[^>]*>/g) ?? [];

describe("report.html", () => {
  const benign = reportHtml(reportWith("Bakkerij De Vries"));

  it("shows what the protocol must hold", () => {
    const r = buildAcceptanceReport({
      site: labSite,
      catalog,
      results: [result("voice_vlan_on_phone_ports", "fail"), result("poe", "pass")],
      observations: observations({
        phones: {
          ok: true,
          at: "t",
          source: "check-ins",
          value: [checkIn(labSite.phones[0]?.mac ?? "", { reportedFirmware: "7.61.115.7" })],
        },
      }),
      meta: { ...meta, engineer: "Piet Monteur" },
    });
    const page = reportHtml(r);
    for (const text of [
      "Protocol van Oplevering",
      "NOT ACCEPTED",
      "1 check failed: voice_vlan_on_phone_ports",
      "Patchkast Lab",
      "patchkast-lab",
      "2026-11-22",
      "<strong>32</strong> concurrent calls",
      "VDSL Up to 30 Mbit/s – 3 Mbit/s*",
      "Standard (next working day): 99.6% availability, restore &lt; 8 office hours",
      "mon-sun 00:00-07:00 Europe/Amsterdam",
      "voice_vlan_on_phone_ports",
      "no voice VLAN",
      "7.61.115.7.rom",
      "7.61.115.7<br>",
      "lab-rtr1",
      "Engineer / Monteur",
      "Customer / Klant",
      "Piet Monteur",
    ])
      expect(page).toContain(text);
    expect(page.match(/Signature \/ Handtekening/g)).toHaveLength(2);
    expect(page.match(/Date \/ Datum/g)).toHaveLength(2);
    expect(page.match(/<article class="check /g)).toHaveLength(2);
  });

  it("is self-contained: no script, no external resource, a CSP that forbids them", () => {
    expect(benign).toMatch(/^<!DOCTYPE html>/);
    expect(benign).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'`,
    );
    expect(benign).not.toMatch(
      /<script|<link|<img|<iframe|<object|\ssrc=|\shref=|url\(|@import|https?:\/\//i,
    );
    expect(benign).toMatch(/@page \{ size: A4 portrait;/);
  });

  it.each(hostileStrings.map((s) => [JSON.stringify(s), s]))("hostile %s cannot add markup", (_label, s) => {
    const page = reportHtml(reportWith(s));
    // Every tag is the one the harmless report has, attribute for attribute: the value made none of its own.
    expect(tags(page)).toEqual(tags(benign));
    expect(page).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/);
    if (s.includes("<")) expect(page).not.toContain(s.slice(s.indexOf("<"), s.indexOf("<") + 6));
  });

  it("escapes markup and shows control characters and bidi overrides", () => {
    const page = reportHtml(reportWith('<script>alert("x")</script>\u0000\u001b[2J\u202eevil'));
    expect(page).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;\\x00\\x1b[2J\\u202eevil");
    expect(page).not.toContain("<script>");
    expect(page).not.toContain("\u202e");
  });
});
