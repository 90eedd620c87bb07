import { describe, expect, it } from "vitest";
import { parseShowPolicyMapInterface } from "../../../drivers/ios/parse/show-policy-map-interface.js";
import { fixtureText, invalidInput, itParsesFixtures, parseErrorOf } from "./fixture-cases.js";

describe("parseShowPolicyMapInterface", () => {
  itParsesFixtures("show-policy-map-interface", parseShowPolicyMapInterface);

  it("finds the voice priority class inside the shaper's child policy, with its counters and drops", () => {
    const [wan] = parseShowPolicyMapInterface(fixtureText("show-policy-map-interface", "isr-xe-shaper-llq"));
    const shaper = wan?.policies[0];
    expect([shaper?.direction, shaper?.name, shaper?.classes[0]?.shape?.cirBps]).toEqual([
      "output",
      "WAN-SHAPE",
      95_000_000,
    ]);
    const child = shaper?.classes[0]?.childPolicy;
    const voice = child?.classes.find((c) => c.name === "VOICE");
    expect(voice?.matches).toEqual(["dscp ef (46)"]);
    expect(voice?.priority).toEqual({
      strict: false,
      percent: 20,
      kbps: 19000,
      burstBytes: 475000,
      exceedDrops: 3,
      level: null,
    });
    expect([voice?.packets, voice?.offeredRateBps, voice?.dropRateBps]).toEqual([1802214, 88000, 0]);
    expect(child?.priorityQueues[0]).toMatchObject({ totalDrops: 3, pktsOutput: 1802211 });
  });

  it("reads classic-IOS LLQ (Strict Priority, Bandwidth (%)) without mistaking per-match counters for totals", () => {
    const [g01] = parseShowPolicyMapInterface(fixtureText("show-policy-map-interface", "classic-isr-g2-llq"));
    const voice = g01?.policies[0]?.classes[0];
    expect(voice?.priority).toMatchObject({ strict: true, percent: 33, kbps: 330, burstBytes: 8250 });
    expect([voice?.totalDrops, voice?.rateIntervalSeconds]).toEqual([0, 30]);
  });

  it("empty output means no policy attached; structure errors and device errors are ParseErrors", () => {
    expect(parseShowPolicyMapInterface("")).toEqual([]);
    parseErrorOf(
      () => parseShowPolicyMapInterface(" GigabitEthernet0/0/0"),
      "PK_ERR_PARSE_UNRECOGNISED",
      null,
    );
    parseErrorOf(
      () => parseShowPolicyMapInterface("  Service-policy output: X"),
      "PK_ERR_PARSE_UNRECOGNISED",
      1,
    );
    parseErrorOf(
      () => parseShowPolicyMapInterface(" Gi0/0\n\n    Class-map: VOICE (match-any)"),
      "PK_ERR_PARSE_UNRECOGNISED",
      3,
    );
    parseErrorOf(
      () => parseShowPolicyMapInterface(invalidInput("show policy-map interface")),
      "PK_ERR_PARSE_DEVICE_ERROR",
    );
  });
});
