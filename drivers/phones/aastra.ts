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
 * Aastra 6731i/675xi. The phone reads `aastra.cfg`, then `<model>.cfg`, then `<MAC>.cfg` (upper-case MAC),
 * later files overriding earlier ones; `key: value` lines, `#` comments. Facts from
 * reference/provisioning.md §2.4 unless a comment names another source.
 *
 * `<model>.cfg` is described from the Release 3.2.2 guide on ("aastra.cfg/<model>.cfg/<mac>.cfg",
 * 41-001343-01 §"Configuration File Precedence"); the Release 2.3–2.5 guides (41-001160-0x) list only
 * aastra.cfg and <mac>.cfg, so the 6751i on 2.6.0.2019 may never read its model file (u). Everything a
 * phone needs therefore sits in aastra.cfg or the MAC file; the model file repeats the firmware server.
 */

/** family_options of an aastra row; optional for the rows that do not autoprovision (6730i, 6739i …). */
const optionsSchema = z
  .object({
    /**
     * The firmware image the phone fetches from the firmware server. Its name is the model's internal
     * name, not always the marketed one: `6731i.st`, but `53i.st`, `55i.st`, `57i.st` for the 6753i/6755i/
     * 6757i (wazo-provd-plugins `wazo_aastra/v3_3_1_SP4/pkgs/pkgs.db`, install sections); fusionpbx
     * `aastra/673x/{$mac}.cfg` "phone looks for firmware in <phone model>.st file, e.g. 53i.st".
     */
    firmware_image: z
      .string()
      .regex(/^[0-9A-Za-z]+\.st$/, { error: 'firmware_image is the .st file name, e.g. "53i.st"' })
      .optional(),
  })
  .strict();

type AastraOptions = z.output<typeof optionsSchema>;

/** `sip transport protocol` codes (fusionpbx `aastra/673x/{$mac}.cfg` comment: 1 UDP, 2 TCP, 4 TLS). */
const transportCode = { udp: 1, tcp: 2, tls: 4 } as const;

/**
 * `time zone name: Custom` plus the offset and a relative DST rule, derived from the site's zone as Wazo
 * does (`wazo_aastra/common/common.py` `_format_tzinfo`), rather than a named zone: the guide's name table
 * (Appendix A "Time Zone Name/Time Zone Code Table") was not available to check a code like NL-Amsterdam.
 * "Custom" must have an initial capital (3.2.2 guide, "Time Zone & DST"). `time zone minutes` is positive
 * west of Greenwich; weeks -1 = last occurrence, day 1 = Sunday; hours are local (6730i guide 41-001343-02
 * p. 5-17). EU switch at 01:00 UTC (Directive 2000/84/EC): 02:00 → 03:00 in CET.
 */
export function aastraTimeZone(tz: TimeZoneView) {
  // `0 - x` rather than `-x`: no -0 for UTC.
  const base = { zoneMinutes: 0 - tz.standardOffsetMinutes };
  if (tz.dstRule === "none") return { ...base, dst: null };
  if (tz.dstRule !== "eu" || tz.standardOffsetMinutes % 60 !== 0 || tz.summerOffsetMinutes % 60 !== 0) {
    throw new PatchkastError(
      "PK_ERR_RENDER_REFUSED",
      `Aastra: time zone ${tz.iana} is not on whole hours with the EU daylight-saving rule; only that is derived`,
    );
  }
  return {
    ...base,
    dst: {
      minutes: tz.summerOffsetMinutes - tz.standardOffsetMinutes,
      start: { month: 3, week: -1, day: 1, hour: 1 + tz.standardOffsetMinutes / 60 },
      end: { month: 10, week: -1, day: 1, hour: 1 + tz.summerOffsetMinutes / 60 },
    },
  };
}

/**
 * Action URIs that report call state to the agent (reference/call-events.md §3, §8), rendered when the site
 * view carries a token function (agent/calls/device-tokens.ts). The token names the device, because
 * Aastra has no MAC variable; URLs stay under the 128 characters the guides allow for offhook/onhook.
 */
