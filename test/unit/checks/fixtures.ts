/**
 * Observation fixtures for the check tests, built from the lab site (configs/sites/lab.yaml: lab-sw1, a
 * classic 2960X with phone ports Gi1/0/1-8 and uplink Gi1/0/25; VLANs 10/30/99; Yealink phones on
 * Gi1/0/1-4 over LLDP, a Cisco SPA504 on Gi1/0/5 over CDP; router lab-rtr1). Show outputs are written
 * here as text and read by the real parsers, so a fixture is what a device would print; the
 * running-configs are the rendered standard configs (placeholder secrets), edited per test.
 */
import { loadCatalog } from "../../../agent/catalog/load.js";
import type { CheckContext } from "../../../agent/checks/types.js";
import type {
  CliObservations,
  DeviceObservations,
  Observations,
  Observed,
  SipProbeObservation,
} from "../../../agent/monitor/observations.js";
import type { PhoneCheckIn } from "../../../agent/provision/check-ins.js";
import { renderRouterConfig, renderSwitchConfig } from "../../../agent/render/network-view.js";
import { loadSiteFile } from "../../../agent/site/load.js";
import type { Site } from "../../../agent/site/schema.js";
import { PlaceholderSecretResolver } from "../../../agent/site/secrets.js";
import { iosParsers } from "../../../drivers/ios/parse/index.js";
import { labSite } from "../../../lab/lab.js";

export const catalog = loadCatalog();
export const site: Site = loadSiteFile(labSite, catalog);
const secrets = new PlaceholderSecretResolver();
const AT = "2026-01-15T10:00:00.000Z";

export function ok<T>(value: T, source = "fixture"): Observed<T> {
  return { ok: true, value, at: AT, source };
}
export function bad(error = "timeout after 4 s", code = "PK_ERR_OBSERVE_TIMEOUT"): Observed<never> {
  return { ok: false, error, code, at: AT, source: "fixture" };
}

/** Parses `text` as the output of `command` into an Observed entry, the way observeSite does. */
export function shown<C extends keyof typeof iosParsers>(command: C, text: string) {
  return ok((iosParsers[command] as (t: string) => unknown)(text), `\`${command}\``) as NonNullable<
    CliObservations[C]
  >;
}

const phonePorts = Array.from({ length: 8 }, (_, i) => `Gi1/0/${i + 1}`);
const phoneOn = (port: string) =>
  site.phones.find((p) => p.port?.interface === port.replace("Gi", "GigabitEthernet"));

export function vlanBrief(vlans = [10, 30, 99]): string {
  const names: Record<number, string> = { 1: "default", 10: "DATA", 30: "VOICE", 99: "MGMT" };
  const rows = [1, ...vlans].map(
    (v) =>
      `${String(v).padEnd(5)}${(names[v] ?? `VLAN${v}`).padEnd(33)}active    ${v === 10 ? phonePorts.join(", ") : ""}`,
  );
  return [
    "VLAN Name                             Status    Ports",
    "---- -------------------------------- --------- -------------------------------",
    ...rows,
  ].join("\n");
}

export interface PortSetting {
  admin?: string;
  oper?: string;
  access?: number;
  voice?: number | "none";
  trunk?: string;
}

export function switchport(overrides: Record<string, PortSetting> = {}): string {
  const base: Record<string, PortSetting> = Object.fromEntries(
    phonePorts.map((p) => [p, { admin: "static access", oper: "static access", access: 10, voice: 30 }]),
  );
  base["Gi1/0/25"] = { admin: "trunk", oper: "trunk", access: 1, voice: "none", trunk: "10,30,99" };
  const all = {
    ...base,
    ...Object.fromEntries(Object.entries(overrides).map(([k, v]) => [k, { ...base[k], ...v }])),
  };
  return Object.entries(all)
    .map(([name, s]) =>
      [
        `Name: ${name}`,
        "Switchport: Enabled",
        `Administrative Mode: ${s.admin}`,
        `Operational Mode: ${s.oper}`,
        "Administrative Trunking Encapsulation: dot1q",
        `Access Mode VLAN: ${s.access} (VLAN${s.access})`,
        "Trunking Native Mode VLAN: 1 (default)",
        `Voice VLAN: ${s.voice === "none" || s.voice === undefined ? "none" : `${s.voice} (VOICE)`}`,
        `Trunking VLANs Enabled: ${s.trunk ?? "ALL"}`,
        "Pruning VLANs Enabled: 2-1001",
        "",
      ].join("\n"),
    )
    .join("\n");
}

