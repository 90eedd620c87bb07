import type { IosCommand } from "../../drivers/ios/parse/index.js";
import type { SipResult, SipTarget } from "../../drivers/sip/client.js";
import type { DeviceReading, SnmpClient } from "../../drivers/snmp/index.js";
import { PatchkastError } from "../errors.js";
import type { PhoneCheckIn } from "../provision/check-ins.js";
import type { Site } from "../site/schema.js";
import type { Observations, Observed, SipProbeObservation } from "./observations.js";
import { type CliRunner, observeDevice } from "./observe-device.js";
import { Budget, failed, messageOf, observed, seconds } from "./observe-util.js";

export type { CliRunner } from "./observe-device.js";
export { defaultCliCommands, defaultSnmpReadings } from "./observe-device.js";

export interface ObserveDevice {
  name: string;
  role: "router" | "switch";
  /** Management address, for messages and sources. */
  address: string;
  /** The switch platform decides the commands (`show mls qos` does not exist on a Catalyst 9000). */
  platform?: "catalyst-classic" | "catalyst-9000" | "ios" | "ios-xe";
  /** The rendered standard config, for drift; left out, no drift is computed. May throw (secrets). */
  intent?: () => string;
}

export interface ObserveDeps {
  site: Site;
  devices: readonly ObserveDevice[];
  /** A client for the device; observeSite closes it. */
  openSnmp: (device: ObserveDevice) => SnmpClient;
  /** A logged-in, privileged CLI session; observeSite closes it. */
  openCli: (device: ObserveDevice) => Promise<CliRunner>;
  /** One OPTIONS probe (drivers/sip/client.ts `options`); left out, no SIP probe runs. */
  probeSip?: (target: SipTarget) => Promise<SipResult>;
  /** Where to probe; default the site's proxy on its configured transport (TLS is not probed). */
  sipTargets?: (site: Site) => SipTarget[];
  /** The provisioning service's check-ins; left out, phones are observed as unavailable. */
  phones?: () => readonly PhoneCheckIn[] | Promise<readonly PhoneCheckIn[]>;
  inMaintenanceWindow?: (now: Date) => boolean;
  /** Which SNMP groups and CLI commands per device; defaults: defaultSnmpReadings, defaultCliCommands. */
  snmpReadings?: (device: ObserveDevice) => readonly DeviceReading[];
  cliCommands?: (device: ObserveDevice) => readonly IosCommand[];
  /** Everything one device does in a round, SNMP and CLI together (they run side by side). Default 90 s. */
  deviceBudgetMs?: number;
  /** One SNMP group, one CLI command, opening a session. Default 30 s. */
  stepTimeoutMs?: number;
  /** A SIP probe or the check-in lookup. Default 10 s (the probe's own Timer F should be shorter). */
  sipTimeoutMs?: number;
  signal?: AbortSignal;
  now?: () => Date;
}

export type ObserveProgress = (event: {
  device?: string;
  step: string;
  ok: boolean;
  detail?: string;
}) => void;

/** The site's proxy on its configured transport; TLS is not probed (drivers/sip speaks UDP and TCP). */
export function defaultSipTargets(site: Site): SipTarget[] {
  const p = site.provider.sip_proxy;
  return p.transport === "tls" ? [] : [{ host: p.host, port: p.port, transport: p.transport }];
}

/**
 * One OPTIONS probe per target. A probe that throws (a bad target, a bug) or overruns becomes a result
 * without a status, like any other unanswered probe: the SLA counters must count it as down, not skip it.
 */
export async function probeSipProxy(deps: ObserveDeps): Promise<SipProbeObservation[]> {
  const probe = deps.probeSip;
  if (!probe) return [];
  const targets = (deps.sipTargets ?? defaultSipTargets)(deps.site);
  const timeout = deps.sipTimeoutMs ?? 10_000;
  return Promise.all(
    targets.map(async (t): Promise<SipProbeObservation> => {
      const at = now(deps);
      const name = `${t.host}:${t.port}`;
      let result: SipResult;
      try {
        result = await new Budget(timeout).run(
          `SIP OPTIONS to ${name}/${t.transport}`,
          timeout,
          () => probe(t),
          deps.signal,
        );
      } catch (err) {
        const timedOut = (err as { code?: string }).code === "PK_ERR_OBSERVE_TIMEOUT";
        result = {
          status: null,
          reason: messageOf(err),
          rttMs: null,
          reachable: false,
          failure: timedOut ? "timeout" : "network",
          retransmissions: 0,
        };
      }
      return {
        target: name,
        transport: t.transport,
        at: at.toISOString(),
        result,
        inMaintenance: deps.inMaintenanceWindow?.(at) ?? false,
      };
    }),
  );
}

async function observePhones(deps: ObserveDeps): Promise<Observed<PhoneCheckIn[]>> {
  const source = "provisioning service check-ins";
  const get = deps.phones;
  if (!get)
    return failed(
      "reading phone check-ins",
      new PatchkastError("PK_ERR_OBSERVE_SOURCE", "no provisioning service in this process"),
      source,
      now(deps),
    );
  const timeout = deps.sipTimeoutMs ?? 10_000;
  try {
    const list = await new Budget(timeout).run(
      "reading phone check-ins",
      timeout,
      async () => get(),
      deps.signal,
    );
    return observed([...list], source, now(deps));
  } catch (err) {
    return failed("reading phone check-ins", err, source, now(deps));
  }
}

const now = (deps: ObserveDeps) => deps.now?.() ?? new Date();

/**
 * One round of observations for a site: the SIP probes (first, see below), then every device's SNMP
 * groups and show commands (devices in parallel; on one device SNMP and CLI side by side, each bounded by the device's budget), drift against
 * the rendered intent, SIP probes of the provider's proxy, and the phones' check-ins. Never throws: each
 * failure is an `{ ok: false, error, code }` entry saying what was being done where.
 */
export async function observeSite(deps: ObserveDeps, onProgress?: ObserveProgress): Promise<Observations> {
  const started = now(deps);
  const progress: ObserveProgress = (e) => {
    try {
      onProgress?.(e);
    } catch {
      // A progress printer must not break a round.
    }
  };
  // SIP first, alone: the RTT is a measurement, and SSH handshakes and parsing in this same process
  // would add their CPU time to it (in the lab a loopback OPTIONS took 130 ms beside them, 30 ms alone).
  const sipProbes = await probeSipProxy(deps);
  const [devices, phones] = await Promise.all([
    Promise.all(deps.devices.map((d) => observeDevice(deps, d, progress))),
    observePhones(deps),
  ]);
  progress({
    step: "round",
    ok: true,
    detail: `${devices.length} device(s) in ${seconds(now(deps).getTime() - started.getTime())}`,
  });
  return { at: started.toISOString(), devices, sipProbes, phones };
}
