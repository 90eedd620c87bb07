import { describe, expect, it } from "vitest";
import { phoneFamilies, phoneFamily } from "../../../drivers/phones/index.js";
import { deviceMac, macFromText, rootFileName } from "../../../drivers/phones/requests.js";
import type { FamilyId, PhoneFamily, UserAgentInfo } from "../../../drivers/phones/types.js";
import {
  catalog,
  modelsOfFamily,
  renderFamily,
  testDevice,
  testSiteView,
} from "../../helpers/family-harness.js";
import { hostileStrings } from "../../helpers/hostile.js";

function family(id: FamilyId): PhoneFamily {
  const f = phoneFamily(id);
  if (!f) throw new Error(`no family ${id}`);
  return f;
}

/**
 * Where a User-Agent comes from:
 * - "ref": quoted in ../shared/reference/provisioning.md §2.1–§2.6;
 * - "upstream": from the example lists next to the regexes the reference cites (wazo-provd-plugins
 *   `wazo_<vendor>/common/common.py`, amooma/GS3 `prov/tiptel/settings.php`), real but not quoted there;
 * - "made up": written for a catalog model after the real ones of its family; not seen on a wire.
 */
type Source = "ref" | "upstream" | "made up";

interface UaCase {
  ua: string;
  family: FamilyId;
  source: Source;
  expected: UserAgentInfo;
  /** The parsed model names a catalog row of the family (Panasonic: its pre-provisioning file's {MODEL}). */
  inCatalog: boolean;
}

const ua = (
  family: FamilyId,
  source: Source,
  userAgent: string,
  expected: UserAgentInfo,
  inCatalog = true,
): UaCase => ({ ua: userAgent, family, source, expected, inCatalog });

