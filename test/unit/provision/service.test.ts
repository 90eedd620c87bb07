import { describe, expect, it } from "vitest";
import { firmwareMatches } from "../../../agent/provision/check-ins.js";
import { MissTracker } from "../../../agent/provision/miss-tracker.js";
import { normaliseMac } from "../../../agent/render/view-model.js";
import { catalog } from "../../helpers/family-harness.js";
import { userAgentFor } from "../../helpers/phone-user-agents.js";
import { fibreSite, provisioningFor, sipPasswords } from "../../helpers/provisioning-fixture.js";

const voice = "10.60.20.57";
const data = "10.60.1.57";
const yealink = fibreSite.phones.find((p) => p.model === "Yealink T22P");
const yealinkMac = normaliseMac(yealink?.mac ?? "");
const yealinkModel = catalog.findPhone("Yealink T22P");
if (!yealinkModel) throw new Error("catalog");
const ua = userAgentFor(yealinkModel, yealinkMac, "7.61.115.7");

describe("provisioning policy", () => {
  it("serves shared files to anyone and a phone's own file to the voice VLAN", () => {
    const p = provisioningFor();
    const common = p.service.handle({ path: "y000000000005.cfg", source: data, protocol: "tftp" });
    expect(common).toMatchObject({ status: 200, kind: "file" });
    const own = p.service.handle({
      path: `${yealinkMac}.cfg`,
      source: voice,
      protocol: "http",
      userAgent: ua,
    });
    expect(own.kind === "file" && own.file.secrets).toBe(true);
  });

  it("matches names without case and with the case the phone uses", () => {
    const p = provisioningFor();
    for (const name of [`${yealinkMac}.cfg`, `${yealinkMac.toUpperCase()}.cfg`, `${yealinkMac}.CFG`]) {
      expect(p.service.handle({ path: name, source: voice, protocol: "http" }).status).toBe(200);
    }
  });

  it("refuses credentials outside the allowed subnets, and to a User-Agent naming another MAC or family", () => {
    const p = provisioningFor();
    expect(
      p.service.handle({ path: `${yealinkMac}.cfg`, source: data, protocol: "http", userAgent: ua }).status,
    ).toBe(403);
    const other = ua.replace(/..$/, "ff");
    expect(
      p.service.handle({ path: `${yealinkMac}.cfg`, source: voice, protocol: "http", userAgent: other })
        .status,
    ).toBe(403);
    const polycomUa = "FileTransport PolycomVVX-VVX_500-UA/4.1.2.0011 Type/Application";
    expect(
      p.service.handle({ path: `${yealinkMac}.cfg`, source: voice, protocol: "http", userAgent: polycomUa })
        .status,
    ).toBe(403);
    const reasons = p.audit.records.filter((r) => r.result === "denied").map((r) => r.reason);
    expect(reasons).toEqual([
      expect.stringContaining("only served to the allowed subnets"),
      expect.stringContaining("does not match the file's device"),
      expect.stringContaining("a polycom User-Agent asked for a yealink file"),
    ]);
  });

  it("gives an unknown MAC a bootstrap file without secrets, the same for every MAC", () => {
    const p = provisioningFor();
    const a = p.service.handle({ path: "001565ffff01.cfg", source: voice, protocol: "http" });
    const b = p.service.handle({ path: "001565ffff02.cfg", source: voice, protocol: "http" });
    expect(a.kind === "file" && b.kind === "file" && a.file.content.equals(b.file.content)).toBe(true);
    const text = a.kind === "file" ? a.file.content.toString() : "";
    expect(text).toContain("not in the site's inventory");
    for (const pw of sipPasswords(fibreSite)) expect(text).not.toContain(pw);
  });

  it("blocks a source after the configured number of guesses, then refuses it everything until the block ends", () => {
    const p = provisioningFor();
    const threshold = fibreSite.provisioning.miss_threshold;
    for (let i = 0; i < threshold; i++) {
      const r = p.service.handle({
        path: `001565ee${i.toString(16).padStart(4, "0")}.cfg`,
        source: voice,
        protocol: "http",
      });
      expect(r.status).toBe(200);
    }
    expect(p.events.filter((e) => e.blockedSource)).toHaveLength(1);
    expect(
      p.service.handle({ path: `${yealinkMac}.cfg`, source: voice, protocol: "http", userAgent: ua }).status,
    ).toBe(403);
    expect(p.service.handle({ path: "y000000000005.cfg", source: voice, protocol: "tftp" }).status).toBe(403);
    // Another phone is not affected; and the block ends.
    expect(
      p.service.handle({ path: "y000000000005.cfg", source: "10.60.20.58", protocol: "tftp" }).status,
    ).toBe(200);
    p.clock.now += fibreSite.provisioning.block_seconds * 1000 + 1;
    expect(
      p.service.handle({ path: `${yealinkMac}.cfg`, source: voice, protocol: "http", userAgent: ua }).status,
    ).toBe(200);
  });

  it("records check-ins with model and firmware compliance, and audits every request", () => {
    const p = provisioningFor();
    p.service.handle({ path: `${yealinkMac}.cfg`, source: voice, protocol: "http", userAgent: ua });
    const oldFw = userAgentFor(yealinkModel, yealinkMac, "7.61.0.80");
    const second = fibreSite.phones.filter((x) => x.model === "Yealink T22P")[1];
    const secondMac = normaliseMac(second?.mac ?? "");
    p.service.handle({
      path: `${secondMac}.cfg`,
      source: "10.60.20.99",
      protocol: "http",
      userAgent: userAgentFor(yealinkModel, secondMac, "7.61.0.80"),
    });
    const list = p.service.checkIns.list();
    expect(list.find((c) => c.mac === yealinkMac)).toMatchObject({
      address: voice,
      reportedModel: "T22P",
      reportedFirmware: "7.61.115.7",
      firmwareCompliant: true,
      filesServed: 1,
    });
    expect(list.find((c) => c.mac === secondMac)).toMatchObject({
      reportedFirmware: "7.61.0.80",
      firmwareCompliant: false,
    });
    expect(list.filter((c) => c.lastSeen === null)).toHaveLength(fibreSite.phones.length - 2);
    expect(oldFw).toContain("7.61.0.80");
    expect(p.audit.records.map((r) => [r.result, r.status, r.device, r.model])).toEqual([
      ["served", 200, yealinkMac, "T22P"],
      ["served", 200, secondMac, "T22P"],
    ]);
  });

  it("answers everything else with 404 and no miss", () => {
    const p = provisioningFor();
    expect(p.service.handle({ path: "sip.ld", source: voice, protocol: "tftp" }).status).toBe(404);
    expect(p.events.every((e) => !e.blockedSource)).toBe(true);
    expect(p.misses.blockedSources(p.clock.now)).toEqual([]);
  });
});

