import { describe, expect, it } from "vitest";
import { parseShowPowerInline } from "../../../drivers/ios/parse/show-power-inline.js";
import { fixtureText, invalidInput, itParsesFixtures, parseErrorOf } from "./fixture-cases.js";

describe("parseShowPowerInline", () => {
  itParsesFixtures("show-power-inline", parseShowPowerInline);

  it("reads one budget per stack member and device names with blanks", () => {
    const p = parseShowPowerInline(fixtureText("show-power-inline", "stack-of-3-phones"));
    expect(p.modules.map((m) => [m.module, m.availableWatts, m.usedWatts, m.remainingWatts])).toEqual([
      ["1", 740, 38.4, 701.6],
      ["2", 740, 12.8, 727.2],
      ["3", 370, 0, 370],
    ]);
    const phones = p.ports.filter((x) => x.oper === "on").map((x) => x.device);
    expect(phones).toEqual([
      "IP Phone 8845",
      "IP Phone 8845",
      "Ieee PD",
      "Yealink SIP-T54W",
      "Polycom VVX 450",
    ]);
    expect(p.totals).toEqual({ portsOn: 5, powerWatts: 51.2 });
  });

  it("a switch without PoE hardware is `supported: false`, not an error and not an empty success", () => {
    expect(parseShowPowerInline("%No inline power card on switch\n")).toEqual({
      supported: false,
      modules: [],
      ports: [],
      totals: null,
    });
  });

  it("refuses other output, broken rows and device errors", () => {
    parseErrorOf(
      () => parseShowPowerInline("Module   Available     Used     Remaining\n1 370.0 0.0 370.0"),
      "PK_ERR_PARSE_UNRECOGNISED",
      1,
    );
    const table = "Interface Admin  Oper       Power   Device              Class Max\n";
    parseErrorOf(
      () => parseShowPowerInline(`${table}Gi1/0/1   auto   on         6.3     IP Phone`),
      "PK_ERR_PARSE_UNRECOGNISED",
      2,
    );
    parseErrorOf(() => parseShowPowerInline(invalidInput("show power inline")), "PK_ERR_PARSE_DEVICE_ERROR");
  });
});
