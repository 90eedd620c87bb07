import { intOrNull, keyValue, ParseError, prepare, unrecognised } from "./common.js";

const COMMAND = "show mls qos interface";

/**
 * One interface block of `show mls qos interface` on a classic Catalyst (2960/3560/3750, IOS 12.2–15.x).
 * No public fixture exists (netconfig.md §0 item 9); the format follows the example in Cisco's command
 * references ("show mls qos interface", Catalyst 3750 Switch Command Reference OL-8552, Catalyst 3750-X/3560-X
 * Switch Command Reference OL-29704-01, Catalyst 2960-X QoS guide): an interface-name line, then
 * `key: value` lines. Catalyst 9000 (IOS-XE) has no `mls qos` at all and answers `% Invalid input`, which
 * the parser reports as a ParseError, never as an empty list.
 *
 * `trustState` is what the port does now; `trustMode` is what is configured. They differ under trusted
 * boundary (`mls qos trust device cisco-phone`): with no Cisco phone seen over CDP the state falls back to
 * `not trusted` while the mode stays `trust cos` (Cisco 3560 command reference, `mls qos trust`, usage
 * guidelines: "If the telephone is not detected, trusted boundary disables the trusted setting").
 *
 * @example
 * { interface: "GigabitEthernet1/0/5", qosDisabledGlobally: false, trustState: "trust cos",
 *   trustMode: "trust cos", trusted: true, trustEnabled: true, cosOverride: false, defaultCos: 0,
 *   dscpMutationMap: "Default DSCP Mutation Map", trustDevice: "cisco-phone", qosMode: "port-based",
 *   inputPolicy: null, outputPolicy: null, other: {} }
 */
export interface MlsQosInterface {
  interface: string;
  /** A `QoS is disabled …` line inside the block: the settings are shown but not applied. */
  qosDisabledGlobally: boolean;
  /** `not trusted`, `trust cos`, `trust dscp`, `trust ip-precedence`. */
  trustState: string | null;
  trustMode: string | null;
  /** True when the trust state (what the port does now) is anything but `not trusted`. */
  trusted: boolean;
  /** `trust enabled flag: ena|dis`. */
  trustEnabled: boolean | null;
  /** `COS override: ena|dis`. */
  cosOverride: boolean | null;
  defaultCos: number | null;
  dscpMutationMap: string | null;
  /** `cisco-phone`, `cts`, `ip-camera`, `media-player` or `none` (trusted boundary). */
  trustDevice: string | null;
  /** `port-based` or `vlan-based`. */
  qosMode: string | null;
  /** `Attached policy-map for Ingress: <name>` (3750 with `service-policy input`). */
  inputPolicy: string | null;
  outputPolicy: string | null;
  /** Any other `key: value` line, by its key as printed. */
  other: Record<string, string>;
}

/** Lower-cased keys as printed → field; the string-valued fields take the value as printed. */
const FIELDS: Record<string, keyof MlsQosInterface> = {
  "trust state": "trustState",
  "trust mode": "trustMode",
  "trust enabled flag": "trustEnabled",
  "cos override": "cosOverride",
  "default cos": "defaultCos",
  "dscp mutation map": "dscpMutationMap",
  "dscp mutation": "dscpMutationMap",
  "trust device": "trustDevice",
  "qos mode": "qosMode",
  "attached policy-map for ingress": "inputPolicy",
  "attached policy-map for egress": "outputPolicy",
};

/** `GigabitEthernet1/0/1`, `Fa0/1`, `Port-channel1`: a name with a digit and no blanks or colon. */
const INTERFACE = /^[A-Za-z][A-Za-z-]*\d[\w/.:-]*$/;

const enaDis = (v: string): boolean | null => (/^ena/i.test(v) ? true : /^dis/i.test(v) ? false : null);

function blank(name: string): MlsQosInterface {
  return {
    interface: name,
    qosDisabledGlobally: false,
    trustState: null,
    trustMode: null,
    trusted: false,
    trustEnabled: null,
    cosOverride: null,
    defaultCos: null,
    dscpMutationMap: null,
    trustDevice: null,
    qosMode: null,
    inputPolicy: null,
    outputPolicy: null,
    other: {},
  };
}

function set(entry: MlsQosInterface, key: string, value: string): void {
  const field = FIELDS[key.toLowerCase()];
  if (field === undefined) entry.other[key] = value;
  else if (field === "trustEnabled" || field === "cosOverride") entry[field] = enaDis(value);
  else if (field === "defaultCos") entry.defaultCos = intOrNull(value);
  else (entry as unknown as Record<string, string>)[field] = value;
}

export function parseShowMlsQosInterface(text: string): MlsQosInterface[] {
  const lines = prepare(COMMAND, text).filter((l) => l.text.trim() !== "");
  const out: MlsQosInterface[] = [];
  for (const line of lines) {
    const t = line.text.trim();
    const current = out.at(-1);
    if (INTERFACE.test(t)) {
      out.push(blank(t));
      continue;
    }
    if (!current) throw unrecognised(COMMAND, line, "expected an interface name first");
    if (/^QoS is disabled/i.test(t)) {
      current.qosDisabledGlobally = true;
      continue;
    }
    const kv = keyValue(t);
    if (!kv) throw unrecognised(COMMAND, line);
    set(current, kv.key, kv.value);
  }
  for (const entry of out) {
    if (entry.trustState === null)
      throw new ParseError(
        "PK_ERR_PARSE_UNRECOGNISED",
        COMMAND,
        null,
        `${entry.interface}: no "trust state:" line`,
      );
    entry.trusted = entry.trustState !== "not trusted";
  }
  return out;
}
