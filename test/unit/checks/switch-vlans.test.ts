import { describe, expect, it } from "vitest";
import { switchVlans } from "../../../agent/checks/switch-vlans.js";
import type { Vlans } from "../../../drivers/snmp/index.js";
import { bad, context, ok, routerDevice, switchCli, switchDevice, vlanBrief } from "./fixtures.js";

const withSwitch = (dev: ReturnType<typeof switchDevice>) => context({ devices: [routerDevice(), dev] });

describe("switch_vlans", () => {
  it("passes when VLANs 10, 30 and 99 are active", () => {
    const r = switchVlans.run(context());
    expect(r.status).toBe("pass");
    expect(r.evidence.map((e) => e.subject)).toEqual([
      "lab-sw1 VLAN 10 (data)",
      "lab-sw1 VLAN 30 (voice)",
      "lab-sw1 VLAN 99 (management)",
    ]);
  });

  it("fails naming the missing voice VLAN", () => {
    const r = switchVlans.run(
      withSwitch(switchDevice(switchCli({ "show vlan brief": vlanBrief([10, 99]) }))),
    );
    expect(r.status).toBe("fail");
    expect(r.summary).toContain("lab-sw1 VLAN 30 (voice)");
    expect(r.evidence.find((e) => e.ok === false)?.observed).toBe("no such VLAN");
  });

  it("falls back to SNMP when the CLI failed, and fails on a suspended VLAN there", () => {
    const vlans: Vlans = {
      vlans: [
        { domain: 1, id: 10, name: "DATA", state: "operational" },
        { domain: 1, id: 30, name: "VOICE", state: "suspended" },
        { domain: 1, id: 99, name: "MGMT", state: "operational" },
      ],
      ports: [],
    };
    const dev = switchDevice(
      { ...switchCli(), "show vlan brief": bad() },
      { snmp: { vlans: ok(vlans, "SNMP") } },
    );
    const r = switchVlans.run(withSwitch(dev));
    expect(r.status).toBe("fail");
    expect(r.evidence.find((e) => e.ok === false)).toMatchObject({
      observed: "VLAN 30 VOICE, suspended",
      source: "SNMP",
    });
  });

  it("is unknown, never pass, when neither CLI nor SNMP could be read, with the error in the evidence", () => {
    const dev = switchDevice(
      { ...switchCli(), "show vlan brief": bad("timeout after 4 s") },
      { snmp: { vlans: bad("reading VLANs from 127.20.0.2: timeout after 4 s") } },
    );
    const r = switchVlans.run(withSwitch(dev));
    expect(r.status).toBe("unknown");
    expect(r.evidence[0]?.observed).toMatch(/^not observed: .*timeout after 4 s/);
  });

  it("is unknown when the switch was not observed at all", () => {
    expect(switchVlans.run(context({ devices: [routerDevice()] })).status).toBe("unknown");
  });
});
