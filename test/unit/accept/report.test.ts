import { describe, expect, it } from "vitest";
import { reportJson } from "../../../agent/accept/json.js";
import { buildAcceptanceReport, localDate } from "../../../agent/accept/report.js";
import type { ReportMeta } from "../../../agent/accept/types.js";
import type { CheckResult } from "../../../agent/checks/types.js";
import { catalog, checkIn, evidence, labSite, meta, observations, result } from "./fixtures.js";

const build = (results: CheckResult[], extra: Partial<ReportMeta> = {}) =>
  buildAcceptanceReport({
    site: labSite,
    catalog,
    results,
    observations: observations(),
    meta: { ...meta, ...extra },
  });

describe("acceptance verdict", () => {
  it("accepts only when every check passed", () => {
    const r = build([result("a", "pass"), result("b", "pass")]);
    expect(r.verdict).toBe("accepted");
    expect(r.counts).toEqual({ total: 2, pass: 2, fail: 0, unknown: 0 });
    expect(r.verdictReason).toBe("all 2 checks passed");
  });

  it("does not accept a failed check and names it", () => {
    const r = build([result("a", "pass"), result("poe_on_phone_ports", "fail")]);
    expect(r.verdict).toBe("not_accepted");
    expect(r.verdictReason).toBe("1 check failed: poe_on_phone_ports");
  });

  it("does not accept a check that could not be judged, unless --allow-unknown", () => {
    const results = [result("a", "pass"), result("sip_proxy", "unknown")];
    expect(build(results).verdict).toBe("not_accepted");
    expect(build(results).policy.unknownBlocksAcceptance).toBe(true);
    const allowed = build(results, { allowUnknown: true });
    expect(allowed.verdict).toBe("accepted_with_reservations");
    expect(allowed.verdictReason).toContain("1 check could not be judged: sip_proxy");
    expect(allowed.policy.unknownBlocksAcceptance).toBe(false);
  });

  it("--allow-unknown never lets a failure through", () => {
    const r = build([result("a", "fail"), result("b", "unknown")], { allowUnknown: true });
    expect(r.verdict).toBe("not_accepted");
    expect(r.verdictReason).toBe("1 check failed: a; 1 check could not be judged: b");
  });

  it("does not accept a run in which no check ran", () => {
    expect(build([]).verdict).toBe("not_accepted");
    expect(build([], { allowUnknown: true }).verdictReason).toContain("no check ran");
  });
});

