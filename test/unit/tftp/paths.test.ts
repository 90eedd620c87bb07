import { describe, expect, it } from "vitest";
import { maxPathLength, sanitiseRequestPath } from "../../../agent/serve/tftp/paths.js";

/**
 * Traversal and escape attempts, from the classic ../ family to encodings that only become
 * dangerous if something downstream decodes them. Every one must be refused.
 */
const traversalCorpus: readonly string[] = [
  "..",
  "../",
  "../etc/passwd",
  "../../etc/passwd",
  "../../../../../../../../etc/shadow",
  "/../etc/passwd",
  "/..",
  "//etc/passwd",
  "///etc/passwd",
  "/etc/../../passwd",
  "a/../../etc/passwd",
  "a/b/../../../etc/passwd",
  "firmware/../../secret",
  "./../etc/passwd",
  ".",
  "./",
  "./a",
  "a/./b",
  "a/.",
  "a/..",
  "...",
  "..../etc",
  "a/.../b",
  "a//b",
  "a/",
  "/",
  "",
  "..\\..\\windows\\win.ini",
  "\\etc\\passwd",
  "a\\..\\b",
  "..\\",
  "C:\\boot.ini",
  "C:/boot.ini",
  "c:",
  "file.cfg::$DATA",
  "%2e%2e/etc/passwd",
  "%2E%2E%2Fetc%2Fpasswd",
  "..%2fetc%2fpasswd",
  "%2e%2e%5cwindows",
  "%252e%252e/etc/passwd",
  "%c0%ae%c0%ae/etc/passwd",
  "%c0%af",
  "..%c0%afetc",
  "%00",
  "a.cfg%00.xml",
  "..%00/etc",
  "a\u0000b",
  "../etc/passwd\u0000.cfg",
  "a\nb",
  "a\rb",
  "a\tb",
  "\u001b[31mred",
  "a\u007fb",
  "\u2025/etc/passwd",
  "\uff0e\uff0e/etc/passwd",
  "caf\u00e9.cfg",
  "\u202e.cfg",
  "/\u0000",
  "x".repeat(256),
  `${"a/".repeat(127)}ab`,
];

const phoneRequests: ReadonlyArray<[string, string]> = [
  ["SEP001122334455.cnf.xml", "SEP001122334455.cnf.xml"],
  ["/SEP001122334455.cnf.xml", "SEP001122334455.cnf.xml"],
  ["/ITLSEP001122334455.tlv", "ITLSEP001122334455.tlv"],
  ["y000000000028.cfg", "y000000000028.cfg"],
  ["0004f2abcdef-phone.cfg", "0004f2abcdef-phone.cfg"],
  ["spa001122334455.xml", "spa001122334455.xml"],
  ["firmware/sip.ld", "firmware/sip.ld"],
  ["/firmware/T46U-108.86.0.45.rom", "firmware/T46U-108.86.0.45.rom"],
  [".hidden.cfg", ".hidden.cfg"],
  ["a..b.cfg", "a..b.cfg"],
  ["100%.cfg", "100%.cfg"],
  ["%zz.cfg", "%zz.cfg"],
  ["name with space.cfg", "name with space.cfg"],
];

describe("sanitiseRequestPath", () => {
  it(`has a traversal corpus of at least 50 attempts (${traversalCorpus.length})`, () => {
    expect(traversalCorpus.length).toBeGreaterThanOrEqual(50);
    expect(new Set(traversalCorpus).size).toBe(traversalCorpus.length);
  });

  it.each(traversalCorpus.map((p) => [JSON.stringify(p).slice(0, 60), p]))("refuses %s", (_label, path) => {
    const result = sanitiseRequestPath(path);
    expect(result.ok).toBe(false);
  });

  it.each(phoneRequests)("serves %j as %j", (requested, expected) => {
    expect(sanitiseRequestPath(requested)).toEqual({ ok: true, path: expected });
  });

  it("strips exactly one leading slash", () => {
    expect(sanitiseRequestPath("/a.cfg")).toEqual({ ok: true, path: "a.cfg" });
    expect(sanitiseRequestPath("//a.cfg")).toEqual({ ok: false, reason: "absolute path" });
  });

  it(`accepts ${maxPathLength} characters and refuses ${maxPathLength + 1}`, () => {
    expect(sanitiseRequestPath("a".repeat(maxPathLength)).ok).toBe(true);
    expect(sanitiseRequestPath(`/${"a".repeat(maxPathLength - 1)}`).ok).toBe(true);
    expect(sanitiseRequestPath("a".repeat(maxPathLength + 1))).toEqual({
      ok: false,
      reason: "path longer than 255 characters",
    });
  });

  it("says why it refused", () => {
    expect(sanitiseRequestPath("../x")).toEqual({ ok: false, reason: '".." segment in path' });
    expect(sanitiseRequestPath("a\\b")).toEqual({ ok: false, reason: "backslash in path" });
    expect(sanitiseRequestPath("%2e%2e")).toMatchObject({ reason: expect.stringMatching(/percent-encoded/) });
    expect(sanitiseRequestPath("a\u0000")).toEqual({ ok: false, reason: "NUL in path" });
    expect(sanitiseRequestPath("a\u0007")).toEqual({ ok: false, reason: "control character 0x07 in path" });
  });
});
