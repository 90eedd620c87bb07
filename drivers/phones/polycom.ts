import { z } from "zod";
import { PatchkastError } from "../../agent/errors.js";
import { macFromFileName, userAgentText } from "./requests.js";
import type {
  PhoneDevice,
  PhoneFamily,
  PhoneFileSpec,
  SiteProvisioningView,
  TimeZoneView,
  UserAgentInfo,
} from "./types.js";

/**
 * Polycom SoundPoint IP (UCS 4.0.2b), VVX 500/600 (UCS 4.1.2) and VVX 1500 (UCS 3.3.2). Facts from
 * reference/provisioning.md §2.2 unless a comment names another source.
 *
 * Each phone first asks for the per-phone master `<mac>.cfg` and only falls back to `000000000000.cfg` when
 * that is missing ("Per-phone master configuration file", Polycom SIP 2.x/3.1 admin guide). patchkast
 * writes a per-phone master for every inventory phone, because the site's models run different firmware
 * (4.0.2b, 4.1.2, v3.3.2) and a master names exactly one application; no default master is written, so a
 * phone that is not in the inventory gets nothing from the rendered tree. The master lists
 * `<mac>-user.cfg` (account, admin password; the only file with secrets) before `common.cfg` (site-wide,
 * no secrets): files listed first take precedence, as in wazo `wazo_polycom/v4_0_11/.../000000000000.cfg`.
 *
 * Firmware: APP_FILE_PATH may be a URL ("This can be a URL with its own protocol …", Polycom SIP 2.0 admin
 * guide 1725-11530-200, Master Configuration Files). It points at `<firmwareBaseUrl><catalog firmware>/sip.ld`:
 * the phone itself asks for `<its part number>.sip.ld` first and falls back to `sip.ld` (Poly community FAQ
 * "What files does my phone download or upload and why?", example `2345-12600-001.sip.ld` for the IP 650), so
 * the firmware store holds each release unpacked in a folder named after the catalog firmware, as sipXecs
 * (`polycom/4.0.X/sip.ld`) and fusionpbx (`firmware/4.0.15.1009/`) lay it out. Part numbers were found for
 * the IP 650 only, so none are put in family_options.
 *
 * UCS 3.3 (VVX 1500) gets the same keys; whether it still needs the vendor's sip.cfg/phone1.cfg defaults
 * (wazo lists them for SIP 3.1/3.2 only) and whether it knows `device.net.lldpEnabled` is (u).
 */
const optionsSchema = z.object({}).strict();

/** reg.x.server.y.transport values (wazo `wazo_polycom/common/common.py` `_SIP_TRANSPORT`). */
const transportName = { udp: "UDPOnly", tcp: "TCPOnly", tls: "TLS" } as const;

export interface PolycomTime {
  gmtOffsetSeconds: number;
  /** Last Sunday (dayOfWeek 1 = Sunday, lastInMonth) of month, at a local hour, as wazo `_format_dst_change`. */
  dst: { start: { month: number; hour: number }; stop: { month: number; hour: number } } | null;
}

/** The EU rule switches at 01:00 UTC (Directive 2000/84/EC): 02:00 CET → 03:00 CEST for Amsterdam. */
export function polycomTime(tz: TimeZoneView): PolycomTime {
  const gmtOffsetSeconds = tz.standardOffsetMinutes * 60;
  if (tz.dstRule === "none") return { gmtOffsetSeconds, dst: null };
  if (tz.dstRule !== "eu" || tz.standardOffsetMinutes % 60 !== 0 || tz.summerOffsetMinutes % 60 !== 0) {
    throw new PatchkastError(
      "PK_ERR_RENDER_REFUSED",
      `Polycom: time zone ${tz.iana} is not on whole hours with the EU daylight-saving rule; only that is derived`,
    );
  }
  return {
    gmtOffsetSeconds,
    dst: {
      start: { month: 3, hour: 1 + tz.standardOffsetMinutes / 60 },
      stop: { month: 10, hour: 1 + tz.summerOffsetMinutes / 60 },
    },
  };
}

/**
 * Telephony notifications (reference/call-events.md §2): the phone POSTs XML for these four events, which
 * every firmware here has (SIP 3.1 Web Application Developer's Guide). Rendered when the site view carries a
 * token function. There is no authentication parameter, so the token in the URL names the device.
 */
export function polycomCallEvents(site: SiteProvisioningView, deviceToken: string) {
  return { url: `${site.httpBaseUrl}events/${deviceToken}/polycom` };
}

export type PolycomCallEvents = ReturnType<typeof polycomCallEvents>;

function callEventsFor(site: SiteProvisioningView, device: PhoneDevice): PolycomCallEvents | null {
  const token = site.callEventToken?.(device.mac);
  return token === undefined ? null : polycomCallEvents(site, token);
}

function firmwareOf(device: PhoneDevice): string {
  const firmware = device.model.firmware;
  // The catalog string becomes a folder name in a URL.
  if (!firmware || !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(firmware)) {
    throw new PatchkastError(
      "PK_ERR_RENDER_REFUSED",
      `Polycom: catalog row "${device.model.id}" needs a firmware made of letters, digits, dots and dashes`,
    );
  }
  return firmware;
}

/** The XML comment must not contain `--` (XML 1.0 §2.5); the text is escaped for XML afterwards. */
function commentText(s: string): string {
  return s.replace(/-(?=-)/g, "- ");
}

