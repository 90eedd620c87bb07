import { afterAll, describe, expect, it } from "vitest";
import { EventKey } from "../../../agent/calls/device-tokens.js";
import {
  type EventResult,
  PhoneEventSource,
  phoneEventSite,
} from "../../../agent/calls/phone-event-source.js";
import { type RenderedFile, renderPhoneFiles } from "../../../agent/render/render-site.js";
import { normaliseMac } from "../../../agent/render/view-model.js";
import { buildHttpApp } from "../../../agent/serve/http/app.js";
import type { Site } from "../../../agent/site/schema.js";
import { catalog } from "../../helpers/family-harness.js";
import { userAgentFor } from "../../helpers/phone-user-agents.js";
import { fibreSite, provisioningFor, secrets } from "../../helpers/provisioning-fixture.js";

/**
 * Simulated phones send their family's real call-event requests (reference/call-events.md §1–§3) to the
 * real HTTP app, at the URLs their rendered files carry, with their real User-Agents.
 */
const key = EventKey.fromHex("7e57".repeat(16));
const files = renderPhoneFiles(fibreSite, catalog, secrets, { deviceToken: key.tokens() });
const clock = { now: Date.parse("2026-11-22T10:00:00Z") };
const results: [EventResult, string | undefined][] = [];
const source = new PhoneEventSource({
  key,
  site: phoneEventSite(fibreSite, catalog),
  now: () => clock.now,
  onResult: (r, f) => results.push([r, f]),
});
const p = provisioningFor(fibreSite);
const app = buildHttpApp({
  provisioning: p.service,
  uploads: p.uploads,
  protocol: "http",
  phoneEvents: source,
});
afterAll(() => app.close());

/** The event URL templates a phone's own file gives it, by event name. */
function eventUrls(file: RenderedFile): Map<string, string> {
  const urls = new Map<string, string>();
  const linePatterns = [
    /^action_url\.[a-z_]+ = (http\S+)$/, // Yealink V70
    /^[A-Za-z]+ = (http\S+\/events\/\S+)$/, // Yealink V6x / Tiptel [ ActionURL ]
    /^action uri [a-z]+: (http\S+)$/, // Aastra
    /^\s*apps\.telNotification\.URL="(http[^"]+)"$/, // Polycom
  ];
  for (const line of file.content.split("\n")) {
    for (const re of linePatterns) {
      const url = re.exec(line)?.[1];
      if (url) urls.set(/\/events\/[^/]+\/([a-z_]+)/.exec(url)?.[1] ?? "?", url);
    }
  }
  return urls;
}

class Phone {
  readonly mac: string;
  readonly ua: string;
  readonly urls: Map<string, string>;

  constructor(
    readonly site: Site,
    readonly index: number,
    readonly ip: string,
  ) {
    const phone = site.phones[index];
    const model = phone ? catalog.findPhone(phone.model) : undefined;
    if (!phone || !model) throw new Error(`no phone ${index}`);
    this.mac = normaliseMac(phone.mac);
    this.ua = userAgentFor(model, this.mac);
    const own = files.filter((f) => f.device === this.mac && f.secrets);
    this.urls = new Map(own.flatMap((f) => [...eventUrls(f)]));
    if (this.urls.size === 0) throw new Error(`${model.id} got no event URLs`);
  }

  /** Yealink/Tiptel: the phone substitutes its variables into the URL and GETs it (§1.2, §1.3). */
  async yealink(event: string, callId: string, from = this.ip) {
    const url = this.#url(event)
      .replace("$mac", this.mac)
      .replace("$call_id", callId)
      .replace("$local", "sip:31104567801@sip.example.net")
      .replace("$remote", "sip:0612345678@sip.example.net");
    return this.get(url, from);
  }

  /** Aastra: `$$LINESTATE$$` and `$$REMOTENUMBER$$` bound, then a GET (§3.2, §3.3). */
  async aastra(event: string, state: string, from = this.ip) {
    const url = this.#url(event).replace("$$LINESTATE$$", state).replace("$$REMOTENUMBER$$", "0612345678");
    return this.get(url, from);
  }

