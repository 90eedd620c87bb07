import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { assertReportDirFree, writeReportDir } from "../../../agent/accept/write.js";
import { PatchkastError } from "../../../agent/errors.js";

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "pk-accept-write-"));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const report = (n: number) => [
  { name: "report.json", content: JSON.stringify({ kind: "patchkast-acceptance-report", n }) },
  { name: "junit.xml", content: `<testsuites n="${n}"/>` },
];

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof PatchkastError ? err.code : "not a PatchkastError";
  }
  return undefined;
}

describe("writing the report folder", () => {
  it("creates the folder with every file and leaves nothing else behind", () => {
    const dir = join(root, "sub", "acceptance-x");
    writeReportDir(dir, report(1), false);
    expect(readdirSync(dir).sort()).toEqual(["junit.xml", "report.json"]);
    expect(readFileSync(join(dir, "junit.xml"), "utf8")).toBe('<testsuites n="1"/>');
    expect(readdirSync(join(root, "sub"))).toEqual(["acceptance-x"]);
  });

  it("never overwrites an existing report without --force", () => {
    const dir = join(root, "acc");
    writeReportDir(dir, report(1), false);
    expect(codeOf(() => writeReportDir(dir, report(2), false))).toBe("PK_ERR_OUTPUT_WRITE");
    expect(codeOf(() => assertReportDirFree(dir, false))).toBe("PK_ERR_OUTPUT_WRITE");
    expect(readFileSync(join(dir, "junit.xml"), "utf8")).toBe('<testsuites n="1"/>');
  });

  it("replaces an earlier report with --force, whole", () => {
    const dir = join(root, "acc");
    writeReportDir(dir, [...report(1), { name: "report.html", content: "old" }], false);
    writeReportDir(dir, report(2), true);
    expect(readdirSync(dir).sort()).toEqual(["junit.xml", "report.json"]);
    expect(readFileSync(join(dir, "junit.xml"), "utf8")).toBe('<testsuites n="2"/>');
    expect(readdirSync(root)).toEqual(["acc"]);
  });

  it("refuses, even with --force, a folder that is not a report, and a file", () => {
    const notReport = join(root, "checkout");
    mkdirSync(notReport);
    writeFileSync(join(notReport, "package.json"), "{}");
    expect(codeOf(() => writeReportDir(notReport, report(1), true))).toBe("PK_ERR_OUTPUT_WRITE");
    expect(readdirSync(notReport)).toEqual(["package.json"]);
    const file = join(root, "a-file");
    writeFileSync(file, "x");
    expect(codeOf(() => assertReportDirFree(file, true))).toBe("PK_ERR_OUTPUT_WRITE");
  });

  it("leaves no folder and no temporary files when a write fails half-way", () => {
    const dir = join(root, "acc");
    const files = [...report(1), { name: "../escape.txt", content: "x" }];
    expect(codeOf(() => writeReportDir(dir, files, false))).toBe("PK_ERR_OUTPUT_WRITE");
    expect(readdirSync(root)).toEqual([]);
  });

  it("keeps the earlier report when a forced replacement fails", () => {
    const dir = join(root, "acc");
    writeReportDir(dir, report(1), false);
    expect(codeOf(() => writeReportDir(dir, [...report(2), { name: ".hidden", content: "" }], true))).toBe(
      "PK_ERR_OUTPUT_WRITE",
    );
    expect(readFileSync(join(dir, "junit.xml"), "utf8")).toBe('<testsuites n="1"/>');
    expect(readdirSync(root)).toEqual(["acc"]);
  });
});
