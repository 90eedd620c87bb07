import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AcceptDeps } from "../../../agent/accept/run.js";
import type { CheckResult } from "../../../agent/checks/types.js";
import { defaultOutDir, runAccept, type WireInput } from "../../../agent/cli/accept.js";
import type { Io } from "../../../agent/cli/common.js";
import { PatchkastError } from "../../../agent/errors.js";
import { buildProgram, main } from "../../../agent/main.js";
import { PlaceholderSecretResolver } from "../../../agent/site/secrets.js";
import { checkIn, labSite, labSiteFile, observations, result } from "./fixtures.js";
import { parseXml } from "./xml-reader.js";

let root: string;
let out: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "pk-accept-cli-"));
  out = join(root, "report");
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function capture(): Io & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l) };
}

const routerSecret = new PlaceholderSecretResolver().resolve(labSite.router.credentials.password).reveal();

/** Collectors and checks as fakes; the observe step resolves a secret like the real SSH collector would. */
function fakeWire(results: CheckResult[], calls: { observed: number } = { observed: 0 }) {
  return (input: WireInput): AcceptDeps => ({
    observe: async (onStep) => {
      calls.observed++;
      const password = input.secrets.resolve(input.site.router.credentials.password, "SSH password").reveal();
      onStep({ subject: "lab-sw1", step: "SNMP PoE", ok: true, durationMs: 120.4 });
      onStep({ subject: "lab-rtr1", step: "SSH login", ok: false, detail: `denied for ${password}` });
      return observations({
        sipProbes: [
          {
            target: "sip.voice.example.net:5060",
            transport: "udp",
            at: "t",
            inMaintenance: false,
            result: { status: 200, reason: "OK", rttMs: 12.3, reachable: true, retransmissions: 0 },
          },
        ],
        phones: {
          ok: true,
          at: "t",
          source: "check-ins",
          value: [checkIn("00:15:65:1a:b0:01"), checkIn("00:15:65:1a:b0:02", { lastSeen: null })],
        },
      });
    },
    runChecks: () => results,
  });
}

const accept = (results: CheckResult[], extra: Record<string, unknown> = {}, io = capture()) =>
  runAccept(
    labSiteFile,
    { out, stateDir: join(root, "state"), placeholderSecrets: true, ...extra },
    io,
    fakeWire(results),
    () => new Date("2026-11-22T09:15:00Z"),
  ).then((code) => ({ code, io }));

