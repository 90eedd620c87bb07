/**
 * Lab phones booting against a real agent: `patchkast serve` of the lab site as its own process (as
 * test/e2e/serve.test.ts starts it) on the agent's address 127.20.0.10, the five lab phones fetching the
 * files their families ask for with their families' User-Agents from 127.20.30.x, and the agent's
 * check-ins (GET /api/v1/phones) showing each phone's model and firmware: compliant, then not after the
 * wrong-firmware fault, and compliant again once it is cleared. A phone without PoE asks for nothing.
 */

import { mkdtempSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runLab } from "../../agent/cli/lab.js";
import type { PhoneCheckIn } from "../../agent/provision/check-ins.js";
import { phoneFamilies } from "../../drivers/phones/index.js";
import { injectFault } from "../../lab/faults.js";
import { type Lab, labSite, startLab } from "../../lab/lab.js";
import { bootFileNames, bootLabPhones, phoneUserAgent } from "../../lab/phone-boot.js";
import type { SimPhone } from "../../lab/phones.js";
import { type ServeProcess, startServeProcess } from "../helpers/serve-process.js";
import { catalog, eventually, secrets } from "./helpers.js";

const agentAddress = "127.20.0.10";
let lab: Lab;
let serve: ServeProcess;
let agentUrl: string;

beforeAll(async () => {
  lab = await startLab({ secrets, stateDir: null, sshPort: 0, snmpPort: 0 });
  serve = await startServeProcess([
    labSite,
    ...["--bind", agentAddress, "--tftp-port", "0", "--http-port", "0"],
    ...["--state-dir", join(mkdtempSync(join(tmpdir(), "pk-lab-boot-")), "state"), "--placeholder-secrets"],
  ]);
  agentUrl = `http://${agentAddress}:${serve.httpPort}/`;
}, 60_000);
afterAll(async () => {
  await serve?.stop();
  await lab?.stop();
});

/** The agent's check-ins, asked from the management VLAN (the API is only open there). */
function checkIns(): Promise<PhoneCheckIn[]> {
  return new Promise((resolve, reject) => {
    const req = request(`${agentUrl}api/v1/phones`, { localAddress: agentAddress, agent: false }, (res) => {
      let body = "";
      res.on("data", (c: Buffer) => {
        body += c.toString("utf8");
      });
      res.on("end", () => {
        if (res.statusCode !== 200) reject(new Error(`GET /api/v1/phones: ${res.statusCode} ${body}`));
        else resolve((JSON.parse(body) as { phones: PhoneCheckIn[] }).phones);
      });
    });
    req.on("error", reject);
    req.end();
  });
}

const hex = (p: SimPhone) => p.mac.replace(/:/g, "");

describe("User-Agents of the lab phones", () => {
  it("are read back by the family drivers as the catalog's model, the firmware and the MAC", () => {
    for (const model of catalog.phones.filter((m) => m.autoprovisioning && m.family !== null)) {
      const phone = {
        mac: "00:15:65:ab:cd:ef",
        brand: model.brand,
        model: model.model,
        family: model.family,
        firmware: (model.firmware ?? "1.0").replace(/\.rom$/, ""),
      } as SimPhone;
      const ua = phoneUserAgent(phone);
      const family = phoneFamilies.find((f) => f.id === model.family);
      const info = family?.parseUserAgent(ua);
      // Panasonic phones leave the regional suffix (NE, CE) out of their User-Agent (provisioning.md §2.5).
      const reported = model.family === "panasonic" ? model.model.replace(/(NE|CE)$/, "") : model.model;
      expect.soft(info?.model, `${model.id}: ${ua}`).toBe(reported);
      expect(info?.firmware.startsWith(phone.firmware.replace(/^v/, "").replace(/[a-z]$/, "")), ua).toBe(
        true,
      );
      if (info?.mac !== undefined) expect(info.mac).toBe("001565abcdef");
      // Only Polycom's User-Agent carries no MAC (provisioning.md §0 item 7).
      if (model.family !== "polycom") expect(info?.mac, ua).toBe("001565abcdef");
    }
  });

  it("name model, firmware and MAC in each family's own shape", () => {
    const [t22, , , , spa] = lab.phones as [SimPhone, SimPhone, SimPhone, SimPhone, SimPhone];
    expect(phoneUserAgent(t22)).toBe("Yealink SIP-T22P 7.61.115.7 00:15:65:1a:b0:01");
    expect(phoneUserAgent(spa)).toMatch(/^Cisco\/SPA504G-7\.4\.9a \(0022901AB005\)\(CBT[0-9A-F]{8}\)$/);
  });
});