const uaCases: UaCase[] = [
  // Yealink and Tiptel (§2.1).
  ua("yealink", "ref", "Yealink SIP-T28P 2.70.0.140 00:15:65:13:ae:0b", {
    model: "T28P",
    firmware: "2.70.0.140",
    mac: "00156513ae0b",
  }),
  ua("yealink", "ref", "yealink SIP-T18 18.0.0.80 00:15:65:27:3e:05", {
    model: "T18P",
    firmware: "18.0.0.80",
    mac: "001565273e05",
  }),
  ua("yealink", "upstream", "Yealink SIP-W52P 25.73.0.20 00:15:65:40:ae:35", {
    model: "W52P",
    firmware: "25.73.0.20",
    mac: "00156540ae35",
  }),
  ua("yealink", "upstream", "W52P 25.30.0.2 00:15:65:44:b3:7c", {
    model: "W52P",
    firmware: "25.30.0.2",
    mac: "00156544b37c",
  }),
  ua("yealink", "upstream", "VP530P 23.70.0.40 00:15:65:31:4b:c0", {
    model: "VP530",
    firmware: "23.70.0.40",
    mac: "001565314bc0",
  }),
  ua("yealink", "upstream", "Yealink SIP-T38G  38.70.0.125 00:15:65:2f:c3:5e", {
    model: "T38G",
    firmware: "38.70.0.125",
    mac: "0015652fc35e",
  }),
  ua(
    "yealink",
    "upstream",
    "Yealink-T46G 28.71.0.81 28.1.0.128.0.0.0",
    { model: "T46G", firmware: "28.71.0.81" },
    false,
  ),
  ua("yealink", "made up", "Yealink SIP-T22P 7.61.115.7 00:15:65:39:31:fc", {
    model: "T22P",
    firmware: "7.61.115.7",
    mac: "0015653931fc",
  }),
  ua("yealink", "made up", "Yealink SIP-T32G 32.70.115.7 00:15:65:4a:01:02", {
    model: "T32G",
    firmware: "32.70.115.7",
    mac: "0015654a0102",
  }),
  ua("yealink", "ref", "Tiptel IP 286 2.43.13.6 00:15:65:13:eb:6f", {
    model: "IP 286",
    firmware: "2.43.13.6",
    mac: "00156513eb6f",
  }),
  ua("yealink", "upstream", "Tiptel IP 280 9.43.13.6 00:15:65:13:f0:7f", {
    model: "IP 280",
    firmware: "9.43.13.6",
    mac: "00156513f07f",
  }),
  ua("yealink", "upstream", "Tiptel IP 284 6.43.13.8 00:15:65:13:ec:1d", {
    model: "IP 284",
    firmware: "6.43.13.8",
    mac: "00156513ec1d",
  }),
  ua("yealink", "made up", "tiptel VP 28 23.40.13.9 00:15:65:4a:01:03", {
    model: "VP 28",
    firmware: "23.40.13.9",
    mac: "0015654a0103",
  }),
  // Polycom (§2.2): never a MAC.
  ua("polycom", "ref", "FileTransport PolycomSoundPointIP-SPIP_335-UA/3.2.1.0078", {
    model: "SoundPoint IP 335",
    firmware: "3.2.1.0078",
  }),
  ua(
    "polycom",
    "ref",
    "FileTransport PolycomVVX-VVX_400-UA/4.1.4.7430 Type/Application",
    { model: "VVX 400", firmware: "4.1.4.7430" },
    false,
  ),
  ua("polycom", "upstream", "FileTransport PolycomSoundPointIP-SPIP_550-UA/3.2.3.1734", {
    model: "SoundPoint IP 550",
    firmware: "3.2.3.1734",
  }),
  ua(
    "polycom",
    "upstream",
    "FileTransport PolycomSoundStationIP-SSIP_6000-UA/5.0.3.1667 Type/Updater",
    { model: "SoundStation IP 6000", firmware: "5.0.3.1667" },
    false,
  ),
  ua("polycom", "made up", "FileTransport PolycomVVX-VVX_500-UA/4.1.2.0270 Type/Application", {
    model: "VVX 500",
    firmware: "4.1.2.0270",
  }),
  ua("polycom", "made up", "FileTransport PolycomSoundPointIP-SPIP_650-UA/4.0.2.11307 Type/Application", {
    model: "SoundPoint IP 650",
    firmware: "4.0.2.11307",
  }),
  ua("polycom", "made up", "FileTransport PolycomVVX-VVX_1500-UA/3.3.2.0377", {
    model: "VVX 1500",
    firmware: "3.3.2.0377",
  }),
  // Cisco SPA / Linksys (§2.3): MAC only as the first of two groups; a serial is never a MAC.
  ua("cisco-spa", "ref", "Cisco/SPA508G-7.4.8a (0002FDFF2103)(CBT141400UK)", {
    model: "SPA508",
    firmware: "7.4.8a",
    mac: "0002fdff2103",
  }),
  ua("cisco-spa", "ref", "Cisco/SPA525G-7.4.7 (CBT141900G7)", { model: "SPA525", firmware: "7.4.7" }),
  ua(
    "cisco-spa",
    "ref",
    "Linksys/SPA-942-6.1.5(a) (88019FA42805)",
    { model: "SPA942", firmware: "6.1.5(a)" },
    false,
  ),
  ua("cisco-spa", "upstream", "Cisco/SPA501G-7.4.4 (8843E157DDCC)(CBT141100HR)", {
    model: "SPA501",
    firmware: "7.4.4",
    mac: "8843e157ddcc",
  }),
  ua("cisco-spa", "made up", "Cisco/SPA504G-7.4.9a (C89C1D8A0B12)(CBT152201XY)", {
    model: "SPA504",
    firmware: "7.4.9a",
    mac: "c89c1d8a0b12",
  }),
  ua("cisco-spa", "made up", "Cisco/SPA525G2-7.4.9a (CBT15230ABC)", { model: "SPA525", firmware: "7.4.9a" }),
  // Aastra (§2.4).
  ua("aastra", "ref", "Aastra6731i MAC:00-08-5D-23-74-29 V:3.2.0.70-SIP", {
    model: "6731i",
    firmware: "3.2.0.70",
    mac: "00085d237429",
  }),
  ua("aastra", "upstream", "Aastra6739i MAC:00-08-5D-13-CA-05 V:3.2.1.1013-SIP", {
    model: "6739i",
    firmware: "3.2.1.1013",
    mac: "00085d13ca05",
  }),
  ua("aastra", "made up", "Aastra51i MAC:00-08-5D-12-34-56 V:2.6.0.2019-SIP", {
    model: "6751i",
    firmware: "2.6.0.2019",
    mac: "00085d123456",
  }),
  ua("aastra", "made up", "Aastra53i MAC:00-08-5D-12-34-57 V:3.2.2.2112-SIP", {
    model: "6753i",
    firmware: "3.2.2.2112",
    mac: "00085d123457",
  }),
  ua("aastra", "made up", "Aastra57i MAC:00-08-5D-AB-CD-EF V:3.2.2.2112-SIP", {
    model: "6757i",
    firmware: "3.2.2.2112",
    mac: "00085dabcdef",
  }),
  // Panasonic (§2.5): the model as sent, which is the {MODEL} of the pre-provisioning file.
  ua("panasonic", "ref", "Panasonic_KX-UT113/01.133 (0080f0c8c381)", {
    model: "KX-UT113",
    firmware: "01.133",
    mac: "0080f0c8c381",
  }),
  // The reference shortens this one's MAC with an ellipsis: not a MAC.
  ua("panasonic", "ref", "Panasonic_KX-UT670/01.022 (0080f0…)", { model: "KX-UT670", firmware: "01.022" }),
  ua("panasonic", "made up", "Panasonic_KX-UT136/01.251 (BCC342A1B2C3)", {
    model: "KX-UT136",
    firmware: "01.251",
    mac: "bcc342a1b2c3",
  }),
  ua("panasonic", "made up", "Panasonic_KX-TGP500B01/22.73 (080023123456)", {
    model: "KX-TGP500B01",
    firmware: "22.73",
    mac: "080023123456",
  }),
  ua("panasonic", "made up", "Panasonic_KX-UDS124/01.310 (0080f0aabbcc)", {
    model: "KX-UDS124",
    firmware: "01.310",
    mac: "0080f0aabbcc",
  }),
  // Gigaset (§2.6): MAC optional.
  ua("gigaset", "ref", "N510 IP PRO/42.245.00.000.000;7C2F804DF9A9", {
    model: "N510 IP PRO",
    firmware: "42.245.00.000.000",
    mac: "7c2f804df9a9",
  }),
  ua("gigaset", "upstream", "N510 IP PRO/42.258.00.000.000", {
    model: "N510 IP PRO",
    firmware: "42.258.00.000.000",
  }),
  ua(
    "gigaset",
    "upstream",
    "Gigaset N720 DM PRO/70.089.00.000.000;7C2F80CA21E4",
    { model: "N720 DM PRO", firmware: "70.089.00.000.000", mac: "7c2f80ca21e4" },
    false,
  ),
  ua(
    "gigaset",
    "upstream",
    "N720-DM-PRO/70.040.00.000.000",
    { model: "N720 DM PRO", firmware: "70.040.00.000.000" },
    false,
  ),
  ua("gigaset", "made up", "N300 IP/42.194.00.000.000;7C2F80123456", {
    model: "N300 IP",
    firmware: "42.194.00.000.000",
    mac: "7c2f80123456",
  }),
];