/** `action uri poll interval`: the phone GETs the poll URI this often, with its line state (§3.3). */
export const aastraPollIntervalSeconds = 60;

export function aastraCallEvents(site: SiteProvisioningView, deviceToken: string) {
  const base = `${site.httpBaseUrl}events/${deviceToken}`;
  const withState = (event: string) => `${base}/${event}?state=$$LINESTATE$$`;
  return {
    incoming: `${withState("incoming")}&remote=$$REMOTENUMBER$$`,
    outgoing: `${withState("outgoing")}&remote=$$REMOTENUMBER$$`,
    // `connected` is in the 3.2.2 guide but not the 2.4 one: (u) on 2.6; unknown keys are ignored.
    connected: withState("connected"),
    disconnected: withState("disconnected"),
    onhook: withState("onhook"),
    poll: withState("poll"),
    pollIntervalSeconds: aastraPollIntervalSeconds,
  };
}

export type AastraCallEvents = ReturnType<typeof aastraCallEvents>;

function callEventsFor(site: SiteProvisioningView, device: PhoneDevice): AastraCallEvents | null {
  const token = site.callEventToken?.(device.mac);
  return token === undefined ? null : aastraCallEvents(site, token);
}

function optionsOf(device: PhoneDevice): Required<AastraOptions> {
  const o = device.model.familyOptions as AastraOptions;
  if (!o.firmware_image || !device.model.firmware || !/^[0-9]{4}i$/.test(device.model.model)) {
    throw new PatchkastError(
      "PK_ERR_RENDER_REFUSED",
      `Aastra: catalog row "${device.model.id}" needs a model like 6731i, a firmware and family_options firmware_image`,
    );
  }
  return { firmware_image: o.firmware_image };
}

/**
 * "The IP phones support numeric characters only in passwords. If you enter a password with alpha
 * characters, the phone uses the default password instead", range 0-4294967295 (Aastra admin guide
 * 41-001343-02, Password Settings, `admin password`). Rendering anything else would leave 22222 in place.
 */
function assertNumericAdminPassword(site: SiteProvisioningView, devices: readonly PhoneDevice[]): void {
  const p = site.adminPassword;
  if (!/^[0-9]{1,10}$/.test(p) || Number(p) > 4_294_967_295) {
    throw new PatchkastError(
      "PK_ERR_RENDER_REFUSED",
      `Aastra ${[...new Set(devices.map((d) => d.model.model))].join(", ")}: the phones take only a numeric admin password (0-4294967295) and silently keep the default 22222 otherwise; set a numeric phone admin password for this site`,
    );
  }
}

function sharedSpec(site: SiteProvisioningView): PhoneFileSpec {
  return {
    path: "aastra.cfg",
    template: "phones/aastra/common.cfg.njk",
    format: "aastra-kv",
    view: {
      header: site.generatedBy,
      httpServer: site.serverAddress,
      httpPort: site.httpPort,
      firmwareServer: site.firmwareBaseUrl,
      ntpServers: site.ntpServers.slice(0, 3),
      timeZone: aastraTimeZone(site.timeZone),
      vlan: { id: site.voiceVlan.id, priority: site.voiceVlan.priority },
      transport: transportCode[site.sipProxy.transport],
    },
    secrets: false,
  };
}

function modelSpec(site: SiteProvisioningView, device: PhoneDevice): PhoneFileSpec {
  return {
    path: `${device.model.model}.cfg`,
    template: "phones/aastra/model.cfg.njk",
    format: "aastra-kv",
    view: {
      header: site.generatedBy,
      model: `${device.model.brand} ${device.model.model}`,
      firmware: device.model.firmware ?? "",
      firmwareImage: optionsOf(device).firmware_image,
      firmwareServer: site.firmwareBaseUrl,
    },
    secrets: false,
  };
}

