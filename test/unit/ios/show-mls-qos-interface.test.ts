import { describe, expect, it } from "vitest";
import { parseShowMlsQosInterface } from "../../../drivers/ios/parse/show-mls-qos-interface.js";
import { fixtureText, invalidInput, itParsesFixtures, parseErrorOf } from "./fixture-cases.js";

describe("parseShowMlsQosInterface", () => {
  itParsesFixtures("show-mls-qos-interface", parseShowMlsQosInterface);

  it("tells the trusted phone port from the one whose phone is gone (trusted boundary)", () => {
    const [withPhone, withoutPhone] = parseShowMlsQosInterface(
      fixtureText("show-mls-qos-interface", "phone-ports-trusted-boundary"),
    );
    expect(withPhone).toMatchObject({
      trustState: "trust cos",
      trustMode: "trust cos",
      trusted: true,
      trustDevice: "cisco-phone",
    });
    expect(withoutPhone).toMatchObject({ trustState: "not trusted", trustMode: "trust cos", trusted: false });
  });

  it("reads a `QoS is disabled` note and unknown keys without losing them", () => {
    const [entry] = parseShowMlsQosInterface(
      "FastEthernet0/1\nQoS is disabled. When QoS is enabled, following settings will be applied\ntrust state: not trusted\nfuture key: 42",
    );
    expect(entry).toMatchObject({ qosDisabledGlobally: true, trusted: false, other: { "future key": "42" } });
  });

  it("Catalyst 9000 has no mls qos: the device error is a ParseError, never an empty list", () => {
    const e = parseErrorOf(
      () => parseShowMlsQosInterface(invalidInput("show mls qos interface Gi1/0/1")),
      "PK_ERR_PARSE_DEVICE_ERROR",
      3,
    );
    expect(e.reason).toMatch(/mls qos/);
  });

  it("refuses key lines before an interface and blocks without a trust state", () => {
    parseErrorOf(() => parseShowMlsQosInterface("trust state: trust cos"), "PK_ERR_PARSE_UNRECOGNISED", 1);
    parseErrorOf(
      () => parseShowMlsQosInterface("GigabitEthernet1/0/1\nqos mode: port-based"),
      "PK_ERR_PARSE_UNRECOGNISED",
      null,
    );
    parseErrorOf(
      () => parseShowMlsQosInterface("GigabitEthernet1/0/1\nthis is not mls qos"),
      "PK_ERR_PARSE_UNRECOGNISED",
      2,
    );
  });
});
