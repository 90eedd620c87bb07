import { describe, expect, it } from "vitest";
import { timeZoneView } from "../../../agent/render/time-zone.js";
import { phoneDevice } from "../../../agent/render/view-model.js";
import type { SitePhone } from "../../../agent/site/schema.js";
import { Secret } from "../../../agent/site/secrets.js";
import { spaTimeZone } from "../../../drivers/phones/cisco-spa.js";
import {
  catalog,
  modelsOfFamily,
  renderFamily,
  testDevice,
  testSiteView,
} from "../../helpers/family-harness.js";
import { hostileStrings, injectedMarker } from "../../helpers/hostile.js";
import { parseSpaProfile } from "../../helpers/parse-spa.js";

const models = modelsOfFamily("cisco-spa");
const spa504 = models.find((m) => m.id === "cisco-spa504");
// What the "xml"/"aastra-kv" escapers do to user text: each control character becomes a space.
const controlChars = /[\u0000-\u001f\u007f]/g;
const userTextKeys = ["Display_Name_1_", "Station_Name"];

function render(userName = "Jan de Vries", site = testSiteView()) {
  if (!spa504) throw new Error("SPA504 missing from the catalog");
  const device = testDevice(spa504, { userName });
  return { device, files: renderFamily("cisco-spa", [device], site) };
}

describe("cisco-spa family", () => {
  it("has exactly the SPA504 as its autoprovisioning model, with psn and firmware prefix", () => {
    // Provider's list: SPA504 autoprovisions; SPA501/502/508/509/525 and SPA-2102EU do not (seeds.md §4).
    expect(models.map((m) => m.id)).toEqual(["cisco-spa504"]);
    for (const m of models) {
      expect(m.familyOptions).toMatchObject({
        psn: expect.any(String),
        firmware_image_prefix: expect.any(String),
      });
      expect(m.firmware).toBe("7.4.9a");
    }
  });

  it.each(models.map((m) => [m.id, m] as const))(
    "names %s's files as the phone asks for them",
    (_id, model) => {
      const a = testDevice(model);
      const b = testDevice(model);
      const files = renderFamily("cisco-spa", [a, b]);
      const psn = String(model.familyOptions.psn);
      // Common file once per model with the PSN's case, then `$MA.xml` with the lower-case MAC (§2.0, §2.3).
      expect(files.map((f) => f.path)).toEqual([`spa${psn}.cfg`, `${a.mac}.xml`, `${b.mac}.xml`]);
      expect(files.map((f) => f.mac)).toEqual([undefined, a.mac, b.mac]);
      expect(files.map((f) => f.secrets)).toEqual([false, true, true]);
      for (const f of files) expect(parseSpaProfile(f.content).settings.size).toBeGreaterThan(0);
    },
  );

  it("writes spa504G.cfg with an upper-case G, pointing Profile_Rule_B at $MA.xml over HTTP", () => {
    const [common] = render().files;
    expect(common?.path).toBe("spa504G.cfg");
    const { settings } = parseSpaProfile(common?.content ?? "");
    expect(Object.fromEntries(settings)).toEqual({ Profile_Rule_B: "http://10.20.30.10:8080/$MA.xml" });
  });

  it("renders the account, admin, VLAN, NTP, time, resync and firmware settings", () => {
    const { device, files } = render();
    const settings = parseSpaProfile(files[1]?.content ?? "").settings;
    expect(Object.fromEntries(settings)).toMatchObject({
      Line_Enable_1_: "Yes",
      Proxy_1_: "sip.voice.example.net:5060",
      SIP_Transport_1_: "UDP",
      User_ID_1_: device.sip.username,
      Password_1_: device.sip.password,
      Use_Auth_ID_1_: "Yes",
      Auth_ID_1_: device.sip.authId,
      Display_Name_1_: "Jan de Vries",
      Admin_Passwd: "admin-secret-1",
      Enable_VLAN: "Yes",
      VLAN_ID: "30",
      Enable_CDP: "Yes",
      Primary_NTP_Server: "ntp.example.net",
      Time_Zone: "GMT+01:00",
      Daylight_Saving_Time_Enable: "Yes",
      Daylight_Saving_Time_Rule: "start=3/-1/7/2:0:0;end=10/-1/7/3:0:0;save=1:0:0",
      Resync_From_SIP: "Yes",
      Upgrade_Enable: "Yes",
      Upgrade_Rule: "http://10.20.30.10:8080/firmware/spa50x-30x-7-4-9a.bin",
    });
  });

  it("derives the time zone from the site's zone and refuses rules it cannot express", () => {
    expect(spaTimeZone(timeZoneView("Europe/London"))).toEqual({
      name: "GMT+00:00",
      dstRule: "start=3/-1/7/1:0:0;end=10/-1/7/2:0:0;save=1:0:0",
    });
    expect(spaTimeZone(timeZoneView("Europe/Helsinki")).dstRule).toBe(
      "start=3/-1/7/3:0:0;end=10/-1/7/4:0:0;save=1:0:0",
    );
    expect(spaTimeZone(timeZoneView("Asia/Kolkata"))).toEqual({ name: "GMT+05:30", dstRule: null });
    expect(() => spaTimeZone(timeZoneView("America/New_York"))).toThrow(/America\/New_York/);
    const utc = render("x", testSiteView({ timeZone: timeZoneView("UTC") })).files[1]?.content ?? "";
    expect(parseSpaProfile(utc).settings.get("Daylight_Saving_Time_Enable")).toBe("No");
    expect(parseSpaProfile(utc).settings.has("Daylight_Saving_Time_Rule")).toBe(false);
  });

  it("keeps passwords out of the common file and starts every file with the generated-by header", () => {
    const { device, files } = render();
    for (const f of files) {
      expect(parseSpaProfile(f.content).comments[0]).toBe(testSiteView().generatedBy);
      if (!f.secrets) {
        expect(f.content).not.toContain(device.sip.password);
        expect(f.content).not.toContain("admin-secret-1");
      }
    }
  });

  it("keeps XML comments valid when the site id has a double dash", () => {
    const site = testSiteView({ generatedBy: "generated by patchkast for site a--b-, do not edit-" });
    for (const f of render("x", site).files) expect(() => parseSpaProfile(f.content)).not.toThrow();
  });

  it.each(hostileStrings.map((s) => [JSON.stringify(s), s] as const))(
    "a user name of %s changes only the values derived from it",
    (_label, hostile) => {
      const benign = parseSpaProfile(render().files[1]?.content ?? "").settings;
      const file = render(hostile).files[1]?.content ?? "";
      const settings = parseSpaProfile(file).settings; // throws if the XML broke
      expect([...settings.keys()]).toEqual([...benign.keys()]);
      for (const [key, value] of settings) {
        if (userTextKeys.includes(key)) expect(value).toBe(hostile.replace(controlChars, " "));
        else expect(value, key).toBe(benign.get(key));
        expect(key).not.toContain(injectedMarker);
      }
      expect(file.split("\n").length).toBe((render().files[1]?.content ?? "").split("\n").length);
    },
  );

  it("refuses a device whose catalog row lacks the SPA options", () => {
    if (!spa504) throw new Error("SPA504 missing");
    const bare = testDevice({ ...spa504, familyOptions: {} });
    expect(() => renderFamily("cisco-spa", [bare])).toThrow(/psn/);
  });

  it.each([
    ["Cisco SPA501", /SPA501/],
    ["Cisco Linksys SPA-2102EU", /SPA-2102EU/],
  ])("phoneDevice refuses to render for %s, which does not autoprovision", (model, named) => {
    const phone: SitePhone = {
      mac: "00:02:fd:ff:21:03",
      model,
      user: "Jan de Vries",
      extension: "201",
      sip: { username: "31302345601", password: "env:SIP_201" },
    };
    const secrets = { resolve: (ref: string) => new Secret("unused", ref) };
    expect(() => phoneDevice(phone, 0, catalog, secrets)).toThrow(named);
    expect(() => phoneDevice(phone, 0, catalog, secrets)).toThrow(/does not autoprovision/);
  });
});