describe("acceptance report contents", () => {
  it("takes the line capacity and SLA tier from the catalogs", () => {
    const r = build([result("a", "pass")]);
    expect(r.line).toMatchObject({
      key: "vdsl-30-3",
      found: true,
      technology: "VDSL",
      maxConcurrentCalls: 32,
      source: "003:L537",
    });
    expect(r.sla).toMatchObject({
      key: "standard",
      found: true,
      availabilityPercent: 99.6,
      restoreHoursKind: "office",
      maintenanceWindow: "mon-sun 00:00-07:00 Europe/Amsterdam",
    });
  });

  it("says so when the access line or tier is not in the catalog", () => {
    const site = { ...labSite, access_line: "carrier-pigeon" };
    const r = buildAcceptanceReport({ site, catalog, results: [], observations: observations(), meta });
    expect(r.line).toEqual({ key: "carrier-pigeon", found: false });
  });

  it("copies customer, site, devices, times and leaves the signatures blank", () => {
    const r = build([result("a", "pass")], { engineer: "Piet Monteur" });
    expect(r.customer).toBe("Patchkast Lab");
    expect(r.site).toEqual({
      id: "patchkast-lab",
      timeZone: "Europe/Amsterdam",
      // The lab site's proxy changes as the lab grows; the format is the point.
      sipProxy: `${labSite.provider.sip_proxy.host}:${labSite.provider.sip_proxy.port}/${labSite.provider.sip_proxy.transport}`,
      accessLine: "vdsl-30-3",
      slaTier: "standard",
    });
    expect(r.devices.map((d) => `${d.role} ${d.name} ${d.address}`)).toEqual([
      "router lab-rtr1 127.20.0.1",
      "switch lab-sw1 127.20.0.2",
    ]);
    expect(r.durationMs).toBe(42_500);
    expect(r.agent).toEqual({ version: "9.8.7-test", node: "v20.0.0-test" });
    expect(r.signatures).toEqual([
      { party: "engineer", label: "Engineer", name: "Piet Monteur", date: null, signature: null },
      { party: "customer", label: "Customer", name: null, date: null, signature: null },
    ]);
  });

  it("dates the report in the site's time zone", () => {
    expect(localDate(new Date("2026-11-21T23:30:00Z"), "Europe/Amsterdam")).toBe("2026-11-22");
    expect(localDate(new Date("2026-11-21T23:30:00Z"), "America/New_York")).toBe("2026-11-21");
    expect(localDate(new Date("2026-11-21T23:30:00Z"), "Not/AZone")).toBe("2026-11-21");
  });

  it("joins the inventory phones with their check-ins by MAC, firmware expected vs reported", () => {
    const obs = observations({
      phones: {
        ok: true,
        at: "2026-11-22T09:15:00.000Z",
        source: "check-ins",
        value: [
          // MAC written differently from the site file: still the same phone.
          checkIn("00-15-65-1A-B0-01", { reportedFirmware: "7.61.115.7" }),
          checkIn("00:15:65:1a:b0:02", { reportedFirmware: "2.60.0.1", reportedModel: "SIP-T28P" }),
          checkIn("00:15:65:1a:b0:03", { lastSeen: null, reportedModel: null }),
        ],
      },
    });
    const r = buildAcceptanceReport({ site: labSite, catalog, results: [], observations: obs, meta });
    expect(
      r.phones.slice(0, 5).map((p) => [p.extension, p.expectedFirmware, p.reportedFirmware, p.firmware]),
    ).toEqual([
      ["200", "7.61.115.7.rom", "7.61.115.7", "compliant"],
      ["201", "2.61.115.7.rom", "2.60.0.1", "mismatch"],
      ["202", expect.any(String), null, "not_reported"],
      ["203", "7.61.115.7.rom", null, "not_reported"],
      ["204", "7.4.9a", null, "not_reported"],
    ]);
    expect(r.phones[0]).toMatchObject({
      user: "Receptie",
      expectedModel: "Yealink T22P",
      reportedModel: "SIP-T22P",
      port: "lab-sw1 GigabitEthernet1/0/1",
    });
    expect(r.phonesObserved).toEqual({ ok: true });
  });

  it("records a failed provisioning view instead of inventing check-ins", () => {
    const obs = observations({
      phones: { ok: false, error: "state dir unreadable", code: "EACCES", at: "x", source: "check-ins" },
    });
    const r = buildAcceptanceReport({ site: labSite, catalog, results: [], observations: obs, meta });
    expect(r.phonesObserved).toEqual({ ok: false, error: "state dir unreadable", code: "EACCES" });
    expect(r.phones.every((p) => p.firmware === "not_reported" && p.reportedFirmware === null)).toBe(true);
  });

  it("reports the calls seen against the line's capacity", () => {
    const obs = observations({ calls: { bySource: { phone_events: 3, capture: 4 }, at: "t" } });
    const r = buildAcceptanceReport({ site: labSite, catalog, results: [], observations: obs, meta });
    expect(r.calls).toEqual({ bySource: { phone_events: 3, capture: 4 }, highest: 4, capacity: 32, at: "t" });
    expect(build([]).calls).toBeNull();
  });

  it("does not change its input", () => {
    const results = [result("a", "fail")];
    const before = JSON.stringify(results);
    const r = build(results);
    r.checks[0]?.evidence.push(evidence(true));
    expect(JSON.stringify(results)).toBe(before);
  });
});

describe("secrets in the acceptance report", () => {
  it("holds no secret reference of the site file", () => {
    const json = reportJson(build([result("a", "pass")]));
    const refs = [
      labSite.router.credentials.password,
      labSite.switches[0]?.credentials.password,
      labSite.snmp.auth_key,
      labSite.snmp.priv_key,
      labSite.phone_admin_password,
      ...labSite.phones.map((p) => p.sip.password),
    ];
    expect(refs.length).toBeGreaterThan(5);
    for (const ref of refs) expect(json).not.toContain(ref);
    expect(json).not.toMatch(/lab\/\.state\/secrets/);
  });

  it("scrubs a secret value that a device or check echoed into the evidence", () => {
    const leaky = result("ssh_login", "fail", {
      summary: "login failed for patchkast/Sup3r-Secret!",
      evidence: [{ ...evidence(false), observed: "% Bad secrets: Sup3r-Secret! and hunter2hunter2" }],
    });
    const r = buildAcceptanceReport({
      site: labSite,
      catalog,
      results: [leaky],
      observations: observations(),
      meta: { ...meta, redact: ["Sup3r-Secret!", "hunter2", "hunter2hunter2", ""] },
    });
    const json = reportJson(r);
    expect(json).not.toContain("Sup3r-Secret!");
    expect(json).not.toContain("hunter2");
    expect(r.checks[0]?.summary).toBe("login failed for patchkast/<secret>");
    // The longer secret is hidden whole, not as two halves of the shorter one.
    expect(r.checks[0]?.evidence[0]?.observed).toBe("% Bad secrets: <secret> and <secret>");
  });
});