  /** Polycom: one XML event POSTed to apps.telNotification.URL (§2.2). */
  async polycom(event: string, opts: { mac?: string; from?: string; contentType?: string } = {}) {
    const body =
      `<?xml version="1.0" encoding="UTF-8"?>\n<PolycomIPPhone>\n<${event}>\n<PhoneIP>${this.ip}</PhoneIP>\n` +
      `<MACAddress>${opts.mac ?? this.mac}</MACAddress>\n<CallingPartyName>sip:0612345678@sip.example.net</CallingPartyName>\n` +
      `<TimeStamp>2026-11-22T11:00:00+01:00</TimeStamp>\n</${event}>\n</PolycomIPPhone>\n`;
    const url = new URL(this.#url("polycom"));
    return app.inject({
      method: "POST",
      url: url.pathname + url.search,
      remoteAddress: opts.from ?? this.ip,
      headers: { "user-agent": this.ua, "content-type": opts.contentType ?? "text/xml" },
      payload: body,
    });
  }

  get(url: string, from: string) {
    const u = new URL(url);
    return app.inject({
      method: "GET",
      url: u.pathname + u.search,
      remoteAddress: from,
      headers: { "user-agent": this.ua },
    });
  }

  #url(event: string): string {
    const url = this.urls.get(event);
    if (!url) throw new Error(`${this.mac} has no URL for ${event}`);
    return url;
  }
}

const byModel = (model: string, nth = 0) => {
  const i = fibreSite.phones.map((ph, j) => [ph.model, j] as const).filter(([m]) => m === model)[nth]?.[1];
  if (i === undefined) throw new Error(model);
  return i;
};
const phones = {
  t38g: new Phone(fibreSite, byModel("Yealink T38G"), "10.60.20.109"),
  t22p: new Phone(fibreSite, byModel("Yealink T22P"), "10.60.20.101"),
  tiptel: new Phone(fibreSite, byModel("Tiptel IP 286"), "10.60.20.113"),
  ip331: new Phone(fibreSite, byModel("Polycom SoundPoint IP 331"), "10.60.20.116"),
  vvx500: new Phone(fibreSite, byModel("Polycom VVX 500"), "10.60.20.121"),
  a6731: new Phone(fibreSite, byModel("Aastra 6731i"), "10.60.20.128"),
  a6757: new Phone(fibreSite, byModel("Aastra 6757i"), "10.60.20.130"),
};
const advance = (seconds: number) => {
  clock.now += seconds * 1000;
};

