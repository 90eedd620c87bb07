import { describe, expect, it } from "vitest";
import { phonePortQos } from "../../../agent/checks/phone-port-qos.js";
import type { Site } from "../../../agent/site/schema.js";
import {
  bad,
  context,
  mlsQos,
  routerDevice,
  site,
  switchCli,
  switchDevice,
  switchRunning,
} from "./fixtures.js";

const withCli = (over: Parameters<typeof switchCli>[0], siteOver: Partial<Site> = {}) =>
  context({ devices: [routerDevice(), switchDevice({ ...switchCli(), ...switchCli(over) })] }, siteOver);

/** The running-config of the switch with the QoS lines of one port replaced. */
function runningWith(port: string, from: RegExp, to: string): string {
  const text = switchRunning();
  const start = text.indexOf(`interface ${port}\n`);
  const end = text.indexOf("!", start);
  return text.slice(0, start) + text.slice(start, end).replace(from, to) + text.slice(end);
}

describe("phone_port_qos on a classic Catalyst (show mls qos interface)", () => {
  it("passes: DSCP trust on Yealink ports, trusted boundary + CoS on the Cisco SPA port", () => {
    const r = phonePortQos.run(context());
    expect(r.status).toBe("pass");
    expect(r.evidence[4]).toMatchObject({
      subject: "lab-sw1 Gi1/0/5",
      expected: "mls qos trust device cisco-phone + mls qos trust cos",
    });
  });

  it("fails naming the port whose trust was removed", () => {
    const r = phonePortQos.run(
      withCli({ "show mls qos interface": mlsQos({ "Gi1/0/2": { mode: "not trusted" } }) }),
    );
    expect(r.status).toBe("fail");
    expect(r.summary).toContain("lab-sw1 Gi1/0/2");
    expect(r.evidence[1]?.observed).toContain("not trusted");
  });

  it("fails the Cisco phone port without the trusted boundary", () => {
    const r = phonePortQos.run(
      withCli({ "show mls qos interface": mlsQos({ "Gi1/0/5": { mode: "trust cos" } }) }),
    );
    expect(r.evidence.filter((e) => e.ok === false).map((e) => e.subject)).toEqual(["lab-sw1 Gi1/0/5"]);
  });

  it("fails every port when QoS is disabled globally", () => {
    const r = phonePortQos.run(withCli({ "show mls qos interface": mlsQos({}, true) }));
    expect(r.evidence.every((e) => e.ok === false)).toBe(true);
    expect(r.evidence[0]?.observed).toContain("QoS disabled globally");
  });

  it("falls back to the running-config when show mls qos failed", () => {
    const cli = { ...switchCli(), "show mls qos interface": bad() };
    const good = phonePortQos.run(context({ devices: [routerDevice(), switchDevice(cli)] }));
    expect(good.status).toBe("pass");
    const running = runningWith("GigabitEthernet1/0/3", / mls qos trust dscp\n/, "");
    const dev = switchDevice({
      ...switchCli({ "show running-config": running }),
      "show mls qos interface": bad(),
    });
    const fallback = phonePortQos.run(context({ devices: [routerDevice(), dev] }));
    expect(fallback.status).toBe("fail");
    expect(fallback.evidence.filter((e) => e.ok === false).map((e) => e.subject)).toEqual([
      "lab-sw1 Gi1/0/3",
    ]);
  });

  it("is unknown when neither source was read", () => {
    const dev = switchDevice({
      ...switchCli(),
      "show mls qos interface": bad(),
      "show running-config": bad(),
    });
    expect(phonePortQos.run(context({ devices: [routerDevice(), dev] })).status).toBe("unknown");
  });
});

describe("phone_port_qos on a Catalyst 9000 (running-config: trust device / auto qos)", () => {
  const c9k = site.switches.map((s) => ({ ...s, platform: "catalyst-9000" as const }));
  const nineK = (running: string) =>
    phonePortQos.run(
      context(
        {
          devices: [
            routerDevice(),
            switchDevice({
              ...switchCli(),
              "show mls qos interface": undefined,
              "show running-config": switchCli({ "show running-config": running })["show running-config"],
            }),
          ],
        },
        { switches: c9k },
      ),
    );
  const c9kRunning = [
    "hostname lab-sw1",
    ...Array.from({ length: 8 }, (_, i) =>
      [
        `interface GigabitEthernet1/0/${i + 1}`,
        ...(i === 4 ? [" trust device cisco-phone", " auto qos voip cisco-phone"] : [" auto qos trust dscp"]),
        "!",
      ].join("\n"),
    ),
  ].join("\n");

  it("passes with auto qos trust dscp / trust device cisco-phone and ignores show mls qos", () => {
    expect(nineK(c9kRunning).status).toBe("pass");
  });

  it("fails when a Yealink port lacks auto qos trust dscp", () => {
    const r = nineK(
      c9kRunning.replace(
        "interface GigabitEthernet1/0/4\n auto qos trust dscp",
        "interface GigabitEthernet1/0/4",
      ),
    );
    expect(r.status).toBe("fail");
    expect(r.evidence.filter((e) => e.ok === false).map((e) => e.subject)).toEqual(["lab-sw1 Gi1/0/4"]);
  });

  it("fails a classic `mls qos trust dscp` line on a 9000 (wrong platform syntax)", () => {
    expect(nineK(c9kRunning.replace(/ auto qos trust dscp/g, " mls qos trust dscp")).status).toBe("fail");
  });
});
