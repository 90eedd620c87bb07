import { PatchkastError } from "../agent/errors.js";
import type { CfgNode } from "./device/config-tree.js";
import type { IosDevice } from "./device/device.js";
import { canonicalInterface } from "./device/params.js";
import type { Lab, LabDevice } from "./lab.js";
import type { SimPhone } from "./phones.js";

/**
 * The faults issue 5's acceptance test must catch, each played on a running lab by one call and undone by
 * `clear()`. Configuration faults go through the device's own configuration mode (as an engineer's
 * `configure terminal` would), so everything the lab derives from the running-config follows: `show`
 * output, SNMP (voice VLAN, PoE detection, LLDP/CDP neighbours), the change stamps of
 * CISCO-CONFIG-MAN-MIB, and drift against the rendered standard config.
 *
 * - voice-vlan-missing: `no switchport voice vlan` on a phone port (standard config: switch-ports.njk).
 * - poe-off: `power inline never` on a phone port: the phone loses power, its link, LLDP/CDP and lease.
 * - qos-trust-missing: the port's trust lines removed (`mls qos trust …` on classic Catalyst, `trust
 *   device` / `auto qos` on the 9000: agent/render/switch-view.ts, switch-ports.njk).
 * - sip-proxy-unreachable: the lab SIP proxy stopped (UDP port unreachable, TCP refused).
 * - wrong-firmware: a phone reports an older firmware (LLDP-MED, CDP, and its User-Agent at next boot).
 * - config-drift: a manual change unrelated to voice, `logging host 127.20.0.99` on the router.
 */
export const faultNames = [
  "voice-vlan-missing",
  "poe-off",
  "qos-trust-missing",
  "sip-proxy-unreachable",
  "wrong-firmware",
  "config-drift",
] as const;
export type FaultName = (typeof faultNames)[number];

export interface FaultOptions {
  /** The phone (MAC in any notation, or extension) whose port or firmware is hit; default the first one. */
  phone?: string;
  /** wrong-firmware: what the phone reports; default one step older than what it runs. */
  firmware?: string;
}

export interface ActiveFault {
  name: FaultName;
  /** What was done, for logs and test messages: `lab-sw1 GigabitEthernet1/0/1: no switchport voice vlan`. */
  description: string;
  device?: string;
  port?: string;
  phone?: { mac: string; extension: string };
  /** Undoes the fault: the device's running-config (or the proxy, or the phone) is as it was before. */
  clear(): Promise<void>;
}

/** Who the config change stamps name (`! Last configuration change … by lab-fault`). */
export const faultUser = "lab-fault";
/** The drift fault's syslog host: on loopback, so even a real device would send nothing off the machine. */
export const driftLoggingHost = "127.20.0.99";

export async function injectFault(lab: Lab, name: FaultName, opts: FaultOptions = {}): Promise<ActiveFault> {
  switch (name) {
    case "voice-vlan-missing":
      return portFault(lab, name, opts, (lines) => {
        const voice = lines.filter((l) => l.startsWith("switchport voice vlan "));
        return { apply: voice.length > 0 ? ["no switchport voice vlan"] : [], restore: voice };
      });
    case "poe-off":
      return portFault(lab, name, opts, (lines) => {
        // `power inline auto` is a default IOS does not print: no line means auto.
        const now = lines.find((l) => l.startsWith("power inline ")) ?? "power inline auto";
        return { apply: now === "power inline never" ? [] : ["power inline never"], restore: [now] };
      });
    case "qos-trust-missing":
      return portFault(lab, name, opts, (lines) => {
        const trust = lines.filter((l) => /^(mls qos trust|trust device|auto qos) /.test(l));
        return { apply: trust.map((l) => `no ${l}`), restore: trust };
      });
    case "sip-proxy-unreachable":
      if (!lab.sip.running)
        throw new PatchkastError("PK_ERR_USAGE", "sip-proxy-unreachable: the proxy is already stopped");
      await lab.sip.stop();
      return {
        name,
        description: `SIP proxy ${lab.sip.host}:${lab.sip.port} stopped`,
        clear: () => lab.sip.start(),
      };
    case "wrong-firmware":
      return firmwareFault(lab, opts);
    case "config-drift": {
      const router = lab.devices.find((d) => d.role === "router");
      if (!router) throw new PatchkastError("PK_ERR_USAGE", "config-drift: the lab has no router");
      // clear() removes the line again, so it must not be one the config already had.
      if (router.device.running.children.some((n) => n.text === `logging host ${driftLoggingHost}`))
        throw new PatchkastError(
          "PK_ERR_USAGE",
          `config-drift: ${router.name} already logs to ${driftLoggingHost}`,
        );
      configure(router.device, [`logging host ${driftLoggingHost}`]);
      return {
        name,
        description: `${router.name}: logging host ${driftLoggingHost} added by hand`,
        device: router.name,
        clear: async () => configure(router.device, [`no logging host ${driftLoggingHost}`]),
      };
    }
    default:
      throw new PatchkastError(
        "PK_ERR_USAGE",
        `no lab fault "${String(name)}"; known: ${faultNames.join(", ")}`,
      );
  }
}

