import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { FirmwareStore } from "../../../agent/provision/firmware-store.js";
import { normaliseMac } from "../../../agent/render/view-model.js";
import { buildHttpApp } from "../../../agent/serve/http/app.js";
import { catalog } from "../../helpers/family-harness.js";
import { userAgentFor } from "../../helpers/phone-user-agents.js";
import { fibreSite, provisioningFor, sipPasswords } from "../../helpers/provisioning-fixture.js";
import { traversalCorpus } from "../../helpers/traversal-corpus.js";

const voice = "10.60.20.57";
const firmwareDir = mkdtempSync(join(tmpdir(), "pk-fw-"));
const image = randomBytes(3 * 1024 * 1024 + 17);
writeFileSync(join(firmwareDir, "yealink-7.61.115.7.rom"), image);
writeFileSync(join(firmwareDir, "corrupt.rom"), Buffer.from("not what the sum says"));
writeFileSync(
  join(firmwareDir, "SHA256SUMS"),
  `${createHash("sha256").update(image).digest("hex")}  yealink-7.61.115.7.rom\n${"0".repeat(64)}  corrupt.rom\n${"1".repeat(64)}  ../outside.rom\n`,
);
const firmware = await FirmwareStore.load(firmwareDir);
const stateDir = mkdtempSync(join(tmpdir(), "pk-state-"));

const site = {
  ...fibreSite,
  provisioning: { ...fibreSite.provisioning, polycom_uploads: "accept" as const, upload_limit_bytes: 4096 },
};
const p = provisioningFor(site, { firmware, stateDir });
const app = buildHttpApp({ provisioning: p.service, uploads: p.uploads, protocol: "http" });
afterAll(() => app.close());

const get = (url: string, opts: { from?: string; ua?: string; headers?: Record<string, string> } = {}) =>
  app.inject({
    method: "GET",
    url,
    remoteAddress: opts.from ?? voice,
    headers: { ...(opts.ua ? { "user-agent": opts.ua } : {}), ...opts.headers },
  });

