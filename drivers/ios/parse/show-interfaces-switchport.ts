import { keyValue, type Line, ParseError, prepare, unrecognised } from "./common.js";

const COMMAND = "show interfaces switchport";

export interface VlanRef {
  id: number;
  /** The name in parentheses, as printed: `default`, `Voice`, `Inactive`. */
  name: string | null;
}

/**
 * One `Name:` block of `show interfaces switchport`.
 *
 * @example
 * { interface: "Gi1/0/1", switchport: true, adminMode: "static access", operMode: "static access",
 *   bundle: null, adminEncapsulation: "dot1q", operEncapsulation: "native", negotiation: false,
 *   accessVlan: { id: 100, name: "data" }, nativeVlan: { id: 1, name: "default" },
 *   voiceVlan: { id: 200, name: "Voice" }, voiceVlanMode: "vlan", trunkingVlans: "ALL",
 *   pruningVlans: "2-1001", monitor: null, protected: false, applianceTrust: "none",
 *   other: { "Administrative private-vlan mapping": "none", … } }
 */
export interface SwitchportInterface {
  interface: string;
  /** `Switchport: Enabled`; a routed port prints `Switchport: Disabled` and nothing else. */
  switchport: boolean;
  adminMode: string | null;
  /** Without the bundle note: `static access`, `trunk`, `down`. */
  operMode: string | null;
  /** From `(member of bundle Po1)` or `(suspended member of bundle Po8)` after the operational mode. */
  bundle: string | null;
  adminEncapsulation: string | null;
  operEncapsulation: string | null;
  /** `Negotiation of Trunking: On` (DTP). */
  negotiation: boolean | null;
  accessVlan: VlanRef | null;
  nativeVlan: VlanRef | null;
  /** Null for `Voice VLAN: none` and for the dot1p/untagged modes. */
  voiceVlan: VlanRef | null;
  voiceVlanMode: "none" | "vlan" | "dot1p" | "untagged";
  /** As printed, wrapped lines joined: `ALL`, `NONE` or `1,12,15,31-36`; expand with `expandVlanList`. */
  trunkingVlans: string | null;
  pruningVlans: string | null;
  /** `Switchport Monitor:` (printed by some releases only; read by the ntc template). */
  monitor: string | null;
  protected: boolean | null;
  applianceTrust: string | null;
  /** Every other line, by its key, as printed (private-VLAN lines, `Capture Mode`, `Vepa Enabled`…). */
  other: Record<string, string>;
}

/** `1,12,31-36` → [1, 12, 31, …, 36]; `ALL` → 1..4094; `NONE` → []. */
export function expandVlanList(list: string): number[] {
  const t = list.trim().toUpperCase();
  if (t === "ALL") return Array.from({ length: 4094 }, (_, i) => i + 1);
  if (t === "NONE" || t === "") return [];
  const out: number[] = [];
  for (const part of t.split(",")) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) throw new Error(`not a VLAN list: ${JSON.stringify(list)}`);
    for (let v = Number(m[1]); v <= Number(m[2] ?? m[1]); v++) out.push(v);
  }
  return out;
}

function vlanRef(value: string): VlanRef | null {
  const m = /^(\d+)(?:\s+\((.*)\))?$/.exec(value.trim());
  return m ? { id: Number(m[1]), name: m[2] ?? null } : null;
}

const onOff = (v: string | undefined): boolean | null =>
  v === undefined
    ? null
    : /^(on|enabled|true)$/i.test(v)
      ? true
      : /^(off|disabled|false)$/i.test(v)
        ? false
        : null;

