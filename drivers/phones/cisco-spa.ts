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
 * Cisco SPA50x desk phones (firmware 7.4.9a): a common file per model that points the phone at its own
 * file, then one `<flat-profile>` XML file per MAC. Facts from reference/provisioning.md §2.3 unless a
 * comment names another source.
 *
 * Boot sequence: the factory `Profile_Rule` is `/spa$PSN.cfg`, fetched over TFTP from the DHCP option 66
 * server. That file only sets `Profile_Rule_B` to `<httpBaseUrl>$MA.xml`; rules B–D run "sequentially after
 * the primary Profile Rule" in the same resync, so the phone fetches its own file over HTTP at once
 * (wazo-provd-plugins `wazo_cisco_spa/v7_5_5/templates/common/model.cfg.tpl`). The primary rule stays at the
 * TFTP default, so TFTP only ever serves the credential-less common file (provisioning.md §3.6 item 4).
 */

/**
 * family_options of a cisco-spa catalog row. Optional in the schema because the family also holds rows that
 * do not autoprovision (SPA501/502/508/509/525, SPA-2102EU); files() refuses an autoprovisioning row
 * without them, and test/unit/phones/cisco-spa.test.ts checks every such row of the catalog.
 */
const optionsSchema = z
  .object({
    /**
     * Product series number as the phone writes it in `$PSN`, e.g. "504G": the common file is
     * `spa$PSN.cfg` with the case the phone asks for ("G is uppercase", wazo-provd-plugins
     * `wazo_cisco_spa/v7_5_5/entry.py`, PSN list 501G … 525G2).
     */
    psn: z
      .string()
      .regex(/^[0-9]{3,4}[A-Z0-9]*$/, { error: 'psn is the $PSN as the phone sends it, e.g. "504G"' })
      .optional(),
    /**
     * Firmware image name up to the version: the image is `<prefix>-<version with dots as dashes>.bin`.
     * SPA50x/30x share `spa50x-30x-7-5-5.bin`, SPA525G has `spa525g-7-5-5.bin` (wazo `SPA504G.tpl`,
     * `SPA525G.tpl`); for 7.4.9a that gives `spa50x-30x-7-4-9a.bin` (provisioning.md §2.3, (inf)).
     */
    firmware_image_prefix: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]*$/, { error: 'firmware_image_prefix is like "spa50x-30x"' })
      .optional(),
  })
  .strict();

type SpaOptions = z.output<typeof optionsSchema>;

/** `GMT+01:00`, the format of the SPA `Time_Zone` list (wazo `common/common.py` `_format_tzinfo`). */
export function spaTimeZoneName(offsetMinutes: number): string {
  const sign = offsetMinutes < 0 ? "-" : "+";
  const abs = Math.abs(offsetMinutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, "0");
  const mm = String(abs % 60).padStart(2, "0");
  return `GMT${sign}${hh}:${mm}`;
}

/** `H:M:S` as the SPA rule writes times (`2:0:0`). */
function hms(totalMinutes: number): string {
  return `${Math.floor(totalMinutes / 60)}:${totalMinutes % 60}:0`;
}

/**
 * `Daylight_Saving_Time_Rule`: `start=<month>/<day>/<weekday>/<H:M:S>;end=…;save=…`, day -1 with a
 * weekday = the last such weekday of the month, weekday 7 = Sunday, times in local wall-clock time
 * (Linksys/Sipura provisioning guide text quoted at forum.ttsoft.pl "DST rule for PAP2T / SPA3100", which
 * gives `start=3/-1/7/2:0:0;end=10/-1/7/3:0:0;save=1` for the EU; wazo `_format_tzinfo` writes save as
 * `1:0:0`). The EU switch is at 01:00 UTC (Directive 2000/84/EC), so the local hour is derived from the
 * zone's offsets: 02:00 → 03:00 in CET, 01:00 → 02:00 in WET/GMT.
 */
export function spaTimeZone(tz: TimeZoneView): { name: string; dstRule: string | null } {
  const name = spaTimeZoneName(tz.standardOffsetMinutes);
  if (tz.dstRule === "none") return { name, dstRule: null };
  if (tz.dstRule !== "eu") {
    throw new PatchkastError(
      "PK_ERR_RENDER_REFUSED",
      `Cisco SPA: time zone ${tz.iana} follows a daylight-saving rule other than the EU one; only the EU rule is derived`,
    );
  }
  const start = hms(60 + tz.standardOffsetMinutes);
  const end = hms(60 + tz.summerOffsetMinutes);
  const save = tz.summerOffsetMinutes - tz.standardOffsetMinutes;
  return { name, dstRule: `start=3/-1/7/${start};end=10/-1/7/${end};save=${hms(save)}` };
}

/**
 * Text for inside `<!-- -->`: XML forbids `--` in a comment and a comment ending in `-` (XML 1.0 §2.5),
 * which the element-text escaper cannot know about, so dashes are kept apart here.
 */
export function xmlCommentText(s: string): string {
  return s.replace(/-(?=-)/g, "- ").replace(/-$/, "- ");
}

const transportName = { udp: "UDP", tcp: "TCP", tls: "TLS" } as const;

function optionsOf(device: PhoneDevice): Required<SpaOptions> {
  const o = device.model.familyOptions as SpaOptions;
  if (!o.psn || !o.firmware_image_prefix || !device.model.firmware) {
    throw new PatchkastError(
      "PK_ERR_RENDER_REFUSED",
      `Cisco SPA: catalog row "${device.model.id}" needs family_options psn and firmware_image_prefix and a firmware`,
    );
  }
  return { psn: o.psn, firmware_image_prefix: o.firmware_image_prefix };
}

