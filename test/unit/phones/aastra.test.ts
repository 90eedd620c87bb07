import { describe, expect, it } from "vitest";
import { renderTemplate } from "../../../agent/render/engine.js";
import { timeZoneView } from "../../../agent/render/time-zone.js";
import { aastraCallEvents, aastraDeviceView, aastraTimeZone } from "../../../drivers/phones/aastra.js";
import { modelsOfFamily, renderFamily, testDevice, testSiteView } from "../../helpers/family-harness.js";
import { hostileStrings, injectedMarker } from "../../helpers/hostile.js";
import { parseAastraConfig } from "../../helpers/parse-aastra.js";

const models = modelsOfFamily("aastra");
const byId = (id: string) => {
  const m = models.find((x) => x.id === id);
  if (!m) throw new Error(`${id} missing from the catalog`);
  return m;
};
// Aastra takes only a numeric admin password (see assertNumericAdminPassword in the driver).
const site = testSiteView({ adminPassword: "73519" });
// What the "xml"/"aastra-kv" escapers do to user text: each control character becomes a space.
const controlChars = /[\u0000-\u001f\u007f]/g;
const userTextKeys = ["sip line1 display name", "sip line1 screen name"];

function renderOne(userName = "Jan de Vries", s = site) {
  const device = testDevice(byId("aastra-6731i"), { userName });
  return { device, files: renderFamily("aastra", [device], s) };
}
const macFile = (userName?: string) => renderOne(userName).files[2]?.content ?? "";

