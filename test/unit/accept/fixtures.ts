import { join } from "node:path";
import { type Catalog, loadCatalog } from "../../../agent/catalog/load.js";
import type { CheckResult, CheckStatus, Evidence } from "../../../agent/checks/types.js";
import type { Observations } from "../../../agent/monitor/observations.js";
import { sitesDir } from "../../../agent/paths.js";
import type { PhoneCheckIn } from "../../../agent/provision/check-ins.js";
import { loadSiteFile } from "../../../agent/site/load.js";
import type { Site } from "../../../agent/site/schema.js";

/** Hand-built inputs for the acceptance report: the lab site, and observations/results as the contracts say. */
export const catalog: Catalog = loadCatalog();
export const labSiteFile = join(sitesDir, "lab.yaml");
export const labSite: Site = loadSiteFile(labSiteFile, catalog);

export function evidence(ok: boolean | null, subject = "lab-sw1 GigabitEthernet1/0/3"): Evidence {
  return {
    subject,
    expected: "voice VLAN 30",
    observed:
      ok === true ? "voice VLAN 30" : ok === false ? "no voice VLAN" : "not observed: timeout after 4 s",
    ok,
    source: "SNMP CISCO-VLAN-MEMBERSHIP-MIB on 127.20.0.2",
  };
}

export function result(id: string, status: CheckStatus, extra: Partial<CheckResult> = {}): CheckResult {
  const ok = status === "pass" ? true : status === "fail" ? false : null;
  return {
    id,
    title: `Title of ${id}`,
    status,
    summary: `summary of ${id}: ${status}`,
    evidence: [evidence(ok)],
    ...extra,
  };
}

export function checkIn(mac: string, over: Partial<PhoneCheckIn> = {}): PhoneCheckIn {
  return {
    mac,
    extension: "200",
    expectedModel: "Yealink T22P",
    expectedFirmware: null,
    lastSeen: "2026-11-22T09:12:00.000Z",
    address: "10.20.30.21",
    reportedModel: "SIP-T22P",
    reportedFirmware: null,
    firmwareCompliant: null,
    filesServed: 2,
    ...over,
  };
}

export function observations(over: Partial<Observations> = {}): Observations {
  return {
    at: "2026-11-22T09:15:00.000Z",
    devices: [],
    sipProbes: [],
    phones: { ok: true, value: [], at: "2026-11-22T09:15:00.000Z", source: "provisioning check-ins" },
    ...over,
  };
}

export const meta = {
  startedAt: new Date("2026-11-22T09:15:00.000Z"),
  finishedAt: new Date("2026-11-22T09:15:42.500Z"),
  agentVersion: "9.8.7-test",
  nodeVersion: "v20.0.0-test",
};
