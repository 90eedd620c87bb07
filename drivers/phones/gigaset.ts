import { z } from "zod";
import { PatchkastError } from "../../agent/errors.js";
import { macFromFileName, macFromText, userAgentText } from "./requests.js";
import type {
  PhoneDevice,
  PhoneFamily,
  PhoneFileSpec,
  SiteProvisioningView,
  TimeZoneView,
  UserAgentInfo,
} from "./types.js";

/**
 * Gigaset N510 IP PRO and N300 IP DECT bases (reference/provisioning.md §2.6).
 *
 * With DHCP option 66 the N510 (firmware ≥ 42.245 by default, 226 when enabled) fetches
 * `http://<opt66>/<MAC>.xml` with an upper-case MAC (gigawiki 785974523, 788006157; wazo
 * wazo_gigaset/common/common.py `_dev_specific_filename`). There is no shared file in this path, so each
 * base gets one file that carries its credentials. The file is the ProviderFrame/SYMB_ITEM XML of wazo's
 * wazo_gigaset/N510/templates/base.tpl: ISO-8859-1, integers in hex, strings as `value='"text"'`.
 *
 * N300 IP: its provisioning facts are unverified (provisioning.md §2.6, gigawiki lists it with the C610 IP
 * in another product directory). It runs the same 42.x firmware line as the N510 on the provider's list
 * (catalog row "N300 + N510", 42.194), so it is rendered exactly like the N510.
 *
 * A DECT base carries up to six handsets and six accounts, but the site file has one phone entry per MAC,
 * so a base gets one account (account 1, `ucB_SIP_ACCOUNT_IS_ACTIVE_1`); its handsets use that account
 * through the base's defaults. More accounts per base need a site-schema change first.
 *
 * Not rendered: the web/admin password. The N510's is the 4-digit system PIN (`BS_CUSTOM.aucKdsPin`,
 * BCD bytes in wazo's template), which the site's free-text phone admin password cannot fill.
 */

/** Per-model fact: PROFILE_NAME as wazo's N510 template sets it; "N300" for the N300 is (u). */
export const gigasetOptionsSchema = z
  .object({ profile_name: z.string().regex(/^[A-Za-z0-9 ]{1,32}$/) })
  .strict();

/**
 * N510 time-zone codes by standard UTC offset in minutes (wazo wazo_gigaset/common/common.py `_TZ_GIGASET`,
 * the table its template uses; the comment in base.tpl differs for GMT-4/-3, the code is what ships).
 */
const timeZoneCodes: ReadonlyMap<number, number> = new Map([
  [-720, 0x00],
  [-660, 0x01],
  [-600, 0x02],
  [-540, 0x03],
  [-480, 0x04],
  [-420, 0x07],
  [-360, 0x09],
  [-300, 0x0d],
  [-240, 0x10],
  [-180, 0x12],
  [-120, 0x16],
  [-60, 0x18],
  [0, 0x1a],
  [60, 0x1b],
  [120, 0x20],
  [180, 0x28],
  [240, 0x2c],
  [270, 0x2d],
  [300, 0x2f],
  [330, 0x30],
  [345, 0x31],
  [360, 0x33],
  [390, 0x35],
  [420, 0x36],
  [480, 0x38],
  [540, 0x3d],
  [570, 0x40],
  [600, 0x43],
  [660, 0x47],
  [720, 0x48],
  [780, 0x50],
]);

/** gigawiki 333873237: S_SPECIAL_DATA_SRV is a string of at most 74 characters. */
export const maxFirmwareUrlLength = 74;

function refuse(message: string): never {
  throw new PatchkastError("PK_ERR_RENDER_REFUSED", message);
}

const hex = (n: number) => `0x${n.toString(16)}`;

/**
 * The file is ISO-8859-1. A character outside it (a Chinese name, an emoji) cannot be written and would
 * turn into an unrelated byte, so it becomes "?"; so do C1 controls (U+0080–U+009F), which have no glyph.
 */
export function toLatin1(s: string): string {
  let out = "";
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    out += cp > 0xff || (cp >= 0x80 && cp <= 0x9f) ? "?" : ch;
  }
  return out;
}

/** A secret must arrive unchanged: no `"` (the escaper would make it `'`), no control or non-Latin-1 character. */
function assertSecretCarried(secret: string, what: string): void {
  if ([...secret].some((ch) => ch === '"' || ch < " " || ch === "\u007f") || toLatin1(secret) !== secret) {
    refuse(
      `${what} contains a character a Gigaset provisioning file cannot carry (", a control or non-Latin-1 character)`,
    );
  }
}

/** XML comments may not contain "--" (XML 1.0 §2.5), and site ids may: "a--b". */
function commentText(s: string): string {
  return s.replace(/-{2,}/g, "-").replace(/-$/, "- ");
}

/**
 * gigawiki 1221460085: the N510 (from firmware 199) downloads S_SPECIAL_DATA_SRV directly when its file
 * name is `merkur<build>_<line>.bin`, e.g. merkur194_42.bin for 42.194; checked after reboot, timer,
 * check-sync or by hand, with an attempt counter against update loops (gigawiki 333873237).
 */
