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
 * Panasonic KX-UT1xx/248/670, KX-TGP500/550 and KX-UDS124 (reference/provisioning.md §2.5).
 *
 * Boot: DHCP option 66 without a file name makes the phone fetch `{MODEL}.cfg` (KX-TGP700 guide;
 * wazo-provd-plugins wazo_panasonic/common/templates/common/KX-UT1xx.tpl). That shared file only points
 * CFG_STANDARD_FILE_PATH at `Config{MAC}.cfg`; the phone puts its own MAC in place of `{MAC}` in upper
 * case (`{mac}` would be lower case; KX-UTG300 guide §2.4.3), which is why per-device files are named
 * with an upper-case MAC (wazo common.py `_dev_specific_filename`). The shared file is served to anyone
 * (§3.6), so credentials and the admin password only go into the per-device file.
 *
 * Format (KX-UT123/UT670/UDS124 admin manuals, "Configuration File Specifications"): CRLF lines of at
 * most 537 bytes including CRLF; longer lines are silently ignored; parameter names at most 32
 * characters, values at most 500 characters; `KEY="value"` without an escape for `"`; the first line is
 * a magic comment; the file ends with an empty line; if a key appears twice the first one wins.
 */

/** The 44-byte designated sequence of the UT/UDS/HDV admin manuals. */
const standardMagic = "# Panasonic SIP Phone Standard Format File #";
/**
 * KX-TGP5xx templates in FusionPBX (resources/templates/provision/panasonic/tgp500, tgp550) and SARK's
 * "Panasonic TGP5xx" device template both start with this line instead; no Panasonic TGP500 manual was
 * available to confirm it (reference/provisioning.md §5). Chosen per catalog row, see optionsSchema.
 */
const pccMagic = "# PCC Standard Format File #";

/** 32 (name) + 3 (`="` and `"`) + 500 (value) + 2 (CRLF) = 537, the manuals' line limit. */
export const maxValueBytes = 500;

/**
 * Per-model facts, one catalog row each (configs/catalog/phones.yaml):
 * - `preprovisioning_file`: what the phone asks for at boot, `{MODEL}.cfg`. KX-UT models report their
 *   model without the region suffix (`Panasonic_KX-UT113/01.133` in wazo's UA regex, FusionPBX
 *   ut113..ut670/KX-UT1xx.cfg); KX-TGP5xx keep it (FusionPBX KX-TGP500B04.cfg, KX-TGP550T04.cfg).
 * - `magic`: the first line, see pccMagic.
 * - `firmware_version_key`: TGP5xx firmware versions are per DECT region (`FIRM_VER_USDECT`,
 *   `FIRM_VER_EUDECT` in FusionPBX tgp500 templates); the others use `FIRM_VERSION` (wazo KX-UT136.cfg).
 */
export const panasonicOptionsSchema = z
  .object({
    preprovisioning_file: z.string().regex(/^KX-[A-Z0-9]+\.cfg$/, { error: "must look like KX-UT136.cfg" }),
    magic: z.enum(["panasonic-sip-phone", "pcc"]).default("panasonic-sip-phone"),
    firmware_version_key: z.enum(["FIRM_VERSION", "FIRM_VER_EUDECT"]).default("FIRM_VERSION"),
  })
  .strict();

type PanasonicOptions = z.output<typeof panasonicOptionsSchema>;

function refuse(message: string): never {
  throw new PatchkastError("PK_ERR_RENDER_REFUSED", message);
}

