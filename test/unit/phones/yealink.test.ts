import { describe, expect, it } from "vitest";
import { renderTemplate } from "../../../agent/render/engine.js";
import { escapers } from "../../../agent/render/escape.js";
import { timeZoneView } from "../../../agent/render/time-zone.js";
import {
  yealinkCallEvents,
  yealinkDeviceView,
  yealinkFamily,
  yealinkGeneration,
  yealinkOffset,
  yealinkTime,
} from "../../../drivers/phones/yealink.js";
import {
  catalog,
  modelsOfFamily,
  renderFamily,
  testDevice,
  testSiteView,
} from "../../helpers/family-harness.js";
import { hostileStrings } from "../../helpers/hostile.js";
import { parseYealink } from "../../helpers/parse-yealink.js";

const site = testSiteView();
const models = modelsOfFamily("yealink");
const model = (id: string) => {
  const found = catalog.phones.find((p) => p.id === id);
  if (!found) throw new Error(`no catalog row ${id}`);
  return found;
};
const codeOf = (m: (typeof models)[number]) => m.familyOptions.model_code as string;

/** Where user text lands, per syntax; nothing else may change when it is hostile. */
const userKeys = {
  v70: ["account.1.label", "account.1.display_name"],
  legacy: ["account@/config/voip/sipAccount0.cfg:Label", "account@/config/voip/sipAccount0.cfg:DisplayName"],
};

describe("yealinkGeneration", () => {
  it.each([
    ["32.70.115.7.rom", "v70"],
    ["38.70.115.7.rom", "v70"],
    ["23.70.115.13.rom", "v70"],
    ["2.73.0.50.rom", "v70"],
    ["25.30.188.41.rom", "v70"],
    ["2.61.115.7.rom", "legacy"],
    ["18.0.0.80.rom", "legacy"],
    ["9.61.13.10.rom", "legacy"],
    ["23.40.13.9.rom", "legacy"],
    ["2.43.13.6", "legacy"],
  ])("%s is %s", (firmware, generation) => {
    expect(yealinkGeneration(firmware)).toBe(generation);
  });

  it("refuses a firmware string it cannot read", () => {
    expect(() => yealinkGeneration("V70 latest")).toThrow(/A\.B\.C\.D/);
  });
});

describe("Yealink time zone", () => {
  it("writes offsets the way the phone's table does", () => {
    expect([60, 0, -210, 345, -300].map(yealinkOffset)).toEqual(["+1", "0", "-3:30", "+5:45", "-5"]);
  });

  it("writes the EU rule out for Amsterdam, London and Helsinki", () => {
    expect(yealinkTime(timeZoneView("Europe/Amsterdam"))).toEqual({
      zone: "+1",
      zoneName: "Netherlands(Amsterdam)",
      summerTime: 1,
      dst: { start: "3/5/7/2", end: "10/5/7/3", offsetMinutes: 60 },
    });
    expect(yealinkTime(timeZoneView("Europe/London")).dst).toEqual({
      start: "3/5/7/1",
      end: "10/5/7/2",
      offsetMinutes: 60,
    });
    expect(yealinkTime(timeZoneView("Europe/Helsinki"))).toMatchObject({ zone: "+2", zoneName: null });
  });

  it("turns DST off where there is none and refuses a rule it cannot write", () => {
    expect(yealinkTime(timeZoneView("Asia/Kolkata"))).toEqual({
      zone: "+5:30",
      zoneName: null,
      summerTime: 0,
      dst: null,
    });
    expect(() => yealinkTime(timeZoneView("America/New_York"))).toThrow(/neither EU/);
  });
});

describe("Yealink family_options", () => {
  it("takes a two-digit model code only", () => {
    expect(yealinkFamily.optionsSchema.safeParse({ model_code: "05" }).success).toBe(true);
    expect(yealinkFamily.optionsSchema.safeParse({ model_code: "5" }).success).toBe(false);
    expect(yealinkFamily.optionsSchema.safeParse({}).success).toBe(false);
  });
});