const familyIds = phoneFamilies.map((f) => f.id);

describe("parseUserAgent: real and catalog User-Agents", () => {
  it("covers every family with at least three User-Agents, reference ones first", () => {
    for (const id of familyIds) {
      const own = uaCases.filter((c) => c.family === id);
      expect(own.length, id).toBeGreaterThanOrEqual(3);
      expect(
        own.some((c) => c.source === "ref"),
        id,
      ).toBe(true);
    }
  });

  it.each(uaCases.map((c) => [c.family, c.ua, c]))("%s reads %j", (_id, _ua, c) => {
    const { family: id, ua: userAgent, expected } = c as UaCase;
    expect(family(id).parseUserAgent(userAgent)).toStrictEqual(expected);
  });

  it.each(uaCases.map((c) => [c.family, c.ua, c]))("only %s claims %j", (_id, _ua, c) => {
    const { family: id, ua: userAgent } = c as UaCase;
    const claimedBy = phoneFamilies.filter((f) => f.parseUserAgent(userAgent) !== undefined).map((f) => f.id);
    expect(claimedBy).toEqual([id]);
  });

  it("names models as the catalog does", () => {
    for (const c of uaCases.filter((x) => x.inCatalog)) {
      const rows = catalog.phones.filter((p) => p.family === c.family);
      const known =
        c.family === "panasonic"
          ? rows.some((p) => p.familyOptions.preprovisioning_file === `${c.expected.model}.cfg`)
          : rows.some((p) => p.model === c.expected.model);
      expect(known, `${c.family} ${c.expected.model} (${c.ua})`).toBe(true);
    }
  });

  it("takes any case of the vendor word where the sources do (Yealink, Tiptel)", () => {
    expect(family("yealink").parseUserAgent("YEALINK SIP-T28P 2.70.0.140 00:15:65:13:AE:0B")).toStrictEqual({
      model: "T28P",
      firmware: "2.70.0.140",
      mac: "00156513ae0b",
    });
    expect(family("yealink").parseUserAgent("TIPTEL IP 28xs 18.0.13.3 00:15:65:17:0a:3a")?.model).toBe(
      "IP 28XS",
    );
  });
});

