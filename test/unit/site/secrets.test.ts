import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import {
  EnvFileSecretResolver,
  PlaceholderSecretResolver,
  parseSecretRef,
  Secret,
} from "../../../agent/site/secrets.js";

describe("secrets", () => {
  it("never print their value", () => {
    const s = new Secret("hunter2", "env:X");
    expect(String(s)).toBe("<secret>");
    expect(JSON.stringify({ s })).toBe('{"s":"<secret>"}');
    expect(inspect(s)).not.toContain("hunter2");
    expect(`${s}`).not.toContain("hunter2");
    expect(s.reveal()).toBe("hunter2");
  });

  it("parse only env: and file: references", () => {
    expect(parseSecretRef("env:SIP_201")).toEqual({ kind: "env", name: "SIP_201", ref: "env:SIP_201" });
    expect(parseSecretRef("file:secrets/a")).toMatchObject({ kind: "file", path: "secrets/a" });
    expect(parseSecretRef("hunter2")).toBeUndefined();
    expect(parseSecretRef("env:1BAD")).toBeUndefined();
    expect(parseSecretRef("file:")).toBeUndefined();
  });

  it("resolve from the environment and from files relative to the site, with clear errors", () => {
    const dir = mkdtempSync(join(tmpdir(), "pk-secrets-"));
    writeFileSync(join(dir, "pw"), "s3cret\n");
    const r = new EnvFileSecretResolver(dir, { SIP_201: "from-env" });
    expect(r.resolve("env:SIP_201", "x").reveal()).toBe("from-env");
    expect(r.resolve("file:pw", "x").reveal()).toBe("s3cret");
    expect(() => r.resolve("env:MISSING", "SIP password of 201")).toThrow(
      /SIP password of 201: environment variable MISSING is not set/,
    );
    expect(() => r.resolve("file:nope", "admin password")).toThrow(
      /admin password: cannot read file:nope \(ENOENT\)/,
    );
  });

  it("placeholders are deterministic and carry no real value", () => {
    const p = new PlaceholderSecretResolver();
    expect(p.resolve("env:SIP_201").reveal()).toMatch(/^9[0-9]{8}$/);
    expect(p.resolve("env:SIP_201").reveal()).toBe(p.resolve("env:SIP_201").reveal());
    expect(p.resolve("env:SIP_201").reveal()).not.toBe(p.resolve("env:SIP_202").reveal());
  });
});
