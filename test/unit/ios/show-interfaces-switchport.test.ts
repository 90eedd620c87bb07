import { describe, expect, it } from "vitest";
import {
  expandVlanList,
  parseShowInterfacesSwitchport,
} from "../../../drivers/ios/parse/show-interfaces-switchport.js";
import { fixtureText, invalidInput, itParsesFixtures, parseErrorOf } from "./fixture-cases.js";

describe("parseShowInterfacesSwitchport", () => {
  itParsesFixtures("show-interfaces-switchport", parseShowInterfacesSwitchport);

  it("reads the voice VLAN: `20 (VOICE)`, `none`, an inactive VLAN, dot1p and untagged", () => {
    const ports = [
      ...parseShowInterfacesSwitchport(
        fixtureText("show-interfaces-switchport", "voice-access-trunk-routed"),
      ),
      ...parseShowInterfacesSwitchport(fixtureText("show-interfaces-switchport", "classic-2960-dot1p-voice")),
    ];
    const voice = Object.fromEntries(ports.map((p) => [p.interface, [p.voiceVlanMode, p.voiceVlan]]));
    expect(voice).toEqual({
      "Gi1/0/1": ["vlan", { id: 20, name: "VOICE" }],
      "Gi1/0/2": ["vlan", { id: 21, name: "Inactive" }],
      "Gi1/0/48": ["none", null],
      "Gi1/0/24": ["none", null],
      Po1: ["none", null],
      "Fa0/1": ["dot1p", null],
      "Fa0/2": ["untagged", null],
    });
  });

  it("joins a wrapped trunk VLAN list, splits the bundle note off the mode, reads a routed port", () => {
    const [, , trunk, routed] = parseShowInterfacesSwitchport(
      fixtureText("show-interfaces-switchport", "voice-access-trunk-routed"),
    );
    expect(trunk?.trunkingVlans).toBe(
      "10,20,99,101-110,200,210,220,230,240,250,260,270,280,290,300,310,320,999",
    );
    expect(expandVlanList(trunk?.trunkingVlans ?? "")).toContain(105);
    expect([trunk?.operMode, trunk?.bundle]).toEqual(["trunk", "Po1"]);
    expect(routed).toMatchObject({ interface: "Gi1/0/24", switchport: false, adminMode: null });
  });

  it("expands VLAN lists", () => {
    expect(expandVlanList("1,5-7")).toEqual([1, 5, 6, 7]);
    expect(expandVlanList("NONE")).toEqual([]);
    expect(expandVlanList("ALL")).toHaveLength(4094);
    expect(() => expandVlanList("1,x")).toThrow(/not a VLAN list/);
  });

  it("refuses text without Name: blocks, stray lines and device errors", () => {
    parseErrorOf(
      () => parseShowInterfacesSwitchport("Switchport: Enabled\nName: Gi1/0/1"),
      "PK_ERR_PARSE_UNRECOGNISED",
      1,
    );
    parseErrorOf(
      () => parseShowInterfacesSwitchport("Name: Gi1/0/1\nSwitchport: Enabled\nthis is not it"),
      "PK_ERR_PARSE_UNRECOGNISED",
      3,
    );
    parseErrorOf(
      () => parseShowInterfacesSwitchport(invalidInput("show interfaces switchport")),
      "PK_ERR_PARSE_DEVICE_ERROR",
    );
  });
});
