import { PatchkastError } from "../errors.js";
import { type Ipv4Net, parseCidr, wildcardText } from "../site/ip.js";
import type { Site } from "../site/schema.js";
import type { SecretResolver } from "../site/secrets.js";
import { timeZoneView } from "./time-zone.js";
import { generatedByLine } from "./view-model.js";

/**
 * What the router and the switch configs share: header, users/AAA/SSH, SNMPv3, archive, clock, NTP,
 * logging. Values only; the IOS words live in templates/cisco-ios/partials. Strings here are raw: the
 * engine escapes every one of them with the "ios" escaper before a template sees it.
 */

export type IosPlatform = "ios" | "ios-xe" | "catalyst-classic" | "catalyst-9000";

/**
 * `configure replace` rejects a file without a `version` line (netconfig.md §0 item 2, napalm-ansible #54).
 * The site file does not say which release a device runs, so this is the train the platform is normally
 * on: ISR G2 ends at 15.7(3)M, the 2960-X/3560-X/3750-X at 15.2(7)E, ISR 4000 and Catalyst 9000 run 17.x.
 * The number is informational to IOS; drift normalisation should ignore the `version` line.
 */
const versionLine: Record<IosPlatform, string> = {
  ios: "15.7",
  "ios-xe": "17.9",
  "catalyst-classic": "15.2",
  "catalyst-9000": "17.9",
};

/**
 * IOS-XE prints named ACL entries with their sequence numbers (` 10 permit …`, seen in the Catalyst
 * 9200L running-config in shared/field/configs); classic IOS does not. Both accept either form as input,
 * so each platform gets the form it prints back, which keeps drift diffs quiet.
 */
const aclPrintsSequence: Record<IosPlatform, boolean> = {
  ios: false,
  "ios-xe": true,
  "catalyst-classic": false,
  "catalyst-9000": true,
};

export interface IosAclView {
  name: string;
  /** Entries as the device prints them, sequence number included where the platform shows one. */
  entries: string[];
}

export function aclView(platform: IosPlatform, name: string, entries: readonly string[]): IosAclView {
  const numbered = aclPrintsSequence[platform];
  return { name, entries: entries.map((e, i) => (numbered ? `${(i + 1) * 10} ${e}` : e)) };
}

export function subnet(cidr: string, what: string): Ipv4Net {
  const net = parseCidr(cidr);
  if (!net) throw new PatchkastError("PK_ERR_RENDER_REFUSED", `${what}: "${cidr}" is not address/prefix`);
  return net;
}

/**
 * Standard-ACL source: IOS prints a single host without `host` and without a wildcard
 * (`permit 10.20.30.10`), a network as `address wildcard`.
 */
export function standardSource(net: Ipv4Net): string {
  return net.prefix === 32 ? net.networkText : `${net.networkText} ${wildcardText(net)}`;
}

/**
 * A secret as IOS will take it on one config line: printable ASCII without spaces (the commands take
 * one word), and no `?`, which the "ios" escaper would silently drop — the device would then get a
 * different password from the one in the secret store. Refusing is better than a lockout.
 */
export function iosSecret(secrets: SecretResolver, ref: string, usedFor: string, minLength = 1): string {
  const value = secrets.resolve(ref, usedFor).reveal();
  if (!/^[\x21-\x3e\x40-\x7e]+$/.test(value)) {
    throw new PatchkastError(
      "PK_ERR_RENDER_REFUSED",
      `${usedFor} (${ref}) must be printable ASCII without spaces or '?' to go into an IOS config line`,
    );
  }
  if (value.length < minLength) {
    throw new PatchkastError(
      "PK_ERR_RENDER_REFUSED",
      `${usedFor} (${ref}) must be at least ${minLength} characters (IOS refuses shorter SNMPv3 keys)`,
    );
  }
  return value;
}

export interface ClockView {
  /** Arguments of `clock timezone`, e.g. "CET 1 0". */
  timezone: string;
  /** Arguments of `clock summer-time`, or null where the zone keeps one offset or its rule is not the EU one. */
  summerTime: string | null;
  note: string | null;
}

/** Zone labels for the EU rule by standard offset (Directive 2000/84/EC zones: WET, CET, EET). */
const euLabels: Record<number, [string, string]> = {
  0: ["WET", "WEST"],
  60: ["CET", "CEST"],
  120: ["EET", "EEST"],
};

function hoursMinutes(offset: number): string {
  const sign = offset < 0 ? "-" : "";
  const abs = Math.abs(offset);
  return `${sign}${Math.floor(abs / 60)} ${abs % 60}`;
}

function utcLabel(offset: number): string {
  if (offset === 0) return "UTC";
  const abs = Math.abs(offset);
  const mm = abs % 60 === 0 ? "" : String(abs % 60).padStart(2, "0");
  return `UTC${offset < 0 ? "-" : "+"}${Math.floor(abs / 60)}${mm}`;
}

