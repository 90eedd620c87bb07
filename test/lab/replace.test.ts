/**
 * Safe replace as DESIGN.md "Device push safety" relies on it: `configure replace … revert trigger error
 * timer N` with `configure confirm`, the timer restoring the old config when the session that started
 * the replace is gone, automatic rollback of a candidate IOS refuses, and the archive that keeps the
 * versions. The lab runs 60 device minutes per real minute, so a 1-minute timer expires after 1 s.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseIos } from "../../drivers/ios/parse/index.js";
import type { ShowArchive } from "../../drivers/ios/parse/show-archive.js";
import type { ShowArchiveConfigDifferences } from "../../drivers/ios/parse/show-archive-config-differences.js";
import { diffConfig, parseShowRunningConfig } from "../../drivers/ios/parse/show-running-config.js";
import { type Lab, type LabDevice, startLab } from "../../lab/lab.js";
import { credentials, eventually, open, rendered, scpUpload, secrets } from "./helpers.js";

let lab: Lab;
let router: LabDevice;
let sw: LabDevice;
beforeAll(async () => {
  lab = await startLab({ secrets, stateDir: null, sshPort: 0, snmpPort: 0, timeScale: 60 });
  [router, sw] = lab.devices as [LabDevice, LabDevice];
});
afterAll(() => lab?.stop());

const upload = async (d: LabDevice, file: string, text: string) =>
  expect(
    (await scpUpload({ host: d.host, port: d.sshPort, ...credentials(lab, d) }, `flash:${file}`, text))
      .status,
  ).toBe(0);
const nodes = (text: string) => parseShowRunningConfig(text).nodes;

describe("configure replace with a revert timer", () => {
  it("configure confirm keeps the new configuration after the timer would have run out", async () => {
    await upload(router, "candidate.cfg", rendered(lab.site, router.name));
    const s = await open(lab, router);
    const out = await s.run("configure replace flash:candidate.cfg force revert trigger error timer 1");
    expect(out).toMatch(
      /^Rollback Confirmed Change: Backing up current running config to flash:archive\/lab-rtr1--1$/m,
    );
    expect(out).toMatch(/Total number of passes: 1\nRollback Done/);
    const timer = await s.run("show archive config rollback timer");
    expect(timer).toMatch(
      /^Time configured\(or reconfigured\): .+\nTimer type: absolute timer\nTimer value: 1 min\nUser: patchkast\n$/,
    );
    expect(await s.run("configure confirm")).toBe("");
    await new Promise((r) => setTimeout(r, 1500));
    expect(await s.run("show archive config rollback timer")).toBe("%No Rollback Confirmed Change pending\n");
    expect(await s.run("configure confirm")).toBe("%No Rollback Confirmed Change pending\n");
    expect(await s.run("show running-config")).toContain("ip dhcp pool VOICE");
    s.close();
  });

  it("a session cut before confirm: the timer restores the configuration from before the replace", async () => {
    const before = await open(lab, sw);
    const old = await before.run("show running-config");
    before.close();
    await upload(sw, "candidate.cfg", rendered(lab.site, sw.name));
    const s = await open(lab, sw);
    expect(await s.run("configure replace flash:candidate.cfg force revert trigger error timer 1")).toMatch(
      /Rollback Done/,
    );
    expect(await s.run("show running-config")).toContain("network-policy profile 10");
    sw.dropSessions();
    await expect(s.run("show clock")).rejects.toThrow(/closed/);
    await eventually(() => !sw.device.configText().includes("network-policy profile 10"), 5000);
    const again = await open(lab, sw);
    const now = await again.run("show running-config");
    expect(diffConfig(nodes(old), nodes(now))).toEqual([]);
    expect(await again.run("show archive config rollback timer")).toBe(
      "%No Rollback Confirmed Change pending\n",
    );
    const archive = parseIos("show archive", await again.run("show archive")) as ShowArchive;
    expect(archive.archives.map((a) => a.filename)).toEqual(["flash:archive/lab-sw1--1"]);
    // The archived copy is the configuration the device went back to.
    const diff = parseIos(
      "show archive config differences",
      await again.run("show archive config differences flash:archive/lab-sw1--1 system:running-config"),
    ) as ShowArchiveConfigDifferences;
    expect(diff).toEqual({ changed: false, entries: [] });
    again.close();
  });

  it("configure revert now goes back at once; configure revert timer restarts the timer", async () => {
    const s = await open(lab, sw);
    expect(await s.run("configure replace flash:candidate.cfg force revert trigger error timer 1")).toMatch(
      /Rollback Done/,
    );
    expect(await s.run("configure revert timer 120")).toBe("");
    expect(await s.run("show archive config rollback timer")).toMatch(/Timer value: 120 min/);
    expect(await s.run("configure revert now")).toBe("");
    expect(await s.run("show running-config")).not.toContain("network-policy profile 10");
    expect((parseIos("show archive", await s.run("show archive")) as ShowArchive).mostRecent).toBe(
      "flash:archive/lab-sw1--2",
    );
    s.close();
  });
});

describe("a candidate IOS refuses", () => {
  const broken = () =>
    rendered(lab.site, sw.name).replace(
      " switchport mode access\n",
      " swithport mode access\n switchport mode access\n",
    );

  it("with revert trigger error: the first refused line, then the original is restored", async () => {
    await upload(sw, "broken.cfg", broken());
    const s = await open(lab, sw);
    const old = await s.run("show running-config");
    const out = await s.run("configure replace flash:broken.cfg force revert trigger error");
    expect(out).toContain("Failed to apply command swithport mode access\nAborting Rollback.");
    expect(out).toMatch(/Reverting back to the original configuration: flash:archive\/lab-sw1--\d+ \.\.\./);
    expect(out).toContain("The original configuration has been successfully restored.");
    expect(diffConfig(nodes(old), nodes(await s.run("show running-config")))).toEqual([]);
    s.close();
  });

  it("without it: the refused lines are listed and the rest stays applied (merge semantics)", async () => {
    const s = await open(lab, sw);
    const out = await s.run("configure replace flash:broken.cfg force");
    expect(out).toContain(
      "Rollback aborted after 5 passes\nThe following commands are failed to apply to the IOS image.",
    );
    expect(out).toContain("********\nswithport mode access\n********");
    expect(await s.run("show running-config")).toContain("network-policy profile 10");
    s.close();
  });

  it("a file without version and end is not a configuration; revert needs the archive", async () => {
    await upload(router, "partial.cfg", "hostname partial\n");
    const s = await open(lab, router);
    expect(await s.run("configure replace flash:partial.cfg force")).toBe(
      "%The input file is not a valid config file.\n",
    );
    expect(await s.run("configure replace flash:nothere.cfg force")).toBe(
      "%Error opening flash:nothere.cfg (No such file or directory)\n",
    );
    await s.run("configure terminal");
    await s.run("no archive");
    await s.run("end");
    expect(await s.run("configure replace flash:candidate.cfg force revert trigger error timer 1")).toBe(
      "%Please turn config archive on before using Rollback Confirmed Change\n",
    );
    expect(await s.run("show archive")).toBe(" Archive feature not enabled\n");
    s.close();
  });
});
