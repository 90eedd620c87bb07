import { configDrift } from "../../drivers/ios/drift.js";
import { type IosCommand, iosParsers } from "../../drivers/ios/parse/index.js";
import { type DeviceReading, readDevice, type SnmpClient } from "../../drivers/snmp/index.js";
import type { CliObservations, DeviceObservations, Observed, SnmpObservations } from "./observations.js";
import type { ObserveDeps, ObserveDevice, ObserveProgress } from "./observe.js";
import { Budget, type Failed, failed, messageOf, observed } from "./observe-util.js";

/** What observeSite needs of an IOS CLI session (drivers/ios/session.ts IosSession has exactly this). */
export interface CliRunner {
  run(command: string, timeoutMs?: number): Promise<string>;
  close(): void;
}

const now = (deps: ObserveDeps) => deps.now?.() ?? new Date();

/** The SNMP groups the checks and metrics read (agent/checks, agent/metrics/export-round.ts). */
export function defaultSnmpReadings(d: ObserveDevice): DeviceReading[] {
  return d.role === "switch" ? ["vlans", "poe", "lldp", "cdp", "config"] : ["qos", "config"];
}

/** The show commands the checks read. `show running-config` also feeds drift. */
export function defaultCliCommands(d: ObserveDevice): IosCommand[] {
  if (d.role === "router") return ["show running-config", "show policy-map interface"];
  return [
    "show running-config",
    "show vlan brief",
    "show interfaces switchport",
    "show power inline",
    ...(d.platform === "catalyst-9000" ? [] : (["show mls qos interface"] as const)),
    "show lldp neighbors detail",
    "show cdp neighbors detail",
  ];
}

const readingLabel: Record<DeviceReading, string> = {
  interfaces: "interfaces (IF-MIB)",
  poe: "PoE (POWER-ETHERNET-MIB)",
  vlans: "VLANs (CISCO-VTP-MIB, CISCO-VLAN-MEMBERSHIP-MIB)",
  lldp: "LLDP neighbours (LLDP-MIB)",
  cdp: "CDP neighbours (CISCO-CDP-MIB)",
  qos: "class-based QoS (CISCO-CLASS-BASED-QOS-MIB)",
  calls: "active calls (CISCO-VOICE-DIAL-CONTROL-MIB)",
  config: "config history (CISCO-CONFIG-MAN-MIB)",
};

async function observeSnmp(
  deps: ObserveDeps,
  d: ObserveDevice,
  budget: Budget,
  step: number,
  progress: ObserveProgress,
): Promise<SnmpObservations> {
  const out: Record<string, Observed<unknown>> = {};
  const readings = (deps.snmpReadings ?? defaultSnmpReadings)(d);
  let client: SnmpClient;
  try {
    client = deps.openSnmp(d);
  } catch (err) {
    for (const r of readings)
      out[r] = failed(`opening SNMP to ${d.name} (${d.address})`, err, `SNMP on ${d.address}`);
    return out as SnmpObservations;
  }
  try {
    for (const r of readings) {
      const source = `SNMP ${readingLabel[r]} on ${d.name} (${d.address})`;
      const doing = `reading ${readingLabel[r]} from ${d.name} (${d.address})`;
      try {
        out[r] = observed(
          await budget.run(doing, step, () => readDevice(client, r), deps.signal),
          source,
          now(deps),
        );
        progress({ device: d.name, step: `snmp ${r}`, ok: true });
      } catch (err) {
        // readDevice's errors say what and where already; Budget's start with `doing`.
        out[r] = failed("", err, source, now(deps));
        progress({ device: d.name, step: `snmp ${r}`, ok: false, detail: messageOf(err) });
      }
    }
  } finally {
    client.close();
  }
  return out as SnmpObservations;
}

interface CliOutcome {
  cli: CliObservations;
  /** The running-config as printed, for drift; or the error that kept us from it. */
  running: Observed<string> | undefined;
}

/**
 * The show commands in one session. After a command fails to finish (its timeout, or the session's), the
 * session is closed, since an IOS CLI still printing the last answer would garble the next one, and the
 * next command opens a fresh one, as long as the device's budget lasts.
 */
