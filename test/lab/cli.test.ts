/**
 * The lab's SSH front door, as the agent's IOS driver meets it: logins checked against the running-config
 * (password and keyboard-interactive), user EXEC and `enable`, the `--More--` pager, SCP only with
 * `ip scp server enable` and privilege 15, and a one-shot `exec` that closes the connection.
 */
import { Client } from "ssh2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemoryHostKeyStore } from "../../drivers/ios/host-keys.js";
import { IosSession } from "../../drivers/ios/session.js";
import { type Lab, type LabDevice, startLab } from "../../lab/lab.js";
import { credentials, open, rawShell, scpUpload, secrets } from "./helpers.js";

let lab: Lab;
let router: LabDevice;
let sw: LabDevice;
beforeAll(async () => {
  lab = await startLab({ secrets, stateDir: null, sshPort: 0, snmpPort: 0 });
  [router, sw] = lab.devices as [LabDevice, LabDevice];
});
afterAll(() => lab?.stop());

const target = (d: LabDevice) => ({ host: d.host, port: d.sshPort, ...credentials(lab, d) });

describe("logins", () => {
  it("a wrong password is refused; keyboard-interactive works like password", async () => {
    await expect(
      IosSession.open(
        {
          name: "r",
          host: router.host,
          port: router.sshPort,
          username: "patchkast",
          password: "nope",
          connectTimeoutMs: 3000,
        },
        new MemoryHostKeyStore(),
      ),
    ).rejects.toMatchObject({ code: "PK_ERR_IOS_AUTH" });
    const c = new Client();
    const ready = new Promise<void>((resolve, reject) => {
      c.on("ready", () => resolve());
      c.on("error", reject);
    });
    c.on("keyboard-interactive", (_n, _i, _l, prompts, finish) => {
      expect(prompts[0]?.prompt).toBe("Password: ");
      finish([credentials(lab, router).password]);
    });
    c.connect({
      host: router.host,
      port: router.sshPort,
      username: "patchkast",
      tryKeyboard: true,
      authHandler: ["keyboard-interactive"],
    });
    await ready;
    c.end();
  });

  it("the server says it is Cisco-1.25, and its host key stays the same (TOFU pinning)", async () => {
    const keys = new MemoryHostKeyStore();
    (await open(lab, router, keys)).close();
    (await open(lab, router, keys)).close();
    expect(keys.keys.size).toBe(1);
    const ident = await new Promise<string>((resolve, reject) => {
      const c = new Client();
      c.on("handshake", () => resolve((c as unknown as { _remoteVer?: string })._remoteVer ?? ""));
      c.on("error", reject);
      c.connect({ host: router.host, port: router.sshPort, username: "x", password: "y" });
      setTimeout(() => c.end(), 500);
    });
    expect(ident).toMatch(/Cisco-1\.25/);
  });

  it("without aaa authorization exec the login lands in user EXEC; enable asks for the enable secret", async () => {
    const admin = await open(lab, router);
    await admin.run("configure terminal");
    await admin.run("no aaa authorization exec default local");
    await admin.run("end");
    admin.close();
    const shell = await rawShell(target(router));
    expect(shell.transcript()).toMatch(/\nlab-rtr1>$/);
    expect(await shell.run("show running-config")).toContain("% Invalid input detected at '^' marker.");
    const password = /Password: $/;
    expect(await shell.run("enable", password)).toBe("enable\nPassword: ");
    for (let i = 0; i < 2; i++) expect(await shell.run("wrong", password)).toBe("\nPassword: ");
    expect(await shell.run("wrong")).toBe("\n% Bad secrets\n\nlab-rtr1>");
    shell.close();
    // The agent's driver does the same dance with the right secret.
    const s = await open(lab, router);
    expect(s.prompt.text).toBe("lab-rtr1#");
    await s.run("configure terminal");
    await s.run("aaa authorization exec default local");
    await s.run("end");
    s.close();
  });
});

