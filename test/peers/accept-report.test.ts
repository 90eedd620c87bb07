/**
 * The acceptance report read by real programs: headless Chromium (Debian package `chromium`) prints
 * report.html to an A4 PDF, and libxml2's xmllint (Debian package `libxml2-utils`) parses junit.xml. The
 * report comes from `patchkast accept` itself (runAccept with fake collectors). Nothing here skips: without
 * the programs the tests fail and say which package to install (.ci/run must list both).
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AcceptDeps } from "../../agent/accept/run.js";
import { allChecks } from "../../agent/checks/index.js";
import type { CheckResult, CheckStatus } from "../../agent/checks/types.js";
import { runAccept } from "../../agent/cli/accept.js";
import { hostileStrings } from "../helpers/hostile.js";
import { onPath, run } from "../helpers/peer-tools.js";
import { checkIn, labSite, labSiteFile, observations } from "../unit/accept/fixtures.js";

const hasChromium = onPath("chromium");
const hasXmllint = onPath("xmllint");
let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "pk-accept-peers-"));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** `count` results cycling pass/fail/unknown, each with 1-4 evidence rows; `text` goes into every field. */
function results(count: number, text?: string): CheckResult[] {
  const statuses: CheckStatus[] = ["pass", "pass", "fail", "unknown"];
  return Array.from({ length: count }, (_, i) => {
    const base = allChecks[i % allChecks.length];
    const status = statuses[i % statuses.length] as CheckStatus;
    return {
      id: `${base?.id}_${i}`,
      title: text ?? base?.title ?? "",
      status,
      summary: text ?? `${status} summary`,
      evidence: Array.from({ length: 1 + (i % 4) }, (_, k) => ({
        subject: text ?? `lab-sw1 GigabitEthernet1/0/${k + 1}`,
        expected: "voice VLAN 30",
        observed: text ?? (status === "pass" ? "voice VLAN 30" : "no voice VLAN"),
        ok: status === "pass" ? true : status === "fail" ? false : null,
        source: "SNMP CISCO-VLAN-MEMBERSHIP-MIB on 127.20.0.2",
      })),
    };
  });
}

/** Runs `patchkast accept` with fake collectors; returns the report folder. */
async function acceptReport(name: string, checks: CheckResult[]): Promise<string> {
  const out = join(root, name);
  const first = labSite.phones[0]?.mac ?? "";
  const wire = (): AcceptDeps => ({
    observe: async () =>
      observations({
        phones: {
          ok: true,
          at: "t",
          source: "check-ins",
          value: [checkIn(first, { reportedFirmware: "7.61.115.7" })],
        },
        calls: { bySource: { phone_events: 2 }, at: "t" },
      }),
    runChecks: () => checks,
  });
  const quiet = { out: () => {}, err: () => {} };
  const code = await runAccept(
    labSiteFile,
    { out, stateDir: root, placeholderSecrets: true, engineer: "Piet" },
    quiet,
    wire,
  );
  expect(code).toBe(checks.every((c) => c.status === "pass") && checks.length > 0 ? 0 : 1);
  return out;
}

/** Prints report.html with headless Chromium; returns the PDF's bytes. */
async function printPdf(dir: string): Promise<Buffer> {
  const pdf = join(dir, "..", `${dir.split("/").pop()}.pdf`);
  const profile = mkdtempSync(join(root, "chromium-profile-"));
  const { code, output } = await run(
    "chromium",
    [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      `--user-data-dir=${profile}`,
      "--no-pdf-header-footer",
      `--print-to-pdf=${pdf}`,
      `file://${join(dir, "report.html")}`,
    ],
    root,
  );
  expect(code, output).toBe(0);
  return readFileSync(pdf);
}

/** Page count two ways: /Type /Page objects, and the page tree's /Count; they must agree. */
function pages(pdf: Buffer): number {
  const text = pdf.toString("latin1");
  const objects = (text.match(/\/Type\s*\/Page(?![a-zA-Z])/g) ?? []).length;
  const counts = [...text.matchAll(/\/Count\s+([0-9]+)/g)].map((m) => Number(m[1]));
  expect(Math.max(0, ...counts)).toBe(objects);
  return objects;
}

