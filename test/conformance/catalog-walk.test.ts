import { describe, expect, it } from "vitest";
import type { PhoneModel } from "../../agent/catalog/load.js";
import { phoneDevice } from "../../agent/render/view-model.js";
import { PlaceholderSecretResolver } from "../../agent/site/secrets.js";
import { catalog, renderFamily, testDevice, testSiteView } from "../helpers/family-harness.js";

/**
 * Walks the whole provider list. The expected file names are written here from
 * ../shared/reference/provisioning.md §2 (an oracle independent of the drivers): what each phone asks for
 * at boot, in the MAC case it uses.
 */
const yealinkModelCode: Record<string, string> = {
  // provisioning.md §2.1: T28=00, T26=04, T22=05, T20=07, T18=09, T32=32, T38=38, W52P=25, VP530=23;
  // Tiptel IP 28x/VP 28 are Yealink OEM models with the same firmware prefixes (seeds.md §4.6).
  T28P: "00",
  T26P: "04",
  T22P: "05",
  T20P: "07",
  T18P: "09",
  T32G: "32",
  T38G: "38",
  W52P: "25",
  VP530: "23",
  "IP 286": "00",
  "IP 284": "04",
  "IP 282": "05",
  "IP 280": "07",
  "VP 28": "23",
};

function expectedFiles(model: PhoneModel, mac: string): string[] {
  const upper = mac.toUpperCase();
  switch (model.family) {
    case "yealink":
      return [`y0000000000${yealinkModelCode[model.model]}.cfg`, `${mac}.cfg`];
    case "polycom":
      // §2.2: <mac>.cfg (per-phone master) naming [mac]-user.cfg and common.cfg in CONFIG_FILES.
      return [`${mac}.cfg`, `${mac}-user.cfg`, "common.cfg"];
    case "cisco-spa":
      // §2.3: factory Profile_Rule /spa$PSN.cfg ("G is uppercase"), then $MA.xml in lower case.
      return [`spa${model.model.replace(/^SPA/, "")}G.cfg`, `${mac}.xml`];
    case "aastra":
      // §2.4: aastra.cfg, <model>.cfg, <MAC>.cfg in upper case.
      return ["aastra.cfg", `${model.model}.cfg`, `${upper}.cfg`];
    case "panasonic":
      // §2.5: {MODEL}.cfg (KX-UT without the NE region suffix), then Config{MAC}.cfg.
      return [`${model.model.replace(/NE$/, "").replace(/CE$/, "")}.cfg`, `Config${upper}.cfg`];
    case "gigaset":
      // §2.6: option 66 → http://<server>/<MAC>.xml, MAC in upper case.
      return [`${upper}.xml`];
    default:
      throw new Error(`no expectation for family ${model.family}`);
  }
}

const autoprovisioning = catalog.phones.filter((p) => p.autoprovisioning);
const others = catalog.phones.filter((p) => !p.autoprovisioning);

describe("every autoprovisioning model of the catalog", () => {
  it("covers all six families", () => {
    expect(new Set(autoprovisioning.map((p) => p.family))).toEqual(
      new Set(["yealink", "polycom", "cisco-spa", "aastra", "panasonic", "gigaset"]),
    );
    expect(autoprovisioning).toHaveLength(42);
  });

  it.each(autoprovisioning.map((m) => [m.id, m] as const))(
    "%s renders the files its phones ask for",
    (_id, model) => {
      const device = testDevice(model);
      // Numeric, because Aastra phones take nothing else as an admin password (see aastra.ts).
      const files = renderFamily(
        model.family as string,
        [device],
        testSiteView({ adminPassword: "7355608" }),
      );
      expect(files.map((f) => f.path).sort()).toEqual(expectedFiles(model, device.mac).sort());
      // The device's own files carry its credentials; nothing else does.
      for (const f of files) {
        expect(f.content.includes(device.sip.password), `${f.path} secrets flag`).toBe(f.secrets);
        expect(f.content.length).toBeGreaterThan(0);
      }
      // The firmware comes from the catalog: each of its version figures appears in the device's files
      // (families spell it differently: 7.4.9a as spa50x-30x-7-4-9a.bin, Gigaset 42.194 as merkur194_42.bin).
      const all = files.map((f) => f.content).join("\n");
      for (const part of (model.firmware ?? "")
        .replace(/^v/, "")
        .replace(/\.rom$/, "")
        .split(".")) {
        expect(all, `firmware ${model.firmware}`).toContain(part);
      }
    },
  );
});

describe("every other row of the catalog", () => {
  it.each(others.map((m) => [m.id, m] as const))("%s is refused with its model named", (_id, model) => {
    const phone = {
      mac: "00:15:65:00:00:01",
      model: model.id,
      user: "Test",
      extension: "201",
      sip: { username: "201", password: "env:X" },
    };
    expect(() => phoneDevice(phone, 0, catalog, new PlaceholderSecretResolver())).toThrow(
      `${model.brand} ${model.model} does not autoprovision`,
    );
  });
});