describe("the terminal", () => {
  it("pages with --More-- until terminal length 0; the driver's output is the same either way", async () => {
    const shell = await rawShell(target(sw));
    const paged = await shell.run("show running-config", / --More-- $/);
    // The echoed command, then 23 lines (terminal length 24 less the pager line), then the pager prompt.
    expect(paged.split("\n").length).toBe(25);
    expect(await shell.run("q", /lab-sw1#$/)).toMatch(/^[\x08 ]+lab-sw1#/);
    shell.close();
    const s = await open(lab, sw);
    const flat = await s.run("show running-config");
    await s.run("terminal length 24");
    expect(await s.run("show running-config")).toBe(flat);
    s.close();
  });

  it("exec runs one command and closes the connection, as IOS does (ssh2 #284)", async () => {
    const out = await new Promise<{ text: string; closed: boolean }>((resolve, reject) => {
      const c = new Client();
      let text = "";
      c.on("ready", () =>
        c.exec("show version", (err, ch) => {
          if (err) return reject(err);
          ch.on("data", (d: Buffer) => {
            text += d.toString();
          });
        }),
      );
      c.on("close", () => resolve({ text, closed: true }));
      c.on("error", reject);
      c.connect({
        host: sw.host,
        port: sw.sshPort,
        username: "patchkast",
        password: credentials(lab, sw).password,
      });
    });
    expect(out.text).toMatch(/^Cisco IOS Software, C2960X Software/);
    expect(out.closed).toBe(true);
  });

  it("output modifiers: include and section", async () => {
    const s = await open(lab, sw);
    expect(await s.run("show running-config | include ^hostname")).toBe("hostname lab-sw1\n");
    expect(await s.run("show run | section archive")).toBe("archive\n path flash:archive/$h-\n maximum 14\n");
    s.close();
  });
});

describe("copy", () => {
  it("asks for the destination unless file prompt quiet is configured; copy to running-config merges", async () => {
    const shell = await rawShell(target(sw));
    await shell.run("terminal length 0");
    expect(await shell.run("copy running-config flash:backup.cfg", /\? $/)).toMatch(
      /Destination filename \[backup\.cfg\]\? $/,
    );
    expect(await shell.run("")).toMatch(/^\n\d+ bytes copied in [\d.]+ secs \(\d+ bytes\/sec\)\nlab-sw1#$/);
    expect(await shell.run("copy running-config flash:backup.cfg", /\? $/)).toContain("Destination filename");
    expect(await shell.run("", /\[confirm\]$/)).toContain("Do you want to over write? [confirm]");
    expect(await shell.run("")).toMatch(/bytes copied/);
    shell.close();
    const s = await open(lab, sw);
    await s.run("configure terminal");
    await s.run("file prompt quiet");
    await s.run("end");
    expect(await s.run("copy running-config flash:quiet.cfg")).toMatch(/^\d+ bytes copied/);
    await scpUpload(
      target(sw),
      "flash:merge.cfg",
      "interface GigabitEthernet1/0/20\n description merged\n typo here\nend\n",
    );
    const merged = await s.run("copy flash:merge.cfg running-config");
    expect(merged).toContain("typo here\n ^\n% Invalid input detected at '^' marker.");
    expect(await s.run("show running-config interface Gi1/0/20")).toContain(
      "interface GigabitEthernet1/0/20\n description merged\n",
    );
    s.close();
  });
});

describe("SCP", () => {
  it("needs ip scp server enable", async () => {
    const s = await open(lab, sw);
    await s.run("configure terminal");
    await s.run("no ip scp server enable");
    await s.run("end");
    const refused = await scpUpload(target(sw), "flash:x.cfg", "hostname x\n");
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain("scp: SCP server is not enabled");
    await s.run("configure terminal");
    await s.run("ip scp server enable");
    await s.run("end");
    expect((await scpUpload(target(sw), "flash:x.cfg", "hostname x\n")).status).toBe(0);
    expect(await s.run("more flash:x.cfg")).toBe("hostname x\n");
    s.close();
  });
});
