/**
 * Starting and stopping the lab: `patchkast lab` prints how to reach the devices and stops cleanly with
 * no listener left behind; a state directory keeps what a device saved (startup-config, flash, host key)
 * across runs; `file:` secrets that do not exist yet are generated.
 */
import { createSocket } from "node:dgram";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runLab } from "../../agent/cli/lab.js";
import { main } from "../../agent/main.js";
import { MemoryHostKeyStore } from "../../drivers/ios/host-keys.js";
import { IosSession } from "../../drivers/ios/session.js";
import { type Lab, labSite, startLab } from "../../lab/lab.js";
import { credentials, eventually, open, scpUpload, secrets } from "./helpers.js";

const tmp = mkdtempSync(join(tmpdir(), "patchkast-lab-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
/** A copy of the lab site in a scratch tree, so generated secrets land there, not in the checkout. */
const site = join(tmp, "configs", "sites", "lab.yaml");
mkdirSync(join(tmp, "configs", "sites"), { recursive: true });
copyFileSync(labSite, site);

function tcpRefused(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host, port });
    s.once("connect", () => {
      s.destroy();
      resolve(false);
    });
    s.once("error", (e: NodeJS.ErrnoException) => resolve(e.code === "ECONNREFUSED"));
  });
}

function udpFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createSocket("udp4");
    s.once("error", () => resolve(false));
    s.bind(port, host, () => s.close(() => resolve(true)));
  });
}

async function nothingListens(lab: Lab): Promise<void> {
  for (const d of lab.devices) {
    expect(await tcpRefused(d.host, d.sshPort)).toBe(true);
    expect(await udpFree(d.host, d.snmpPort)).toBe(true);
  }
}

describe("patchkast lab", () => {
  it("prints where the devices are, runs until stopped, and leaves no listener", async () => {
    const lines: string[] = [];
    const stop = new AbortController();
    const running = runLab(
      { site, memory: true, sshPort: "0", snmpPort: "0", timeScale: "1" },
      { out: (l) => lines.push(l), err: (l) => lines.push(l) },
      stop.signal,
    );
    await eventually(() => lines.some((l) => l.includes("Ctrl-C")), 20_000);
    const text = lines.join("\n");
    expect(text).toMatch(
      /router lab-rtr1 \(ISR4321\)\n {4}ssh -p \d+ patchkast@127\.20\.0\.1 {3}password: in .*lab\/\.state\/secrets\/router-password/,
    );
    expect(text).toMatch(/switch lab-sw1 \(WS-C2960X-24PS-L\)/);
    expect(text).toMatch(/snmpwalk -v2c -c patchkast-lab 127\.20\.0\.2:\d+ system/);
    const ports = [...text.matchAll(/ssh -p (\d+) \S+@(\S+)/g)].map((m) => ({
      host: m[2] as string,
      port: Number(m[1]),
    }));
    expect(ports).toHaveLength(2);
    stop.abort();
    expect(await running).toBe(0);
    expect(lines.at(-1)).toBe("patchkast lab: stopped");
    for (const p of ports) expect(await tcpRefused(p.host, p.port)).toBe(true);
  });

  it("refuses a time scale that is not a number above 0", async () => {
    const err: string[] = [];
    expect(
      await main(["lab", "--memory", "--time-scale", "0"], { out: () => {}, err: (l) => err.push(l) }),
    ).toBe(1);
    expect(err.join("\n")).toContain("--time-scale 0 must be a number > 0");
  });
});

describe("startLab and stop", () => {
  it("stop closes every SSH and SNMP listener", async () => {
    const lab = await startLab({ secrets, stateDir: null, sshPort: 0, snmpPort: 0 });
    (await open(lab, lab.devices[0] as Lab["devices"][number])).close();
    await lab.stop();
    await nothingListens(lab);
  });

  it("a state directory keeps the startup-config, flash and the host key between runs", async () => {
    const state = join(tmp, "state");
    const first = await startLab({ secrets, stateDir: state, sshPort: 0, snmpPort: 0 });
    const sw = first.devices[1] as Lab["devices"][number];
    const keys = new MemoryHostKeyStore();
    const s = await open(first, sw, keys);
    await s.run("configure terminal");
    await s.run("snmp-server location cabinet 3");
    await s.run("end");
    expect(await s.run("write memory")).toBe("Building configuration...\n[OK]\n");
    s.close();
    expect(
      (
        await scpUpload(
          { host: sw.host, port: sw.sshPort, ...credentials(first, sw) },
          "flash:kept.cfg",
          "x\n",
        )
      ).status,
    ).toBe(0);
    await first.stop();
    await nothingListens(first);
    const second = await startLab({ secrets, stateDir: state, sshPort: 0, snmpPort: 0 });
    const sw2 = second.devices[1] as Lab["devices"][number];
    const again = await open(second, sw2, keys);
    expect(await again.run("show running-config")).toContain("snmp-server location cabinet 3");
    expect(await again.run("dir flash:")).toContain("kept.cfg");
    again.close();
    await second.stop();
  });

  it("writes a random value into each file: secret of the site that is missing, and logs in with it", async () => {
    const lab = await startLab({ site, stateDir: null, sshPort: 0, snmpPort: 0 });
    try {
      const password = readFileSync(join(tmp, "lab", ".state", "secrets", "router-password"), "utf8").trim();
      expect(password).toMatch(/^[A-Za-z0-9]{12}$/);
      expect(readFileSync(join(tmp, "lab", ".state", "secrets", "snmp-auth"), "utf8").trim()).not.toBe(
        password,
      );
      const r = lab.devices[0] as Lab["devices"][number];
      const s = await IosSession.open(
        { name: r.name, host: r.host, port: r.sshPort, username: "patchkast", password },
        new MemoryHostKeyStore(),
      );
      expect(s.prompt.text).toBe("lab-rtr1#");
      s.close();
    } finally {
      await lab.stop();
    }
  });
});