describe("parseSpaProfile", () => {
  const ok =
    '<?xml version="1.0" encoding="utf-8"?>\n<flat-profile>\n<!-- c -->\n<A_1_>x &amp; y</A_1_>\n<B/>\n</flat-profile>\n';

  it("reads parameters and comments", () => {
    const p = parseSpaProfile(ok);
    expect(Object.fromEntries(p.settings)).toEqual({ A_1_: "x & y", B: "" });
    expect(p.comments).toEqual(["c"]);
  });

  it.each([
    ["unclosed element", "<flat-profile><A>x</flat-profile>"],
    ["mismatched end tag", "<flat-profile><A>x</B></flat-profile>"],
    ["nested element", "<flat-profile><A><B>x</B></A></flat-profile>"],
    ["raw ampersand", "<flat-profile><A>x & y</A></flat-profile>"],
    ["unknown entity", "<flat-profile><A>&nbsp;</A></flat-profile>"],
    ["double dash in comment", "<flat-profile><!-- a--b --><A>x</A></flat-profile>"],
    ["text outside a parameter", "<flat-profile>stray<A>x</A></flat-profile>"],
    ["second root", "<flat-profile></flat-profile><flat-profile></flat-profile>"],
    ["wrong root", "<profile><A>x</A></profile>"],
    ["duplicate parameter", "<flat-profile><A>x</A><A>y</A></flat-profile>"],
    ["control character", "<flat-profile><A>x\u0001</A></flat-profile>"],
    ["missing root end", "<flat-profile><A>x</A>"],
  ])("rejects %s", (_what, xml) => {
    expect(() => parseSpaProfile(xml)).toThrow();
  });
});