describe.each(models.map((m) => [m.id, m] as const))("Yealink %s", (_id, m) => {
  const generation = yealinkGeneration(m.firmware as string);
  const device = testDevice(m);
  const files = renderFamily("yealink", [device], site);
  const [common, mac] = files;

  it("asks for y0000000000XX.cfg and <mac>.cfg in lower case, secrets only in the MAC file", () => {
    expect(files.map((f) => f.path)).toEqual([`y0000000000${codeOf(m)}.cfg`, `${device.mac}.cfg`]);
    expect(device.mac).toMatch(/^[0-9a-f]{12}$/);
    expect(files.map((f) => [f.secrets, f.mac])).toEqual([
      [false, undefined],
      [true, device.mac],
    ]);
  });

  it(`uses the ${generation} syntax with the header comment`, () => {
    for (const f of files) {
      const parsed = parseYealink(f.content);
      expect(parsed.version).toBe(generation === "v70" ? "1.0.0.1" : null);
      expect(parsed.comments[0]).toBe(site.generatedBy);
      if (generation === "v70") expect(f.content.split("\n")[0]).toBe("#!version:1.0.0.1");
      else expect(f.content).not.toMatch(/^\s*[a-z_]+\.[a-z_.0-9]+\s*=/m);
    }
  });

  it("names the catalog firmware in the common file", () => {
    const settings = parseYealink(common?.content ?? "").settings;
    if (generation === "v70")
      expect(settings.get("firmware.url")).toBe(`${site.firmwareBaseUrl}${m.firmware}`);
    else expect(settings.get("firmware@/tmp/download.cfg:firmware_name")).toBe(`firmware/${m.firmware}`);
  });

  it("puts the account in the MAC file and the admin password nowhere else", () => {
    const text = mac?.content ?? "";
    for (const secret of [site.adminPassword, device.sip.password]) {
      expect(text).toContain(secret);
      expect(common?.content).not.toContain(secret);
    }
    const settings = parseYealink(text).settings;
    const [label, displayName] = userKeys[generation];
    expect(settings.get(label as string)).toBe(device.extension);
    expect(settings.get(displayName as string)).toBe(device.userName);
  });

  it.each([...hostileStrings, "%NULL%NULL%", "x%null%null%y"])(
    "hostile user text %j changes no setting",
    (s) => {
      const hostile = renderFamily("yealink", [{ ...device, userName: s, extension: s }], site);
      hostile.forEach((f, i) => {
        const benign = parseYealink(files[i]?.content ?? "").settings;
        const got = parseYealink(f.content).settings;
        expect([...got.keys()]).toEqual([...benign.keys()]);
        const changed = [...got.keys()].filter((k) => got.get(k) !== benign.get(k));
        expect(userKeys[generation]).toEqual(expect.arrayContaining(changed));
        for (const value of got.values()) expect(value).not.toMatch(/%null%/i);
      });
    },
  );
});

describe("Yealink files for a whole site", () => {
  it("writes one common file per model code however many phones use it", () => {
    const t32 = model("yealink-t32g");
    const files = renderFamily("yealink", [
      testDevice(t32),
      testDevice(t32),
      testDevice(model("yealink-t38g")),
    ]);
    expect(files.map((f) => f.path).filter((p) => p.startsWith("y"))).toEqual([
      "y000000000032.cfg",
      "y000000000038.cfg",
    ]);
    expect(files).toHaveLength(5);
  });

  it("moves the firmware to each MAC file when one code serves models with different firmware", () => {
    const tiptel = testDevice(model("tiptel-ip-280"));
    const yealink = testDevice(model("yealink-t20p"));
    const [common, ...macs] = renderFamily("yealink", [tiptel, yealink]);
    expect(common?.path).toBe("y000000000007.cfg");
    expect(common?.content).not.toMatch(/firmware_name/);
    expect(
      macs.map((f) => parseYealink(f.content).settings.get("firmware@/tmp/download.cfg:firmware_name")),
    ).toEqual(["firmware/9.61.13.10.rom", "firmware/9.61.115.7.rom"]);
  });

  it("refuses one common file for two syntaxes (Tiptel VP 28 and Yealink VP530 share code 23)", () => {
    const devices = [testDevice(model("tiptel-vp-28")), testDevice(model("yealink-vp530"))];
    expect(() => yealinkFamily.files(site, devices)).toThrow(/y000000000023\.cfg cannot serve/);
  });

  it("keeps the header a single comment line whatever the site text holds", () => {
    for (const s of hostileStrings) {
      const files = renderFamily(
        "yealink",
        [testDevice(model("yealink-t28p")), testDevice(model("yealink-t38g"))],
        {
          ...site,
          generatedBy: s,
        },
      );
      for (const f of files) expect(parseYealink(f.content).settings.size).toBeGreaterThan(5);
    }
  });
});

describe("Yealink call events", () => {
  it("are action URLs with the device token on V70 desk phones only", () => {
    const t38 = testDevice(model("yealink-t38g"));
    const events = yealinkCallEvents(site, t38, "tok-123");
    const view = yealinkDeviceView(site, t38, { firmwareInCommon: true, callEvents: events });
    const text = renderTemplate({ template: "phones/yealink/mac-v70.cfg.njk", format: "yealink-kv", view });
    const settings = parseYealink(text).settings;
    expect(settings.get("action_url.call_established")).toBe(
      `${site.httpBaseUrl}events/tok-123/call_established?mac=$mac&call_id=$call_id&local=$local&remote=$remote`,
    );
    expect([...settings.keys()].filter((k) => k.startsWith("action_url."))).toHaveLength(9);
    expect(yealinkCallEvents(site, testDevice(model("yealink-w52p")), "t")).toBeNull();
    expect(yealinkCallEvents(site, testDevice(model("yealink-t28p")), "t")).toBeNull();
  });

  it("are off in what files() renders until devices have tokens", () => {
    const files = renderFamily("yealink", [testDevice(model("yealink-t38g"))]);
    for (const f of files) expect(f.content).not.toContain("action_url");
  });
});

describe("yealink-kv escaping", () => {
  it("breaks overlapping %NULL% tokens", () => {
    expect(escapers["yealink-kv"]("%NULL%NULL%")).not.toMatch(/%null%/i);
    expect(escapers["yealink-kv"]("a %NULL% b")).toBe("a %-NULL% b");
  });
});
