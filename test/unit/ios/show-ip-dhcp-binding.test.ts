import { describe, expect, it } from "vitest";
import { parseShowIpDhcpBinding } from "../../../drivers/ios/parse/show-ip-dhcp-binding.js";
import { fixtureText, invalidInput, itParsesFixtures, parseErrorOf } from "./fixture-cases.js";

describe("parseShowIpDhcpBinding", () => {
  itParsesFixtures("show-ip-dhcp-binding", parseShowIpDhcpBinding);

  it("joins a client ID wrapped over four lines and reads Infinite leases", () => {
    const leases = parseShowIpDhcpBinding(
      fixtureText("show-ip-dhcp-binding", "iosxe-state-interface-wrapped-id"),
    );
    expect(leases).toHaveLength(4);
    expect(leases[2]?.clientId).toBe(
      "0063.6973.636f.2d36.3431.362e.3766.3061.2e30.6230.632d.4769.302f.302f.31",
    );
    expect(leases[3]).toMatchObject({ infinite: true, type: "Manual" });
  });

  it("an empty table (header only) is an empty list; other text is an error", () => {
    expect(
      parseShowIpDhcpBinding(
        "IP address          Client-ID/              Lease expiration        Type\n                    Hardware address/\n                    User name",
      ),
    ).toEqual([]);
    parseErrorOf(
      () => parseShowIpDhcpBinding("10.0.0.1  0100.1111.2222.33  Infinite  Manual"),
      "PK_ERR_PARSE_UNRECOGNISED",
      1,
    );
    parseErrorOf(
      () => parseShowIpDhcpBinding("IP address  Client-ID/  Lease expiration  Type\n10.0.0.1 is leased"),
      "PK_ERR_PARSE_UNRECOGNISED",
      2,
    );
    parseErrorOf(
      () => parseShowIpDhcpBinding(invalidInput("show ip dhcp binding")),
      "PK_ERR_PARSE_DEVICE_ERROR",
    );
  });
});