describe("aastra family", () => {
  it("covers the five autoprovisioning models, each with its firmware image", () => {
    expect(models.map((m) => [m.model, m.firmware, m.familyOptions.firmware_image])).toEqual([
      ["6731i", "3.2.2.2112", "6731i.st"],
      ["6751i", "2.6.0.2019", "51i.st"],
      ["6753i", "3.2.2.2112", "53i.st"],
      ["6755i", "3.2.2.2112", "55i.st"],
      ["6757i", "3.2.2.2112", "57i.st"],
    ]);
  });

  it.each(models.map((m) => [m.id, m] as const))(
    "names %s's files as the phone asks for them",
    (_id, model) => {
      const a = testDevice(model);
      const b = testDevice(model);
      const files = renderFamily("aastra", [a, b], site);
      // aastra.cfg → <model>.cfg → <MAC>.cfg with the MAC in upper case (provisioning.md §2.0, §2.4).
      const paths = [
        "aastra.cfg",
        `${model.model}.cfg`,
        `${a.mac.toUpperCase()}.cfg`,
        `${b.mac.toUpperCase()}.cfg`,
      ];
      expect(files.map((f) => f.path)).toEqual(paths);
      expect(files.map((f) => f.secrets)).toEqual([false, false, true, true]);
      expect(files.map((f) => f.mac)).toEqual([undefined, undefined, a.mac, b.mac]);
      // The firmware version and image appear in the model file.
      const modelFile = parseAastraConfig(files[1]?.content ?? "");
      expect(modelFile.comments[1]).toContain(
        `firmware ${model.firmware}, image ${model.familyOptions.firmware_image}`,
      );
      expect(modelFile.settings.get("firmware server")).toBe("http://10.20.30.10:8080/firmware/");
    },
  );

  it("writes one aastra.cfg and one model file per model present", () => {
    const devices = [byId("aastra-6757i"), byId("aastra-6731i"), byId("aastra-6757i")].map((m) =>
      testDevice(m),
    );
    const paths = renderFamily("aastra", devices, site).map((f) => f.path);
    expect(paths.slice(0, 3)).toEqual(["aastra.cfg", "6731i.cfg", "6757i.cfg"]);
    expect(paths.slice(3)).toEqual(devices.map((d) => `${d.mac.toUpperCase()}.cfg`));
  });

  it("renders provisioning, time, VLAN and the account", () => {
    const { device, files } = renderOne();
    const shared = Object.fromEntries(parseAastraConfig(files[0]?.content ?? "").settings);
    expect(shared).toMatchObject({
      "download protocol": "HTTP",
      "http server": "10.20.30.10",
      "http port": "8080",
      "firmware server": "http://10.20.30.10:8080/firmware/",
      "time server1": "ntp.example.net",
      "time zone name": "Custom",
      "time zone minutes": "-60",
      "dst config": "3",
      "dst start month": "3",
      "dst start week": "-1",
      "dst start day": "1",
      "dst start hour": "2",
      "dst end month": "10",
      "dst end hour": "3",
      "tagging enabled": "1",
      "vlan id": "30",
      lldp: "1",
      "sip transport protocol": "1",
    });
    expect(Object.fromEntries(parseAastraConfig(files[2]?.content ?? "").settings)).toEqual({
      "admin password": "73519",
      "sip line1 proxy ip": "sip.voice.example.net",
      "sip line1 proxy port": "5060",
      "sip line1 registrar ip": "sip.voice.example.net",
      "sip line1 registrar port": "5060",
      "sip line1 user name": device.sip.username,
      "sip line1 auth name": device.sip.authId,
      "sip line1 password": device.sip.password,
      "sip line1 display name": "Jan de Vries",
      "sip line1 screen name": "Jan de Vries",
      "sip line1 screen name 2": "201",
    });
  });

  it("derives the time zone and refuses what it cannot express", () => {
    expect(aastraTimeZone(timeZoneView("Europe/London")).dst?.start.hour).toBe(1);
    expect(aastraTimeZone(timeZoneView("UTC"))).toEqual({ zoneMinutes: 0, dst: null });
    expect(() => aastraTimeZone(timeZoneView("America/New_York"))).toThrow(/America\/New_York/);
    const utc = renderFamily("aastra", [testDevice(byId("aastra-6731i"))], {
      ...site,
      timeZone: timeZoneView("UTC"),
    });
    expect(parseAastraConfig(utc[0]?.content ?? "").settings.get("dst config")).toBe("0");
  });

  it("refuses a non-numeric admin password, which the phone would silently ignore", () => {
    const device = testDevice(byId("aastra-6731i"));
    expect(() => renderFamily("aastra", [device], testSiteView())).toThrow(/numeric admin password/);
    expect(() => renderFamily("aastra", [device], { ...site, adminPassword: "4294967296" })).toThrow();
  });

  it("keeps credentials in the MAC file only and starts every file with the header", () => {
    const { device, files } = renderOne();
    for (const f of files) {
      expect(f.content.startsWith(`# ${site.generatedBy}\n`)).toBe(true);
      if (!f.secrets) {
        expect(f.content).not.toContain(device.sip.password);
        expect(f.content).not.toContain("73519");
      }
    }
  });

  it.each(hostileStrings.map((s) => [JSON.stringify(s), s] as const))(
    "a user name of %s changes only the values derived from it",
    (_label, hostile) => {
      const benign = parseAastraConfig(macFile());
      const parsed = parseAastraConfig(macFile(hostile));
      expect([...parsed.settings.keys()]).toEqual([...benign.settings.keys()]);
      expect(parsed.lineCount).toBe(benign.lineCount);
      for (const [key, value] of parsed.settings) {
        if (userTextKeys.includes(key)) expect(value).toBe(hostile.replace(controlChars, " ").trim());
        else expect(value, key).toBe(benign.settings.get(key));
        expect(key).not.toContain(injectedMarker);
      }
    },
  );

  it("renders call-event action URIs when the view carries a device token, under 128 characters", () => {
    expect(macFile()).not.toContain("action uri");
    const device = testDevice(byId("aastra-6751i"));
    const view = aastraDeviceView(site, device, aastraCallEvents(site, "tok-0123456789abcdef0123"));
    const out = renderTemplate({ template: "phones/aastra/mac.cfg.njk", format: "aastra-kv", view });
    const settings = parseAastraConfig(out).settings;
    expect(settings.get("action uri disconnected")).toBe(
      "http://10.20.30.10:8080/events/tok-0123456789abcdef0123/disconnected?state=$$LINESTATE$$",
    );
    for (const event of ["incoming", "outgoing", "connected", "onhook", "poll"]) {
      expect(settings.get(`action uri ${event}`)?.length).toBeLessThan(128);
    }
    expect(settings.get("action uri poll interval")).toBe("60");
  });
});

describe("parseAastraConfig", () => {
  it("reads settings and comments", () => {
    const p = parseAastraConfig(
      "# head\n\nsip line1 user name: 201\ndst [start|end] relative date: 1\nx: a: b\n",
    );
    expect(Object.fromEntries(p.settings)).toEqual({
      "sip line1 user name": "201",
      "dst [start|end] relative date": "1",
      x: "a: b",
    });
    expect(p.comments).toEqual(["head"]);
  });

  it.each([
    ["a line without a colon", "just text\n"],
    ["an empty key", ": value\n"],
    ["a duplicate key", "a: 1\na: 2\n"],
    ["a carriage return", "a: 1\r\n"],
    ["a locked key", "!admin password: 1\n"],
  ])("rejects %s", (_what, text) => {
    expect(() => parseAastraConfig(text)).toThrow();
  });
});
