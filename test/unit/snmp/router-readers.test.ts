/** cbQoS, call volume and config history against test/fixtures/snmp/isr4321-cbqos.snmprec. */
import { describe, expect, it } from "vitest";
import { priorityClasses, readCbQos } from "../../../drivers/snmp/cbqos.js";
import { parseConfigHistory, readConfigHistory } from "../../../drivers/snmp/config-man.js";
import type { Varbind } from "../../../drivers/snmp/types.js";
import { parseCalls, readCalls } from "../../../drivers/snmp/voice.js";
import { fixtureClient } from "./helpers.js";

describe("class-based QoS", () => {
  it("joins policies, nested policy-maps, class names, the priority flag and the 64-bit counters", async () => {
    const qos = await readCbQos(fixtureClient("isr4321-cbqos"));
    expect(qos.policies.map((p) => [p.policyIndex, p.ifIndex, p.direction, p.name])).toEqual([
      [1042, 1, "output", "WAN-SHAPE"],
      [1090, 6, "input", "MARK-VOICE-IN"],
    ]);
    const wan = qos.policies[0];
    expect(wan?.classes.map((c) => `${c.policy}/${c.name}${c.priority ? " (priority)" : ""}`)).toEqual([
      "WAN-SHAPE/class-default",
      "VOICE-QOS/VOICE (priority)",
      "VOICE-QOS/SIGNALING",
      "VOICE-QOS/class-default",
    ]);
    expect(wan?.classes[1]).toMatchObject({
      bandwidthKbps: 2000,
      prePolicyPkts: 1234567n,
      prePolicyBytes: 271604740n,
      postPolicyBytes: 271601000n,
      dropPkts: 17n,
      dropBytes: 3740n,
    });
    expect(wan?.classes[2]?.bandwidthPercent).toBe(5);
  });

  it("finds exactly one voice priority class, on the WAN output policy, and it drops", async () => {
    const prio = priorityClasses(await readCbQos(fixtureClient("isr4321-cbqos")));
    expect(prio.map(({ policy, cls }) => [policy.ifIndex, policy.direction, cls.name, cls.dropPkts])).toEqual(
      [[1, "output", "VOICE", 17n]],
    );
  });

  it("has no policies on a device without cbQoS", async () => {
    expect(await readCbQos(fixtureClient("cat2960x-voice"))).toEqual({ policies: [] });
  });
});

describe("active calls", () => {
  it("reads cvCallVolConnActiveConnection per protocol, SIP at index 2, and the total legs", async () => {
    const calls = await readCalls(fixtureClient("isr4321-cbqos"));
    expect(calls).toEqual({
      supported: true,
      byProtocol: { h323: 0, sip: 3, mgcp: 0, sccp: 0, multicast: 0, cacontrol: 0, telephony: 0 },
      sip: 3,
      totalLegs: 3,
    });
  });

  it("says 'not supported' rather than 0 calls when the router has no voice stack", async () => {
    const client = fixtureClient("cat2960x-voice");
    expect(await readCalls(client)).toEqual({ supported: false, byProtocol: {} });
    expect(client.requests.filter((r) => r.op === "get")).toEqual([]);
    expect(
      parseCalls([{ oid: "1.3.6.1.4.1.9.9.63.1.3.8.3.0", type: "Gauge32", value: 60 }]).licensedMax,
    ).toBe(60);
  });
});

describe("config history", () => {
  const now = new Date("2026-11-22T12:00:00Z");
  const stamps = (up: number, running: number, saved: number, startup?: number): Varbind[] =>
    [
      ["1.3.6.1.2.1.1.3.0", up],
      ["1.3.6.1.4.1.9.9.43.1.1.1.0", running],
      ["1.3.6.1.4.1.9.9.43.1.1.2.0", saved],
      ...(startup === undefined ? [] : [["1.3.6.1.4.1.9.9.43.1.1.3.0", startup] as const]),
    ].map(([oid, value]) => ({ oid: oid as string, type: "TimeTicks", value: value as number }));

  it("turns TimeStamps into ages against sysUpTime and flags unsaved changes", async () => {
    const switchHistory = await readConfigHistory(fixtureClient("cat2960x-voice"), now);
    expect(switchHistory).toMatchObject({
      supported: true,
      sysUpTimeSeconds: 1234567.89,
      unsavedChanges: true,
    });
    expect(switchHistory.runningLastChanged).toEqual({
      ticks: 123000000,
      secondsAgo: 4567.89,
      at: new Date(now.getTime() - 4567890),
    });
    expect((await readConfigHistory(fixtureClient("isr4321-cbqos"), now)).unsavedChanges).toBe(false);
  });

  it("handles 0 (not since boot), a sysUpTime wrap, and devices without ccmHistory", () => {
    expect(parseConfigHistory(stamps(5000, 0, 0, 0), now)).toMatchObject({
      unsavedChanges: false,
      runningLastChanged: { ticks: 0 },
    });
    expect(parseConfigHistory(stamps(5000, 4000, 0, 0), now).unsavedChanges).toBe(true);
    // sysUpTime wrapped: the save at 2^32-1000 ticks was 1000+500 ticks ago, the change 100 ticks ago.
    const wrapped = parseConfigHistory(stamps(500, 400, 2 ** 32 - 1000), now);
    expect(wrapped.runningLastSaved?.secondsAgo).toBe(15);
    expect(wrapped.unsavedChanges).toBe(true);
    expect(
      parseConfigHistory([{ oid: "1.3.6.1.2.1.1.3.0", type: "TimeTicks", value: 718475737 }], now),
    ).toEqual({
      supported: false,
      sysUpTimeSeconds: 7184757.37,
    });
  });
});
