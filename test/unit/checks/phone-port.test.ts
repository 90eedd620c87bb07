import { describe, expect, it } from "vitest";
import { phonePort } from "../../../agent/checks/phone-port.js";
import type { CdpNeighbor, LldpNeighbor } from "../../../drivers/snmp/index.js";
import { bad, cdp, context, lldp, ok, routerDevice, switchCli, switchDevice } from "./fixtures.js";

const run = (over: Parameters<typeof switchCli>[0], extra = {}) =>
  phonePort.run(context({ devices: [routerDevice(), switchDevice({ ...switchCli(over) }, extra)] }));

describe("phone_port", () => {
  it("passes: four Yealinks over LLDP and the SPA over CDP on their site ports", () => {
    const r = run({});
    expect(r.status).toBe("pass");
    expect(r.evidence[4]).toMatchObject({
      subject: "phone 204 (00:22:90:1a:b0:05)",
      observed: "seen on lab-sw1 Gi1/0/5 over CDP",
    });
    expect(r.evidence[0]?.observed).toBe("seen on lab-sw1 Gi1/0/1 over LLDP");
  });

  it("fails naming the phone plugged into another port, and where it is", () => {
    const r = run({ "show lldp neighbors detail": lldp({ "00:15:65:1a:b0:02": "Gi1/0/7" }) });
    expect(r.status).toBe("fail");
    expect(r.evidence[1]).toMatchObject({
      ok: false,
      expected: "on lab-sw1 Gi1/0/2",
      observed: "seen on lab-sw1 Gi1/0/7 over LLDP",
    });
  });

  it("fails a phone seen nowhere when both tables were read", () => {
    const r = run({ "show cdp neighbors detail": "Total cdp entries displayed : 0" });
    expect(r.status).toBe("fail");
    expect(r.evidence[4]?.observed).toBe("not seen over LLDP or CDP on any switch");
  });

  it("reads SNMP LLDP/CDP when the CLI failed", () => {
    const lldpRows: LldpNeighbor[] = [1, 2, 3, 4].map((n) => ({
      localPortNum: n,
      localPort: `Gi1/0/${n}`,
      remIndex: 1,
      chassisId: `00:15:65:1a:b0:0${n}`,
      capabilities: { supported: [], enabled: [] },
      managementAddresses: [],
    }));
    const cdpRows: CdpNeighbor[] = [
      { ifIndex: 10105, ifName: "Gi1/0/6", deviceIndex: 1, deviceId: "SEP0022901AB005", capabilities: [] },
    ];
    const dev = switchDevice(
      { ...switchCli(), "show lldp neighbors detail": bad(), "show cdp neighbors detail": bad() },
      { snmp: { lldp: ok(lldpRows, "SNMP LLDP"), cdp: ok(cdpRows, "SNMP CDP") } },
    );
    const r = phonePort.run(context({ devices: [routerDevice(), dev] }));
    expect(r.status).toBe("fail");
    expect(r.evidence.filter((e) => e.ok === false).map((e) => e.observed)).toEqual([
      "seen on lab-sw1 Gi1/0/6 over CDP",
    ]);
  });

  it("is unknown for a phone not found while a table could not be read", () => {
    const dev = switchDevice({ ...switchCli(), "show cdp neighbors detail": bad("timeout after 4 s") });
    const r = phonePort.run(context({ devices: [routerDevice(), dev] }));
    expect(r.status).toBe("unknown");
    expect(r.evidence[4]?.observed).toBe("not observed: CDP: timeout after 4 s; not in LLDP");
    expect(r.evidence.slice(0, 4).every((e) => e.ok === true)).toBe(true);
  });

  it("uses the CDP fixture's port name", () => {
    expect(run({ "show cdp neighbors detail": cdp("GigabitEthernet1/0/5") }).status).toBe("pass");
  });
});
