import { describe, expect, it } from "vitest";
import { phoneConfigFetched } from "../../../agent/checks/phone-config-fetched.js";
import { phoneFirmware } from "../../../agent/checks/phone-firmware.js";
import {
  bad,
  catalog,
  cdp,
  checkIns,
  context,
  lldp,
  ok,
  routerDevice,
  site,
  switchCli,
  switchDevice,
} from "./fixtures.js";

const catalogFirmware = (mac: string) =>
  (catalog.findPhone(site.phones.find((p) => p.mac === mac)?.model ?? "")?.firmware ?? "").replace(
    /\.rom$/,
    "",
  );
const announcing = (firmware: (mac: string) => string, spa = "7.4.9a") =>
  switchDevice(
    switchCli({
      "show lldp neighbors detail": lldp({}, [], firmware),
      "show cdp neighbors detail": cdp("GigabitEthernet1/0/5", spa),
    }),
  );

const B003 = "00:15:65:1a:b0:03";

describe("phone_config_fetched", () => {
  it("passes when every inventory phone was served its files (MAC notation does not matter)", () => {
    const r = phoneConfigFetched.run(
      context({ phones: ok(checkIns((p) => ({ ...p, mac: p.mac.toUpperCase().replace(/:/g, "") }))) }),
    );
    expect(r.status).toBe("pass");
    expect(r.evidence).toHaveLength(5);
  });

  it("fails naming the phone that never asked, and one unknown to the service", () => {
    const list = checkIns((p) =>
      p.mac === B003 ? { ...p, lastSeen: null, address: null, filesServed: 0 } : p,
    );
    const r = phoneConfigFetched.run(context({ phones: ok(list.filter((p) => p.extension !== "204")) }));
    expect(r.status).toBe("fail");
    expect(r.evidence.filter((e) => e.ok === false).map((e) => [e.subject, e.observed])).toEqual([
      ["phone 202 (Yealink T32G, 00:15:65:1a:b0:03)", "never asked for its files"],
      ["phone 204 (Cisco SPA504, 00:22:90:1a:b0:05)", "unknown to the provisioning service"],
    ]);
  });

  it("is unknown without check-ins", () => {
    const r = phoneConfigFetched.run(
      context({ phones: bad("no provisioning service in this process", "PK_ERR_OBSERVE_SOURCE") }),
    );
    expect(r.status).toBe("unknown");
    expect(r.summary).toContain("no provisioning service");
  });
});

describe("phone_firmware", () => {
  it("passes when each phone reports the catalog firmware", () => {
    expect(phoneFirmware.run(context()).status).toBe("pass");
  });

  it("fails naming the phone on other firmware, judged against the catalog (not the stored verdict)", () => {
    const list = checkIns((p) =>
      p.mac === B003 ? { ...p, reportedFirmware: "1.2.3", firmwareCompliant: true } : p,
    );
    const r = phoneFirmware.run(context({ phones: ok(list) }));
    expect(r.status).toBe("fail");
    expect(r.evidence.filter((e) => e.ok === false).map((e) => e.subject)).toEqual([
      "phone 202 (Yealink T32G, 00:15:65:1a:b0:03)",
    ]);
  });

  it("is unknown for a phone that has not reported its firmware yet", () => {
    const list = checkIns((p) =>
      p.mac === B003 ? { ...p, reportedFirmware: null, firmwareCompliant: null } : p,
    );
    expect(phoneFirmware.run(context({ phones: ok(list) })).status).toBe("unknown");
    expect(phoneFirmware.run(context({ phones: bad() })).status).toBe("unknown");
  });

  it("judges what the phones announce over LLDP-MED and CDP when there are no check-ins", () => {
    const phones = bad("no provisioning service in this process", "PK_ERR_OBSERVE_SOURCE");
    const good = phoneFirmware.run(
      context({ phones, devices: [routerDevice(), announcing(catalogFirmware)] }),
    );
    expect(good.status).toBe("pass");
    expect(good.evidence[4]).toMatchObject({ observed: "announces 7.4.9a over CDP" });
    const older = (mac: string) => (mac === B003 ? "1.0.0.1" : catalogFirmware(mac));
    const r = phoneFirmware.run(context({ phones, devices: [routerDevice(), announcing(older, "7.4.8")] }));
    expect(r.evidence.filter((e) => e.ok === false).map((e) => [e.subject, e.observed])).toEqual([
      ["phone 202 (Yealink T32G, 00:15:65:1a:b0:03)", "announces 1.0.0.1 over LLDP"],
      ["phone 204 (Cisco SPA504, 00:22:90:1a:b0:05)", "announces 7.4.8 over CDP"],
    ]);
  });
});