describe("call events over HTTP from seven simulated phones", () => {
  it("renders event URLs with each phone's own token into the files with its credentials only", () => {
    for (const ph of Object.values(phones)) {
      const token = key.tokenFor(ph.mac);
      for (const url of ph.urls.values()) expect(url).toContain(`/events/${token}/`);
      const shared = files.filter((f) => !f.secrets);
      for (const f of shared) expect(f.content).not.toContain(token);
    }
    expect(phones.a6731.urls.size).toBe(6);
    expect(phones.t38g.urls.size).toBe(9);
    expect(phones.tiptel.urls.size).toBe(5);
  });

  it("counts calls exactly as phones go up and down in mixed order", async () => {
    const ok = async (res: Promise<{ statusCode: number; body: string }>) => {
      const r = await res;
      expect(r.statusCode).toBe(200);
      expect(r.body).toBe("");
    };
    const count = () => source.active(clock.now);
    const { t38g, t22p, tiptel, ip331, vvx500, a6731, a6757 } = phones;

    expect(count()).toBe(0);
    await ok(t38g.yealink("incoming_call", "4711"));
    expect(count()).toBe(0); // ringing is not a call on the line yet
    await ok(t38g.yealink("call_established", "4711"));
    expect(count()).toBe(1);
    await ok(ip331.polycom("IncomingCallEvent"));
    await ok(ip331.polycom("OffHookEvent"));
    expect(count()).toBe(2);
    await ok(a6731.aastra("outgoing", "OUTGOING"));
    expect(count()).toBe(3);
    await ok(a6731.aastra("outgoing", "OUTGOING")); // second leg of a transfer: same busy phone
    expect(count()).toBe(3);
    await ok(t22p.yealink("outgoing_call", "$call_id"));
    await ok(tiptel.yealink("incoming_call", "0301234567"));
    await ok(tiptel.yealink("call_established", "0301234567"));
    expect(count()).toBe(5);
    advance(30);
    await ok(vvx500.polycom("OutgoingCallEvent"));
    await ok(a6757.aastra("poll", "CONNECTED")); // answered call whose start event was lost
    expect(count()).toBe(7);
    await ok(t38g.yealink("outgoing_call", "4712")); // consultation call: a second call on the line
    expect(count()).toBe(8);
    await ok(ip331.polycom("OnHookEvent"));
    expect(count()).toBe(7);
    await ok(t38g.yealink("busy_to_idle", "$call_id")); // transfer finished, no call_terminated came
    expect(count()).toBe(5);
    await ok(a6731.aastra("disconnected", "CONNECTED"));
    await ok(a6731.aastra("onhook", "IDLE"));
    expect(count()).toBe(4);
    await ok(t22p.yealink("call_terminated", "$call_id"));
    await ok(tiptel.yealink("call_terminated", "0301234567"));
    expect(count()).toBe(2);
    await ok(vvx500.polycom("OnHookEvent"));
    expect(count()).toBe(1);
    advance(3 * 60); // the 6757i stopped polling: its polled call ages out
    expect(count()).toBe(0);
    await ok(a6757.aastra("poll", "IDLE"));
    expect(count()).toBe(0);
    expect(results.filter(([r]) => r !== "accepted")).toEqual([]);
  });

  it("refuses hostile requests, counts each, and never changes the count", async () => {
    const { t38g, ip331, a6731 } = phones;
    await t38g.yealink("call_established", "900");
    await a6731.aastra("outgoing", "OUTGOING");
    const before = source.active(clock.now);
    expect(before).toBe(2);
    const countsBefore = source.counts();
    const token = key.tokenFor(t38g.mac);
    const otherKey = EventKey.fromHex("bad0".repeat(16)).tokenFor(t38g.mac);
    const valid = new URL(t38g.urls.get("call_established") ?? "").pathname;

    // Sent one by one, so each refusal is counted on its own.
    const cases: [string, () => Promise<{ statusCode: number; body: string }>, number, EventResult][] = [
      [
        "guessed token",
        () => t38g.get(`http://x${valid.replace(token, otherKey)}?call_id=1`, t38g.ip),
        404,
        "unknown-token",
      ],
      [
        "token of the right length",
        () => t38g.get(`http://x/events/${"0".repeat(24)}/call_established`, t38g.ip),
        404,
        "unknown-token",
      ],
      ["short token", () => t38g.get("http://x/events/abc/call_established", t38g.ip), 404, "unknown-token"],
      [
        "data VLAN source",
        () => t38g.yealink("call_established", "901", "10.60.0.50"),
        403,
        "forbidden-source",
      ],
      [
        "management VLAN source",
        () => ip331.polycom("OutgoingCallEvent", { from: "10.60.99.5" }),
        403,
        "forbidden-source",
      ],
      [
        "other phone's MAC in the XML",
        () => ip331.polycom("OutgoingCallEvent", { mac: phones.vvx500.mac }),
        403,
        "mac-mismatch",
      ],
      [
        "other phone's $mac",
        () => t38g.get(`http://x${valid}?mac=${phones.t22p.mac}&call_id=7`, t38g.ip),
        403,
        "mac-mismatch",
      ],
      [
        "oversized query",
        () => t38g.get(`http://x${valid}?call_id=${"9".repeat(5000)}`, t38g.ip),
        413,
        "too-large",
      ],
      ["key given twice", () => t38g.get(`http://x${valid}?call_id=1&call_id=2`, t38g.ip), 400, "malformed"],
      ["control characters", () => t38g.get(`http://x${valid}?call_id=%00%0a`, t38g.ip), 400, "malformed"],
      ["unknown Aastra state", () => a6731.aastra("poll", "BUSY;rm"), 400, "malformed"],
      [
        "Polycom event by GET",
        () => ip331.get(ip331.urls.get("polycom") ?? "", ip331.ip),
        405,
        "wrong-method",
      ],
      ["unknown event", () => t38g.get(`http://x/events/${token}/reboot`, t38g.ip), 404, "unknown-event"],
    ];
    for (const [what, res, status, result] of cases) {
      const before = source.counts()[result];
      const r = await res();
      expect(r.statusCode, what).toBe(status);
      expect(r.body, what).toBe("");
      expect(source.counts()[result], what).toBe(before + 1);
    }

    const bodyCases: [string, { payload: string; headers: Record<string, string> }, number, EventResult][] = [
      [
        "oversized body",
        {
          payload: `<OnHookEvent>${"x".repeat(64 * 1024)}</OnHookEvent>`,
          headers: { "content-type": "text/xml" },
        },
        413,
        "too-large",
      ],
      ["broken JSON", { payload: "{", headers: { "content-type": "application/json" } }, 400, "malformed"],
      ["a JSON object", { payload: "{}", headers: { "content-type": "application/json" } }, 400, "malformed"],
      [
        "an entity",
        { payload: '<!DOCTYPE a [<!ENTITY b "c">]><OnHookEvent/>', headers: { "content-type": "text/xml" } },
        400,
        "malformed",
      ],
    ];
    const polycomPath = new URL(ip331.urls.get("polycom") ?? "").pathname;
    for (const [what, opts, status, result] of bodyCases) {
      const before = source.counts()[result];
      const r = await app.inject({ ...opts, method: "POST", url: polycomPath, remoteAddress: ip331.ip });
      expect(r.statusCode, what).toBe(status);
      expect(r.body, what).not.toContain(key.tokenFor(ip331.mac));
      expect(source.counts()[result], what).toBe(before + 1);
    }

    expect(source.active(clock.now)).toBe(before);
    const after = source.counts();
    expect(after.accepted).toBe(countsBefore.accepted);
    // A hostile OnHook for the busy phone did not get through either: it is still counted as busy.
    await ip331.polycom("OnHookEvent", { from: "10.60.0.50" });
    expect(source.active(clock.now)).toBe(before);
  });

  it("answers the Polycom content types a phone may use (undocumented, §2.2)", async () => {
    const { vvx500 } = phones;
    for (const contentType of ["application/xml", "text/plain", "application/x-www-form-urlencoded"]) {
      const start = source.active(clock.now);
      expect((await vvx500.polycom("OutgoingCallEvent", { contentType })).statusCode).toBe(200);
      expect(source.active(clock.now)).toBe(start + 1);
      expect((await vvx500.polycom("OnHookEvent", { contentType })).statusCode).toBe(200);
      expect(source.active(clock.now)).toBe(start);
    }
  });

  it("with call_events off, renders no event URL and refuses every token", async () => {
    const off: Site = { ...fibreSite, provisioning: { ...fibreSite.provisioning, call_events: false } };
    const offFiles = renderPhoneFiles(off, catalog, secrets, { deviceToken: key.tokens() });
    for (const f of offFiles) expect(f.content).not.toMatch(/\/events\//);
    source.setSite(phoneEventSite(off, catalog));
    expect(source.available).toBe(false);
    const r = await phones.t38g.yealink("call_established", "1");
    expect(r.statusCode).toBe(404);
    expect(source.active(clock.now)).toBe(0);
    source.setSite(phoneEventSite(fibreSite, catalog));
    expect(source.available).toBe(true);
  });

  it("without a token function, renders no event URL (the CLI render and the golden files before wiring)", () => {
    const plain = renderPhoneFiles(fibreSite, catalog, secrets);
    for (const f of plain) expect(f.content).not.toMatch(/\/events\//);
  });
});

describe("call events over a real socket", () => {
  it("accepts a Yealink GET from an allowed address over TCP and counts it", async () => {
    const local: Site = {
      ...fibreSite,
      provisioning: { ...fibreSite.provisioning, allowed_subnets: ["127.0.0.0/8"] },
    };
    const src = new PhoneEventSource({ key, site: phoneEventSite(local, catalog), now: () => clock.now });
    const server = buildHttpApp({
      provisioning: p.service,
      uploads: p.uploads,
      protocol: "http",
      phoneEvents: src,
    });
    await server.listen({ host: "127.0.0.1", port: 0 });
    try {
      const address = server.server.address();
      if (!address || typeof address !== "object") throw new Error("no address");
      const url = (phones.t38g.urls.get("outgoing_call") ?? "")
        .replace("http://10.60.20.10:8080", `http://127.0.0.1:${address.port}`)
        .replace("$mac", phones.t38g.mac)
        .replace("$call_id", "77")
        .replace("$local", "sip:201@sip.example.net")
        .replace("$remote", "sip:0612345678@sip.example.net");
      const res = await fetch(url, { headers: { "user-agent": phones.t38g.ua } });
      expect(res.status).toBe(200);
      expect(await res.text()).toBe("");
      expect(src.active(clock.now)).toBe(1);
    } finally {
      await server.close();
    }
  });
});