/** `show power inline` for the lab switch: 370 W; each phone port delivers `watts` unless overridden. */
export function powerInline(opts: { off?: string[]; usedW?: number; budgetW?: number } = {}): string {
  const budget = opts.budgetW ?? 370;
  const rows = phonePorts.map((p) => {
    const phone = phoneOn(p);
    const on = phone !== undefined && !opts.off?.includes(p);
    const admin = opts.off?.includes(p) ? "off" : "auto";
    return `${p.padEnd(10)}${admin.padEnd(7)}${(on ? "on" : "off").padEnd(11)}${(on ? "5.2" : "0.0").padEnd(8)}${(on ? "Ieee PD" : "n/a").padEnd(20)}${(on ? "2" : "n/a").padEnd(6)}30.0`;
  });
  const used = opts.usedW ?? rows.filter((r) => / on /.test(r)).length * 5.2;
  return [
    "Module   Available     Used     Remaining",
    "          (Watts)     (Watts)    (Watts) ",
    "------   ---------   --------   ---------",
    `1   ${budget.toFixed(1).padStart(13)}${used.toFixed(1).padStart(11)}${(budget - used).toFixed(1).padStart(12)}`,
    "Interface Admin  Oper       Power   Device              Class Max",
    "                            (Watts)                            ",
    "--------- ------ ---------- ------- ------------------- ----- ----",
    ...rows,
  ].join("\n");
}

/** `show mls qos interface` as the standard config leaves it: SPA on Gi1/0/5 trusted boundary, others DSCP. */
export function mlsQos(
  overrides: Record<string, { mode: string; device?: string }> = {},
  disabled = false,
): string {
  return phonePorts
    .map((p, i) => {
      const cisco = i === 4;
      const set = overrides[p] ?? {
        mode: cisco ? "trust cos" : "trust dscp",
        device: cisco ? "cisco-phone" : "none",
      };
      return [
        `GigabitEthernet1/0/${i + 1}`,
        ...(disabled ? ["QoS is disabled. When QoS is enabled, following settings will be applied"] : []),
        `trust state: ${set.mode}`,
        `trust mode: ${set.mode}`,
        "trust enabled flag: ena",
        "COS override: dis",
        "default COS: 0",
        "DSCP Mutation Map: Default DSCP Mutation Map",
        `Trust device: ${set.device ?? "none"}`,
        "qos mode: port-based",
        "",
      ].join("\n");
    })
    .join("\n");
}

/**
 * LLDP neighbours: the four Yealink phones, each on the port the site gives it unless moved; with
 * `firmware`, each announces that software revision in an LLDP-MED inventory TLV.
 */
export function lldp(
  moved: Record<string, string> = {},
  missing: string[] = [],
  firmware?: (mac: string) => string,
): string {
  const blocks = site.phones
    .filter((p) => !/Cisco/.test(p.model) && !missing.includes(p.mac))
    .map((p) => {
      const hex = p.mac.replace(/:/g, "");
      const dotted = (hex.match(/.{4}/g) ?? []).join(".");
      const port = moved[p.mac] ?? (p.port?.interface ?? "").replace("GigabitEthernet", "Gi");
      return [
        "------------------------------------------------",
        `Local Intf: ${port}`,
        `Chassis id: ${dotted}`,
        `Port id: ${dotted}`,
        `System Name: ${p.model.replace(" ", "-")}`,
        ...(firmware
          ? [
              "",
              "MED Information:",
              "",
              `    F/W revision: ${firmware(p.mac)}`,
              `    S/W revision: ${firmware(p.mac)}`,
            ]
          : []),
        "",
      ].join("\n");
    });
  return `${blocks.join("\n")}\nTotal entries displayed: ${blocks.length}\n`;
}

