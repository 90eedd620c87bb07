/**
 * LLDP-MED (ANSI/TIA-1057 LLDP-EXT-MED-MIB) under the TIA OUI arc 1.0.8802.1.1.2.1.5.4795: the remote
 * network-policy table a phone fills with the voice VLAN, 802.1p priority and DSCP it uses, and the BITS
 * names the capabilities and policy application types decode to.
 *
 * lldpXMedRemMediaPolicyTable is indexed lldpRemTimeMark.lldpRemLocalPortNum.lldpRemIndex.AppType, AppType a
 * PolicyAppType BITS value (voice = bit 1 = 0x40). As a non-IMPLIED OCTET STRING index it is length-prefixed
 * (".1.64"); a single arc is accepted too, as the raw byte or, when ≤ 8, as the bit number (agents differ;
 * *unverified* for Cisco: no public recording has these rows, test/fixtures/snmp/cat2960x-voice has them).
 */
import { dropUndefined } from "./if-mib.js";
import { bitsOf, num, type Rows, truth } from "./values.js";

export const med = "1.0.8802.1.1.2.1.5.4795.1.3";

export const lldpMedPolicyColumns = {
  vlan: `${med}.2.1.2`,
  priority: `${med}.2.1.3`,
  dscp: `${med}.2.1.4`,
  unknown: `${med}.2.1.5`,
  tagged: `${med}.2.1.6`,
} as const;

/** LldpXMedCapabilities BITS. */
export const medCaps = [
  "capabilities",
  "networkPolicy",
  "location",
  "extendedPSE",
  "extendedPD",
  "inventory",
] as const;

/** PolicyAppType BITS. */
const apps = [
  "unknown",
  "voice",
  "voiceSignaling",
  "guestVoice",
  "guestVoiceSignaling",
  "softPhoneVoice",
  "videoconferencing",
  "streamingVideo",
  "videoSignaling",
] as const;
export type MediaApplication = (typeof apps)[number];

export interface MediaPolicy {
  application: MediaApplication;
  vlan?: number;
  priority?: number;
  dscp?: number;
  unknown?: boolean;
  tagged?: boolean;
}

export function applicationOf(rest: number[]): MediaApplication | undefined {
  if (rest.length >= 2 && rest[0] === rest.length - 1) return bitsOf(Buffer.from(rest.slice(1)), apps)[0];
  const v = rest[0];
  if (rest.length !== 1 || v === undefined) return undefined;
  return v <= 8 ? apps[v] : bitsOf(Buffer.from([v]), apps)[0];
}

/** The policies of the neighbour whose remote-table index is `index` ("timeMark.localPort.remIndex"). */
export function mediaPolicies(rows: Rows<keyof typeof lldpMedPolicyColumns>, index: string): MediaPolicy[] {
  const key = `${index}.`;
  const out: MediaPolicy[] = [];
  for (const [pIndex, p] of rows) {
    if (!pIndex.startsWith(key)) continue;
    const application = applicationOf(pIndex.slice(key.length).split(".").map(Number));
    if (!application) continue;
    out.push(
      dropUndefined({
        application,
        vlan: num(p.vlan),
        priority: num(p.priority),
        dscp: num(p.dscp),
        unknown: truth(p.unknown),
        tagged: truth(p.tagged),
      }),
    );
  }
  return out;
}
