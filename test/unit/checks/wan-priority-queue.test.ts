import { describe, expect, it } from "vitest";
import { wanPriorityQueue } from "../../../agent/checks/wan-priority-queue.js";
import { bad, context, routerDevice, routerRunning, shown, switchDevice } from "./fixtures.js";

const withRouter = (running: string, extra = {}) =>
  wanPriorityQueue.run(context({ devices: [routerDevice(running, extra), switchDevice()] }));

describe("wan_priority_queue", () => {
  it("passes on the standard config: WAN-SHAPE → WAN-QUEUE class VOICE priority, match dscp ef", () => {
    const r = withRouter(routerRunning());
    expect(r.status).toBe("pass");
    expect(r.evidence[0]?.observed).toMatch(
      /GigabitEthernet0\/0\/0 output WAN-SHAPE → WAN-QUEUE class VOICE: priority percent \d+ \(match dscp ef\)/,
    );
  });

  it("fails when the service-policy is removed from the WAN interface", () => {
    const r = withRouter(routerRunning().replace(/ service-policy output WAN-SHAPE\n/, ""));
    expect(r.status).toBe("fail");
    expect(r.evidence[0]?.observed).toBe("no output service-policy on the WAN interface");
  });

  it("fails when the voice class lost its priority (bandwidth instead)", () => {
    const r = withRouter(routerRunning().replace(/ {2}priority percent \d+/, "  bandwidth percent 30"));
    expect(r.status).toBe("fail");
    expect(r.evidence[0]?.observed).toContain("has no priority class");
  });

  it("fails when the priority class no longer matches dscp ef", () => {
    const r = withRouter(routerRunning().replace(" match dscp ef", " match dscp af41"));
    expect(r.status).toBe("fail");
    expect(r.evidence[0]?.observed).toContain("does not match dscp ef");
  });

  it("adds the live view of show policy-map interface when it was read", () => {
    const live = [
      " GigabitEthernet0/0/0 ",
      "",
      "  Service-policy output: WAN-SHAPE",
      "",
      "    Class-map: class-default (match-any)  ",
      "      0 packets, 0 bytes",
      "      5 minute offered rate 0000 bps, drop rate 0000 bps",
      "      Match: any ",
      "",
      "      Service-policy : WAN-QUEUE",
      "",
      "        Class-map: VOICE (match-any)  ",
      "          0 packets, 0 bytes",
      "          5 minute offered rate 0000 bps, drop rate 0000 bps",
      "          Match:  dscp ef (46)",
      "          Priority: 33% (924 kbps), burst bytes 23100, b/w exceed drops: 0",
      "",
    ].join("\n");
    const dev = routerDevice();
    const r = wanPriorityQueue.run(
      context({
        devices: [
          {
            ...dev,
            cli: { ...dev.cli, "show policy-map interface": shown("show policy-map interface", live) },
          },
          switchDevice(),
        ],
      }),
    );
    expect(r.evidence).toHaveLength(2);
    expect(r.evidence[1]).toMatchObject({ ok: true, observed: "priority class VOICE live" });
  });

  it("is unknown without the router's running-config", () => {
    const dev = routerDevice();
    const r = wanPriorityQueue.run(
      context({
        devices: [
          { ...dev, cli: { "show running-config": bad("ssh: auth failed", "PK_ERR_IOS_AUTH") } },
          switchDevice(),
        ],
      }),
    );
    expect(r.status).toBe("unknown");
    expect(r.evidence[0]?.observed).toBe("not observed: ssh: auth failed");
  });
});