describe("booting against the agent", () => {
  it("asks for the family's files in order and every one is served", async () => {
    expect(lab.phones.map((p) => bootFileNames(lab.site, p, catalog))).toEqual([
      ["y000000000005.cfg", "0015651ab001.cfg"],
      ["y000000000000.cfg", "0015651ab002.cfg"],
      ["y000000000032.cfg", "0015651ab003.cfg"],
      ["y000000000005.cfg", "0015651ab004.cfg"],
      ["spa504G.cfg", "0022901ab005.xml"],
    ]);
    const boots = await bootLabPhones(lab, { agentUrl, catalog });
    for (const b of boots) {
      expect(b.ok, JSON.stringify(b)).toBe(true);
      for (const f of b.fetched) expect(f.bytes).toBeGreaterThan(100);
    }
  });

  it("the agent's check-ins show each phone's model and firmware, compliant", async () => {
    const seen = await checkIns();
    for (const [i, phone] of lab.phones.entries()) {
      const c = seen.find((x) => x.mac === hex(phone));
      expect(c, phone.mac).toMatchObject({
        extension: phone.extension,
        reportedModel: phone.model,
        reportedFirmware: phone.firmware,
        firmwareCompliant: true,
        address: `127.20.30.${11 + i}`,
        filesServed: 2,
      });
    }
  });

  it("after the wrong-firmware fault that phone is non-compliant; after clearing it is compliant again", async () => {
    const fault = await injectFault(lab, "wrong-firmware", { phone: "201" });
    const phone = lab.phones.find((p) => p.extension === "201") as SimPhone;
    expect(phone.firmware).toBe("2.61.115.6");
    await bootLabPhones(lab, { agentUrl, catalog });
    let seen = await checkIns();
    expect(seen.find((c) => c.mac === hex(phone))).toMatchObject({
      reportedFirmware: "2.61.115.6",
      expectedFirmware: "2.61.115.7.rom",
      firmwareCompliant: false,
    });
    expect(seen.filter((c) => c.firmwareCompliant === true)).toHaveLength(4);
    await fault.clear();
    await bootLabPhones(lab, { agentUrl, catalog });
    seen = await checkIns();
    expect(seen.every((c) => c.firmwareCompliant === true)).toBe(true);
  });

  it("a phone whose port gives no PoE does not boot", async () => {
    const fault = await injectFault(lab, "poe-off", { phone: "203" });
    try {
      const boots = await bootLabPhones(lab, { agentUrl, catalog });
      const dark = boots.find((b) => b.extension === "203");
      expect(dark).toMatchObject({ powered: false, ok: false, fetched: [] });
      expect(boots.filter((b) => b.ok)).toHaveLength(4);
    } finally {
      await fault.clear();
    }
  });
});

describe("patchkast lab --boot-phones", () => {
  it("boots the phones against the agent once the lab is up and says what each got", async () => {
    const lines: string[] = [];
    const stop = new AbortController();
    const running = runLab(
      { site: labSite, memory: true, sshPort: "0", snmpPort: "0", timeScale: "1", bootPhones: agentUrl },
      { out: (l) => lines.push(l), err: (l) => lines.push(l) },
      stop.signal,
    );
    await eventually(() => lines.filter((l) => l.startsWith("  phone ")).length === 5, 30_000);
    stop.abort();
    expect(await running).toBe(0);
    const text = lines.join("\n");
    expect(text).toMatch(/ {2}sip {4}proxy 127\.20\.0\.5:\d+ udp\+tcp/);
    expect(text).toContain(
      "  phone 200 (00:15:65:1a:b0:01) from 127.20.30.11: y000000000005.cfg 200, 0015651ab001.cfg 200",
    );
    expect(text).toContain(
      "  phone 204 (00:22:90:1a:b0:05) from 127.20.30.15: spa504G.cfg 200, 0022901ab005.xml 200",
    );
  }, 60_000);

  it("refuses an agent URL that is not http://", async () => {
    await expect(
      runLab(
        { site: labSite, memory: true, sshPort: "0", snmpPort: "0", timeScale: "1", bootPhones: "tftp://x/" },
        { out: () => {}, err: () => {} },
      ),
    ).rejects.toMatchObject({ code: "PK_ERR_USAGE" });
  });
});
