import { describe, expect, it } from "vitest";
import { sipProxyReachable } from "../../../agent/checks/sip-proxy.js";
import { context, sipProbe, site } from "./fixtures.js";

const tcpSite = {
  provider: { ...site.provider, sip_proxy: { ...site.provider.sip_proxy, transport: "tcp" as const } },
};

describe("sip_proxy_reachable", () => {
  it("passes on 200 OK in 25 ms over the configured UDP", () => {
    const r = sipProxyReachable.run(context());
    expect(r.status).toBe("pass");
    expect(r.evidence[0]).toMatchObject({
      subject: `${site.provider.sip_proxy.host}:5060/udp`,
      observed: "200 OK in 25 ms",
    });
  });

  it("a 404 or 401 still means the proxy answers", () => {
    expect(
      sipProxyReachable.run(context({ sipProbes: [sipProbe({ status: 404, reason: "Not Found" })] })).status,
    ).toBe("pass");
  });

  it("fails on no answer, on 503, and on an RTT over the bound (default 300 ms, configurable)", () => {
    const none = context({
      sipProbes: [
        sipProbe({
          status: null,
          reason: "no final response after 4000 ms",
          rttMs: null,
          reachable: false,
          failure: "timeout",
        }),
      ],
    });
    expect(sipProxyReachable.run(none).evidence[0]?.observed).toMatch(/^no answer: timeout/);
    expect(sipProxyReachable.run(none).status).toBe("fail");
    expect(
      sipProxyReachable.run(
        context({ sipProbes: [sipProbe({ status: 503, reason: "Service Unavailable" })] }),
      ).status,
    ).toBe("fail");
    const slow = context({ sipProbes: [sipProbe({ rttMs: 450 })] });
    expect(sipProxyReachable.run(slow).status).toBe("fail");
    expect(sipProxyReachable.run({ ...slow, limits: { sipRttMs: 500 } }).status).toBe("pass");
  });

  it("judges the configured transport: a UDP probe says nothing about a TCP site", () => {
    expect(sipProxyReachable.run(context({}, tcpSite)).status).toBe("unknown");
    expect(sipProxyReachable.run(context({ sipProbes: [sipProbe({}, "tcp")] }, tcpSite)).status).toBe("pass");
  });

  it("takes the latest probe of the transport", () => {
    const older = {
      ...sipProbe({ status: null, reachable: false, rttMs: null }),
      at: "2026-01-15T09:00:00.000Z",
    };
    expect(sipProxyReachable.run(context({ sipProbes: [sipProbe(), older] })).status).toBe("pass");
  });

  it("is unknown when no probe ran, and for TLS (not probed)", () => {
    expect(sipProxyReachable.run(context({ sipProbes: [] })).status).toBe("unknown");
    const tls = {
      provider: { ...site.provider, sip_proxy: { ...site.provider.sip_proxy, transport: "tls" as const } },
    };
    expect(sipProxyReachable.run(context({}, tls)).status).toBe("unknown");
  });
});