describe("parseUserAgent: garbage and hostile input", () => {
  const tooLong = `Yealink SIP-T28P 2.70.0.140 00:15:65:13:ae:0b${" ".repeat(10_240)}`;
  const garbage: string[] = [
    "",
    " ",
    "x".repeat(10_240),
    tooLong,
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36",
    "curl/8.5.0",
    "python-requests/2.31.0",
    "Yealink",
    "Yealink SIP-T28P",
    "FileTransport Polycom",
    "Cisco/",
    "Panasonic_",
    "N510 IP PRO/",
    // A header can only carry these after a parser let them through; they must not reach the logs.
    "Yealink SIP-T28P 2.70.0.140 00:15:65:13:ae:0b\r\nX-Injected: 1",
    "Yealink SIP-T28P\u0000 2.70.0.140 00:15:65:13:ae:0b",
    "Aastra6731i MAC:00-08-5D-23-74-29\tV:3.2.0.70-SIP",
    "N510 IP PRO/42.245.00.000.000;7C2F804DF9A9\n",
    "Panasonic_KX-UT113/01.133 (0080f0c8c381)\u001b[31m",
    "Cisco/SPA508G-7.4.8a (0002FDFF2103)(CBT141400UK)\u0085",
    ...hostileStrings,
  ];

  it.each(garbage.map((g) => [JSON.stringify(g).slice(0, 60), g]))("no family reads %s", (_label, g) => {
    for (const f of phoneFamilies) {
      expect(f.parseUserAgent(g as string), f.id).toBeUndefined();
    }
  });

  it("never throws, whatever it is given", () => {
    const odd = [undefined, null, 42, {}, ["Yealink"]] as unknown as string[];
    for (const f of phoneFamilies) {
      for (const value of odd) expect(f.parseUserAgent(value), f.id).toBeUndefined();
    }
  });

  it("stays fast on input built to make a regular expression backtrack", () => {
    const probes = [
      `Yealink SIP-T28P ${"1.".repeat(110)}`,
      `Tiptel IP 286 ${"9.".repeat(110)}x`,
      `FileTransport PolycomVVX-VVX_500-UA/4.1.2 ${"Type/".repeat(40)}`,
      `Cisco/SPA508G-${"7.".repeat(100)} (x`,
      `Aastra6731i MAC:${"0".repeat(200)}`,
      `N510${" IP".repeat(80)}/42`,
      `Panasonic_KX-UT113/01.133 (${"(".repeat(200)}`,
    ];
    const start = performance.now();
    for (const probe of probes) {
      for (const f of phoneFamilies) f.parseUserAgent(probe);
    }
    // Catastrophic backtracking takes seconds; these take about a millisecond.
    expect(performance.now() - start).toBeLessThan(500);
  });

  it("keeps model and firmware but drops a MAC that is not hex", () => {
    expect(family("yealink").parseUserAgent("Yealink SIP-T28P 2.70.0.140 zz:15:65:13:ae:0b")).toStrictEqual({
      model: "T28P",
      firmware: "2.70.0.140",
    });
    expect(family("yealink").parseUserAgent("Yealink SIP-T28P 2.70.0.140 <script>")).toStrictEqual({
      model: "T28P",
      firmware: "2.70.0.140",
    });
    expect(family("aastra").parseUserAgent("Aastra6731i MAC:GG-08-5D-23-74-29 V:3.2.0.70-SIP")).toStrictEqual(
      {
        model: "6731i",
        firmware: "3.2.0.70",
      },
    );
    expect(family("gigaset").parseUserAgent("N510 IP PRO/42.245.00.000.000;7C2F804DF9AZ")).toStrictEqual({
      model: "N510 IP PRO",
      firmware: "42.245.00.000.000",
    });
  });

  it("drops the zero, broadcast and multicast MACs and mixed separators", () => {
    for (const mac of ["00:00:00:00:00:00", "ff:ff:ff:ff:ff:ff", "01:00:5e:00:00:01", "00:15-65:13:ae:0b"]) {
      expect(family("yealink").parseUserAgent(`Yealink SIP-T28P 2.70.0.140 ${mac}`), mac).toStrictEqual({
        model: "T28P",
        firmware: "2.70.0.140",
      });
    }
    expect(
      family("panasonic").parseUserAgent("Panasonic_KX-UT113/01.133 (000000000000)")?.mac,
    ).toBeUndefined();
  });

  it("never reads a serial number as a MAC, even one of 12 hex digits", () => {
    expect(
      family("cisco-spa").parseUserAgent("Linksys/SPA-942-6.1.5(a) (88019FA42805)")?.mac,
    ).toBeUndefined();
    expect(family("cisco-spa").parseUserAgent("Cisco/SPA525G-7.4.7 (88019FA42805)")?.mac).toBeUndefined();
  });
});