export function cdp(port = "GigabitEthernet1/0/5", version?: string): string {
  return [
    "-------------------------",
    "Device ID: SEP0022901AB005",
    "Entry address(es): ",
    "  IP address: 10.20.30.15",
    "Platform: Cisco SPA504G,  Capabilities: Host Phone ",
    `Interface: ${port},  Port ID (outgoing port): Port 1`,
    "Holdtime : 149 sec",
    ...(version ? ["", "Version :", version, ""] : []),
    "",
    "Total cdp entries displayed : 1",
  ].join("\n");
}

export const switchRunning = (): string =>
  renderSwitchConfig(site, site.switches[0] as Site["switches"][number], catalog, secrets).content;
export const routerRunning = (): string => renderRouterConfig(site, catalog, secrets).content;

export function switchCli(over: Partial<Record<keyof CliObservations, string>> = {}): CliObservations {
  return {
    "show running-config": shown("show running-config", over["show running-config"] ?? switchRunning()),
    "show vlan brief": shown("show vlan brief", over["show vlan brief"] ?? vlanBrief()),
    "show interfaces switchport": shown(
      "show interfaces switchport",
      over["show interfaces switchport"] ?? switchport(),
    ),
    "show power inline": shown("show power inline", over["show power inline"] ?? powerInline()),
    "show mls qos interface": shown("show mls qos interface", over["show mls qos interface"] ?? mlsQos()),
    "show lldp neighbors detail": shown(
      "show lldp neighbors detail",
      over["show lldp neighbors detail"] ?? lldp(),
    ),
    "show cdp neighbors detail": shown(
      "show cdp neighbors detail",
      over["show cdp neighbors detail"] ?? cdp(),
    ),
  };
}

export function switchDevice(
  cli: CliObservations = switchCli(),
  extra: Partial<DeviceObservations> = {},
): DeviceObservations {
  return { name: "lab-sw1", role: "switch", address: "127.20.0.2", snmp: {}, cli, drift: ok([]), ...extra };
}

export function routerDevice(
  running = routerRunning(),
  extra: Partial<DeviceObservations> = {},
): DeviceObservations {
  return {
    name: "lab-rtr1",
    role: "router",
    address: "127.20.0.1",
    snmp: {},
    cli: { "show running-config": shown("show running-config", running) },
    drift: ok([]),
    ...extra,
  };
}

export function checkIns(edit: (p: PhoneCheckIn) => PhoneCheckIn = (p) => p): PhoneCheckIn[] {
  return site.phones.map((p) => {
    const model = catalog.findPhone(p.model);
    const fw = model?.firmware ?? null;
    return edit({
      mac: p.mac,
      extension: p.extension,
      expectedModel: p.model,
      expectedFirmware: fw,
      lastSeen: AT,
      address: "10.20.30.50",
      reportedModel: p.model,
      reportedFirmware: fw?.replace(/\.rom$/, "") ?? "1.0",
      firmwareCompliant: true,
      filesServed: 2,
    });
  });
}

export function sipProbe(
  result: Partial<SipProbeObservation["result"]> = {},
  transport: "udp" | "tcp" = "udp",
): SipProbeObservation {
  return {
    target: `${site.provider.sip_proxy.host}:${site.provider.sip_proxy.port}`,
    transport,
    at: AT,
    inMaintenance: false,
    result: { status: 200, reason: "OK", rttMs: 25, reachable: true, retransmissions: 0, ...result },
  };
}

export function observations(over: Partial<Observations> = {}): Observations {
  return {
    at: AT,
    devices: [routerDevice(), switchDevice()],
    sipProbes: [sipProbe()],
    phones: ok(checkIns()),
    ...over,
  };
}

export function context(over: Partial<Observations> = {}, siteOver: Partial<Site> = {}): CheckContext {
  return { site: { ...site, ...siteOver }, catalog, observations: observations(over) };
}
