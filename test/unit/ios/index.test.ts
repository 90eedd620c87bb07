import { describe, expect, it } from "vitest";
import { type IosCommand, iosCommands, parseIos, resolveCommand } from "../../../drivers/ios/parse/index.js";
import { parseErrorOf } from "./fixture-cases.js";

const resolvesTo = (typed: string): IosCommand | string => {
  const r = resolveCommand(typed);
  return r.ok ? r.command : `not ok: ${r.reason}`;
};

describe("resolveCommand", () => {
  it.each([
    ["sh ver", "show version"],
    ["SHOW VERSION", "show version"],
    ["sh inv", "show inventory"],
    ["sh vl br", "show vlan brief"],
    ["show int switchport", "show interfaces switchport"],
    ["show interface Gi1/0/5 switchport", "show interfaces switchport"],
    ["sh int status", "show interfaces status"],
    ["show power inline", "show power inline"],
    ["sh pow inl Gi1/0/1", "show power inline"],
    ["sh mls qos int fa0/1", "show mls qos interface"],
    ["sh lldp nei det", "show lldp neighbors detail"],
    ["show lldp neighbors Gi1/0/8 detail", "show lldp neighbors detail"],
    ["sh cdp nei det", "show cdp neighbors detail"],
    ["sh arch", "show archive"],
    ["sh archive config diff nvram:startup-config system:running-config", "show archive config differences"],
    ["show policy-map int Gi0/0/0 output", "show policy-map interface"],
    ["sh ip dhcp bind", "show ip dhcp binding"],
    ["sh ip nat trans", "show ip nat translations"],
    ["show run", "show running-config"],
    ["sh run | section interface", "show running-config"],
    ["sh start", "show startup-config"],
  ])("%s → %s", (typed, command) => expect(resolvesTo(typed)).toBe(command));

  it("says why it cannot resolve: unknown, too short, filtered output", () => {
    expect(resolvesTo("show clock")).toMatch(/no parser/);
    expect(resolvesTo("show int s")).toMatch(/no parser/);
    expect(resolvesTo("s ver")).toMatch(/no parser/);
    expect(resolvesTo("sh ver | include uptime")).toMatch(/output modifiers/);
    expect(resolvesTo("")).toMatch(/no parser/);
  });

  it("every command resolves to itself, and parseIos throws a typed error for unknown ones", () => {
    for (const c of iosCommands) expect(resolvesTo(c)).toBe(c);
    parseErrorOf(() => parseIos("show clock", "anything"), "PK_ERR_PARSE_COMMAND", null);
  });
});
