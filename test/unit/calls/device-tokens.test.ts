import { createHmac } from "node:crypto";
import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import {
  deviceTokenLength,
  EventKey,
  eventKeyFileName,
  loadOrCreateEventKey,
} from "../../../agent/calls/device-tokens.js";

const fakeHex = "0123456789abcdef".repeat(4);

describe("device tokens", () => {
  it("are HMAC-SHA256 of the MAC under the site key, hex, truncated, whatever the MAC's spelling", () => {
    const key = EventKey.fromHex(fakeHex);
    const expected = createHmac("sha256", Buffer.from(fakeHex, "hex"))
      .update("patchkast call events v1 0015656b2001")
      .digest("hex")
      .slice(0, deviceTokenLength);
    expect(key.tokenFor("0015656b2001")).toBe(expected);
    expect(key.tokenFor("00:15:65:6B:20:01")).toBe(expected);
    expect(key.tokens()("00-15-65-6b-20-01")).toBe(expected);
    expect(expected).toMatch(/^[0-9a-f]{24}$/);
  });

  it("differ per MAC and per key", () => {
    const a = EventKey.fromHex(fakeHex);
    const b = EventKey.fromHex("fedcba9876543210".repeat(4));
    expect(a.tokenFor("0015656b2001")).not.toBe(a.tokenFor("0015656b2002"));
    expect(a.tokenFor("0015656b2001")).not.toBe(b.tokenFor("0015656b2001"));
  });

  it("refuse a key that is not 64 hex digits and a MAC that is not a MAC, without echoing either", () => {
    expect(() => EventKey.fromHex("abc")).toThrow(/64 hex digits/);
    expect(() => EventKey.fromHex(`${fakeHex.slice(1)}g`)).toThrow(/64 hex digits/);
    expect(() => EventKey.fromHex(fakeHex).tokenFor("0015")).toThrow(/not a MAC/);
  });

  it("never print the key", () => {
    const key = EventKey.fromHex(fakeHex);
    const shown = [String(key), JSON.stringify({ key }), inspect(key), inspect({ key }, { depth: 5 })].join(
      " ",
    );
    expect(shown).not.toContain(fakeHex);
    expect(shown).not.toContain(fakeHex.slice(0, 16));
  });
});

describe("the key file", () => {
  it("is created 0600 on first start and read back unchanged afterwards", () => {
    const dir = join(mkdtempSync(join(tmpdir(), "pk-key-")), "state");
    const first = loadOrCreateEventKey(dir);
    const file = join(dir, eventKeyFileName);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, "utf8")).toMatch(/^[0-9a-f]{64}\n$/);
    const again = loadOrCreateEventKey(dir);
    expect(again.tokenFor("0015656b2001")).toBe(first.tokenFor("0015656b2001"));
  });

  it("two state directories get two keys", () => {
    const a = loadOrCreateEventKey(mkdtempSync(join(tmpdir(), "pk-key-")));
    const b = loadOrCreateEventKey(mkdtempSync(join(tmpdir(), "pk-key-")));
    expect(a.tokenFor("0015656b2001")).not.toBe(b.tokenFor("0015656b2001"));
  });

  it("is refused when others can read it, or when it is not a key, naming the file but not the content", () => {
    const dir = mkdtempSync(join(tmpdir(), "pk-key-"));
    const file = join(dir, eventKeyFileName);
    writeFileSync(file, `${fakeHex}\n`, { mode: 0o644 });
    chmodSync(file, 0o644);
    let err: unknown;
    try {
      loadOrCreateEventKey(dir);
    } catch (e) {
      err = e;
    }
    expect((err as { code?: string }).code).toBe("PK_ERR_SECRET_UNRESOLVED");
    expect((err as Error).message).toContain(file);
    expect((err as Error).message).toMatch(/chmod 600/);
    expect((err as Error).message).not.toContain(fakeHex);

    writeFileSync(file, "hunter2-not-a-key\n");
    chmodSync(file, 0o600);
    expect(() => loadOrCreateEventKey(dir)).toThrow(/not 64 hex digits/);
    try {
      loadOrCreateEventKey(dir);
    } catch (e) {
      expect((e as Error).message).not.toContain("hunter2");
    }
  });
});
