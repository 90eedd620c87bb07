/**
 * Timer E against real loss: SIPp answers OPTIONS with 200 but loses 10 % of the messages it
 * receives and 10 % of those it sends (-lost 10, seeded from the clock, so not reproducible).
 *
 * Why this cannot flake: one request/answer round trip survives with p = 0.9 · 0.9 = 0.81, and a
 * probe gets 11 tries before Timer F (T1 25 ms, T2 200 ms, F 64·T1 = 1.6 s), so a probe fails with
 * p ≈ 0.19^11 ≈ 1.2e-8 and a run of 100 probes with ≈ 1.2e-6. All 100 probes coming through with
 * no retransmission at all has p = 0.81^100 ≈ 7e-10. SIPp re-sends its 200 to a retransmitted
 * request because the scenario keeps the call alive (options-200.xml).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { options, type SipResult } from "../../drivers/sip/client.js";
import { onPath, type Peer, startSipp } from "./sip-peers.js";

const hasSipp = onPath("sipp");
const skipNote = hasSipp ? "" : " (SKIPPED: sipp not installed; apt-get install sip-tester)";
const probes = 100;

describe.skipIf(!hasSipp)(`OPTIONS over UDP through 10 % loss at SIPp${skipNote}`, () => {
  let peer: Peer;
  beforeAll(async () => {
    peer = await startSipp("options-200.xml", { transport: "udp", lostPercent: 10 });
  });
  afterAll(async () => {
    await peer?.stop();
  });

  it(`every one of ${probes} probes gets its 200, some only after retransmissions`, async () => {
    const target = { host: "127.0.0.1", port: peer.port, transport: "udp" } as const;
    const results: SipResult[] = [];
    for (let i = 0; i < probes; i++) {
      results.push(await options(target, { timers: { t1Ms: 25, t2Ms: 200 }, timeoutMs: 1600 }));
    }
    const failed = results.filter((r) => r.status !== 200);
    expect(failed, peer.output()).toEqual([]);
    for (const r of results) {
      expect(r.rttMs).toBeGreaterThan(0);
      // At most one copy per Timer E firing before F: 0, 25, 75, 175, 375, 575 … 1575 ms.
      expect(r.retransmissions).toBeLessThanOrEqual(10);
    }
    const retransmitted = results.filter((r) => r.retransmissions > 0).length;
    expect(retransmitted).toBeGreaterThan(0);
    console.info(`loss test: ${retransmitted}/${probes} probes needed retransmissions`);
  });
});
