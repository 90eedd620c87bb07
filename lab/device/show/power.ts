import type { IosDevice } from "../device.js";
import { switchPorts } from "./switching.js";

/**
 * `show power inline` (column layout of ntc cisco_ios_show_power_inline.raw: the per-module budget table,
 * then one row per PoE port, and the `Totals:` line IOS-XE prints) and `show mls qos interface` on classic
 * IOS (format of the Catalyst 3750 / 3750-X command references; trusted boundary: "If the telephone is not
 * detected, the trusted boundary feature disables the trusted setting", Catalyst 2960-X QoS guide).
 */

const w = (n: number) => n.toFixed(1);

/** The watts each PoE port delivers now (0 when off, never, shut or nothing asks for power). */
export function portDraws(dev: IosDevice): {
  name: string;
  short: string;
  member: number;
  admin: string;
  watts: number;
  device: string | null;
  cls: number | null;
}[] {
  return switchPorts(dev)
    .filter((p) => p.physical?.poe)
    .map((p) => {
      const draw = p.poe === "never" || p.shutdown ? null : dev.surroundings.poe(p.name);
      return {
        name: p.name,
        short: p.short,
        member: p.physical?.member ?? 1,
        admin: p.poe === "never" ? "off" : p.poe,
        watts: draw?.watts ?? 0,
        device: draw?.device ?? null,
        cls: draw?.powerClass ?? null,
      };
    });
}

export function showPowerInline(dev: IosDevice, only?: string): string {
  const hw = dev.hw;
  const budget = hw.poeBudgetW ?? 0;
  const draws = portDraws(dev);
  const out = [
    "Module   Available     Used     Remaining",
    "          (Watts)     (Watts)    (Watts) ",
    "------   ---------   --------   ---------",
  ];
  for (let m = 1; m <= hw.members; m++) {
    const used = draws.filter((d) => d.member === m).reduce((s, d) => s + d.watts, 0);
    out.push(
      `${String(m).padEnd(4)}${w(budget).padStart(13)}${w(used).padStart(11)}${w(budget - used).padStart(12)}`,
    );
  }
  out.push(
    "Interface Admin  Oper       Power   Device              Class Max",
    "                            (Watts)                            ",
    "--------- ------ ---------- ------- ------------------- ----- ----",
  );
  for (const d of draws) {
    if (only && d.name !== only) continue;
    const oper = d.watts > 0 ? "on" : "off";
    out.push(
      `${d.short.padEnd(10)}${d.admin.padEnd(7)}${oper.padEnd(11)}${w(d.watts).padEnd(8)}${(d.device ?? "n/a").padEnd(20)}${(d.cls === null ? "n/a" : String(d.cls)).padEnd(6)}30.0`,
    );
  }
  if (hw.os === "IOS-XE" && !only) {
    const on = draws.filter((d) => d.watts > 0);
    out.push(
      "--------- ------ ---------- ---------- ---------- ------ -----",
      `Totals:          ${String(on.length).padEnd(4)} on    ${w(on.reduce((s, d) => s + d.watts, 0))}`,
    );
  }
  return `${out.map((l) => l.trimEnd()).join("\n")}\n`;
}

export function showMlsQosInterface(dev: IosDevice, only?: string): string {
  const s = dev.state();
  const blocks: string[] = [];
  for (const p of switchPorts(dev)) {
    if (only && p.name !== only) continue;
    const ciscoPhone = dev.surroundings
      .cdp()
      .some((n) => n.localPort === p.name && n.capabilities.includes("Phone"));
    const mode = p.mlsTrust ? `trust ${p.mlsTrust}` : "not trusted";
    const state = p.mlsTrustDevice && !ciscoPhone ? "not trusted" : mode;
    const lines = [p.name];
    if (!s.mlsQos) lines.push("QoS is disabled. When QoS is enabled, following settings will be applied");
    lines.push(
      `trust state: ${state}`,
      `trust mode: ${mode}`,
      "trust enabled flag: ena",
      "COS override: dis",
      "default COS: 0",
      "DSCP Mutation Map: Default DSCP Mutation Map",
      `Trust device: ${p.mlsTrustDevice ?? "none"}`,
      "qos mode: port-based",
    );
    blocks.push(lines.join("\n"));
  }
  return `${blocks.join("\n\n")}\n`;
}