/**
 * Who claims which request path. M is a device MAC; Yealink, Polycom and Aastra share `<mac>.cfg`, Cisco
 * SPA and Gigaset share `<mac>.xml`: the caller asks every family.
 */
const M = "0004f2a1b2c3";
const cfgFamilies = { yealink: M, polycom: M, aastra: M } as const;
const xmlFamilies = { "cisco-spa": M, gigaset: M } as const;
const pathCases: Array<[string, Partial<Record<FamilyId, string>>]> = [
  ["0004f2a1b2c3.cfg", cfgFamilies],
  ["/0004f2a1b2c3.cfg", cfgFamilies],
  ["/0004F2A1B2C3.CFG", cfgFamilies],
  ["/0004F2a1b2C3.cfg", cfgFamilies],
  ["//0004f2a1b2c3.cfg", cfgFamilies],
  ["/0004f2a1b2c3-user.cfg", { polycom: M }],
  ["/0004F2A1B2C3-USER.CFG", { polycom: M }],
  ["/0004f2a1b2c3-phone.cfg", { polycom: M }],
  ["/0004f2a1b2c3-web.cfg", { polycom: M }],
  ["/0004f2a1b2c3-license.cfg", { polycom: M }],
  ["/0004f2a1b2c3-directory.xml", { polycom: M }],
  ["/0004f2a1b2c3-app.log", { polycom: M }],
  ["/0004f2a1b2c3-boot.log", { polycom: M }],
  ["/0004f2a1b2c3.xml", xmlFamilies],
  ["/0004F2A1B2C3.xml", xmlFamilies],
  ["/Config0004F2A1B2C3.cfg", { panasonic: M }],
  ["/config0004f2a1b2c3.CFG", { panasonic: M }],
  // Not per-device names of anyone.
  ["", {}],
  ["/", {}],
  ["../0004f2a1b2c3.cfg", {}],
  ["/../0004f2a1b2c3.cfg", {}],
  ["..%2f0004f2a1b2c3.cfg", {}],
  ["..\\0004f2a1b2c3.cfg", {}],
  ["/firmware/0004f2a1b2c3.cfg", {}],
  ["/x/Config0004F2A1B2C3.cfg", {}],
  ["/0004f2a1b2c3.cfg?mac=1", {}],
  ["/0004f2a1b2c3.cfg ", {}],
  ["/0004f2a1b2c3.cfg\u0000.xml", {}],
  ["/0004f2a1b2c3.tuz", {}],
  ["/0004f2a1b2c3-user.xml", {}],
  ["/0004f2a1b2c3-calls.xml", {}],
  ["/spa0004f2a1b2c3.xml", {}],
  ["/SEP0004F2A1B2C3.cnf.xml", {}],
  ["/Config.cfg", {}],
  ["/ConfigConfig0004F2A1B2C3.cfg", {}],
  ["/00:04:f2:a1:b2:c3.cfg", {}],
  ["/00-04-F2-A1-B2-C3.cfg", {}],
  ["/0004f2a1b2c.cfg", {}],
  ["/0004f2a1b2c3d.cfg", {}],
  ["/0004f2a1b2g3.cfg", {}],
  // The all-zero MAC (Polycom's default master and license file), broadcast and multicast.
  ["/000000000000.cfg", {}],
  ["/000000000000-license.cfg", {}],
  ["/ffffffffffff.cfg", {}],
  ["/FFFFFFFFFFFF.xml", {}],
  ["/01005e000001.cfg", {}],
  ["/333300000001.xml", {}],
  ["/Config0180C2000000.cfg", {}],
  // Serial-number shaped (Cisco `CBT141400UK`, Linksys `4MM00F903042`): not hex, not a MAC.
  ["/CBT141400UK.xml", {}],
  ["/4MM00F903042.xml", {}],
  ["/Config4MM00F903042.cfg", {}],
  // Shared files: Yealink common (13 digits), Polycom/Cisco/Aastra/Panasonic model files.
  ["/y000000000025.cfg", {}],
  ["/common.cfg", {}],
  ["/spa504G.cfg", {}],
  ["/aastra.cfg", {}],
  ["/6731i.cfg", {}],
  ["/KX-UT136.cfg", {}],
];

