import { describe, expect, it } from "vitest";
import { kbpsPerCall, QosEstimateSource, VoiceMibSource } from "../../../agent/calls/round-sources.js";
import type { Observations } from "../../../agent/monitor/observations.js";
import type { Calls, Qos } from "../../../drivers/snmp/index.js";

function withRouter(snmp: { calls?: Calls; qos?: Qos } | "failed", at: string): Observations {
  const obs = <T>(value: T) => ({ ok: true as const, at, source: "SNMP", value });
  const failed = { ok: false as const, at, source: "SNMP", code: "PK_ERR_SNMP_TIMEOUT", error: "timeout" };
  return {
    at,
    devices: [
      {
        name: "rtr",
        role: "router",
        address: "127.20.0.1",
        snmp:
          snmp === "failed"
            ? { calls: failed, qos: failed }
            : {
                ...(snmp.calls ? { calls: obs(snmp.calls) } : {}),
                ...(snmp.qos ? { qos: obs(snmp.qos) } : {}),
              },
        cli: {},
      },
    ],
    sipProbes: [],
    phones: { ok: true, at, source: "", value: [] },
  };
}

const qos = (bytes: bigint, direction: "output" | "input" = "output"): Qos => ({
  policies: [
    {
      policyIndex: 1,
      direction,
      name: "WAN-OUT",
      classes: [
        { objectsIndex: 2, name: "VOICE", priority: true, postPolicyBytes: bytes },
        { objectsIndex: 3, name: "class-default", priority: false, postPolicyBytes: 10n ** 9n },
      ],
    },
  ],
});

describe("VoiceMibSource", () => {
  it("counts two SIP legs of a CUBE as one call, and is unavailable on a router without call rows", () => {
    const s = new VoiceMibSource();
    s.onRound(
      withRouter({ calls: { supported: true, byProtocol: { sip: 6 }, sip: 6 } }, "2026-11-22T10:00:00Z"),
    );
    expect([s.available, s.active()]).toEqual([true, 3]);
    s.onRound(withRouter({ calls: { supported: false, byProtocol: {} } }, "2026-11-22T10:01:00Z"));
    expect(s.available).toBe(false);
    s.onRound(withRouter("failed", "2026-11-22T10:02:00Z"));
    expect(s.available).toBe(false);
  });
});

describe("QosEstimateSource", () => {
  it("turns the priority class's byte rate between two rounds into calls at 80 kbit/s each", () => {
    const s = new QosEstimateSource();
    s.onRound(withRouter({ qos: qos(1_000_000n) }, "2026-11-22T10:00:00Z"));
    expect(s.available).toBe(false);
    // 5 calls for 60 s: 5 × 80 kbit/s × 60 s / 8 = 3,000,000 bytes.
    s.onRound(
      withRouter(
        { qos: qos(1_000_000n + BigInt((5 * kbpsPerCall * 1000 * 60) / 8)) },
        "2026-11-22T10:01:00Z",
      ),
    );
    expect([s.available, s.active()]).toEqual([true, 5]);
  });

  it("starts a new baseline when the counter goes backwards, and ignores input policies", () => {
    const s = new QosEstimateSource();
    s.onRound(withRouter({ qos: qos(5_000_000n) }, "2026-11-22T10:00:00Z"));
    s.onRound(withRouter({ qos: qos(1_000n) }, "2026-11-22T10:01:00Z"));
    expect(s.available).toBe(false);
    const t = new QosEstimateSource();
    t.onRound(withRouter({ qos: qos(0n, "input") }, "2026-11-22T10:00:00Z"));
    t.onRound(withRouter({ qos: qos(10n ** 8n, "input") }, "2026-11-22T10:01:00Z"));
    expect(t.available).toBe(false);
  });
});
