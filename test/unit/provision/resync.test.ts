import { afterAll, describe, expect, it } from "vitest";
import { resyncPhones } from "../../../agent/provision/resync.js";
import { buildHttpApp } from "../../../agent/serve/http/app.js";
import { type Ipv4Net, parseCidr } from "../../../agent/site/ip.js";
import type { NotifyRequest, SipTarget } from "../../../drivers/sip/client.js";
import { provisioningFor } from "../../helpers/provisioning-fixture.js";

describe("resync", () => {
  it("sends each family's own event to the last-seen address, and nothing to unseen phones", async () => {
    const sent: { target: SipTarget; req: NotifyRequest }[] = [];
    const addresses: Record<string, string> = { aaaaaaaaaaaa: "10.0.0.5", bbbbbbbbbbbb: "10.0.0.6" };
    const outcomes = await resyncPhones(
      [
        { mac: "aaaaaaaaaaaa", family: "yealink" },
        { mac: "bbbbbbbbbbbb", family: "cisco-spa" },
        { mac: "cccccccccccc", family: "polycom" },
      ],
      {
        addressOf: (mac) => addresses[mac],
        notify: async (target, req) => {
          sent.push({ target, req });
          return {
            status: target.host === "10.0.0.5" ? 200 : 489,
            reason: "",
            rttMs: 1,
            reachable: true,
            retransmissions: 0,
          };
        },
      },
    );
    expect(sent.map((s) => [s.target.host, s.target.port, s.req.event])).toEqual(
      expect.arrayContaining([
        ["10.0.0.5", 5060, "check-sync;reboot=false"],
        ["10.0.0.6", 5060, "resync"],
      ]),
    );
    expect(outcomes.map((o) => [o.mac, o.result])).toEqual([
      ["aaaaaaaaaaaa", "sent"],
      ["bbbbbbbbbbbb", "rejected"],
      ["cccccccccccc", "unknown-address"],
    ]);
  });

  describe("the operations API", () => {
    const p = provisioningFor();
    const calls: (string[] | undefined)[] = [];
    const app = buildHttpApp({
      provisioning: p.service,
      uploads: p.uploads,
      protocol: "http",
      apiAllowed: [parseCidr("10.60.99.0/24") as Ipv4Net],
      resync: async (macs) => {
        calls.push(macs);
        return [];
      },
    });
    afterAll(() => app.close());
    const post = (from: string, payload: unknown) =>
      app.inject({ method: "POST", url: "/api/v1/resync", remoteAddress: from, payload: payload as object });

    it("answers loopback and the management VLAN, and refuses phones and data VLAN hosts", async () => {
      expect((await post("127.0.0.1", {})).statusCode).toBe(200);
      expect((await post("10.60.99.7", { macs: ["0015654a1001"] })).statusCode).toBe(200);
      expect((await post("10.60.20.57", {})).statusCode).toBe(403);
      expect((await post("10.60.1.9", {})).statusCode).toBe(403);
      expect(calls).toEqual([undefined, ["0015654a1001"]]);
    });

    it("validates the MAC list", async () => {
      expect((await post("127.0.0.1", { macs: ["00:15:65:4a:10:01"] })).statusCode).toBe(400);
      expect((await post("127.0.0.1", { macs: "all" })).statusCode).toBe(400);
    });
  });
});
