import { describe, expect, it } from "vitest";
import { uplinkTrunk } from "../../../agent/checks/uplink-trunk.js";
import { bad, context, routerDevice, switchCli, switchDevice, switchport } from "./fixtures.js";

const withCli = (text: string) =>
  context({ devices: [routerDevice(), switchDevice(switchCli({ "show interfaces switchport": text }))] });

describe("uplink_trunk", () => {
  it("passes when Gi1/0/25 trunks 10,30,99 (extra VLANs allowed)", () => {
    expect(uplinkTrunk.run(context()).status).toBe("pass");
    expect(uplinkTrunk.run(withCli(switchport({ "Gi1/0/25": { trunk: "1-4094" } }))).status).toBe("pass");
  });

  it("fails when the voice VLAN is not allowed, saying which is missing", () => {
    const r = uplinkTrunk.run(withCli(switchport({ "Gi1/0/25": { trunk: "10,99" } })));
    expect(r.status).toBe("fail");
    expect(r.evidence[0]?.observed).toContain("missing 30");
    expect(r.evidence[0]?.subject).toBe("lab-sw1 Gi1/0/25");
  });

  it("fails when the uplink is not trunking", () => {
    const r = uplinkTrunk.run(
      withCli(switchport({ "Gi1/0/25": { admin: "static access", oper: "static access" } })),
    );
    expect(r.status).toBe("fail");
  });

  it("is unknown without the switchport table", () => {
    const dev = switchDevice({ ...switchCli(), "show interfaces switchport": bad() });
    expect(uplinkTrunk.run(context({ devices: [routerDevice(), dev] })).status).toBe("unknown");
  });
});
