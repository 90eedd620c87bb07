import { describe, expect, it } from "vitest";
import { checkDeviceError, cleanLines } from "../../../drivers/ios/parse/common.js";
import { canonicalInterfaceName } from "../../../drivers/ios/parse/interface-name.js";
import { parseErrorOf } from "./fixture-cases.js";

const texts = (raw: string) => cleanLines(raw).map((l) => l.text);

describe("cleanLines", () => {
  it("removes CR, trailing blanks, the echo, timestamp lines and the final prompt, keeping line numbers", () => {
    const raw =
      "sw1#show vlan brief\r\nLoad for five secs: 1%/0%; one minute: 1%\r\nTime source is NTP, 10:00:00 CET\r\nVLAN Name   \r\n1    default\r\n\r\nsw1#";
    expect(cleanLines(raw)).toEqual([
      { n: 4, text: "VLAN Name" },
      { n: 5, text: "1    default" },
    ]);
  });

  it("replays backspaces and carriage returns the way a terminal shows them (pager erase)", () => {
    const more = ` --More-- ${"\b".repeat(10)}${" ".repeat(10)}${"\b".repeat(10)}`;
    expect(texts(`a\n${more}Gi1/0/2   auto\nb`)).toEqual(["a", "Gi1/0/2   auto", "b"]);
    expect(texts("a\n --More-- Gi1/0/3\nb")).toEqual(["a", "Gi1/0/3", "b"]);
    expect(texts("abc\rxy")).toEqual(["xyc"]);
    expect(texts("\x1b[7mbanner\x1b[0m text")).toEqual(["banner text"]);
  });

  it("reports device errors at their line", () => {
    const lines = cleanLines("show foo\n       ^\n% Invalid input detected at '^' marker.\n");
    parseErrorOf(() => checkDeviceError("show foo", lines), "PK_ERR_PARSE_DEVICE_ERROR", 3);
    parseErrorOf(
      () => checkDeviceError("x", cleanLines("% Incomplete command.")),
      "PK_ERR_PARSE_DEVICE_ERROR",
      1,
    );
    expect(() => checkDeviceError("x", cleanLines("VLAN Name\n% not an error here"))).not.toThrow();
  });
});

describe("canonicalInterfaceName", () => {
  it.each([
    ["Gi1/0/1", "GigabitEthernet1/0/1"],
    ["GigabitEthernet1/0/1", "GigabitEthernet1/0/1"],
    ["Fa0/1", "FastEthernet0/1"],
    ["Te1/1/1", "TenGigabitEthernet1/1/1"],
    ["Tw1/0/1", "TwoGigabitEthernet1/0/1"],
    ["Twe1/0/1", "TwentyFiveGigE1/0/1"],
    ["Hu1/0/3", "HundredGigE1/0/3"],
    ["Po1", "Port-channel1"],
    ["Vl99", "Vlan99"],
    ["eth0", "Ethernet0"],
    ["Port 1", "Port 1"],
    ["GigabitEthernet 1/0/1", "GigabitEthernet1/0/1"],
  ])("%s → %s", (short, full) => expect(canonicalInterfaceName(short)).toBe(full));
});