function firmwareUrl(site: SiteProvisioningView, device: PhoneDevice, who: string): string {
  const m = /^(\d+)\.(\d+)(?:\.|$)/.exec(device.model.firmware ?? "");
  if (!m)
    refuse(`${who}: catalog firmware "${device.model.firmware}" is not a Gigaset <line>.<build> version`);
  const url = `${site.firmwareBaseUrl}gigaset/merkur${m[2]}_${m[1]}.bin`;
  if (url.length > maxFirmwareUrlLength) {
    refuse(
      `${who}: firmware URL ${url} is longer than the ${maxFirmwareUrlLength} characters the base accepts`,
    );
  }
  return url;
}

function timeView(tz: TimeZoneView, who: string) {
  const code = timeZoneCodes.get(tz.standardOffsetMinutes);
  if (code === undefined || tz.dstRule === "other") {
    // The base picks its DST rule from its own zone table; only the EU rule and "no DST" are known to match.
    refuse(`${who}: the time zone ${tz.iana} has no matching Gigaset zone code and DST rule`);
  }
  return { code: hex(code), autoDst: tz.dstRule === "eu" ? "0x1" : "0x0" };
}

function deviceFile(site: SiteProvisioningView, device: PhoneDevice): PhoneFileSpec {
  const options = gigasetOptionsSchema.safeParse(device.model.familyOptions);
  if (!options.success) refuse(`${device.model.id}: family_options ${options.error.issues[0]?.message}`);
  const mac = device.mac.toUpperCase();
  const who = `${device.model.model} ${mac} (${device.extension})`;
  if (site.sipProxy.transport !== "udp") {
    // wazo's N510 template sets no transport; no key is guessed for TCP or TLS.
    refuse(`${who}: SIP transport ${site.sipProxy.transport} is not supported for Gigaset bases yet`);
  }
  assertSecretCarried(device.sip.password, `${who}: the SIP password`);
  const port = hex(site.sipProxy.port);
  return {
    path: `${mac}.xml`,
    template: "phones/gigaset/mac.xml.njk",
    format: "gigaset-xml",
    encoding: "latin1",
    mac: device.mac,
    secrets: true,
    view: {
      generatedBy: toLatin1(commentText(site.generatedBy)),
      mac,
      profileName: options.data.profile_name,
      firmwareUrl: firmwareUrl(site, device, who),
      account: {
        server: toLatin1(site.sipProxy.host),
        port,
        userId: toLatin1(device.sip.username),
        loginId: toLatin1(device.sip.authId),
        password: device.sip.password,
        displayName: toLatin1(device.userName),
      },
      vlan: { id: hex(site.voiceVlan.id), priority: hex(site.voiceVlan.priority) },
      ntpServer: toLatin1(site.ntpServers[0] ?? ""),
      time: timeView(site.timeZone, who),
    },
  };
}

/**
 * `N510 IP PRO/42.245.00.000.000;7C2F804DF9A9`, `N510 IP PRO/42.258.00.000.000` (MAC optional),
 * `Gigaset N720 DM PRO/70.089.00.000.000;7C2F80CA21E4`, `N720-DM-PRO/70.040.00.000.000` (wazo-provd-plugins
 * `wazo_gigaset/common/common.py` `_UA_REGEX` and examples; dashes in the model read as spaces, as there).
 * The N300 IP's User-Agent was not found; it is read the same way (u). Nx70 bases (`83.V2…` versions)
 * speak another dialect and do not match.
 */
const gigasetUa =
  /^(?:Gigaset )?(N\d{3}(?:[ -][A-Z0-9]{1,6}){1,3})\/(\d{2,3}\.\d{2,3}\.\d{2,3}\.\d{2,3}\.\d{2,3})(?:;(\S{1,32}))?$/;

export function parseGigasetUserAgent(userAgent: string): UserAgentInfo | undefined {
  const ua = userAgentText(userAgent);
  const m = ua === undefined ? null : gigasetUa.exec(ua);
  if (!m) return undefined;
  const [, raw = "", firmware = "", rawMac] = m;
  const model = raw.replace(/-/g, " ");
  const mac = macFromText(rawMac);
  return mac === undefined ? { model, firmware } : { model, firmware, mac };
}

/** `<MAC>.xml` (deviceFile above; wazo `is_sensitive_filename` `^[0-9A-F]{12}\.xml$`), in any case. */
export function gigasetMacFromPath(path: string): string | undefined {
  return macFromFileName(/^([0-9a-f]{12})\.xml$/i, path);
}

export const gigasetFamily: PhoneFamily = {
  id: "gigaset",
  displayName: "Gigaset N510 IP PRO / N300 IP",
  optionsSchema: gigasetOptionsSchema,
  files(site, devices) {
    return devices.map((d) => deviceFile(site, d));
  },
  parseUserAgent: parseGigasetUserAgent,
  macFromPath: gigasetMacFromPath,
  /**
   * gigawiki "SIP message - provisioning" (teamwork.gigaset.com/gigawiki/display/GPPPO, page 577503586):
   * "The check-sync mechanism allows the initiation of a profile (configuration file) download from
   * remote", tested with the N510 on software 199 and 210; the optional `reboot=` parameter "is not
   * supported by: N510, N720", so the event is sent bare. Wazo's Gigaset plugin sends the same
   * (`standard_sip_synchronize`, whose event is check-sync).
   */
  resyncEvent: "check-sync",
  bootstrap: {
    name: "bootstrap.xml",
    template: "phones/gigaset/bootstrap.xml.njk",
    format: "gigaset-xml",
    encoding: "latin1",
  },
};
