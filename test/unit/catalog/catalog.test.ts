import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadCatalog } from "../../../agent/catalog/load.js";
import { catalogDir, packageRoot } from "../../../agent/paths.js";
import { siteJsonSchemaText } from "../../../agent/site/json-schema.js";
import { catalog } from "../../helpers/family-harness.js";

describe("phones.yaml: the provider's device list (seeds.md §4)", () => {
  it("holds every row, one model per row, in every category", () => {
    const byCategory = (c: string) => catalog.phones.filter((p) => p.category === c).length;
    expect(catalog.phones).toHaveLength(56);
    expect(byCategory("desk")).toBe(41);
    expect(byCategory("dect")).toBe(6);
    expect(byCategory("video")).toBe(3);
    expect(byCategory("softclient")).toBe(4);
    expect(byCategory("ata")).toBe(2);
  });

  it("keeps firmware strings exactly as printed", () => {
    const fw = (name: string) => catalog.findPhone(name)?.firmware;
    expect(fw("Yealink T22P")).toBe("7.61.115.7.rom");
    expect(fw("Tiptel IP 286")).toBe("2.61.13.10.rom");
    expect(fw("Panasonic KX-UT670NE")).toBe("01.072");
    expect(fw("Polycom VVX 1500")).toBe("v3.3.2");
    expect(fw("Gigaset N510 IP PRO")).toBe("42.194");
    expect(fw("Cisco SPA504")).toBe("7.4.9a");
    expect(fw("Aastra 6751i")).toBe("2.6.0.2019");
  });

  it("marks the rows that do not autoprovision, and finds models by id or by name", () => {
    const noAp = catalog.phones.filter((p) => !p.autoprovisioning).map((p) => p.id);
    expect(noAp).toEqual(
      expect.arrayContaining([
        "cisco-spa501",
        "cisco-spa525",
        "aastra-6730i",
        "counterpath-bria",
        "audio-codex-mp112",
        "cisco-linksys-spa-2102eu",
      ]),
    );
    expect(noAp).toHaveLength(14);
    expect(catalog.findPhone("yealink-t22p")?.model).toBe("T22P");
    expect(catalog.findPhone("Polycom SoundPoint IP 650")?.printedAs).toBe("SoundPoint 650, 670");
    for (const p of catalog.phones) expect(p.source).toMatch(/003:L1[0-9]{3}/);
  });
});

describe("lines.yaml: the line-capacity table (seeds.md §1.2)", () => {
  it("has all 22 rows with the provider's figures", () => {
    expect(catalog.lines).toHaveLength(22);
    const calls = (k: string) => catalog.findLine(k)?.max_concurrent_calls;
    expect(calls("adsl-352-352")).toBe(3);
    expect(calls("sdsl-2.3-2.3")).toBe(20);
    expect(calls("adsl-20-1")).toBe(5);
    expect(calls("vdsl-30-3")).toBe(32);
    expect(calls("eoc-5-5")).toBe(32);
    expect(catalog.lines.filter((l) => l.max_concurrent_calls === 80)).toHaveLength(6);
    expect(catalog.lines.filter((l) => l.use === "voice_only")).toHaveLength(8);
  });
});

describe("sla.yaml", () => {
  it("has the three tiers and the daily maintenance window", () => {
    const tier = (k: string) => catalog.sla.tiers.find((t) => t.key === k);
    expect(tier("premium")).toMatchObject({
      availability_percent: 99.9,
      restore_hours: 8,
      restore_hours_kind: "clock",
    });
    expect(tier("standard")).toMatchObject({
      availability_percent: 99.6,
      restore_hours: 8,
      restore_hours_kind: "office",
    });
    expect(tier("entry")).toMatchObject({ availability_percent: 95, restore_hours: null });
    expect(catalog.sla.maintenance_window).toMatchObject({
      start: "00:00",
      end: "07:00",
      time_zone: "Europe/Amsterdam",
    });
    expect(catalog.sla.maintenance_window.days).toHaveLength(7);
    expect(catalog.sla.notes.length).toBeGreaterThanOrEqual(4);
  });
});

describe("catalog validation", () => {
  it("rejects a broken catalog with every mistake located", () => {
    const dir = mkdtempSync(join(tmpdir(), "pk-catalog-"));
    cpSync(catalogDir, dir, { recursive: true });
    const phonesText = readFileSync(join(dir, "phones.yaml"), "utf8");
    writeFileSync(join(dir, "phones.yaml"), phonesText.replace("category: desk", "category: deskphone"));
    writeFileSync(
      join(dir, "lines.yaml"),
      readFileSync(join(dir, "lines.yaml"), "utf8").replace(
        "max_concurrent_calls: 3",
        "max_concurrent_calls: -3",
      ),
    );
    expect(() => loadCatalog(dir)).toThrow(
      /lines\.yaml:14:\d+: lines\[0\]\.max_concurrent_calls[\s\S]*phones\.yaml:14:\d+: phones\[0\]\.category/,
    );

    writeFileSync(
      join(dir, "phones.yaml"),
      phonesText
        .replace('firmware: "7.61.115.7.rom"', "firmware: null")
        .replace("id: yealink-t28p", "id: yealink-t22p"),
    );
    writeFileSync(join(dir, "lines.yaml"), readFileSync(join(catalogDir, "lines.yaml"), "utf8"));
    expect(() => loadCatalog(dir)).toThrow(
      /"yealink-t22p" autoprovisions, so it needs a family and a firmware[\s\S]*model id "yealink-t22p" appears twice/,
    );
  });
});

describe("schema/site.schema.json", () => {
  it("is up to date with the zod schema (npm run schema:update)", () => {
    expect(readFileSync(join(packageRoot, "schema/site.schema.json"), "utf8")).toBe(siteJsonSchemaText());
  });
});
