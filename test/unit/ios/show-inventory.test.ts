import { describe, expect, it } from "vitest";
import { parseShowInventory } from "../../../drivers/ios/parse/show-inventory.js";
import { fixtureText, invalidInput, itParsesFixtures, parseErrorOf } from "./fixture-cases.js";

describe("parseShowInventory", () => {
  itParsesFixtures("show-inventory", parseShowInventory);

  it("keeps commas inside quoted descriptions and reads empty VID/SN as null", () => {
    const items = parseShowInventory(fixtureText("show-inventory", "isr-empty-fields"));
    expect(items.find((i) => i.name === "NIM subslot 0/1")?.description).toBe(
      "NIM-2FXSP, 2-port FXS voice interface, with power",
    );
    expect(items.find((i) => i.name === "module F0")).toMatchObject({ vid: null, serialNumber: null });
  });

  it("fails on a NAME without its PID line, on garbage and on device errors", () => {
    parseErrorOf(
      () =>
        parseShowInventory('NAME: "Chassis", DESCR: "x"\n\nNAME: "PSU", DESCR: "y"\nPID: A , VID: B , SN: C'),
      "PK_ERR_PARSE_UNRECOGNISED",
      1,
    );
    parseErrorOf(() => parseShowInventory("hello world"), "PK_ERR_PARSE_UNRECOGNISED", 1);
    parseErrorOf(() => parseShowInventory(invalidInput("show inventory")), "PK_ERR_PARSE_DEVICE_ERROR");
  });
});
