/**
 * Our SIP client against SIPp (Debian sip-tester) as UAS on 127.0.0.1, over UDP and TCP:
 * OPTIONS answered with 200, 404 and 503, OPTIONS never answered (Timer F and the exact number of
 * Timer E retransmissions), NOTIFY for phone resync checked by the scenario, and OPTIONS over
 * IPv6 loopback when the machine has one. Shortened T1/F keep it fast; assertions are on statuses
 * and counts, never on RTT values.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { phoneFamilies } from "../../drivers/phones/index.js";
import { notify, options } from "../../drivers/sip/client.js";
import { hasIpv6Loopback, onPath, type Peer, startSipp } from "./sip-peers.js";

const hasSipp = onPath("sipp");
if (!hasSipp)
  console.warn("SIP peer tests skipped: sipp is not installed (apt-get install sip-tester; see .ci/run)");
const skipNote = hasSipp ? "" : " (SKIPPED: sipp not installed; apt-get install sip-tester)";

const fast = { timers: { t1Ms: 50, t2Ms: 400 }, timeoutMs: 5000 };

for (const transport of ["udp", "tcp"] as const) {
  describe.skipIf(!hasSipp)(`SIPp UAS over ${transport}${skipNote}`, () => {
    const peers = new Map<string, Peer>();
    const scenarios = [
      "options-200.xml",
      "options-404.xml",
      "options-503.xml",
      "options-silent.xml",
      "notify-check-sync.xml",
    ];
    beforeAll(async () => {
      // allSettled, so that the peers that did start are stopped in afterAll when one failed.
      const started = await Promise.allSettled(scenarios.map((s) => startSipp(s, { transport })));
      for (const [i, r] of started.entries())
        if (r.status === "fulfilled") peers.set(scenarios[i] as string, r.value);
      for (const r of started) if (r.status === "rejected") throw r.reason;
    });
    afterAll(async () => {
      await Promise.all([...peers.values()].map((p) => p.stop()));
    });
    const target = (scenario: string) => ({
      host: "127.0.0.1",
      port: peers.get(scenario)?.port ?? 0,
      transport,
    });

    it.each([
      ["options-200.xml", 200, "OK"],
      ["options-404.xml", 404, "Not Found"],
      ["options-503.xml", 503, "Service Unavailable"],
    ] as const)(
      "%s: status, reason and headers come back, RTT is positive",
      async (scenario, status, reason) => {
        const result = await options(target(scenario), fast);
        expect(result, peers.get(scenario)?.output()).toMatchObject({ status, reason, reachable: true });
        expect(result.failure).toBeUndefined();
        expect(result.rttMs).toBeGreaterThan(0);
        expect(result.responseHeaders?.server).toBe("SIPp UAS (patchkast test peer)");
        expect(result.responseHeaders?.cseq).toBe("1 OPTIONS");
      },
    );

    it("reachableStatuses restricts what counts as reachable, without hiding the status", async () => {
      const only200 = { ...fast, reachableStatuses: [200] };
      expect(await options(target("options-404.xml"), only200)).toMatchObject({
        status: 404,
        reachable: false,
      });
      expect(await options(target("options-200.xml"), only200)).toMatchObject({
        status: 200,
        reachable: true,
      });
      const with404 = { ...fast, reachableStatuses: [200, 404] };
      expect(await options(target("options-404.xml"), with404)).toMatchObject({ reachable: true });
    });

    it("a silent UAS ends in Timer F with the exact retransmission schedule", async () => {
      // T1 50 ms, T2 400 ms: sends at 0, 50, 150, 350, 750, 1150, 1550, 1950, 2350, 2750 ms; the
      // next would be at 3150, after Timer F at 2950. 200 ms on both sides absorb timer jitter.
      const started = performance.now();
      const result = await options(target("options-silent.xml"), { timers: fast.timers, timeoutMs: 2950 });
      const elapsed = performance.now() - started;
      expect(result).toMatchObject({ status: null, rttMs: null, reachable: false, failure: "timeout" });
      expect(result.retransmissions).toBe(transport === "udp" ? 9 : 0);
      expect(elapsed).toBeGreaterThanOrEqual(2900);
    });

    it.each(phoneFamilies.map((f) => [f.id, f.resyncEvent] as const))(
      "NOTIFY with %s's resync event (%s) reaches the phone scenario",
      async (_id, event) => {
        const result = await notify(target("notify-check-sync.xml"), { event, toUser: "phone1" }, fast);
        // The scenario answers 200 only to check-sync (with parameters) and Subscription-State:
        // terminated, and 489 Bad Event otherwise: Cisco SPA's "resync" must get 489 here.
        const expected = event.startsWith("check-sync") ? 200 : 489;
        expect(result, peers.get("notify-check-sync.xml")?.output()).toMatchObject({ status: expected });
      },
    );
  });
}

const ipv6 = hasSipp && (await hasIpv6Loopback());
describe.skipIf(!ipv6)(`SIPp UAS on [::1]${ipv6 ? "" : " (SKIPPED: no sipp or no IPv6 loopback)"}`, () => {
  it("answers OPTIONS over UDP and TCP, with the Via host in brackets", async () => {
    for (const transport of ["udp", "tcp"] as const) {
      const peer = await startSipp("options-200.xml", { transport, host: "::1" });
      try {
        const result = await options({ host: "::1", port: peer.port, transport }, fast);
        expect(result, peer.output()).toMatchObject({ status: 200, reachable: true });
        expect(result.responseHeaders?.via).toMatch(/^SIP\/2\.0\/(UDP|TCP) \[::1\]:\d+;branch=z9hG4bK/);
      } finally {
        await peer.stop();
      }
    }
  });
});