describe("miss tracker", () => {
  it("counts only inside the window and forgets old sources first", () => {
    const m = new MissTracker({ threshold: 3, windowMs: 1000, blockMs: 5000 }, 2);
    expect(m.recordMiss("a", 0).count).toBe(1);
    expect(m.recordMiss("a", 2000).count).toBe(1);
    m.recordMiss("b", 2001);
    m.recordMiss("c", 2002);
    expect(m.recordMiss("a", 2003).count).toBe(1);
    m.recordMiss("a", 2004);
    expect(m.recordMiss("a", 2005).blockedUntil).toBe(7005);
    expect(m.blockedUntil("a", 7004)).toBe(7005);
    expect(m.blockedUntil("a", 7005)).toBeUndefined();
  });
});

describe("firmware compliance", () => {
  it("matches the catalog's printed forms to what phones report", () => {
    expect(firmwareMatches("7.61.115.7.rom", "7.61.115.7")).toBe(true);
    expect(firmwareMatches("v22.73", "22.73")).toBe(true);
    expect(firmwareMatches("4.0.2b", "4.0.2.11307")).toBe(true);
    expect(firmwareMatches("7.4.9a", "7.4.9a")).toBe(true);
    expect(firmwareMatches("7.61.115.7.rom", "7.61.115.70")).toBe(false);
    expect(firmwareMatches("7.4.9a", "7.4.8a")).toBe(false);
    expect(firmwareMatches("42.194", "42.245.00.000.000")).toBe(false);
  });
});