/** The MAC file's view; `callEvents` is null without a device token. */
export function aastraDeviceView(
  site: SiteProvisioningView,
  device: PhoneDevice,
  callEvents: AastraCallEvents | null = null,
): Record<string, unknown> {
  return {
    header: site.generatedBy,
    model: `${device.model.brand} ${device.model.model}`,
    adminPassword: site.adminPassword,
    line: {
      proxyHost: site.sipProxy.host,
      proxyPort: site.sipProxy.port,
      userName: device.sip.username,
      authName: device.sip.authId,
      password: device.sip.password,
      displayName: device.userName,
      extension: device.extension,
    },
    callEvents,
  };
}

function deviceSpec(site: SiteProvisioningView, device: PhoneDevice): PhoneFileSpec {
  optionsOf(device);
  return {
    // Upper-case MAC (wazo `format_mac(..., uppercase=True)`, Provisioner `strtoupper`).
    path: `${device.mac.toUpperCase()}.cfg`,
    template: "phones/aastra/mac.cfg.njk",
    format: "aastra-kv",
    view: aastraDeviceView(site, device, callEventsFor(site, device)),
    mac: device.mac,
    secrets: true,
  };
}

/**
 * `Aastra6731i MAC:00-08-5D-23-74-29 V:3.2.0.70-SIP` (wazo-provd-plugins `wazo_aastra/common/common.py`
 * `_UA_REGEX` and examples, which also read the `Mitel` prefix of the later models that speak this dialect).
 * The 675xi report their internal names: `51i`, `53i`, `55i`, `57i` (wazo `_UA_MODELS_MAP`).
 */
const aastraUa = /^(?:Aastra|Mitel)(\d{2,4}[A-Za-z]{0,3}) MAC:(\S{1,32}) V:(\d{1,3}(?:\.\d{1,6}){1,5})-SIP$/;

/** UA name → catalog model; `57iCT` (the 6757i CT) is read by analogy (u). */
const catalogModels: Readonly<Record<string, string>> = {
  "51i": "6751i",
  "53i": "6753i",
  "55i": "6755i",
  "57i": "6757i",
  "57iCT": "6757i CT",
};

export function parseAastraUserAgent(userAgent: string): UserAgentInfo | undefined {
  const ua = userAgentText(userAgent);
  const m = ua === undefined ? null : aastraUa.exec(ua);
  if (!m) return undefined;
  const [, raw = "", rawMac, firmware = ""] = m;
  const model = catalogModels[raw] ?? raw;
  const mac = macFromText(rawMac);
  return mac === undefined ? { model, firmware } : { model, firmware, mac };
}

/**
 * `<MAC>.cfg` (deviceSpec above; wazo `is_sensitive_filename` `^[0-9A-F]{12}\.cfg$`), in any case. The
 * encrypted `<MAC>.tuz` is not rendered, so it is not counted.
 */
export function aastraMacFromPath(path: string): string | undefined {
  return macFromFileName(/^([0-9a-f]{12})\.cfg$/i, path);
}

export const aastraFamily: PhoneFamily = {
  id: "aastra",
  displayName: "Aastra 67xxi",
  optionsSchema,
  files(site, devices) {
    if (devices.length === 0) return [];
    assertNumericAdminPassword(site, devices);
    const models = new Map<string, PhoneFileSpec>();
    for (const device of devices) {
      if (!models.has(device.model.model)) models.set(device.model.model, modelSpec(site, device));
    }
    const perModel = [...models.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, spec]) => spec);
    return [sharedSpec(site), ...perModel, ...devices.map((d) => deviceSpec(site, d))];
  },
  parseUserAgent: parseAastraUserAgent,
  macFromPath: aastraMacFromPath,
  // `aastra-check-cfg` in endpointman `etc/sip_notify_endpointman.conf` (provisioning.md §2.4, §2.8).
  resyncEvent: "check-sync",
  bootstrap: { name: "bootstrap.cfg", template: "phones/aastra/bootstrap.cfg.njk", format: "aastra-kv" },
};