function optionsOf(device: PhoneDevice): PanasonicOptions {
  const parsed = panasonicOptionsSchema.safeParse(device.model.familyOptions);
  if (!parsed.success) refuse(`${device.model.id}: family_options ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

/**
 * Panasonic's DST rule is month, n-th weekday and minutes after local midnight (KX-TGP500 admin guide
 * 2010.03.15 §4.3.2 via manualsdump: DST_START_ORDINAL_DAY 1–5, web UI "Last" for 5; day of week 0 =
 * Sunday). The EU switch is at 01:00 UTC: local standard time when it starts, local summer time when it
 * ends, the same convention as the US defaults (START_TIME = STOP_TIME = 120).
 */
function timeView(tz: TimeZoneView, who: string) {
  if (tz.dstRule === "other") {
    refuse(
      `${who}: Panasonic phones take a month/weekday DST rule; the rule of ${tz.iana} is not the EU one`,
    );
  }
  const dst =
    tz.dstRule === "eu"
      ? {
          offset: tz.summerOffsetMinutes - tz.standardOffsetMinutes,
          startTime: 60 + tz.standardOffsetMinutes,
          stopTime: 60 + tz.summerOffsetMinutes,
        }
      : null;
  return { offset: tz.standardOffsetMinutes, dst };
}

/** Every string in the view must fit the 500-byte value limit; a longer line would be dropped silently. */
function assertValuesFit(value: unknown, where: string, path = ""): void {
  if (typeof value === "string") {
    const bytes = Buffer.byteLength(value, "utf8");
    if (bytes > maxValueBytes) {
      refuse(
        `${where}: ${path} is ${bytes} bytes; Panasonic phones ignore lines over 537 bytes (values ≤ ${maxValueBytes})`,
      );
    }
  } else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) assertValuesFit(v, where, path ? `${path}.${k}` : k);
  }
}

/** The escaper turns `"` into `'` and line breaks into spaces: fine for a name, fatal for a password. */
function assertSecretCarried(secret: string, what: string): void {
  if ([...secret].some((ch) => ch === '"' || ch < " " || ch === "\u007f")) {
    refuse(
      `${what} contains a double quote or control character, which a Panasonic KEY="value" line cannot carry`,
    );
  }
}

function checkedSpec(spec: PhoneFileSpec): PhoneFileSpec {
  assertValuesFit(spec.view, spec.path);
  return spec;
}

function modelFile(site: SiteProvisioningView, options: PanasonicOptions): PhoneFileSpec {
  return checkedSpec({
    path: options.preprovisioning_file,
    template: "phones/panasonic/model.cfg.njk",
    format: "panasonic-kv",
    lineEnding: "crlf",
    secrets: false,
    view: {
      magic: options.magic === "pcc" ? pccMagic : standardMagic,
      generatedBy: site.generatedBy,
      // `{MAC}` is expanded by the phone, not by us.
      standardFileUrl: `${site.httpBaseUrl}Config{MAC}.cfg`,
    },
  });
}

function deviceFile(site: SiteProvisioningView, device: PhoneDevice): PhoneFileSpec {
  const options = optionsOf(device);
  const mac = device.mac.toUpperCase();
  const who = `${device.model.model} ${mac} (${device.extension})`;
  if (site.sipProxy.transport !== "udp") {
    // Only SIP over UDP is shown in the sources (FusionPBX tgp500 SIP_TRANSPORT_1="0"); no key is guessed.
    refuse(`${who}: SIP transport ${site.sipProxy.transport} is not supported for Panasonic phones yet`);
  }
  assertSecretCarried(device.sip.password, `${who}: the SIP password`);
  assertSecretCarried(site.adminPassword, `${who}: the phone admin password`);
  // Catalog versions are written "v22.73" for the DECT bases; the phone compares "22.73".
  const version = (device.model.firmware ?? "").replace(/^v/i, "");
  return checkedSpec({
    path: `Config${mac}.cfg`,
    template: "phones/panasonic/mac.cfg.njk",
    format: "panasonic-kv",
    lineEnding: "crlf",
    mac: device.mac,
    secrets: true,
    view: {
      magic: options.magic === "pcc" ? pccMagic : standardMagic,
      generatedBy: site.generatedBy,
      adminPassword: site.adminPassword,
      account: {
        authId: device.sip.authId,
        password: device.sip.password,
        proxyHost: site.sipProxy.host,
        proxyPort: site.sipProxy.port,
        // PHONE_NUMBER_n is the user part registered with (FusionPBX tgp500 template: account user_id).
        phoneNumber: device.sip.username,
        displayName: device.userName,
      },
      vlan: { id: site.voiceVlan.id, priority: site.voiceVlan.priority },
      ntpServer: site.ntpServers[0] ?? "",
      time: timeView(site.timeZone, who),
      firmware: {
        versionKey: options.firmware_version_key,
        version,
        // Our own firmware store (provisioning.md §3.6 item 7); the phone compares the version, not the name.
        url: `${site.firmwareBaseUrl}panasonic/${options.preprovisioning_file.replace(/\.cfg$/, "")}-${version}.fw`,
      },
    },
  });
}

/**
 * `Panasonic_KX-UT113/01.133 (0080f0c8c381)` (wazo-provd-plugins `wazo_panasonic/common/common.py`
 * `_UA_REGEX`, not anchored at the end), `Panasonic_KX-UT670/01.022 (0080f0…)` (fusionpbx); the phone's
 * `HTTP_USER_AGENT="Panasonic_{MODEL}/{fwver} ({mac})"` is configurable, so the MAC is optional here.
 *
 * The model is returned as sent: it is the `{MODEL}` of the phone's pre-provisioning file, i.e. the
 * catalog's `preprovisioning_file` without `.cfg` (`KX-UT113` for the KX-UT113NE, `KX-TGP500B01`), because
 * the region suffix the KX-UT catalog rows carry (NE) is not in the User-Agent and cannot be told.
 */
const panasonicUa =
  /^Panasonic_(KX-[A-Z0-9]{2,16})\/([0-9A-Za-z][0-9A-Za-z._]{0,23})(?: \(([^()\s]{1,32})\))?(?: [ -~]{1,64})?$/;

export function parsePanasonicUserAgent(userAgent: string): UserAgentInfo | undefined {
  const ua = userAgentText(userAgent);
  const m = ua === undefined ? null : panasonicUa.exec(ua);
  if (!m) return undefined;
  const [, model = "", firmware = "", rawMac] = m;
  const mac = macFromText(rawMac);
  return mac === undefined ? { model, firmware } : { model, firmware, mac };
}

/** `Config{MAC}.cfg` as the model file's CFG_STANDARD_FILE_PATH makes the phone ask for it (deviceFile). */
export function panasonicMacFromPath(path: string): string | undefined {
  return macFromFileName(/^Config([0-9a-f]{12})\.cfg$/i, path);
}

export const panasonicFamily: PhoneFamily = {
  id: "panasonic",
  displayName: "Panasonic KX-UT / KX-TGP / KX-UDS",
  optionsSchema: panasonicOptionsSchema,
  files(site, devices) {
    const byFile = new Map<string, PanasonicOptions>();
    for (const d of devices) {
      const options = optionsOf(d);
      byFile.set(options.preprovisioning_file, options);
    }
    const shared = [...byFile.keys()]
      .sort()
      .map((name) => modelFile(site, byFile.get(name) as PanasonicOptions));
    return [...shared, ...devices.map((d) => deviceFile(site, d))];
  },
  parseUserAgent: parsePanasonicUserAgent,
  macFromPath: panasonicMacFromPath,
  // The MAC file sets CFG_RESYNC_FROM_SIP="check-sync" (templates/phones/panasonic/mac.cfg.njk,
  // provisioning.md §2.5), the event endpointman's conf sends Panasonic phones (§2.8): keep the two equal.
  resyncEvent: "check-sync",
  bootstrap: {
    name: "bootstrap.cfg",
    template: "phones/panasonic/bootstrap.cfg.njk",
    format: "panasonic-kv",
    lineEnding: "crlf",
  },
};
