import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runValidate } from "../../../agent/cli/validate.js";
import { packageRoot } from "../../../agent/paths.js";
import { validateSiteText } from "../../../agent/site/load.js";
import { formatProblem } from "../../../agent/yaml-source.js";
import { catalog } from "../../helpers/family-harness.js";

const fixture = join(packageRoot, "test/fixtures/sites/ten-mistakes.yaml");
const example = join(packageRoot, "configs/sites/example-vdsl.yaml");

function validate(text: string, file = "site.yaml") {
  return validateSiteText(text, file, catalog);
}

describe("patchkast validate", () => {
  it("accepts the example site", () => {
    const r = validate(readFileSync(example, "utf8"), example);
    expect(r.problems.map(formatProblem)).toEqual([]);
    expect(r.site?.phones).toHaveLength(6);
  });

  it("lists all ten mistakes of a site file at once, each at its line", () => {
    const r = validate(readFileSync(fixture, "utf8"), fixture);
    expect(r.site).toBeUndefined();
    const at = r.problems.map((p) => `${p.line}:${p.path}`);
    // One entry per deliberate mistake: line in the fixture, and the path that names the field.
    expect(at).toEqual([
      "4:site_id",
      "5:time_zone",
      "14:access_line",
      "23:vlans.data.gateway",
      "24:vlans.voice.id",
      "33:wan.shaping_rate_kbps",
      "38:port_forwards[0].protocol",
      "46:router.credentials.password",
      "78:phones[1].mac",
      "86:phones[2].model",
    ]);
    for (const p of r.problems) {
      expect(p.file).toBe(fixture);
      expect(p.column).toBeGreaterThan(0);
      expect(p.message.length).toBeGreaterThan(10);
    }
    const text = r.problems.map(formatProblem).join("\n");
    expect(text).toContain("never the secret itself");
    expect(text).toContain('"Yealink T99" is not in the phone catalog');
    expect(text).toContain("gateway 10.20.11.1 is outside the data subnet 10.20.10.0/24");
    expect(text).toContain('"vdsl-40-4" is not a row of the line-capacity table');
    // The inline password itself is never echoed back.
    expect(text).not.toContain("hunter2");
  });

  it("exits 1 and prints file:line:column lines from the CLI", () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = runValidate([fixture, example], {}, { out: (l) => out.push(l), err: (l) => err.push(l) });
    expect(code).toBe(1);
    expect(err.filter((l) => l.startsWith(`${fixture}:`) && /:\d+:\d+: /.test(l))).toHaveLength(10);
    expect(out.join("\n")).toContain("example-vdsl.yaml: ok (6 phones");
  });

  it("reports a combination the renderer refuses although each field is right (one file, two generations)", () => {
    // The Tiptel VP 28 (23.40, legacy) and the Yealink VP530 (23.70, V70) share y000000000023.cfg.
    const dir = mkdtempSync(join(tmpdir(), "pk-validate-"));
    const site = join(dir, "mixed-video.yaml");
    const base = readFileSync(example, "utf8");
    writeFileSync(
      site,
      base
        .replace("model: Yealink T28P", "model: Tiptel VP 28")
        .replace("model: Yealink T32G", "model: Yealink VP530"),
    );
    const err: string[] = [];
    const code = runValidate([site], {}, { out: () => {}, err: (l) => err.push(l) });
    expect(code).toBe(1);
    expect(err[0]).toMatch(/mixed-video\.yaml: .*y000000000023\.cfg cannot serve .*VP530.*legacy firmware/);
  });

  it("reports YAML syntax errors with their position instead of throwing", () => {
    const r = validate("schema_version: 1\ncustomer: [unclosed\n");
    expect(r.problems[0]?.message).toMatch(/^YAML syntax/);
    expect(r.problems[0]?.line).toBeGreaterThanOrEqual(2);
  });

  it("points an unknown key at the key itself and a duplicate key at its line", () => {
    const base = readFileSync(example, "utf8");
    const typo = base.replace("sla_tier: standard", "sla_tier: standard\nsla_teir: premium");
    const r = validate(typo);
    const unknown = r.problems.find((p) => p.path === "sla_teir");
    expect(unknown?.message).toContain('unknown key "sla_teir"');
    expect(typo.split("\n")[(unknown?.line ?? 0) - 1]).toContain("sla_teir");

    const dup = validate(base.replace("sla_tier: standard", "sla_tier: standard\nsla_tier: premium"));
    expect(dup.problems[0]?.message).toMatch(/YAML syntax.*unique|duplicate/i);
  });

  it("refuses a phone model that does not autoprovision, naming it", () => {
    const r = validate(readFileSync(example, "utf8").replace("model: Yealink T26P", "model: Cisco SPA502"));
    expect(r.problems.map((p) => p.message).join("\n")).toContain("Cisco SPA502 does not autoprovision");
  });

  it("catches cross-field mistakes: duplicate MAC and extension, port not on the switch, overlapping VLANs", () => {
    let text = readFileSync(example, "utf8");
    text = text.replace('mac: "00:15:65:4a:10:02"', 'mac: "00-15-65-4A-10-01"');
    text = text.replace('extension: "203"', 'extension: "201"');
    text = text.replace("interface: GigabitEthernet1/0/5 }", "interface: GigabitEthernet1/0/20 }");
    text = text.replace(
      "subnet: 10.20.99.0/24, gateway: 10.20.99.1",
      "subnet: 10.20.0.0/16, gateway: 10.20.99.1",
    );
    const messages = validate(text).problems.map((p) => `${p.path}: ${p.message}`);
    expect(
      messages.some((m) => m.startsWith("phones[1].mac") && m.includes("already used by phones[0]")),
    ).toBe(true);
    expect(messages.some((m) => m.startsWith("phones[2].extension") && m.includes("already used"))).toBe(
      true,
    );
    expect(messages.some((m) => m.startsWith("phones[4].port.interface"))).toBe(true);
    expect(messages.some((m) => m.startsWith("vlans.management.subnet") && m.includes("overlaps"))).toBe(
      true,
    );
  });
});