function commonSpec(site: SiteProvisioningView, device: PhoneDevice, psn: string): PhoneFileSpec {
  return {
    path: `spa${psn}.cfg`,
    template: "phones/cisco-spa/model.cfg.njk",
    format: "xml",
    view: {
      header: xmlCommentText(site.generatedBy),
      about: xmlCommentText(`${device.model.brand} ${device.model.model} ($PSN ${psn}), no credentials`),
      // $MA is expanded by the phone to its lower-case MAC (provisioning.md §2.3 "Macros").
      profileRuleB: `${site.httpBaseUrl}$MA.xml`,
    },
    secrets: false,
  };
}

function deviceSpec(site: SiteProvisioningView, device: PhoneDevice): PhoneFileSpec {
  const options = optionsOf(device);
  const firmware = device.model.firmware ?? "";
  const ntp = site.ntpServers;
  return {
    path: `${device.mac}.xml`,
    template: "phones/cisco-spa/mac.xml.njk",
    format: "xml",
    view: {
      header: xmlCommentText(site.generatedBy),
      about: xmlCommentText(`${device.model.brand} ${device.model.model}, firmware ${firmware}`),
      profileRuleB: `${site.httpBaseUrl}$MA.xml`,
      adminPassword: site.adminPassword,
      vlanId: site.voiceVlan.id,
      ntpPrimary: ntp[0] ?? "",
      ntpSecondary: ntp[1] ?? null,
      timeZone: spaTimeZone(site.timeZone),
      // A URL without a condition: the phone upgrades once and not again until the rule or the URL
      // changes ("Cisco Small Business IP Telephony Devices Provisioning Guide", Upgrade Rule).
      upgradeRule: `${site.firmwareBaseUrl}${options.firmware_image_prefix}-${firmware.replace(/\./g, "-")}.bin`,
      line: {
        proxy: `${site.sipProxy.host}:${site.sipProxy.port}`,
        // SIP_Transport_N_ as in fusionpbx `cisco/spa504g/{$mac}.xml`.
        transport: transportName[site.sipProxy.transport],
        userId: device.sip.username,
        authId: device.sip.authId,
        password: device.sip.password,
        displayName: device.userName,
        extension: device.extension,
      },
    },
    mac: device.mac,
    secrets: true,
  };
}

/**
 * wazo-provd-plugins `wazo_cisco_spa/common/common.py` (`_CISCO_UA_REGEX`, `_LINKSYS_UA_REGEX` and their
 * examples): `Cisco/SPA508G-7.4.8a (0002FDFF2103)(CBT141400UK)` is MAC then serial number;
 * `Cisco/SPA525G-7.4.7 (CBT141900G7)` and `Linksys/SPA-942-6.1.5(a) (88019FA42805)` carry the serial number
 * only, which is never read as a MAC even when it is 12 hex digits.
 */
const ciscoUa =
  /^Cisco\/(SPA\d{3,4}[A-Z0-9]{0,3})-(\d[\w.()]{0,23}) (?:\(([0-9A-Fa-f]{12})\))?\([A-Za-z0-9]{1,20}\)$/;
const linksysUa = /^Linksys\/(SPA-?\d{3,4}[A-Z0-9]{0,3})-(\d[^\s-]{0,23}) \([A-Za-z0-9]{1,20}\)$/;

/**
 * Catalog names drop the hardware suffix: `SPA504G` → `SPA504`, `SPA525G2` → `SPA525` (configs/catalog
 * phones.yaml lists SPA501/502/504/508/509/525). Others lose the dash, as wazo `_norm_model` does
 * (`SPA-942` → `SPA942`).
 */
function catalogModel(raw: string): string {
  const desk = /^SPA(5\d\d)G\d?$/.exec(raw);
  return desk ? `SPA${desk[1]}` : raw.replace("-", "");
}

export function parseCiscoSpaUserAgent(userAgent: string): UserAgentInfo | undefined {
  const ua = userAgentText(userAgent);
  if (ua === undefined) return undefined;
  const cisco = ciscoUa.exec(ua);
  if (cisco) {
    const [, model = "", firmware = "", rawMac] = cisco;
    const mac = macFromText(rawMac);
    return mac === undefined
      ? { model: catalogModel(model), firmware }
      : { model: catalogModel(model), firmware, mac };
  }
  const linksys = linksysUa.exec(ua);
  if (!linksys) return undefined;
  const [, model = "", firmware = ""] = linksys;
  return { model: catalogModel(model), firmware };
}

/**
 * `$MA.xml`, the per-device file Profile_Rule_B names (deviceSpec above). Wazo's `is_sensitive_filename`
 * also counts `SEP<MAC>.cnf.xml`-style names, which are CUCM phones', not this family's.
 */
export function ciscoSpaMacFromPath(path: string): string | undefined {
  return macFromFileName(/^([0-9a-f]{12})\.xml$/i, path);
}

export const ciscoSpaFamily: PhoneFamily = {
  id: "cisco-spa",
  displayName: "Cisco SPA50x",
  optionsSchema,
  files(site, devices) {
    const common = new Map<string, PhoneFileSpec>();
    for (const device of devices) {
      const { psn } = optionsOf(device);
      if (!common.has(psn)) common.set(psn, commonSpec(site, device, psn));
    }
    const shared = [...common.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, spec]) => spec);
    return [...shared, ...devices.map((d) => deviceSpec(site, d))];
  },
  parseUserAgent: parseCiscoSpaUserAgent,
  macFromPath: ciscoSpaMacFromPath,
  // `sipura-check-cfg` in endpointman `etc/sip_notify_endpointman.conf` (provisioning.md §2.3, §2.8); the
  // MAC file sets Resync_From_SIP to Yes.
  resyncEvent: "resync",
  bootstrap: { name: "bootstrap.xml", template: "phones/cisco-spa/bootstrap.xml.njk", format: "xml" },
};
