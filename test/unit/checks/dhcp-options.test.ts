import { describe, expect, it } from "vitest";
import { dhcpProvisioningOptions } from "../../../agent/checks/dhcp-options.js";
import type { Site } from "../../../agent/site/schema.js";
import { bad, context, routerDevice, routerRunning, site, switchDevice } from "./fixtures.js";

const withRouter = (running: string, siteOver: Partial<Site> = {}) =>
  dhcpProvisioningOptions.run(context({ devices: [routerDevice(running), switchDevice()] }, siteOver));

describe("dhcp_provisioning_options", () => {
  it("passes on the standard config: options 150 and 66 name the agent in both pools", () => {
    const r = withRouter(routerRunning());
    expect(r.status).toBe("pass");
    expect(r.evidence.map((e) => [e.subject, e.observed])).toEqual([
      ["lab-rtr1 ip dhcp pool DATA", "option 150 127.20.0.10, option 66 127.20.0.10"],
      ["lab-rtr1 ip dhcp pool VOICE", "option 150 127.20.0.10, option 66 127.20.0.10"],
    ]);
  });

  it("fails naming the pool that lost option 66", () => {
    const text = routerRunning();
    const voice = text.indexOf("ip dhcp pool VOICE");
    const edited = text.slice(0, voice) + text.slice(voice).replace(/ option 66 ascii "[^"]*"\n/, "");
    const r = withRouter(edited);
    expect(r.status).toBe("fail");
    expect(r.summary).toContain("lab-rtr1 ip dhcp pool VOICE");
    expect(r.evidence[1]?.observed).toContain("option 66 missing");
  });

  it("wants option 160 once the site has a Panasonic phone", () => {
    const panasonic = [
      ...site.phones,
      { ...site.phones[0], mac: "00:80:f0:11:22:33", model: "Panasonic KX-UT113NE", extension: "209" },
    ] as Site["phones"];
    const r = withRouter(routerRunning(), { phones: panasonic });
    expect(r.status).toBe("fail");
    expect(r.evidence[0]?.expected).toContain("option 160 http://127.20.0.10:8080/");
  });

  it("is unknown without the running-config", () => {
    const dev = routerDevice();
    const r = dhcpProvisioningOptions.run(
      context({ devices: [{ ...dev, cli: { "show running-config": bad() } }, switchDevice()] }),
    );
    expect(r.status).toBe("unknown");
  });
});
