import { describe, expect, it } from "vitest";
import { parseShowVersion } from "../../../drivers/ios/parse/show-version.js";
import { fixtureText, invalidInput, itParsesFixtures, parseErrorOf } from "./fixture-cases.js";

describe("parseShowVersion", () => {
  itParsesFixtures("show-version", parseShowVersion);

  it("reads a stack of three 2960-X with lower-case block keys, one member per switch", () => {
    const v = parseShowVersion(fixtureText("show-version", "c2960x-stack-of-3"));
    expect(v.members.map((m) => [m.switchNumber, m.active, m.model, m.serialNumber])).toEqual([
      [1, true, "WS-C2960X-48FPD-L", "FOC2101X1AB"],
      [2, false, "WS-C2960X-48FPD-L", "FOC2101X2CD"],
      [3, false, "WS-C2960X-48LPS-L", "FOC2101X3EF"],
    ]);
    expect(v.uptimeSeconds).toBe(31_536_000 + 12 * 604_800 + 2 * 86_400 + 4 * 3600 + 51 * 60);
  });

  it("reads through CRLF, a --More-- erased with backspaces, the echo and the trailing prompt", () => {
    const v = parseShowVersion(fixtureText("show-version", "isr4321-crlf-pager-prompt"));
    expect(v).toMatchObject({ os: "IOS-XE", version: "17.6.5", hostname: "rtr-edge-01", members: [] });
    expect(v.configRegister).toBe("0x2102");
  });

  it("refuses text that is not show version, naming what is missing", () => {
    const e = parseErrorOf(
      () => parseShowVersion("Port  Name  Status\nGi1/0/1  x  connected"),
      "PK_ERR_PARSE_UNRECOGNISED",
    );
    expect(e.reason).toMatch(/Cisco IOS Software/);
    parseErrorOf(() => parseShowVersion(invalidInput("show version")), "PK_ERR_PARSE_DEVICE_ERROR", 3);
    parseErrorOf(() => parseShowVersion("\n\nsw1#"), "PK_ERR_PARSE_EMPTY");
  });
});
