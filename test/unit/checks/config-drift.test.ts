import { describe, expect, it } from "vitest";
import { configDrift } from "../../../agent/checks/config-drift.js";
import { bad, context, ok, routerDevice, switchDevice } from "./fixtures.js";

describe("config_drift", () => {
  it("passes when no device drifted", () => {
    const r = configDrift.run(context());
    expect(r.status).toBe("pass");
    expect(r.evidence.map((e) => e.subject)).toEqual(["lab-rtr1", "lab-sw1"]);
  });

  it("fails naming the device and the differing lines", () => {
    const drift = ok([
      { op: "+" as const, line: "vlan 777", path: [] },
      { op: "-" as const, line: "switchport voice vlan 30", path: ["interface GigabitEthernet1/0/3"] },
    ]);
    const r = configDrift.run(context({ devices: [routerDevice(), switchDevice(undefined, { drift })] }));
    expect(r.status).toBe("fail");
    expect(r.summary).toBe("1 of 2 devices wrong: lab-sw1");
    expect(r.evidence[1]?.observed).toBe(
      "2 line(s) differ: + vlan 777 / - interface GigabitEthernet1/0/3 / switchport voice vlan 30",
    );
  });

  it("is unknown when drift could not be computed or is missing", () => {
    const failed = context({
      devices: [routerDevice(), switchDevice(undefined, { drift: bad("ssh: timeout") })],
    });
    expect(configDrift.run(failed).status).toBe("unknown");
    const sw = switchDevice();
    delete sw.drift;
    expect(configDrift.run(context({ devices: [routerDevice(), sw] })).status).toBe("unknown");
  });
});