/** The phone named by `opts.phone` (MAC or extension), else the lab's first phone. */
export function faultPhone(lab: Pick<Lab, "phones">, wanted?: string): SimPhone {
  const hex = wanted?.replace(/[^0-9a-f]/gi, "").toLowerCase();
  const phone =
    wanted === undefined
      ? lab.phones[0]
      : lab.phones.find((p) => p.extension === wanted || p.mac.replace(/:/g, "") === hex);
  if (!phone)
    throw new PatchkastError(
      "PK_ERR_USAGE",
      `no lab phone ${wanted ?? "at all"}; phones: ${lab.phones.map((p) => `${p.extension} (${p.mac})`).join(", ")}`,
    );
  return phone;
}

/**
 * A fault on the phone's switch port: `plan` reads the port's lines and says what to type under
 * `interface <port>` to break it and what to type to put the lines back as they were.
 */
function portFault(
  lab: Lab,
  name: FaultName,
  opts: FaultOptions,
  plan: (lines: string[]) => { apply: string[]; restore: string[] },
): ActiveFault {
  const phone = faultPhone(lab, opts.phone);
  const sw = switchOf(lab, phone);
  const lines = portLines(sw.device, phone.port);
  const { apply, restore } = plan(lines);
  if (apply.length === 0)
    throw new PatchkastError(
      "PK_ERR_USAGE",
      `${name}: ${sw.name} ${phone.port} has nothing to break (${lines.join("; ") || "no lines"}); push the standard config first`,
    );
  const stanza = `interface ${phone.port}`;
  configure(sw.device, [stanza, ...apply]);
  return {
    name,
    description: `${sw.name} ${phone.port} (phone ${phone.extension}): ${apply.join(", ")}`,
    device: sw.name,
    port: phone.port,
    phone: { mac: phone.mac, extension: phone.extension },
    clear: async () => configure(sw.device, [stanza, ...restore]),
  };
}

function firmwareFault(lab: Lab, opts: FaultOptions): ActiveFault {
  const phone = faultPhone(lab, opts.phone);
  const sw = switchOf(lab, phone);
  const original = phone.firmware;
  const firmware = opts.firmware ?? olderFirmware(original);
  const set = (fw: string) => {
    phone.firmware = fw;
    // Not a config change: only the neighbour tables move, so refresh caches without a change stamp.
    sw.device.notify();
  };
  set(firmware);
  return {
    name: "wrong-firmware",
    description: `phone ${phone.extension} (${phone.mac}) reports firmware ${firmware} instead of ${original}`,
    device: sw.name,
    port: phone.port,
    phone: { mac: phone.mac, extension: phone.extension },
    clear: async () => set(original),
  };
}

/** One step older: the last non-zero number lowered by one (7.61.115.7 → 7.61.115.6, 7.4.9a → 7.4.8a). */
export function olderFirmware(firmware: string): string {
  const runs = [...firmware.matchAll(/\d+/g)].filter((m) => Number(m[0]) > 0);
  const last = runs.at(-1);
  if (!last || last.index === undefined)
    throw new PatchkastError("PK_ERR_USAGE", `firmware "${firmware}" has no number to lower; pass one`);
  const lowered = String(Number(last[0]) - 1).padStart(last[0].length, "0");
  return firmware.slice(0, last.index) + lowered + firmware.slice(last.index + last[0].length);
}

function switchOf(lab: Lab, phone: SimPhone): LabDevice {
  const sw = lab.devices.find((d) => d.name === phone.switch);
  if (!sw)
    throw new PatchkastError("PK_ERR_USAGE", `phone ${phone.extension}: no lab switch ${phone.switch}`);
  return sw;
}

/** The lines under `interface <port>` in the running-config, as IOS prints them (without the indent). */
export function portLines(dev: IosDevice, port: string): string[] {
  const canon = canonicalInterface(port);
  const name = "name" in canon ? canon.name : port;
  const stanza = dev.running.children.find((n: CfgNode) => n.text === `interface ${name}`);
  return stanza ? stanza.children.map((c) => c.text) : [];
}

/** Applies lines in configuration mode, as typed at `(config)#`; a refused line is an error, not ignored. */
function configure(dev: IosDevice, lines: string[]): void {
  const session = dev.session();
  let changed = false;
  for (const line of lines) {
    const r = session.apply(line);
    if (r.failed) throw new PatchkastError("PK_ERR_USAGE", `${dev.name} refused "${line}": ${r.out.trim()}`);
    changed ||= r.changed;
  }
  if (changed) dev.touched(faultUser);
}