/**
 * `clock timezone` / `clock summer-time` from the site's IANA zone (netconfig.md §3; the Catalyst 9200L
 * field config shows the same two lines). EU zones switch at 01:00 UTC (Directive 2000/84/EC); IOS takes
 * local wall-clock times, and the end time in summer time, so CET gives 2:00 and 3:00. Zones without DST
 * get a fixed offset. Zones with another DST rule run on UTC: IOS's `recurring` needs the zone's exact
 * transition days, which timeZoneView does not derive, and `service timestamps … show-timezone` makes UTC
 * stamps unambiguous, which a wrong local offset half the year would not be.
 */
export function clockView(iana: string): ClockView {
  const tz = timeZoneView(iana);
  const labels = euLabels[tz.standardOffsetMinutes];
  if (tz.dstRule === "eu" && labels) {
    const start = 1 + tz.standardOffsetMinutes / 60;
    const end = 1 + tz.summerOffsetMinutes / 60;
    return {
      timezone: `${labels[0]} ${hoursMinutes(tz.standardOffsetMinutes)}`,
      summerTime: `${labels[1]} recurring last Sun Mar ${start}:00 last Sun Oct ${end}:00`,
      note: null,
    };
  }
  if (tz.dstRule === "none") {
    return {
      timezone: `${utcLabel(tz.standardOffsetMinutes)} ${hoursMinutes(tz.standardOffsetMinutes)}`,
      summerTime: null,
      note: null,
    };
  }
  return {
    timezone: "UTC 0 0",
    summerTime: null,
    note: `time zone ${iana} has a daylight-saving rule patchkast cannot express in IOS; the clock runs on UTC`,
  };
}

export interface ManagementView {
  version: string;
  hostname: string;
  domainName: string;
  user: { name: string; secret: string };
  enableSecret: string | null;
  mgmtAcl: IosAclView;
  /** `line vty` ranges, each as IOS prints it (vty 0 4 and 5 15 are separate stanzas in running-config). */
  vtyRanges: string[];
  execTimeout: string;
  snmp: {
    location: string;
    view: string;
    group: string;
    user: string;
    authKey: string;
    privKey: string;
    acl: IosAclView;
  };
  archive: { path: string; maximum: number };
  clock: ClockView;
  loggingBufferBytes: number;
  loggingHost: string;
  ntpServers: string[];
}

export interface ManagedDevice {
  name: string;
  platform: IosPlatform;
  credentials: Site["router"]["credentials"];
  /** Where this device takes time from: the provider's servers for the router, the router for switches. */
  ntpServers: string[];
}

/** Management subnet and the agent: the only sources allowed to SSH and SNMP into any device. */
function managementSources(site: Site): string[] {
  const mgmt = subnet(site.vlans.management.subnet, "vlans.management.subnet");
  const agent = subnet(`${site.agent.address}/32`, "agent.address");
  return [`permit ${standardSource(mgmt)}`, `permit ${standardSource(agent)}`];
}

export function managementView(site: Site, device: ManagedDevice, secrets: SecretResolver): ManagementView {
  const creds = device.credentials;
  const sources = managementSources(site);
  return {
    version: versionLine[device.platform],
    hostname: device.name,
    // The site file has no DNS domain; SSH host keys need one. `.internal` is reserved for private use
    // (ICANN, 2024), so it can never collide with a real name.
    domainName: `${site.site_id}.internal`,
    user: {
      name: creds.username,
      secret: iosSecret(secrets, creds.password, `password of ${creds.username} on ${device.name}`),
    },
    enableSecret:
      creds.enable_secret === undefined
        ? null
        : iosSecret(secrets, creds.enable_secret, `enable secret of ${device.name}`),
    mgmtAcl: aclView(device.platform, "MGMT", sources),
    vtyRanges: ["0 4", "5 15"],
    execTimeout: "10 0",
    snmp: {
      location: `${site.customer} (${site.site_id})`,
      view: "PATCHKAST",
      group: "PATCHKAST",
      user: site.snmp.user,
      // RFC 3414 keys are derived from passwords of at least 8 characters; IOS refuses shorter ones.
      authKey: iosSecret(secrets, site.snmp.auth_key, "SNMPv3 auth key", 8),
      privKey: iosSecret(secrets, site.snmp.priv_key, "SNMPv3 priv key", 8),
      acl: aclView(device.platform, "SNMP-MGMT", sources),
    },
    // DESIGN.md "Device push safety": configure replace and rollback need the archive on flash:.
    archive: { path: "flash:archive/$h-", maximum: 14 },
    clock: clockView(site.time_zone),
    loggingBufferBytes: 64000,
    loggingHost: site.agent.address,
    ntpServers: device.ntpServers,
  };
}

export interface HeaderView {
  generatedBy: string;
  customer: string;
  siteId: string;
}

export function headerView(site: Site): HeaderView {
  return { generatedBy: generatedByLine(site.site_id), customer: site.customer, siteId: site.site_id };
}
