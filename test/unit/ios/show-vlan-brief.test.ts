import { describe, expect, it } from "vitest";
import { parseShowVlanBrief } from "../../../drivers/ios/parse/show-vlan-brief.js";
import { fixtureText, invalidInput, itParsesFixtures, parseErrorOf } from "./fixture-cases.js";

describe("parseShowVlanBrief", () => {
  itParsesFixtures("show-vlan-brief", parseShowVlanBrief);

  it("joins wrapped port lists and keeps VLANs without ports", () => {
    const vlans = parseShowVlanBrief(fixtureText("show-vlan-brief", "voice-access-switch"));
    expect(vlans.find((v) => v.id === 10)?.ports).toHaveLength(12);
    expect(vlans.find((v) => v.id === 20)).toEqual({ id: 20, name: "VOICE", status: "active", ports: [] });
  });

  it("a header alone is an empty table, not an error; a missing header is", () => {
    expect(
      parseShowVlanBrief("VLAN Name                             Status    Ports\n---- ---- ---- ----"),
    ).toEqual([]);
    parseErrorOf(
      () => parseShowVlanBrief("1    default     active    Gi1/0/1"),
      "PK_ERR_PARSE_UNRECOGNISED",
      1,
    );
    parseErrorOf(() => parseShowVlanBrief(invalidInput("show vlan brief")), "PK_ERR_PARSE_DEVICE_ERROR");
  });

  it("stops at the second table of a full `show vlan` instead of reading it as ports", () => {
    const text = `${fixtureText("show-vlan-brief", "long-names-and-shutdown")}\nVLAN Type  SAID       MTU   Parent RingNo\n---- ----- ---------- -----\n1    enet  100001     1500  -      -`;
    parseErrorOf(() => parseShowVlanBrief(text), "PK_ERR_PARSE_UNRECOGNISED", 8);
  });
});
