import { describe, expect, it } from "vitest";
import { normaliseMac } from "../../../agent/render/view-model.js";
import type { Site } from "../../../agent/site/schema.js";
import { fibreSite, provisioningFor } from "../../helpers/provisioning-fixture.js";

const mac = (i: number) => normaliseMac(fibreSite.phones[i]?.mac ?? "");

describe("reloading a changed site file", () => {
  it("resyncs only the phone whose own file changed", () => {
    const p = provisioningFor();
    const changed: Site = {
      ...fibreSite,
      phones: fibreSite.phones.map((ph, i) => (i === 3 ? { ...ph, user: "Renamed User" } : ph)),
    };
    expect(p.reload(changed).map((r) => r.mac)).toEqual([mac(3)]);
    const own = p.service.handle({ path: `${mac(3)}.cfg`, source: "10.60.20.9", protocol: "http" });
    expect(own.kind === "file" && own.file.content.toString()).toContain("Renamed User");
  });

  it("resyncs every phone of a family whose shared files changed, and new phones", () => {
    const p = provisioningFor();
    const changed: Site = {
      ...fibreSite,
      provider: { ...fibreSite.provider, ntp_servers: ["ntp3.example.net"] },
    };
    const families = new Set(p.reload(changed).map((r) => r.family));
    expect(families).toEqual(new Set(["yealink", "polycom", "cisco-spa", "aastra", "panasonic", "gigaset"]));

    const added = {
      ...fibreSite.phones[0],
      mac: "00:15:65:6b:99:01",
      extension: "1999",
      user: "New Hire",
    } as Site["phones"][number];
    const p2 = provisioningFor();
    expect(p2.reload({ ...fibreSite, phones: [...fibreSite.phones, added] }).map((r) => r.mac)).toEqual([
      "0015656b9901",
    ]);
    expect(p2.service.checkIns.list().map((c) => c.mac)).toContain("0015656b9901");
  });

  it("stops serving a removed phone's credentials", () => {
    const p = provisioningFor();
    p.reload({ ...fibreSite, phones: fibreSite.phones.slice(1) });
    const gone = p.service.handle({ path: `${mac(0)}.cfg`, source: "10.60.20.9", protocol: "http" });
    expect(gone.kind === "file" && gone.file.secrets).toBe(false);
    expect(p.service.checkIns.has(mac(0))).toBe(false);
  });
});