/**
 * Keys: `device.prov.serverName`/`serverType` (2 = HTTP) pin the agent as boot server (fusionpbx
 * `polycom/4.x/{$mac}.cfg`, `app/polycom/app_config.php`; a URL with port as serverName is (u));
 * `device.net.vlanId`, `device.net.lldpEnabled` (fusionpbx `polycom/5.x/{$mac}.cfg`); the site's proxy as
 * `voIpProt.server.1.*`, which registrations use unless they set `reg.1.server.*` (wazo `v3_2_4B` sip.cfg);
 * `tcpIpApp.sntp.*` as wazo `common.py` `_format_tzinfo` writes them.
 */
function commonSpec(site: SiteProvisioningView): PhoneFileSpec {
  return {
    path: "common.cfg",
    template: "phones/polycom/common.cfg.njk",
    format: "xml",
    view: {
      header: commentText(site.generatedBy),
      provisioningServer: site.httpBaseUrl,
      vlanId: site.voiceVlan.id,
      sipServer: {
        host: site.sipProxy.host,
        port: site.sipProxy.port,
        transport: transportName[site.sipProxy.transport],
      },
      // tcpIpApp.sntp.address takes one server.
      ntpServer: site.ntpServers[0] ?? null,
      time: polycomTime(site.timeZone),
    },
    secrets: false,
  };
}

function masterSpec(site: SiteProvisioningView, device: PhoneDevice): PhoneFileSpec {
  const mac = device.mac.toLowerCase();
  return {
    path: `${mac}.cfg`,
    template: "phones/polycom/master.cfg.njk",
    format: "xml",
    view: {
      header: commentText(site.generatedBy),
      model: commentText(`${device.model.brand} ${device.model.model}, firmware ${firmwareOf(device)}`),
      appFilePath: `${site.firmwareBaseUrl}${firmwareOf(device)}/sip.ld`,
      configFiles: `${mac}-user.cfg, common.cfg`,
    },
    mac: device.mac,
    secrets: false,
  };
}

/** The `-user.cfg` view; `callEvents` is null without a device token. */
export function polycomUserView(
  site: SiteProvisioningView,
  device: PhoneDevice,
  callEvents: PolycomCallEvents | null = null,
): Record<string, unknown> {
  return {
    header: commentText(site.generatedBy),
    adminPassword: site.adminPassword,
    line: {
      displayName: device.userName,
      label: device.extension,
      address: device.sip.username,
      authId: device.sip.authId,
      password: device.sip.password,
    },
    callEvents,
  };
}

function userSpec(site: SiteProvisioningView, device: PhoneDevice): PhoneFileSpec {
  return {
    path: `${device.mac.toLowerCase()}-user.cfg`,
    template: "phones/polycom/user.cfg.njk",
    format: "xml",
    view: polycomUserView(site, device, callEventsFor(site, device)),
    mac: device.mac,
    secrets: true,
  };
}

/**
 * `FileTransport PolycomSoundPointIP-SPIP_335-UA/3.2.1.0078`,
 * `FileTransport PolycomVVX-VVX_400-UA/4.1.4.7430 Type/Application` (wazo-provd-plugins
 * `wazo_polycom/common/common.py` `_UA_REGEX` and its examples, which also show `SSIP_6000` and a
 * `Type/Updater` tail). The version is the BootROM's in the first requests and the application's later.
 * No MAC: the phone's MAC comes from the path (§0 item 7).
 */
const polycomUa =
  /^FileTransport Polycom[A-Za-z]{2,32}-([A-Za-z]{2,8})_(\d{2,5}[A-Za-z]{0,3})-UA\/(\d{1,3}(?:\.\d{1,6}){1,5})(?: [ -~]{1,128})?$/;

/** UA model prefixes → the catalog's names ("SoundPoint IP 335", "VVX 500"). */
const modelLines: Readonly<Record<string, string>> = {
  SPIP: "SoundPoint IP",
  SSIP: "SoundStation IP",
  VVX: "VVX",
};

export function parsePolycomUserAgent(userAgent: string): UserAgentInfo | undefined {
  const ua = userAgentText(userAgent);
  const m = ua === undefined ? null : polycomUa.exec(ua);
  if (!m) return undefined;
  const [, line = "", number = "", firmware = ""] = m;
  return { model: `${modelLines[line.toUpperCase()] ?? line} ${number}`, firmware };
}

/**
 * Per-device names: the per-phone master `<mac>.cfg` and `<mac>-user.cfg` it lists (files() above), and the
 * files the phone uploads or asks for by MAC: `-phone.cfg`, `-web.cfg`, `-directory.xml`, `-app.log`,
 * `-boot.log`, `-license.cfg` (Poly community FAQ "What files does my phone download or upload and why?",
 * provisioning.md §2.2; wazo `_PATH_REGEX`). `000000000000.cfg` is the default master, not a device.
 */
export function polycomMacFromPath(path: string): string | undefined {
  return macFromFileName(
    /^([0-9a-f]{12})(?:\.cfg|-(?:user|phone|web|license)\.cfg|-directory\.xml|-(?:app|boot)\.log)$/i,
    path,
  );
}

export const polycomFamily: PhoneFamily = {
  id: "polycom",
  displayName: "Polycom SoundPoint IP / VVX",
  optionsSchema,
  files(site, devices) {
    if (devices.length === 0) return [];
    const perDevice = devices.flatMap((d) => [masterSpec(site, d), userSpec(site, d)]);
    return [commonSpec(site), ...perDevice];
  },
  parseUserAgent: parsePolycomUserAgent,
  macFromPath: polycomMacFromPath,
  // endpointman `etc/sip_notify_endpointman.conf` `polycom-check-cfg` (provisioning.md §2.2, §2.8).
  resyncEvent: "check-sync",
  bootstrap: { name: "bootstrap.cfg", template: "phones/polycom/bootstrap.cfg.njk", format: "xml" },
};
