import { describe, expect, it } from "vitest";
import { runChecks } from "../../../agent/checks/index.js";
import { PatchkastError } from "../../../agent/errors.js";
import {
  type CliRunner,
  type ObserveDeps,
  type ObserveDevice,
  observeSite,
} from "../../../agent/monitor/observe.js";
import { FakeSnmpClient } from "../../../drivers/snmp/index.js";
import {
  catalog,
  cdp,
  checkIns,
  lldp,
  mlsQos,
  powerInline,
  routerRunning,
  site,
  switchport,
  switchRunning,
  vlanBrief,
} from "../checks/fixtures.js";

const outputs: Record<string, Record<string, string>> = {
  "lab-rtr1": { "show running-config": routerRunning() },
  "lab-sw1": {
    "show running-config": switchRunning(),
    "show vlan brief": vlanBrief(),
    "show interfaces switchport": switchport(),
    "show power inline": powerInline(),
    "show mls qos interface": mlsQos(),
    "show lldp neighbors detail": lldp(),
    "show cdp neighbors detail": cdp(),
  },
};

/** A CLI that answers from `outputs`; `hang` commands never answer, unknown ones get IOS's error. */
function fakeCli(name: string, hang: string[] = []): CliRunner & { closed: boolean } {
  const runner = {
    closed: false,
    run: (command: string) =>
      hang.includes(command)
        ? new Promise<string>(() => {})
        : Promise.resolve(
            outputs[name]?.[command] ?? "                ^\n% Invalid input detected at '^' marker.\n",
          ),
    close: () => {
      runner.closed = true;
    },
  };
  return runner;
}

const devices: ObserveDevice[] = [
  { name: "lab-rtr1", role: "router", address: "127.20.0.1", platform: "ios-xe", intent: routerRunning },
  {
    name: "lab-sw1",
    role: "switch",
    address: "127.20.0.2",
    platform: "catalyst-classic",
    intent: switchRunning,
  },
];

function deps(over: Partial<ObserveDeps> = {}): ObserveDeps {
  return {
    site,
    devices,
    openSnmp: (d) => new FakeSnmpClient([], d.address),
    openCli: async (d) => fakeCli(d.name),
    probeSip: async () => ({ status: 200, reason: "OK", rttMs: 12, reachable: true, retransmissions: 0 }),
    phones: () => checkIns(),
    inMaintenanceWindow: () => true,
    ...over,
  };
}

