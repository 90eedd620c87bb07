import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigHistory } from "../../../agent/store/config-history.js";

describe("config history", () => {
  it("keeps every version in a git repository that plain git reads", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "pk-hist-")), "history");
    const h = new ConfigHistory(dir);
    const first = await h.record(
      "sw1",
      "hostname sw1\n!\nend\n",
      "backup before push",
      new Date("2026-11-22T10:00:00Z"),
    );
    expect(first).toMatch(/^[0-9a-f]{40}$/);
    expect(await h.record("sw1", "hostname sw1\n!\nend\n", "unchanged")).toBeUndefined();
    await h.record(
      "sw1",
      "hostname sw1\nvlan 30\n!\nend\n",
      "push: standard config",
      new Date("2026-11-22T10:05:00Z"),
    );
    await h.record("rtr1", "hostname rtr1\nend\n", "backup");
    const log = await h.log("sw1");
    expect(log.map((e) => e.message)).toEqual(["push: standard config", "backup before push"]);
    expect(await h.read("sw1", first)).toBe("hostname sw1\n!\nend\n");
    expect(await h.read("sw1")).toContain("vlan 30");

    const gitLog = spawnSync("git", ["-C", dir, "log", "--format=%s", "--", "sw1.cfg"], { encoding: "utf8" });
    expect(gitLog.stdout.trim().split("\n")).toEqual(["push: standard config", "backup before push"]);
    expect(spawnSync("git", ["-C", dir, "fsck"], { encoding: "utf8" }).status).toBe(0);
  });

  it("refuses a device name that is not a hostname", async () => {
    const h = new ConfigHistory(mkdtempSync(join(tmpdir(), "pk-hist-")));
    await expect(h.record("../etc/passwd", "x", "y")).rejects.toThrow(/not a device name/);
  });
});
