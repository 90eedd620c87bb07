import { describe, expect, it } from "vitest";
import { renderTemplate } from "../../../agent/render/engine.js";
import { timeZoneView } from "../../../agent/render/time-zone.js";
import { polycomCallEvents, polycomTime, polycomUserView } from "../../../drivers/phones/polycom.js";
import {
  catalog,
  modelsOfFamily,
  renderFamily,
  testDevice,
  testSiteView,
} from "../../helpers/family-harness.js";
import { hostileStrings } from "../../helpers/hostile.js";
import { parsePolycom } from "../../helpers/parse-polycom.js";

const site = testSiteView();
const models = modelsOfFamily("polycom");
const model = (id: string) => {
  const found = catalog.phones.find((p) => p.id === id);
  if (!found) throw new Error(`no catalog row ${id}`);
  return found;
};
/** What the xml escaper does to control characters before escaping (agent/render/escape.ts noControl). */
const noControl = (s: string) =>
  [...s].map((c) => (c.charCodeAt(0) < 0x20 || c === "\x7f" ? " " : c)).join("");

describe("Polycom time zone", () => {
  it("gives the offset in seconds and the EU rule as last Sundays at local hours", () => {
    expect(polycomTime(timeZoneView("Europe/Amsterdam"))).toEqual({
      gmtOffsetSeconds: 3600,
      dst: { start: { month: 3, hour: 2 }, stop: { month: 10, hour: 3 } },
    });
    expect(polycomTime(timeZoneView("Europe/London")).dst).toEqual({
      start: { month: 3, hour: 1 },
      stop: { month: 10, hour: 2 },
    });
    expect(polycomTime(timeZoneView("Asia/Tokyo"))).toEqual({ gmtOffsetSeconds: 32400, dst: null });
    expect(() => polycomTime(timeZoneView("America/New_York"))).toThrow(/EU daylight-saving/);
  });
});

describe.each(models.map((m) => [m.id, m] as const))("Polycom %s", (_id, m) => {
  const device = testDevice(m);
  const files = renderFamily("polycom", [device], site);
  const byPath = new Map(files.map((f) => [f.path, f]));
  const parsed = (path: string) => parsePolycom(byPath.get(path)?.content ?? "");

  it("writes common.cfg, the per-phone master <mac>.cfg and <mac>-user.cfg, lower-case MAC", () => {
    expect(files.map((f) => [f.path, f.secrets, f.mac])).toEqual([
      ["common.cfg", false, undefined],
      [`${device.mac}.cfg`, false, device.mac],
      [`${device.mac}-user.cfg`, true, device.mac],
    ]);
  });

  it("renders well-formed XML with the header comment in every file", () => {
    for (const f of files) {
      const xml = parsePolycom(f.content);
      expect(xml.comments[0]).toBe(site.generatedBy);
      expect(xml.root).toBe(f.path === `${device.mac}.cfg` ? "APPLICATION" : "polycomConfig");
    }
  });

  it("points the master at the catalog firmware and loads the user file before common.cfg", () => {
    const master = parsed(`${device.mac}.cfg`).settings;
    expect(master.get("APP_FILE_PATH")).toBe(`${site.firmwareBaseUrl}${m.firmware}/sip.ld`);
    expect(master.get("CONFIG_FILES")).toBe(`${device.mac}-user.cfg, common.cfg`);
  });

  it("keeps the SIP password and the admin password in the user file only", () => {
    for (const secret of [site.adminPassword, device.sip.password]) {
      for (const f of files) expect(f.content.includes(secret)).toBe(f.secrets);
    }
    const user = parsed(`${device.mac}-user.cfg`).settings;
    expect(user.get("reg.1.auth.password")).toBe(device.sip.password);
    expect(user.get("device.auth.localAdminPassword")).toBe(site.adminPassword);
    expect(user.get("reg.1.displayName")).toBe(device.userName);
    expect(user.get("reg.1.label")).toBe(device.extension);
  });

  it.each(hostileStrings)("hostile user text %j changes only the name and label", (s) => {
    const hostile = renderFamily("polycom", [{ ...device, userName: s, extension: s }], site);
    hostile.forEach((f, i) => {
      const benign = parsePolycom(files[i]?.content ?? "").settings;
      const got = parsePolycom(f.content).settings;
      expect([...got.keys()]).toEqual([...benign.keys()]);
      const changed = [...got.keys()].filter((k) => got.get(k) !== benign.get(k));
      expect(["reg.1.displayName", "reg.1.label"]).toEqual(expect.arrayContaining(changed));
      if (f.secrets) expect(got.get("reg.1.displayName")).toBe(noControl(s));
    });
  });
});

describe("Polycom common.cfg", () => {
  const files = renderFamily("polycom", [
    testDevice(model("polycom-vvx-500")),
    testDevice(model("polycom-soundpoint-ip-650")),
  ]);
  const common = parsePolycom(files[0]?.content ?? "").settings;

  it("is written once for the whole site", () => {
    expect(files.map((f) => f.path).filter((p) => p === "common.cfg")).toHaveLength(1);
    expect(files).toHaveLength(5);
  });

  it("sets device parameters only with device.set and their own .set flag", () => {
    expect(common.get("device.set")).toBe("1");
    const deviceKeys = [...common.keys()].filter(
      (k) => k.startsWith("device.") && k !== "device.set" && !k.endsWith(".set"),
    );
    expect(deviceKeys.length).toBeGreaterThan(3);
    for (const k of deviceKeys) expect(common.get(`${k}.set`)).toBe("1");
  });

  it("carries the voice VLAN with LLDP, the SIP server and the site's time", () => {
    expect(common.get("device.net.vlanId")).toBe(String(site.voiceVlan.id));
    expect(common.get("device.net.lldpEnabled")).toBe("1");
    expect(common.get("voIpProt.server.1.address")).toBe(site.sipProxy.host);
    expect(common.get("voIpProt.server.1.transport")).toBe("UDPOnly");
    expect(common.get("tcpIpApp.sntp.address")).toBe(site.ntpServers[0]);
    expect(common.get("tcpIpApp.sntp.gmtOffset")).toBe("3600");
    expect(common.get("tcpIpApp.sntp.daylightSavings.start.time")).toBe("2");
    expect(common.get("tcpIpApp.sntp.daylightSavings.stop.time")).toBe("3");
  });

  it("stays well-formed whatever the header text holds, including --", () => {
    for (const s of [...hostileStrings, "site--one", "ends-with-"]) {
      for (const f of renderFamily("polycom", [testDevice(model("polycom-vvx-600"))], {
        ...site,
        generatedBy: s,
      })) {
        expect(parsePolycom(f.content).comments).toHaveLength(2);
      }
    }
  });
});

describe("Polycom call events", () => {
  it("are telephony notifications to the device's token URL", () => {
    const device = testDevice(model("polycom-vvx-500"));
    const view = polycomUserView(site, device, polycomCallEvents(site, "tok-9"));
    const text = renderTemplate({ template: "phones/polycom/user.cfg.njk", format: "xml", view });
    const settings = parsePolycom(text).settings;
    expect(settings.get("apps.telNotification.URL")).toBe(`${site.httpBaseUrl}events/tok-9/polycom`);
    for (const e of ["incoming", "outgoing", "offhook", "onhook"]) {
      expect(settings.get(`apps.telNotification.${e}Event`)).toBe("1");
    }
  });

  it("are off in what files() renders until devices have tokens", () => {
    for (const f of renderFamily("polycom", [testDevice(model("polycom-vvx-500"))])) {
      expect(f.content).not.toContain("telNotification");
    }
  });
});