describe("report.html printed by headless Chromium", () => {
  it("Chromium is installed (Debian package chromium; add it to .ci/run)", () => {
    expect(hasChromium, "apt-get install -y chromium").toBe(true);
  });

  it("prints A4 pages, more of them for more checks, within sane bounds", async () => {
    const small = await printPdf(await acceptReport("small", results(1)));
    const usual = await printPdf(await acceptReport("usual", results(allChecks.length)));
    const large = await printPdf(await acceptReport("large", results(60)));
    for (const pdf of [small, usual, large]) {
      expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
      // A4 is 595.28 x 841.89 pt; Chromium rounds to whole device pixels.
      expect(pdf.toString("latin1")).toMatch(/\/MediaBox\s*\[\s*0\s+0\s+59[45]\.\d+\s+84[12]\.\d+\s*\]/);
    }
    const [s, u, l] = [pages(small), pages(usual), pages(large)];
    // One check, five phones, the devices and the signatures: the protocol fits on two or three sheets.
    expect(s).toBeGreaterThanOrEqual(1);
    expect(s).toBeLessThanOrEqual(3);
    // Every check of agent/checks with its evidence, as a real site prints: a handful of pages.
    expect(u).toBeGreaterThan(s);
    expect(u).toBeLessThanOrEqual(8);
    // 60 checks with up to four evidence rows each: no check is split, nothing runs off the page.
    expect(l).toBeGreaterThan(u);
    expect(l).toBeLessThanOrEqual(40);
  });

  it("prints a report full of hostile text", async () => {
    const checks = hostileStrings.flatMap((s, i) => results(1, s).map((r) => ({ ...r, id: `hostile_${i}` })));
    const pdf = await printPdf(await acceptReport("hostile", checks));
    expect(pages(pdf)).toBeGreaterThanOrEqual(2);
  });
});

describe("junit.xml read by libxml2 (xmllint)", () => {
  it("xmllint is installed (Debian package libxml2-utils; add it to .ci/run)", () => {
    expect(hasXmllint, "apt-get install -y libxml2-utils").toBe(true);
  });

  const xpath = async (file: string, expr: string) => {
    const { code, output } = await run("xmllint", ["--xpath", expr, file], root);
    expect(code, output).toBe(0);
    return output.trim();
  };

  it("parses, with the structure CI systems expect", async () => {
    const file = join(await acceptReport("junit", results(8)), "junit.xml");
    const lint = await run("xmllint", ["--noout", file], root);
    expect(lint, lint.output).toEqual({ code: 0, output: "" });
    expect(await xpath(file, "count(/testsuites/testsuite)")).toBe("1");
    expect(await xpath(file, "count(//testsuite/testcase)")).toBe("8");
    expect(await xpath(file, "string(//testsuite/@failures)")).toBe("2");
    expect(await xpath(file, "count(//testcase/failure)")).toBe("2");
    expect(await xpath(file, "count(//testcase/skipped)")).toBe("2");
  });

  it.each(hostileStrings.map((s, i) => [i, JSON.stringify(s), s]))(
    "stays well-formed with hostile string %i %s",
    async (i, _label, s) => {
      const file = join(await acceptReport(`junit-hostile-${i}`, results(4, s)), "junit.xml");
      const lint = await run("xmllint", ["--noout", file], root);
      expect(lint, lint.output).toEqual({ code: 0, output: "" });
      expect(await xpath(file, "count(//testcase)")).toBe("4");
      expect(await xpath(file, "count(//failure)")).toBe("1");
      expect(await xpath(file, "count(//skipped)")).toBe("1");
      // libxml2 reads back the value itself; NUL, which XML cannot carry, is shown as \x00.
      expect(await xpath(file, "string(//failure/@message)")).toBe(s.replace("\u0000", "\\x00").trim());
    },
  );
});