describe("HTTP provisioning", () => {
  it("serves every phone file of the site, byte-identical, to its phone with its real User-Agent", async () => {
    for (const phone of fibreSite.phones) {
      const model = catalog.findPhone(phone.model);
      if (!model) throw new Error(phone.model);
      const mac = normaliseMac(phone.mac);
      const ua = userAgentFor(model, mac);
      const own = [...p.tree.files()].filter((f) => f.mac === mac);
      expect(own.length).toBeGreaterThan(0);
      for (const file of own) {
        const res = await get(`/${file.name}`, {
          ua,
          from: `10.60.20.${100 + fibreSite.phones.indexOf(phone)}`,
        });
        expect(res.statusCode, `${model.id} ${file.name}`).toBe(200);
        expect(res.rawPayload.equals(file.content)).toBe(true);
      }
    }
  });

  it("sets content type and ETag, and answers If-None-Match with 304", async () => {
    const res = await get("/common.cfg");
    expect(res.headers["content-type"]).toMatch(/^text\/plain/);
    const again = await get("/common.cfg", { headers: { "if-none-match": String(res.headers.etag) } });
    expect(again.statusCode).toBe(304);
    expect((await get("/spa504G.cfg")).headers["content-type"]).toMatch(/^text\/plain/);
  });

  it("serves firmware that passed its checksum, with Range, and not a corrupt or escaping one", async () => {
    expect(firmware.problems.map((x) => x.path).sort()).toEqual(["../outside.rom", "corrupt.rom"]);
    const whole = await get("/firmware/yealink-7.61.115.7.rom");
    expect(whole.statusCode).toBe(200);
    expect(whole.rawPayload.equals(image)).toBe(true);
    const part = await get("/firmware/yealink-7.61.115.7.rom", { headers: { range: "bytes=1000-1999" } });
    expect(part.statusCode).toBe(206);
    expect(part.headers["content-range"]).toBe(`bytes 1000-1999/${image.length}`);
    expect(part.rawPayload.equals(image.subarray(1000, 2000))).toBe(true);
    const tail = await get("/firmware/yealink-7.61.115.7.rom", { headers: { range: "bytes=-10" } });
    expect(tail.rawPayload.equals(image.subarray(image.length - 10))).toBe(true);
    expect(
      (await get("/firmware/yealink-7.61.115.7.rom", { headers: { range: `bytes=${image.length}-` } }))
        .statusCode,
    ).toBe(416);
    expect((await get("/firmware/corrupt.rom")).statusCode).toBe(404);
  });

  it("keeps every traversal attempt inside the served tree", async () => {
    expect(traversalCorpus.length).toBeGreaterThanOrEqual(50);
    const outside = [
      readFileSync("/etc/passwd", "utf8").slice(0, 20),
      readFileSync("/etc/hostname", "utf8").trim(),
    ];
    for (const attempt of traversalCorpus) {
      const res = await app.inject({ method: "GET", url: `/${attempt}`, remoteAddress: voice });
      expect([400, 404], attempt).toContain(res.statusCode);
      for (const secret of outside) if (secret.length > 3) expect(res.body, attempt).not.toContain(secret);
    }
  });

  it("answers 10,000 guessed MACs from one address without a single SIP password, and blocks it", async () => {
    const passwords = sipPasswords(fibreSite);
    const source = "10.60.20.250";
    let blockedAt = -1;
    for (let i = 0; i < 10_000; i++) {
      const mac = `001565${i.toString(16).padStart(6, "0")}`;
      const res = await get(`/${mac}.cfg`, {
        from: source,
        ua: `Yealink SIP-T22P 7.61.115.7 ${mac.match(/../g)?.join(":")}`,
      });
      for (const pw of passwords)
        if (res.body.includes(pw)) throw new Error(`SIP password served for ${mac}`);
      if (res.statusCode === 403 && blockedAt < 0) blockedAt = i;
    }
    // The threshold-th guess blocks the source; the next request is refused.
    expect(blockedAt).toBe(fibreSite.provisioning.miss_threshold);
    expect(p.misses.blockedSources(p.clock.now)).toContain(source);
    // A real phone of the site, from another address, still gets its file.
    const phone = fibreSite.phones[0];
    const model = catalog.findPhone(phone?.model ?? "");
    if (!phone || !model) throw new Error("site");
    const mac = normaliseMac(phone.mac);
    const own = await get(`/${mac}.cfg`, { ua: userAgentFor(model, mac) });
    expect(own.statusCode).toBe(200);
  });

  it("keeps Polycom uploads of inventory phones in a bounded area and refuses everything else", async () => {
    const polycom = fibreSite.phones.find((x) => x.model.startsWith("Polycom"));
    const mac = normaliseMac(polycom?.mac ?? "");
    const put = (url: string, body: string, from = voice) =>
      app.inject({
        method: "PUT",
        url,
        payload: body,
        remoteAddress: from,
        headers: { "content-type": "text/plain" },
      });
    expect((await put(`/${mac}-app.log`, "boot ok\n")).statusCode).toBe(204);
    expect(readFileSync(join(stateDir, "uploads", mac, `${mac}-app.log`), "utf8")).toBe("boot ok\n");
    expect((await put(`/${mac}-phone.cfg`, "x".repeat(5000))).statusCode).toBe(413);
    expect((await put("/0004f2ffffff-app.log", "who am i")).statusCode).toBe(403);
    expect((await put(`/${mac}-app.log`, "from data vlan", "10.60.1.5")).statusCode).toBe(403);
    expect((await put(`/${mac}.cfg`, "overwrite my config")).statusCode).toBe(403);
    expect([400, 403]).toContain((await put("/../../etc/cron.d/x", "evil")).statusCode);
    expect(readdirSync(join(stateDir, "uploads"))).toEqual([mac]);
  });

  it("reports phone check-ins at /api/v1/phones", async () => {
    const res = await get("/api/v1/phones");
    const body = res.json() as {
      phones: { mac: string; lastSeen: string | null; firmwareCompliant: boolean | null }[];
    };
    expect(body.phones).toHaveLength(fibreSite.phones.length);
    expect(body.phones.filter((x) => x.lastSeen !== null).length).toBeGreaterThan(30);
    expect(body.phones.every((x) => x.firmwareCompliant !== false)).toBe(true);
    expect(res.body).not.toMatch(new RegExp(sipPasswords(fibreSite).join("|")));
  });
});
