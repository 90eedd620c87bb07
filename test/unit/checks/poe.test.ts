import { describe, expect, it } from "vitest";
import { poePhonePorts } from "../../../agent/checks/poe.js";
import type { Poe } from "../../../drivers/snmp/index.js";
import { bad, context, ok, powerInline, routerDevice, switchCli, switchDevice } from "./fixtures.js";

const withPower = (text: string, limits = {}) => ({
  ...context({ devices: [routerDevice(), switchDevice(switchCli({ "show power inline": text }))] }),
  limits,
});

describe("poe", () => {
  it("passes: the five phones draw power, 26 of 370 W used", () => {
    const r = poePhonePorts.run(context());
    expect(r.status).toBe("pass");
    expect(r.evidence.map((e) => e.subject)).toEqual([
      "lab-sw1 Gi1/0/1 (phone 200)",
      "lab-sw1 Gi1/0/2 (phone 201)",
      "lab-sw1 Gi1/0/3 (phone 202)",
      "lab-sw1 Gi1/0/4 (phone 203)",
      "lab-sw1 Gi1/0/5 (phone 204)",
      "lab-sw1 PoE module 1",
    ]);
  });

  it("fails naming the port set to power inline never", () => {
    const r = poePhonePorts.run(withPower(powerInline({ off: ["Gi1/0/4"] })));
    expect(r.status).toBe("fail");
    expect(r.summary).toContain("lab-sw1 Gi1/0/4 (phone 203)");
    expect(r.evidence[3]?.observed).toContain("admin off, oper off");
  });

  it("fails when less than 10 % of the budget is free, and honours a configured threshold", () => {
    const tight = withPower(powerInline({ usedW: 340 }));
    const r = poePhonePorts.run(tight);
    expect(r.status).toBe("fail");
    expect(r.evidence.at(-1)?.observed).toBe("340.0 of 370.0 W used, 8 % free");
    expect(poePhonePorts.run({ ...tight, limits: { poeHeadroomPercent: 5 } }).status).toBe("pass");
  });

  it("fails a switch without PoE", () => {
    const r = poePhonePorts.run(withPower("%No inline power card on switch"));
    expect(r.status).toBe("fail");
  });

  it("falls back to SNMP (cpeExt watts, PSE budget) when the CLI failed", () => {
    const ports = [1, 2, 3, 4, 5].map((n) => ({
      group: 1,
      port: n,
      ifName: `Gi1/0/${n}`,
      detectionStatus: n === 2 ? ("searching" as const) : ("deliveringPower" as const),
      consumptionMw: n === 2 ? 0 : 5200,
      powered: n !== 2,
    }));
    const poe: Poe = {
      pses: [{ group: 1, budgetW: 370, consumptionW: 21 }],
      ports,
      totals: { budgetW: 370, consumptionW: 21, ports: 5, poweredPorts: 4 },
    };
    const dev = switchDevice(
      { ...switchCli(), "show power inline": bad() },
      { snmp: { poe: ok(poe, "SNMP") } },
    );
    const r = poePhonePorts.run(context({ devices: [routerDevice(), dev] }));
    expect(r.status).toBe("fail");
    expect(r.evidence.filter((e) => e.ok === false).map((e) => e.subject)).toEqual([
      "lab-sw1 Gi1/0/2 (phone 201)",
    ]);
    expect(r.evidence.at(-1)).toMatchObject({ ok: true, source: "SNMP" });
  });

  it("is unknown when PoE could not be read", () => {
    const dev = switchDevice({ ...switchCli(), "show power inline": bad() }, { snmp: { poe: bad() } });
    const r = poePhonePorts.run(context({ devices: [routerDevice(), dev] }));
    expect(r.status).toBe("unknown");
    expect(r.evidence.every((e) => e.ok === null)).toBe(true);
  });
});
