import { describe, expect, it } from "vitest";
import { maskSecrets } from "../../../drivers/ios/parse/config-secrets.js";
import {
  diffConfig,
  parseShowRunningConfig,
  renderConfig,
} from "../../../drivers/ios/parse/show-running-config.js";
import { fixtureText, invalidInput, itParsesFixtures, parseErrorOf } from "./fixture-cases.js";

describe("parseShowRunningConfig", () => {
  itParsesFixtures("show-running-config", parseShowRunningConfig);

  it("drops volatile lines and masks every secret of the voice switch", () => {
    const text = renderConfig(
      parseShowRunningConfig(fixtureText("show-running-config", "voice-access-switch")).nodes,
    ).join("\n");
    expect(text).not.toMatch(
      /Building|Current configuration|Last configuration change|NVRAM|ntp clock-period|^!|sw-acc-3rdfloor#/m,
    );
    expect(text).not.toMatch(/\$9\$|0822455D0A16544541|Wh1sper|070C285F4D06485744|1511021F07257A767B/);
    expect(text).toContain("snmp-server host 10.99.0.10 version 2c <secret>");
  });

  it("reads through CRLF and a --More-- in the middle of a stanza", () => {
    const config = parseShowRunningConfig(fixtureText("show-running-config", "router-crlf-pager-prompt"));
    const dialer = config.nodes.find((n) => n.line === "interface Dialer1");
    expect(dialer?.children.map((c) => c.line)).toEqual([
      "ppp chap hostname branch01@isp",
      "ppp chap password 7 <secret>",
    ]);
    expect(config.nodes.find((n) => n.line.startsWith("banner login"))?.line).toBe(
      "banner login ^CBranch router - authorised use only^C",
    );
  });

  it("masks the usual secret forms and leaves look-alikes alone", () => {
    expect(maskSecrets("snmp-server host 10.0.0.1 vrf M informs version 2c pub  tty")).toBe(
      "snmp-server host 10.0.0.1 vrf M informs version 2c <secret>  tty",
    );
    expect(maskSecrets("snmp-server host 10.0.0.1 version 3 priv ops")).toBe(
      "snmp-server host 10.0.0.1 version 3 priv ops",
    );
    expect(maskSecrets("key sharedtext", "radius server ISE")).toBe("key <secret>");
    expect(maskSecrets("ntp authentication-key 1 md5 0123 7")).toBe(
      "ntp authentication-key 1 md5 <secret> 7",
    );
    for (const kept of [
      "service password-encryption",
      "password encryption aes",
      "key 1",
      "description password for printer",
    ])
      expect(maskSecrets(kept)).toBe(kept);
  });

  it("diffs two configurations by hierarchy, not by line position", () => {
    const before = parseShowRunningConfig(
      "hostname a\ninterface Gi1/0/1\n switchport voice vlan 20\ninterface Gi1/0/2\n shutdown\narchive\n path flash:a\n",
    ).nodes;
    const after = parseShowRunningConfig(
      "hostname a\ninterface Gi1/0/2\n shutdown\n switchport voice vlan 20\ninterface Gi1/0/1\n switchport voice vlan 21\n",
    ).nodes;
    expect(diffConfig(before, after)).toEqual([
      { op: "-", line: "archive", path: [] },
      { op: "-", line: "path flash:a", path: ["archive"] },
      { op: "+", line: "switchport voice vlan 20", path: ["interface Gi1/0/2"] },
      { op: "-", line: "switchport voice vlan 20", path: ["interface Gi1/0/1"] },
      { op: "+", line: "switchport voice vlan 21", path: ["interface Gi1/0/1"] },
    ]);
    expect(diffConfig(before, before)).toEqual([]);
  });

  it("refuses text that is not a configuration, an unclosed banner and device errors", () => {
    parseErrorOf(
      () => parseShowRunningConfig("Port Name Status\nGi1/0/1 x connected"),
      "PK_ERR_PARSE_UNRECOGNISED",
      null,
    );
    parseErrorOf(
      () => parseShowRunningConfig("hostname a\nbanner motd ^C\nhello\n"),
      "PK_ERR_PARSE_UNRECOGNISED",
      2,
    );
    parseErrorOf(
      () => parseShowRunningConfig(invalidInput("show running-config")),
      "PK_ERR_PARSE_DEVICE_ERROR",
    );
  });
});