describe("patchkast accept", () => {
  it("exits 0 and writes the three files when every check passed", async () => {
    const { code, io } = await accept([result("a", "pass"), result("b", "pass")]);
    expect(code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(["junit.xml", "report.html", "report.json"]);
    expect(JSON.parse(readFileSync(join(out, "report.json"), "utf8")).verdict).toBe("accepted");
    expect(parseXml(readFileSync(join(out, "junit.xml"), "utf8")).name).toBe("testsuites");
    expect(io.stdout).toEqual([
      `ACCEPTED: 2/2 passed, 0 failed, 0 unknown (all 2 checks passed); report in ${out}`,
    ]);
  });

  it("prints a line per step and per check on stderr", async () => {
    const { io } = await accept([result("voice_vlan_on_phone_ports", "fail"), result("poe", "pass")]);
    expect(io.stderr).toEqual([
      "accept patchkast-lab (Patchkast Lab): observing the site, then running every check",
      "lab-sw1: SNMP PoE ok (120 ms)",
      "lab-rtr1: SSH login FAILED: denied for <secret>",
      "sip.voice.example.net:5060/udp: SIP OPTIONS ok: 200 OK (12 ms)",
      "phones: check-ins ok: 1 of 2 seen",
      "check voice_vlan_on_phone_ports: FAIL summary of voice_vlan_on_phone_ports: fail",
      "check poe: PASS summary of poe: pass",
    ]);
  });

  it("exits 1 on a failed check, and on an unknown one unless --allow-unknown", async () => {
    expect((await accept([result("a", "pass"), result("b", "fail")])).code).toBe(1);
    rmSync(out, { recursive: true });
    expect((await accept([result("a", "unknown")])).code).toBe(1);
    rmSync(out, { recursive: true });
    const allowed = await accept([result("a", "unknown")], { allowUnknown: true });
    expect(allowed.code).toBe(0);
    expect(allowed.io.stdout[0]).toMatch(/^ACCEPTED WITH RESERVATIONS: /);
    rmSync(out, { recursive: true });
    expect((await accept([result("a", "fail")], { allowUnknown: true })).code).toBe(1);
    rmSync(out, { recursive: true });
    expect((await accept([])).code).toBe(1);
  });

  it("keeps every secret the collectors used out of the files and the terminal", async () => {
    const leaky = result("ssh", "fail", { summary: `router said ${routerSecret}` });
    const { io } = await accept([leaky]);
    for (const f of readdirSync(out)) expect(readFileSync(join(out, f), "utf8")).not.toContain(routerSecret);
    expect([...io.stdout, ...io.stderr].join("\n")).not.toContain(routerSecret);
    expect(readFileSync(join(out, "junit.xml"), "utf8")).toContain("router said &lt;secret&gt;");
  });

  it("exits 2 before observing anything when the report folder exists, and replaces it with --force", async () => {
    await accept([result("a", "fail")]);
    const calls = { observed: 0 };
    const io = capture();
    const opts = { out, stateDir: root, placeholderSecrets: true };
    const code = await runAccept(labSiteFile, opts, io, fakeWire([result("a", "pass")], calls));
    expect(code).toBe(2);
    expect(calls.observed).toBe(0);
    expect(io.stderr.join("\n")).toContain("already exists; pass --force");
    expect(io.stderr.join("\n")).toContain("PK_ERR_OUTPUT_WRITE");
    const forced = await runAccept(
      labSiteFile,
      { ...opts, force: true },
      capture(),
      fakeWire([result("a", "pass")], calls),
    );
    expect(forced).toBe(0);
    expect(JSON.parse(readFileSync(join(out, "report.json"), "utf8")).verdict).toBe("accepted");
  });

  it("exits 2 without a report when the site file is missing or the collectors cannot start", async () => {
    const io = capture();
    expect(await runAccept(join(root, "nope.yaml"), { out, stateDir: root }, io, fakeWire([]))).toBe(2);
    expect(io.stderr.join("\n")).toMatch(/no such file[\s\S]*PK_ERR_SITE_READ/);
    const broken = (): AcceptDeps => ({
      observe: async () => {
        throw new PatchkastError("PK_ERR_SNMP_CONFIG", "the SNMP target settings cannot be used");
      },
      runChecks: () => [],
    });
    expect(
      await runAccept(labSiteFile, { out, stateDir: root, placeholderSecrets: true }, capture(), broken),
    ).toBe(2);
    expect(existsSync(out)).toBe(false);
  });

  it("names the default folder after the site and its local date", () => {
    expect(defaultOutDir(labSite, new Date("2026-11-21T23:30:00Z"))).toBe(
      "acceptance-patchkast-lab-2026-11-22",
    );
  });

  it("is a registered command that maps site errors to exit 2", async () => {
    const program = buildProgram(capture(), () => {});
    const cmd = program.commands.find((c) => c.name() === "accept");
    expect(cmd?.options.map((o) => o.long)).toEqual(
      expect.arrayContaining([
        "--out",
        "--force",
        "--allow-unknown",
        "--state-dir",
        "--catalog",
        "--engineer",
      ]),
    );
    const io = capture();
    expect(await main(["accept", join(root, "missing.yaml"), "--out", out], io)).toBe(2);
    expect(io.stderr.join("\n")).toContain("PK_ERR_SITE_READ");
  });
});
