import { describe, expect, it } from "vitest";
import { phonePortVlans } from "../../../agent/checks/phone-port-vlans.js";
import type { Vlans } from "../../../drivers/snmp/index.js";
import { bad, context, ok, routerDevice, switchCli, switchDevice, switchport } from "./fixtures.js";

const withCli = (text: string) =>
  context({ devices: [routerDevice(), switchDevice(switchCli({ "show interfaces switchport": text }))] });

describe("voice_vlan", () => {
  it("passes with every phone port in access VLAN 10 and voice VLAN 30, linked or not", () => {
    const r = phonePortVlans.run(withCli(switchport({ "Gi1/0/7": { oper: "down" } })));
    expect(r.status).toBe("pass");
    expect(r.evidence).toHaveLength(8);
  });

  it("fails naming the port without voice VLAN", () => {
    const r = phonePortVlans.run(withCli(switchport({ "Gi1/0/3": { voice: "none" } })));
    expect(r.status).toBe("fail");
    expect(r.summary).toBe("1 of 8 phone ports wrong: lab-sw1 Gi1/0/3");
    expect(r.evidence[2]).toMatchObject({ ok: false, observed: expect.stringContaining("voice VLAN none") });
  });

  it("fails a port in the wrong access VLAN and a port that trunks", () => {
    const r = phonePortVlans.run(
      withCli(switchport({ "Gi1/0/2": { access: 20 }, "Gi1/0/6": { admin: "trunk", oper: "trunk" } })),
    );
    expect(r.evidence.filter((e) => e.ok === false).map((e) => e.subject)).toEqual([
      "lab-sw1 Gi1/0/2",
      "lab-sw1 Gi1/0/6",
    ]);
  });

  it("reads SNMP when the CLI failed", () => {
    const ports = Array.from({ length: 8 }, (_, i) => ({
      ifIndex: 10101 + i,
      ifName: `Gi1/0/${i + 1}`,
      membership: "static" as const,
      accessVlan: 10,
      voiceVlan: i === 4 ? ({ kind: "none" } as const) : ({ kind: "vlan", vlan: 30 } as const),
    }));
    const vlans: Vlans = { vlans: [], ports };
    const dev = switchDevice(
      { ...switchCli(), "show interfaces switchport": bad() },
      { snmp: { vlans: ok(vlans, "SNMP") } },
    );
    const r = phonePortVlans.run(context({ devices: [routerDevice(), dev] }));
    expect(r.status).toBe("fail");
    expect(r.evidence.filter((e) => e.ok === false).map((e) => e.subject)).toEqual(["lab-sw1 Gi1/0/5"]);
  });

  it("is unknown when the switchport table could not be read", () => {
    const dev = switchDevice({
      ...switchCli(),
      "show interfaces switchport": bad("ssh: connection refused"),
    });
    const r = phonePortVlans.run(context({ devices: [routerDevice(), dev] }));
    expect(r.status).toBe("unknown");
    expect(r.summary).toContain("ssh: connection refused");
  });
});
