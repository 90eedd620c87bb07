import { describe, expect, it } from "vitest";
import { parseShowIpNatTranslations } from "../../../drivers/ios/parse/show-ip-nat-translations.js";
import { fixtureText, invalidInput, itParsesFixtures, parseErrorOf } from "./fixture-cases.js";

describe("parseShowIpNatTranslations", () => {
  itParsesFixtures("show-ip-nat-translations", parseShowIpNatTranslations);

  it("reads SIP and RTP translations and a static one-to-one entry", () => {
    const rows = parseShowIpNatTranslations(fixtureText("show-ip-nat-translations", "sip-rtp-overload-xe"));
    expect(rows.filter((r) => r.insideLocal?.port === 5060).map((r) => r.insideGlobal)).toEqual([
      { ip: "203.0.113.2", port: 5060 },
    ]);
    expect(rows.at(-1)).toEqual({
      protocol: null,
      insideGlobal: { ip: "203.0.113.10", port: null },
      insideLocal: { ip: "10.10.0.250", port: null },
      outsideLocal: null,
      outsideGlobal: null,
    });
  });

  it("checks the device's own count and refuses rows that are not translations", () => {
    const text = fixtureText("show-ip-nat-translations", "sip-rtp-overload-xe").replace(
      "translations: 5",
      "translations: 6",
    );
    parseErrorOf(() => parseShowIpNatTranslations(text), "PK_ERR_PARSE_UNRECOGNISED", 7);
    const header = "Pro Inside global      Inside local       Outside local      Outside global\n";
    parseErrorOf(
      () => parseShowIpNatTranslations(`${header}udp 1.2.3.4:5060 10.0.0.1:5060 x y`),
      "PK_ERR_PARSE_UNRECOGNISED",
      2,
    );
    parseErrorOf(
      () => parseShowIpNatTranslations(`${header}udp 1.2.3.4:5060`),
      "PK_ERR_PARSE_UNRECOGNISED",
      2,
    );
    parseErrorOf(
      () => parseShowIpNatTranslations("tcp 1.2.3.4:1 10.0.0.1:1 --- ---"),
      "PK_ERR_PARSE_UNRECOGNISED",
      1,
    );
    parseErrorOf(
      () => parseShowIpNatTranslations(invalidInput("show ip nat translations")),
      "PK_ERR_PARSE_DEVICE_ERROR",
    );
  });
});
