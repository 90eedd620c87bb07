import { describe, expect, it } from "vitest";
import { parseShowInterfacesStatus } from "../../../drivers/ios/parse/show-interfaces-status.js";
import { fixtureText, invalidInput, itParsesFixtures, parseErrorOf } from "./fixture-cases.js";

describe("parseShowInterfacesStatus", () => {
  itParsesFixtures("show-interfaces-status", parseShowInterfacesStatus);

  it("keeps descriptions that contain status or duplex words, or fill the 18-character column", () => {
    const rows = parseShowInterfacesStatus(fixtureText("show-interfaces-status", "2960-awkward-names"));
    expect(rows.map((r) => [r.port, r.name, r.status, r.vlan])).toEqual([
      ["Fa0/1", "disabled printer", "notconnect", "10"],
      ["Fa0/2", "connected to desk1", "connected", "10"],
      ["Fa0/3", "auto full half", "notconnect", "10"],
      ["Fa0/4", "Half Duplex 2950-S", "inactive", "20"],
      ["Fa0/5", "monitoring", "monitoring", "1"],
      ["Gi0/1", "Uplink", "connected", "trunk"],
    ]);
  });

  it("reads a row without a Type column", () => {
    const rows = parseShowInterfacesStatus(fixtureText("show-interfaces-status", "c9300-voice-floor"));
    expect(rows.at(-1)).toMatchObject({ port: "Vl99", status: "connected", type: null });
  });

  it("a header alone is an empty table; a row that does not fit the columns is an error", () => {
    expect(
      parseShowInterfacesStatus("Port      Name               Status       Vlan       Duplex  Speed Type"),
    ).toEqual([]);
    parseErrorOf(
      () => parseShowInterfacesStatus("Port  Name  Status  Vlan  Duplex  Speed Type\nGi1/0/1 is a port"),
      "PK_ERR_PARSE_UNRECOGNISED",
      2,
    );
    parseErrorOf(
      () => parseShowInterfacesStatus("Gi1/0/1  connected 1 a-full a-100"),
      "PK_ERR_PARSE_UNRECOGNISED",
      1,
    );
    parseErrorOf(
      () => parseShowInterfacesStatus(invalidInput("show interfaces status")),
      "PK_ERR_PARSE_DEVICE_ERROR",
    );
  });
});