function toInterface(
  name: string,
  fields: Map<string, string>,
  other: Record<string, string>,
): SwitchportInterface {
  const oper = /^(.*?)\s*\((?:suspended )?member of bundle (\S+?)\)$/.exec(
    fields.get("Operational Mode") ?? "",
  );
  const voice = (fields.get("Voice VLAN") ?? "none").trim();
  const voiceRef = vlanRef(voice);
  const lower = voice.toLowerCase();
  return {
    interface: name,
    switchport: onOff(fields.get("Switchport")) ?? false,
    adminMode: fields.get("Administrative Mode") ?? null,
    operMode: oper ? (oper[1] as string) : (fields.get("Operational Mode") ?? null),
    bundle: oper ? (oper[2] as string) : null,
    adminEncapsulation: fields.get("Administrative Trunking Encapsulation") ?? null,
    operEncapsulation: fields.get("Operational Trunking Encapsulation") ?? null,
    negotiation: onOff(fields.get("Negotiation of Trunking")),
    accessVlan: vlanRef(fields.get("Access Mode VLAN") ?? ""),
    nativeVlan: vlanRef(fields.get("Trunking Native Mode VLAN") ?? ""),
    voiceVlan: voiceRef,
    voiceVlanMode: voiceRef ? "vlan" : lower === "dot1p" || lower === "untagged" ? lower : "none",
    trunkingVlans: fields.get("Trunking VLANs Enabled") ?? null,
    pruningVlans: fields.get("Pruning VLANs Enabled") ?? null,
    monitor: fields.get("Switchport Monitor") ?? null,
    protected: onOff(fields.get("Protected")),
    applianceTrust: fields.get("Appliance trust") ?? null,
    other,
  };
}

const KNOWN = new Set([
  "Switchport",
  "Administrative Mode",
  "Operational Mode",
  "Administrative Trunking Encapsulation",
  "Operational Trunking Encapsulation",
  "Negotiation of Trunking",
  "Access Mode VLAN",
  "Trunking Native Mode VLAN",
  "Voice VLAN",
  "Trunking VLANs Enabled",
  "Pruning VLANs Enabled",
  "Switchport Monitor",
  "Protected",
  "Appliance trust",
]);
/** Lines without a colon that IOS prints inside a block (ntc template: Capture Mode, Autostate mode). */
const BARE = /^(Capture Mode|Autostate mode)\s+(.+)$/;

export function parseShowInterfacesSwitchport(text: string): SwitchportInterface[] {
  const lines = prepare(COMMAND, text);
  const out: SwitchportInterface[] = [];
  let current: { name: string; fields: Map<string, string>; other: Record<string, string> } | null = null;
  let lastKey: string | null = null;
  const flush = () => {
    if (current) out.push(toInterface(current.name, current.fields, current.other));
  };
  for (const line of lines as Line[]) {
    if (line.text.trim() === "") {
      lastKey = null;
      continue;
    }
    const name = /^Name:\s*(\S+)$/.exec(line.text.trim());
    if (name) {
      flush();
      current = { name: name[1] as string, fields: new Map(), other: {} };
      lastKey = null;
      continue;
    }
    if (!current) throw unrecognised(COMMAND, line, "expected a `Name:` line first");
    // `Trunking VLANs Enabled: 1,12,…,604,` wraps onto indented lines (ntc …_switchport2.raw).
    if (/^\s/.test(line.text) && lastKey && (current.fields.get(lastKey) ?? "").endsWith(",")) {
      current.fields.set(lastKey, `${current.fields.get(lastKey)}${line.text.trim()}`);
      continue;
    }
    const kv = keyValue(line.text);
    const bare = BARE.exec(line.text.trim());
    if (kv && !bare) {
      if (KNOWN.has(kv.key)) current.fields.set(kv.key, kv.value);
      else current.other[kv.key] = kv.value;
      lastKey = kv.key;
      continue;
    }
    if (bare) {
      current.other[bare[1] as string] = bare[2] as string;
      continue;
    }
    throw unrecognised(COMMAND, line);
  }
  flush();
  if (out.length === 0) throw new ParseError("PK_ERR_PARSE_EMPTY", COMMAND, null, "no `Name:` blocks");
  return out;
}
