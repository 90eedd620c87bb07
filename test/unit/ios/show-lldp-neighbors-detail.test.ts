import { describe, expect, it } from "vitest";
import { parseShowLldpNeighborsDetail } from "../../../drivers/ios/parse/show-lldp-neighbors-detail.js";
import { fixtureText, invalidInput, itParsesFixtures, parseErrorOf } from "./fixture-cases.js";

describe("parseShowLldpNeighborsDetail", () => {
  itParsesFixtures("show-lldp-neighbors-detail", parseShowLldpNeighborsDetail);

  it("reads the LLDP-MED voice policy of a phone that advertises no management address", () => {
    const [phone] = parseShowLldpNeighborsDetail(
      fixtureText("show-lldp-neighbors-detail", "yealink-phone-no-mgmt-address"),
    );
    expect(phone?.managementAddresses).toEqual([]);
    expect(phone?.med?.networkPolicies).toEqual([
      { application: "Voice", vlanId: 20, tagged: true, l2Priority: 5, dscp: 46 },
      { application: "Voice Signal", vlanId: 20, tagged: true, l2Priority: 3, dscp: 24 },
    ]);
    expect(phone?.med?.power).toEqual({ deviceType: "PD", source: "PSE", priority: "High", watts: 12.9 });
  });

  it("keeps a multi-line system description, IPv6 management addresses and capabilities", () => {
    const [uplink, polycom] = parseShowLldpNeighborsDetail(
      fixtureText("show-lldp-neighbors-detail", "uplink-and-polycom"),
    );
    expect(uplink?.systemDescription?.split("\n")).toHaveLength(4);
    expect(uplink?.managementAddresses.map((a) => a.type)).toEqual(["IP", "IPV6"]);
    expect([polycom?.systemCapabilities, polycom?.enabledCapabilities]).toEqual([["B", "T"], ["T"]]);
    expect(polycom?.poe).toMatchObject({ powerClass: "3", requestedMw: 12950 });
  });

  it("`Total entries displayed: 0` is an empty list; a wrong total is an error", () => {
    expect(parseShowLldpNeighborsDetail("\nTotal entries displayed: 0\n")).toEqual([]);
    const text = fixtureText("show-lldp-neighbors-detail", "yealink-phone-no-mgmt-address").replace(
      "displayed: 1",
      "displayed: 2",
    );
    const e = parseErrorOf(() => parseShowLldpNeighborsDetail(text), "PK_ERR_PARSE_UNRECOGNISED");
    expect(e.reason).toMatch(/counts 2 entries, 1 were read/);
  });

  it("refuses garbage, neighbours without chassis id and device errors", () => {
    parseErrorOf(
      () => parseShowLldpNeighborsDetail("this is no LLDP output"),
      "PK_ERR_PARSE_UNRECOGNISED",
      1,
    );
    parseErrorOf(
      () => parseShowLldpNeighborsDetail("Local Intf: Gi1/0/1\nSystem Name: x"),
      "PK_ERR_PARSE_UNRECOGNISED",
      null,
    );
    parseErrorOf(
      () => parseShowLldpNeighborsDetail(invalidInput("show lldp neighbors detail")),
      "PK_ERR_PARSE_DEVICE_ERROR",
    );
  });
});