describe("observeSite", () => {
  it("gathers SNMP, CLI, drift, SIP and phones; every check passes on a standard site", async () => {
    const steps: string[] = [];
    const obs = await observeSite(deps(), (e) => steps.push(`${e.device ?? "-"} ${e.step} ${e.ok}`));
    const sw = obs.devices.find((d) => d.name === "lab-sw1");
    expect(Object.keys(sw?.cli ?? {})).toHaveLength(7);
    expect(Object.keys(sw?.snmp ?? {})).toEqual(["vlans", "poe", "lldp", "cdp", "config"]);
    expect(sw?.drift).toMatchObject({ ok: true, value: [] });
    expect(sw?.cli["show power inline"]).toMatchObject({
      ok: true,
      source: "`show power inline` on lab-sw1 (127.20.0.2)",
    });
    expect(obs.sipProbes).toEqual([
      expect.objectContaining({
        target: `${site.provider.sip_proxy.host}:5060`,
        transport: "udp",
        inMaintenance: true,
      }),
    ]);
    expect(obs.phones.ok).toBe(true);
    expect(steps).toContain("lab-sw1 show vlan brief true");
    const results = runChecks({ site, catalog, observations: obs });
    expect(results.filter((r) => r.status !== "pass").map((r) => `${r.id}: ${r.summary}`)).toEqual([]);
  });

  it("a device that cannot be reached gives failed entries with context and code, never a throw", async () => {
    const obs = await observeSite(
      deps({
        openCli: async (d) => {
          if (d.name === "lab-sw1")
            throw new PatchkastError("PK_ERR_IOS_CONNECT", "lab-sw1 (127.20.0.2:22): connection refused");
          return fakeCli(d.name);
        },
        openSnmp: (d) =>
          new FakeSnmpClient([], d.address).failWhen(() =>
            d.name === "lab-sw1"
              ? new PatchkastError(
                  "PK_ERR_SNMP_TIMEOUT",
                  `walking POWER-ETHERNET-MIB on ${d.address}: timeout after 4 s`,
                )
              : undefined,
          ),
      }),
    );
    const sw = obs.devices.find((d) => d.name === "lab-sw1");
    expect(sw?.cli["show power inline"]).toMatchObject({
      ok: false,
      code: "PK_ERR_IOS_CONNECT",
      error: "opening an SSH session to lab-sw1 (127.20.0.2): lab-sw1 (127.20.0.2:22): connection refused",
    });
    expect(sw?.snmp.poe).toMatchObject({ ok: false, code: "PK_ERR_SNMP_TIMEOUT" });
    expect(sw?.snmp.poe?.ok === false && sw.snmp.poe.error).toMatch(
      /^could not read PoE .* from 127\.20\.0\.2: walking POWER-ETHERNET-MIB on 127\.20\.0\.2: timeout after 4 s$/,
    );
    expect(sw?.drift).toMatchObject({ ok: false, code: "PK_ERR_IOS_CONNECT" });
    // The router was observed regardless.
    expect(obs.devices.find((d) => d.name === "lab-rtr1")?.cli["show running-config"]?.ok).toBe(true);
    const results = runChecks({ site, catalog, observations: obs });
    expect(results.find((r) => r.id === "poe")?.status).toBe("unknown");
  });

  it("bounds a hanging command by the step timeout and the device budget, and closes the session", async () => {
    const sessions: ReturnType<typeof fakeCli>[] = [];
    const started = Date.now();
    const obs = await observeSite(
      deps({
        stepTimeoutMs: 150,
        deviceBudgetMs: 400,
        openCli: async (d) => {
          const s = fakeCli(
            d.name,
            d.name === "lab-sw1"
              ? ["show vlan brief", "show interfaces switchport", "show power inline"]
              : [],
          );
          sessions.push(s);
          return s;
        },
      }),
    );
    expect(Date.now() - started).toBeLessThan(2000);
    const cli = obs.devices.find((d) => d.name === "lab-sw1")?.cli;
    expect(cli?.["show vlan brief"]).toMatchObject({ ok: false, code: "PK_ERR_OBSERVE_TIMEOUT" });
    expect(cli?.["show vlan brief"]?.ok === false && cli["show vlan brief"].error).toMatch(
      /^running "show vlan brief" on lab-sw1 \(127\.20\.0\.2\): timeout after 0\.1 s|timeout after 0\.2 s/,
    );
    expect(cli?.["show cdp neighbors detail"]).toMatchObject({ ok: false, code: "PK_ERR_OBSERVE_TIMEOUT" });
    expect(
      cli?.["show cdp neighbors detail"]?.ok === false && cli["show cdp neighbors detail"].error,
    ).toMatch(/budget .* used up/);
    expect(cli?.["show running-config"]?.ok).toBe(true);
    expect(sessions.every((s) => s.closed)).toBe(true);
  });

  it("after a command times out, the rest run on a fresh session; a refused login is not retried", async () => {
    const sessions: ReturnType<typeof fakeCli>[] = [];
    let refusals = 0;
    const obs = await observeSite(
      deps({
        stepTimeoutMs: 100,
        openCli: async (d) => {
          if (d.name === "lab-rtr1") {
            refusals++;
            throw new PatchkastError("PK_ERR_IOS_AUTH", "lab-rtr1: login refused");
          }
          const s = fakeCli(d.name, sessions.length === 0 ? ["show power inline"] : []);
          sessions.push(s);
          return s;
        },
      }),
    );
    const cli = obs.devices.find((d) => d.name === "lab-sw1")?.cli;
    expect(cli?.["show power inline"]).toMatchObject({ ok: false, code: "PK_ERR_OBSERVE_TIMEOUT" });
    expect(cli?.["show mls qos interface"]?.ok).toBe(true);
    expect(cli?.["show cdp neighbors detail"]?.ok).toBe(true);
    expect(sessions).toHaveLength(2);
    expect(sessions.every((s) => s.closed)).toBe(true);
    expect(refusals).toBe(1);
    expect(obs.devices.find((d) => d.name === "lab-rtr1")?.cli["show policy-map interface"]).toMatchObject({
      ok: false,
      code: "PK_ERR_IOS_AUTH",
    });
  });

  it("records parse errors, a missing phone provider and a throwing SIP probe as data", async () => {
    outputs["lab-sw1"] = {
      ...outputs["lab-sw1"],
      "show vlan brief": "% Invalid input detected at '^' marker.",
    };
    try {
      const d = deps({
        probeSip: async () => {
          throw new Error("getaddrinfo ENOTFOUND proxy.example.net");
        },
      });
      delete d.phones;
      const obs = await observeSite(d);
      const vb = obs.devices.find((x) => x.name === "lab-sw1")?.cli["show vlan brief"];
      expect(vb).toMatchObject({ ok: false, code: "PK_ERR_PARSE_DEVICE_ERROR" });
      expect(vb?.ok === false && vb.error).toMatch(/^parsing "show vlan brief" from lab-sw1/);
      expect(obs.phones).toMatchObject({ ok: false, code: "PK_ERR_OBSERVE_SOURCE" });
      expect(obs.sipProbes[0]?.result).toMatchObject({
        status: null,
        reachable: false,
        reason: expect.stringContaining("ENOTFOUND"),
      });
    } finally {
      outputs["lab-sw1"] = { ...outputs["lab-sw1"], "show vlan brief": vlanBrief() };
    }
  });

  it("does not ask a Catalyst 9000 for show mls qos, and probes no TLS proxy", async () => {
    const asked: string[] = [];
    const tls = {
      ...site,
      provider: { ...site.provider, sip_proxy: { ...site.provider.sip_proxy, transport: "tls" as const } },
    };
    const obs = await observeSite(
      deps({
        site: tls,
        devices: [{ name: "lab-sw1", role: "switch", address: "127.20.0.2", platform: "catalyst-9000" }],
        openCli: async (d) => {
          const s = fakeCli(d.name);
          return {
            ...s,
            run: (c: string) => {
              asked.push(c);
              return s.run(c);
            },
          };
        },
      }),
    );
    expect(asked).not.toContain("show mls qos interface");
    expect(asked).toContain("show power inline");
    expect(obs.sipProbes).toEqual([]);
    expect(obs.devices[0]?.drift).toBeUndefined();
  });
});