describe("macFromPath", () => {
  it.each(pathCases)("%j", (path, expected) => {
    for (const f of phoneFamilies) {
      expect(f.macFromPath(path), f.id).toBe(expected[f.id]);
    }
  });

  it("never throws and ignores overlong paths", () => {
    const odd = [undefined, null, 42, `/${"0".repeat(5000)}.cfg`, `${"/".repeat(200)}0004f2a1b2c3.cfg`];
    for (const f of phoneFamilies) {
      for (const value of odd) expect(f.macFromPath(value as string), f.id).toBeUndefined();
    }
  });

  it("recognises every per-device file the family renders, and none of its shared files", () => {
    // Aastra phones take only a numeric admin password (aastra.ts).
    const site = (id: FamilyId) => testSiteView(id === "aastra" ? { adminPassword: "12345" } : {});
    for (const id of familyIds) {
      const f = family(id);
      // One model at a time: some models cannot share a site (Yealink VP 28 and VP530 share a common file).
      for (const model of modelsOfFamily(id)) {
        const specs = f.files(site(id), [testDevice(model)]);
        expect(specs.filter((s) => s.mac !== undefined).length, model.id).toBeGreaterThan(0);
        for (const { path, mac } of specs) {
          const swapped = path === path.toLowerCase() ? path.toUpperCase() : path.toLowerCase();
          for (const variant of [path, `/${path}`, swapped]) {
            expect(f.macFromPath(variant), `${model.id} ${variant}`).toBe(mac);
          }
        }
      }
    }
  });
});

describe("resyncEvent", () => {
  it.each([
    ["yealink", "check-sync;reboot=false"],
    ["polycom", "check-sync"],
    ["cisco-spa", "resync"],
    ["aastra", "check-sync"],
    ["panasonic", "check-sync"],
    ["gigaset", "check-sync"],
  ] as const)("%s: %s", (id, event) => {
    expect(family(id).resyncEvent).toBe(event);
  });

  it("is a bare SIP Event header value", () => {
    for (const f of phoneFamilies) expect(f.resyncEvent, f.id).toMatch(/^[a-z-]+(?:;[a-z]+=[a-z]+)?$/);
  });

  it("Panasonic: the event the MAC file tells the phone to accept", () => {
    const [model] = modelsOfFamily("panasonic");
    if (!model) throw new Error("no Panasonic model");
    const device = testDevice(model);
    const own = renderFamily("panasonic", [device]).find((file) => file.mac === device.mac);
    expect(own?.content).toContain(`CFG_RESYNC_FROM_SIP="${family("panasonic").resyncEvent}"`);
  });

  it("Cisco SPA: the MAC file lets the phone resync from SIP", () => {
    const model = modelsOfFamily("cisco-spa").find((m) => m.model === "SPA504");
    if (!model) throw new Error("no SPA504");
    const device = testDevice(model);
    const own = renderFamily("cisco-spa", [device]).find((file) => file.mac === device.mac);
    expect(own?.content).toContain("<Resync_From_SIP>Yes</Resync_From_SIP>");
  });
});

describe("request helpers", () => {
  it("deviceMac", () => {
    expect(deviceMac("0004F2A1B2C3")).toBe("0004f2a1b2c3");
    expect(deviceMac("020000000001")).toBe("020000000001");
    expect(deviceMac("000000000000")).toBeUndefined();
    expect(deviceMac("010000000000")).toBeUndefined();
    expect(deviceMac("0004f2a1b2c")).toBeUndefined();
  });

  it("macFromText", () => {
    expect(macFromText("00:15:65:13:AE:0B")).toBe("00156513ae0b");
    expect(macFromText("00-08-5D-23-74-29")).toBe("00085d237429");
    expect(macFromText("0080f0c8c381")).toBe("0080f0c8c381");
    expect(macFromText("00:15:65:13:ae")).toBeUndefined();
    expect(macFromText("0015.6513.ae0b")).toBeUndefined();
    expect(macFromText("CBT141400UK")).toBeUndefined();
    expect(macFromText(undefined)).toBeUndefined();
  });

  it("rootFileName", () => {
    expect(rootFileName("/a.cfg")).toBe("a.cfg");
    expect(rootFileName("a.cfg")).toBe("a.cfg");
    expect(rootFileName("/a/b.cfg")).toBeUndefined();
    expect(rootFileName("/..")).toBeUndefined();
    expect(rootFileName("/")).toBeUndefined();
  });
});
