import type { Hardware } from "./hardware.js";

/**
 * Which interfaces a device has or can create, which configuration sub-mode each opens, and where it
 * sits in `show running-config` (physical ports in chassis order with their subinterfaces right after
 * them, then Dialer, Loopback and Vlan interfaces by number, as in the C9200L running-config in
 * ../shared/field/configs).
 */

export type InterfaceMode = "if-switch" | "if-svi" | "if-routed" | "if-subif" | "if-dialer";

const VIRTUAL = /^(Dialer|Loopback|Vlan)(\d+)$/;

export function interfaceMode(hw: Hardware, name: string): InterfaceMode {
  if (name.includes(".")) return "if-subif";
  if (name.startsWith("Dialer")) return "if-dialer";
  if (name.startsWith("Vlan") || name.startsWith("Loopback")) return "if-svi";
  return hw.kind === "router" ? "if-routed" : "if-switch";
}

export function isPhysical(hw: Hardware, name: string): boolean {
  return hw.ports.some((p) => p.name === name);
}

/** null when `interface <name>` is accepted on this device; else the caret column within the name. */
export function interfaceAllowed(hw: Hardware, name: string): number | null {
  if (isPhysical(hw, name)) return null;
  const alpha = (/^[A-Za-z-]+/.exec(name)?.[0] ?? "").length;
  const sub = /^(.+)\.(\d+)$/.exec(name);
  if (sub) {
    const n = Number(sub[2]);
    return hw.kind === "router" && isPhysical(hw, sub[1] as string) && n >= 1 && n <= 4_294_967_295
      ? null
      : (sub[1] as string).length;
  }
  const v = VIRTUAL.exec(name);
  if (!v) return alpha;
  const n = Number(v[2]);
  if (v[1] === "Loopback") return n <= 2_147_483_647 ? null : alpha;
  if (v[1] === "Dialer") return hw.kind === "router" && n <= 255 ? null : hw.kind === "router" ? alpha : 0;
  return hw.kind !== "router" && n >= 1 && n <= 4094 ? null : hw.kind === "router" ? 0 : alpha;
}

/** Sort key of an interface stanza in the running-config. */
export function interfaceSort(hw: Hardware, name: string): number[] {
  const sub = /^(.+)\.(\d+)$/.exec(name);
  const base = sub ? (sub[1] as string) : name;
  const port = hw.ports.find((p) => p.name === base);
  if (port) return [0, port.order, sub ? Number(sub[2]) : -1];
  const v = VIRTUAL.exec(name);
  const rank = { Dialer: 1, Loopback: 2, Vlan: 3 }[(v?.[1] ?? "Vlan") as "Vlan"] ?? 4;
  return [rank, Number(v?.[2] ?? 0), -1];
}

/** `GigabitEthernet1/0/1` → `Gi1/0/1`, as `show` tables abbreviate. */
export function shortName(name: string): string {
  const abbrev: [string, string][] = [
    ["TenGigabitEthernet", "Te"],
    ["GigabitEthernet", "Gi"],
    ["FastEthernet", "Fa"],
    ["Port-channel", "Po"],
    ["Loopback", "Lo"],
    ["Dialer", "Di"],
    ["Vlan", "Vl"],
  ];
  for (const [long, short] of abbrev) if (name.startsWith(long)) return `${short}${name.slice(long.length)}`;
  return name;
}
