import { describe, expect, it } from "vitest";
import { PatchkastError } from "../../../agent/errors.js";
import { deviceReadings, readDevice, readingToJson } from "../../../drivers/snmp/index.js";
import { fixtureClient } from "./helpers.js";

describe("readDevice", () => {
  it("reads every group from a recording, attaching ifName to rows with an ifIndex", async () => {
    const sw = fixtureClient("cat2960x-voice");
    for (const what of deviceReadings) await expect(readDevice(sw, what)).resolves.toBeDefined();
    const poe = await readDevice(sw, "poe");
    expect(poe.ports[0]).toMatchObject({ ifIndex: 10101, ifName: "Gi1/0/1" });
    const cdp = await readDevice(sw, "cdp");
    expect(cdp.map((n) => n.ifName)).toEqual(["Gi1/0/3", "Gi1/0/49"]);
    const qos = await readDevice(fixtureClient("isr4321-cbqos"), "qos");
    expect(qos.policies.map((p) => p.ifName)).toEqual(["Gi0/0/0", "Gi0/0/1.20"]);
  });

  it("keeps the error code and says what it was reading from where", async () => {
    const client = fixtureClient("cat2960x-voice").failWhen((oid) =>
      oid.startsWith("1.3.6.1.2.1.105")
        ? new PatchkastError(
            "PK_ERR_SNMP_TIMEOUT",
            "walking POWER-ETHERNET-MIB pethMainPsePower on 10.0.0.2: timeout after 4 s",
          )
        : undefined,
    );
    const err = await readDevice(client, "poe").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PatchkastError);
    expect(err).toMatchObject({
      code: "PK_ERR_SNMP_TIMEOUT",
      message:
        "could not read PoE (POWER-ETHERNET-MIB, CISCO-POWER-ETHERNET-EXT-MIB) from snmprec cat2960x-voice: walking POWER-ETHERNET-MIB pethMainPsePower on 10.0.0.2: timeout after 4 s",
    });
  });

  it("serialises Counter64 values as decimal strings", async () => {
    const ifs = await readDevice(fixtureClient("cat2960x-voice"), "interfaces");
    const json = JSON.parse(readingToJson(ifs)) as { ifIndex: number; inOctets: string }[];
    expect(json.find((i) => i.ifIndex === 10149)?.inOctets).toBe("98765432101234");
  });
});
