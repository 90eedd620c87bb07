import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { packageRoot } from "../../agent/paths.js";

/** The CLI as a real process: built (dist/, as installed and in Docker) when present, else from source. */
const built = join(packageRoot, "dist/agent/main.js");
const entry = existsSync(built) ? [built] : ["--import", "tsx", join(packageRoot, "agent/main.ts")];

function patchkast(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [...entry, ...args], {
    cwd: packageRoot,
    encoding: "utf8",
    env: { PATH: process.env.PATH, ...env },
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe(`patchkast CLI (${existsSync(built) ? "dist" : "source"})`, () => {
  it("--help lists the commands; a wrong command exits 2 with help", () => {
    const help = patchkast(["--help"]);
    expect(help.code).toBe(0);
    for (const cmd of ["validate", "render", "demo"]) expect(help.out).toContain(cmd);
    const wrong = patchkast(["rendr"]);
    expect(wrong.code).toBe(2);
    expect(wrong.err).toMatch(/unknown command 'rendr'/);
  });

  it("validate exits 0 for the examples and 1 with located mistakes for a broken file", () => {
    expect(
      patchkast(["validate", "configs/sites/example-vdsl.yaml", "configs/sites/example-fibre.yaml"]).code,
    ).toBe(0);
    const bad = patchkast(["validate", "test/fixtures/sites/ten-mistakes.yaml"]);
    expect(bad.code).toBe(1);
    expect(bad.err.split("\n").filter((l) => /ten-mistakes\.yaml:\d+:\d+: /.test(l))).toHaveLength(10);
  });

  it("render with real env: secrets writes every file; credential files are owner-only", () => {
    const out = mkdtempSync(join(tmpdir(), "pk-render-"));
    const env: NodeJS.ProcessEnv = {};
    const site = readFileSync(join(packageRoot, "configs/sites/example-vdsl.yaml"), "utf8");
    for (const m of site.matchAll(/env:([A-Z0-9_]+)/g)) env[m[1] as string] = `Pw-${m[1]?.toLowerCase()}-9x`;
    const r = patchkast(["render", "configs/sites/example-vdsl.yaml", "--out", out], env);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toContain("wrote 13 files");
    const mac = join(out, "phones/0015654a1001.cfg");
    expect(readFileSync(mac, "utf8")).toContain("Pw-");
    expect(statSync(mac).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(out, "phones")).length).toBe(11);
  });

  it("render without the secrets fails clearly, names the variable, and writes nothing", () => {
    const out = join(mkdtempSync(join(tmpdir(), "pk-render-")), "out");
    const r = patchkast(["render", "configs/sites/example-vdsl.yaml", "--out", out]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/environment variable KORENSCHOOF_\w+ is not set/);
    expect(r.err).toContain("PK_ERR_SECRET_UNRESOLVED");
    expect(existsSync(out)).toBe(false);
  });

  it("demo starts the lab, renders, pushes, finds no drift, reads SNMP, provisions the phones and accepts", () => {
    const out = mkdtempSync(join(tmpdir(), "pk-demo-"));
    const r = patchkast(["demo", "--out", out]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/push lab-rtr1: applied/);
    expect(r.out).toMatch(/push lab-sw1: applied/);
    expect(r.out).toContain("diff lab-sw1: no drift");
    expect(r.out).toMatch(/snmp lab-sw1: \d+ ports delivering PoE, \d+ LLDP neighbours/);
    expect(existsSync(join(out, "router/lab-rtr1.cfg"))).toBe(true);
    expect(r.out).toMatch(/provisioning: 5 of 5 lab phones fetched their files from the agent/);
    expect(r.out).toMatch(/accept: ACCEPTED: 12\/12 passed/);
    const report = JSON.parse(readFileSync(join(out, "acceptance/report.json"), "utf8")) as {
      verdict: string;
    };
    expect(report.verdict).toBe("accepted");
    for (const f of ["junit.xml", "report.html"]) expect(existsSync(join(out, "acceptance", f))).toBe(true);
    // Every phone request is audited, one JSON line each.
    const audit = readFileSync(join(out, "audit/provisioning.log"), "utf8").trim().split("\n");
    expect(audit.length).toBeGreaterThanOrEqual(5);
    expect(audit.every((l) => typeof JSON.parse(l).source === "string")).toBe(true);
  });
});
