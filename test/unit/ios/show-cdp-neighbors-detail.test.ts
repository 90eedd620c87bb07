import { describe, expect, it } from "vitest";
import { parseShowCdpNeighborsDetail } from "../../../drivers/ios/parse/show-cdp-neighbors-detail.js";
import { fixtureText, invalidInput, itParsesFixtures, parseErrorOf } from "./fixture-cases.js";

describe("parseShowCdpNeighborsDetail", () => {
  itParsesFixtures("show-cdp-neighbors-detail", parseShowCdpNeighborsDetail);

  it("reads a Cisco phone: capabilities, power drawn, IPv6 entry address", () => {
    const [phone] = parseShowCdpNeighborsDetail(fixtureText("show-cdp-neighbors-detail", "cisco-8845-phone"));
    expect(phone).toMatchObject({
      deviceId: "SEP00A3D15E2F10",
      capabilities: ["Host", "Phone", "Two-port Mac Relay"],
      powerDrawnWatts: 6.4,
      portId: "Port 1",
    });
    expect(phone?.entryAddresses).toEqual(["10.20.0.15", "FE80::2A3:D1FF:FE5E:2F10"]);
  });

  it("neighbours with an empty management list or no address at all stay distinct from missing data", () => {
    const [core, router] = parseShowCdpNeighborsDetail(
      fixtureText("show-cdp-neighbors-detail", "uplinks-without-mgmt-address"),
    );
    expect([core?.entryAddresses, core?.managementAddresses, core?.vtpManagementDomain]).toEqual([
      ["10.99.0.1"],
      [],
      "CAMPUS",
    ]);
    expect([router?.entryAddresses, router?.vtpManagementDomain]).toEqual([[], null]);
  });

  it("empty output is no neighbours; anything unreadable is an error", () => {
    expect(parseShowCdpNeighborsDetail("")).toEqual([]);
    parseErrorOf(
      () => parseShowCdpNeighborsDetail("Platform: x,  Capabilities: Host"),
      "PK_ERR_PARSE_UNRECOGNISED",
      1,
    );
    parseErrorOf(
      () => parseShowCdpNeighborsDetail("Device ID: x\nHoldtime : 10 sec"),
      "PK_ERR_PARSE_UNRECOGNISED",
      null,
    );
    parseErrorOf(() => parseShowCdpNeighborsDetail("% CDP is not enabled"), "PK_ERR_PARSE_DEVICE_ERROR", 1);
    parseErrorOf(
      () => parseShowCdpNeighborsDetail(invalidInput("show cdp neighbors detail")),
      "PK_ERR_PARSE_DEVICE_ERROR",
    );
  });
});