async function observeCli(
  deps: ObserveDeps,
  d: ObserveDevice,
  budget: Budget,
  step: number,
  progress: ObserveProgress,
): Promise<CliOutcome> {
  const out: Record<string, Observed<unknown>> = {};
  const where = `${d.name} (${d.address})`;
  const sourceOf = (c: string) => `\`${c}\` on ${where}`;
  let running: Observed<string> | undefined;
  let session: CliRunner | undefined;
  let openFailure: unknown;
  const connect = async (): Promise<CliRunner> => {
    if (session) return session;
    if (openFailure !== undefined) throw openFailure;
    const opening = budget.run(
      `opening an SSH session to ${where}`,
      step,
      () => deps.openCli(d),
      deps.signal,
    );
    try {
      const opened = await opening;
      session = opened;
      return opened;
    } catch (err) {
      // A session that opens after its timeout must still be closed.
      void opening.then((s) => s.close()).catch(() => {});
      // Do not knock again in this round: a device that refused once would only add a timeout per command.
      openFailure = err;
      progress({ device: d.name, step: "ssh", ok: false, detail: messageOf(err) });
      throw err;
    }
  };
  /** The command's output, or the failed entry that says why there is none. */
  const runOne = async (c: IosCommand): Promise<string | Failed> => {
    let s: CliRunner;
    try {
      s = await connect();
    } catch (err) {
      return failed(`opening an SSH session to ${where}`, err, sourceOf(c), now(deps));
    }
    const doing = `running "${c}" on ${where}`;
    try {
      return await budget.run(doing, step, () => s.run(c, step), deps.signal);
    } catch (err) {
      s.close();
      session = undefined;
      return failed(doing, err, sourceOf(c), now(deps));
    }
  };
  try {
    for (const c of (deps.cliCommands ?? defaultCliCommands)(d)) {
      const text = await runOne(c);
      if (typeof text !== "string") {
        out[c] = text;
        if (c === "show running-config") running = text;
        progress({ device: d.name, step: c, ok: false, detail: text.error });
        continue;
      }
      if (c === "show running-config") running = observed(text, sourceOf(c), now(deps));
      try {
        out[c] = observed((iosParsers[c] as (t: string) => unknown)(text), sourceOf(c), now(deps));
        progress({ device: d.name, step: c, ok: true });
      } catch (err) {
        out[c] = failed(`parsing "${c}" from ${where}`, err, sourceOf(c), now(deps));
        progress({ device: d.name, step: c, ok: false, detail: messageOf(err) });
      }
    }
  } finally {
    session?.close();
  }
  return { cli: out as CliObservations, running };
}

function driftOf(
  d: ObserveDevice,
  running: Observed<string> | undefined,
  at: Date,
): DeviceObservations["drift"] {
  if (!d.intent) return undefined;
  const source = `rendered standard config vs running-config of ${d.name}`;
  if (!running)
    return failed(
      `comparing ${d.name} with the standard config`,
      "show running-config was not collected",
      source,
      at,
    );
  if (!running.ok) return { ...running, source };
  try {
    return observed(configDrift(d.intent(), running.value), source, at);
  } catch (err) {
    return failed(`comparing ${d.name} with the standard config`, err, source, at);
  }
}

/** One device: SNMP and CLI side by side under one budget, then drift from the running-config. */
export async function observeDevice(
  deps: ObserveDeps,
  d: ObserveDevice,
  progress: ObserveProgress,
): Promise<DeviceObservations> {
  const budgetMs = deps.deviceBudgetMs ?? 90_000;
  const step = deps.stepTimeoutMs ?? 30_000;
  const budget = new Budget(budgetMs);
  const [snmp, cli] = await Promise.all([
    observeSnmp(deps, d, budget, step, progress),
    observeCli(deps, d, budget, step, progress),
  ]);
  const drift = driftOf(d, cli.running, now(deps));
  return { name: d.name, role: d.role, address: d.address, snmp, cli: cli.cli, ...(drift ? { drift } : {}) };
}
