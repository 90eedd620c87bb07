/**
 * The engineer's commands against the lab: `patchkast push`, `diff` and `backup` (the CLI functions, with
 * the site file pointing at the lab's ports), then a manual change that `diff` reports exactly.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { runBackup, runDiff, runPush } from "../../agent/cli/devices.js";
import { type Lab, labSite, startLab } from "../../lab/lab.js";
import { open, secrets } from "../lab/helpers.js";

let lab: Lab;
const work = mkdtempSync(join(tmpdir(), "pk-cli-lab-"));
const siteFile = join(work, "lab.yaml");
const stateDir = join(work, "state");
const captured = () => {
  const lines: string[] = [];
  return { lines, io: { out: (l: string) => lines.push(l), err: (l: string) => lines.push(`ERR ${l}`) } };
};

beforeAll(async () => {
  lab = await startLab({ secrets, stateDir: null, sshPort: 0, snmpPort: 0, timeScale: 60 });
  const doc = parse(readFileSync(labSite, "utf8")) as Record<
    string,
    Record<string, unknown> & { name: string }[]
  >;
  const ports = (name: string) => {
    const d = lab.devices.find((x) => x.name === name);
    return { ssh_port: d?.sshPort, snmp_port: d?.snmpPort };
  };
  const router = doc.router as unknown as Record<string, unknown> & { name: string };
  Object.assign(router, ports(router.name));
  for (const sw of doc.switches as unknown as (Record<string, unknown> & { name: string })[])
    Object.assign(sw, ports(sw.name));
  writeFileSync(siteFile, stringify(doc));
});
afterAll(async () => lab?.stop());

const opts = { stateDir, placeholderSecrets: true };

describe("patchkast push, diff and backup against the lab", () => {
  it("push shows progress for every device and applies; diff then finds no drift", async () => {
    const push = captured();
    expect(await runPush(siteFile, { ...opts, revertMinutes: "1" }, push.io)).toBe(0);
    for (const d of lab.devices) {
      expect(push.lines).toContain(`  ${d.name}: confirm`);
      expect(push.lines.some((l) => l.startsWith(`${d.name}: applied`))).toBe(true);
    }
    const diff = captured();
    expect(await runDiff(siteFile, opts, diff.io)).toBe(0);
    expect(diff.lines.filter((l) => l.endsWith(": no drift"))).toHaveLength(lab.devices.length);
  }, 120_000);

  it("diff shows exactly the lines of a manual change, and backup records it in the history", async () => {
    const sw = lab.devices.find((d) => d.role === "switch");
    if (!sw) throw new Error("no switch");
    const s = await open(lab, sw);
    try {
      await s.run("configure terminal");
      await s.run("interface GigabitEthernet1/0/3");
      await s.run("description moved by hand");
      await s.run("end");
    } finally {
      s.close();
    }
    const diff = captured();
    expect(await runDiff(siteFile, { ...opts, device: [sw.name] }, diff.io)).toBe(1);
    // The port had the standard description of its phone; the hand-made one replaced it.
    expect(diff.lines.join("\n")).toMatch(
      new RegExp(
        `^${sw.name}: 2 line\\(s\\) differ from the standard config\n  - interface GigabitEthernet1/0/3\n      description phone .+\n  \\+ interface GigabitEthernet1/0/3\n      description moved by hand$`,
      ),
    );
    const backup = captured();
    expect(await runBackup(siteFile, { ...opts, device: [sw.name] }, backup.io)).toBe(0);
    expect(backup.lines[0]).toMatch(new RegExp(`^${sw.name}: saved as [0-9a-f]{12}$`));
  }, 60_000);
});
