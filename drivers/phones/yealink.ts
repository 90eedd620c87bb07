import { z } from "zod";
import { PatchkastError } from "../../agent/errors.js";
import type { PhoneDevice, PhoneFamily, PhoneFileSpec, SiteProvisioningView, TimeZoneView } from "./types.js";
import { parseYealinkUserAgent, yealinkMacFromPath, yealinkResyncEvent } from "./yealink-requests.js";

/**
 * Yealink T18P/T2xP/T3xG, W52P, VP530 and the Tiptel IP 28x/VP 28 built on them. A phone asks for the
 * common file `y0000000000XX.cfg` (XX = model code) and then `<mac>.cfg` (lower-case MAC); both use the same
 * syntax, which depends on the firmware generation. Facts from reference/provisioning.md §2.1 unless a
 * comment names another source.
 *
 * The common file is served to anyone who asks (no credentials, §3.6 item 1). It carries what is the same
 * for every phone of the model on the site: provisioning server, voice VLAN with LLDP, NTP and time zone,
 * firmware. The voice VLAN sits there on purpose: a phone that boots on the untagged VLAN learns the voice
 * VLAN from a file without secrets and then asks for its MAC file from the voice VLAN, the subnet the agent
 * hands credentials to (DESIGN.md "Phone provisioning"). The MAC file carries the account and the admin
 * password (a phone web password is a credential too, so it never goes into the shared file).
 */

/**
 * model_code is the XX of the common file (Provisioner `yealink/t2x/phone.php` `$model_suffixes`: T28 00,
 * T26 04, T22 05, T20 07; `t1x`: T18 09; wazo `xivo-yealink/v70/entry.py` COMMON_FILES: T32G 32, T38G 38,
 * VP530 23; wazo `xivo-yealink/25.30.0.40/entry.py`: W52P 25). Tiptel rows reuse the code of the Yealink model
 * their firmware prefix matches (§2.1 "same firmware prefixes as T28/T20/T26"; (u) for the file name).
 */
const optionsSchema = z
  .object({ model_code: z.string().regex(/^[0-9]{2}$/, { error: 'model_code is two digits, e.g. "05"' }) })
  .strict();

const refuse = (message: string) => new PatchkastError("PK_ERR_RENDER_REFUSED", `Yealink: ${message}`);

export type YealinkGeneration = "v70" | "legacy";

/**
 * The file syntax a firmware reads. `A.B.C.D[.rom]`: A names the hardware, B the firmware line.
 * - B ≥ 70: `#!version:1.0.0.1` + `key = value` (wazo `xivo-yealink/v70` for 32.70/38.70/23.70, `v73`).
 * - W52P (A = 25) from B = 30: the same key = value form; wazo shipped it for 25.30.0.20/25.30.0.40
 *   (`xivo-yealink/20.0`, `25.30.0.40` templates, commit 20c019a4^), so 25.30.188.41 is not treated as INI.
 * - everything older (x.61, 18.0.0.80, Tiptel x.43/x.61, 23.40): `[ section ]` + `path = /config/…` INI
 *   (Provisioner `yealink/t1x`, `t2x`; wazo `xivo-yealink/70.0` `model-M7+M1.tpl` for phones still on V6x).
 */
export function yealinkGeneration(firmware: string): YealinkGeneration {
  const m = /^([0-9]+)\.([0-9]+)\.[0-9]+\.[0-9]+(?:\.rom)?$/.exec(firmware);
  if (!m) {
    throw refuse(`firmware "${firmware}" is not of the form A.B.C.D.rom`);
  }
  const hardware = Number(m[1]);
  const line = Number(m[2]);
  return line >= 70 || (hardware === 25 && line >= 30) ? "v70" : "legacy";
}

/** Yealink writes offsets as `+1`, `0`, `-3:30`, `+5:45` (fusionpbx `app/yealink/resources/auto_dst.xml` szTime). */
export function yealinkOffset(minutes: number): string {
  if (minutes === 0) return "0";
  const abs = Math.abs(minutes);
  const rest = abs % 60;
  return `${minutes > 0 ? "+" : "-"}${Math.floor(abs / 60)}${rest ? `:${String(rest).padStart(2, "0")}` : ""}`;
}

/** Zone names from the phone's own table (auto_dst.xml above); only shown on the phone when DST is explicit. */
const zoneNames: Readonly<Record<string, string>> = {
  "Europe/Amsterdam": "Netherlands(Amsterdam)",
  "Europe/Brussels": "Belgium(Brussels)",
  "Europe/Luxembourg": "Luxembourg(Luxembourg)",
  "Europe/Berlin": "Germany(Berlin)",
  "Europe/Paris": "France(Paris)",
  "Europe/London": "United Kingdom(London)",
  "Europe/Dublin": "Ireland(Dublin)",
};

export interface YealinkTime {
  zone: string;
  zoneName: string | null;
  /** local_time.summer_time / SummerTime: 0 off, 1 by the rule below, 2 from the phone's table by zone name. */
  summerTime: 0 | 1 | 2;
  /** dst_time_type 1 = by week: `month/week/weekday/hour`, week 5 = last, weekday 7 = Sunday. */
  dst: { start: string; end: string; offsetMinutes: number } | null;
}

/**
 * The site's zone as Yealink settings. The EU rule is written out (as wazo `_format_tz_info` does) so the
 * phone does not depend on its built-in table: switch at 01:00 UTC (Directive 2000/84/EC), i.e. `3/5/7/2` →
 * `10/5/7/3` in CET, matching auto_dst.xml's Netherlands(Amsterdam) row. Offset in minutes (szOffset="60").
 */
export function yealinkTime(tz: TimeZoneView): YealinkTime {
  const base = { zone: yealinkOffset(tz.standardOffsetMinutes), zoneName: zoneNames[tz.iana] ?? null };
  if (tz.dstRule === "none") return { ...base, summerTime: 0, dst: null };
  if (tz.dstRule === "eu" && tz.standardOffsetMinutes % 60 === 0 && tz.summerOffsetMinutes % 60 === 0) {
    const start = `3/5/7/${1 + tz.standardOffsetMinutes / 60}`;
    const end = `10/5/7/${1 + tz.summerOffsetMinutes / 60}`;
    return {
      ...base,
      summerTime: 1,
      dst: { start, end, offsetMinutes: tz.summerOffsetMinutes - tz.standardOffsetMinutes },
    };
  }
  if (base.zoneName !== null) return { ...base, summerTime: 2, dst: null };
  throw refuse(
    `time zone ${tz.iana} has a daylight-saving rule that is neither EU nor in the driver's zone-name table`,
  );
}

/** account.N.transport / Transport: 0 UDP, 1 TCP, 2 TLS (wazo `_SIP_TRANSPORT`; Provisioner t2x phone.php). */
const transportCode = { udp: 0, tcp: 1, tls: 2 } as const;

// busy_to_idle resets the device's count when an end event got lost (call-events.md §8 item 2).
const actionUrlEvents = (
  "incoming_call outgoing_call call_established call_terminated missed_call " +
  "reject_incoming_call forward_incoming_call idle_to_busy busy_to_idle"
).split(" ");
const actionUrlQuery = "mac=$mac&call_id=$call_id&local=$local&remote=$remote";

/**
 * Action URLs for call events (reference/call-events.md §1). Only V70-format desk phones have them; the V6x
 * INI keys are (u) and handled by yealinkLegacyCallEvents; the W52P has none, so it gets null. files() asks
 * for them when the site view carries a token function. The token names the device and acts as a weak secret
 * (§8 item 1).
 */
export function yealinkCallEvents(site: SiteProvisioningView, device: PhoneDevice, deviceToken: string) {
  const firmware = device.model.firmware ?? "";
  if (yealinkGeneration(firmware) !== "v70" || firmware.startsWith("25.")) return null;
  const url = (event: string) => `${site.httpBaseUrl}events/${deviceToken}/${event}?${actionUrlQuery}`;
  return actionUrlEvents.map((event) => ({ event, url: url(event) }));
}

export type YealinkCallEvents = ReturnType<typeof yealinkCallEvents>;

/**
 * V6x INI keys under `[ ActionURL ]` (call-events.md §1.1, table row "T2xP V61 and Tiptel IP 28x": yes (u),
 * seen only in third-party V6x-era templates). Only the x.61 line gets them: nothing at all is known for
 * 18.0.0.80 (T18P) or 23.40 (VP 28). V6x has no BusyToIdle, so the agent ages these calls out instead.
 * The URL names the event as the V70 keys do, so the agent reads one vocabulary.
 */
const legacyActionUrlKeys: readonly (readonly [key: string, event: string])[] = [
  ["IncomingCall", "incoming_call"],
  ["OutgoingCall", "outgoing_call"],
  ["CallEstablished", "call_established"],
  ["CallTerminated", "call_terminated"],
  ["MissedCall", "missed_call"],
];

export function yealinkLegacyCallEvents(
  site: SiteProvisioningView,
  device: PhoneDevice,
  deviceToken: string,
) {
  const firmware = device.model.firmware ?? "";
  if (yealinkGeneration(firmware) !== "legacy" || !/^[0-9]+\.61\./.test(firmware)) return null;
  const url = (event: string) => `${site.httpBaseUrl}events/${deviceToken}/${event}?${actionUrlQuery}`;
  return legacyActionUrlKeys.map(([key, event]) => ({ key, url: url(event) }));
}

/** Call-event settings for the MAC file's generation, or null (no token, W52P, or firmware without them). */
function deviceCallEvents(site: SiteProvisioningView, device: PhoneDevice, generation: YealinkGeneration) {
  const token = site.callEventToken?.(device.mac);
  if (token === undefined) return { callEvents: null, legacyCallEvents: null };
  return generation === "v70"
    ? { callEvents: yealinkCallEvents(site, device, token), legacyCallEvents: null }
    : { callEvents: null, legacyCallEvents: yealinkLegacyCallEvents(site, device, token) };
}

function modelCode(device: PhoneDevice): string {
  const parsed = optionsSchema.safeParse(device.model.familyOptions);
  if (!parsed.success) {
    throw refuse(`catalog row "${device.model.id}" needs family_options.model_code`);
  }
  return parsed.data.model_code;
}

function firmwareOf(device: PhoneDevice): string {
  if (!device.model.firmware) {
    throw refuse(`catalog row "${device.model.id}" has no firmware`);
  }
  return device.model.firmware;
}

/** Firmware settings for both syntaxes; the V6x form names a server and a path below it (wazo M7+M1). */
function firmwareView(site: SiteProvisioningView, firmware: string) {
  if (!site.firmwareBaseUrl.startsWith(site.httpBaseUrl)) {
    throw refuse("firmware must be served below the phone file URL");
  }
  return {
    url: `${site.firmwareBaseUrl}${firmware}`,
    server: site.httpBaseUrl.replace(/\/$/, ""),
    path: `${site.firmwareBaseUrl.slice(site.httpBaseUrl.length)}${firmware}`,
  };
}

interface Group {
  code: string;
  generation: YealinkGeneration;
  /** The firmware every phone of this code runs, or null when the code is shared by models that differ. */
  firmware: string | null;
  devices: PhoneDevice[];
}

/**
 * Devices by common file. Tiptel IP 280 and Yealink T20P share code 07 but not firmware: the common file
 * then leaves firmware out and each MAC file names its own. VP 28 (23.40, INI) and VP530 (23.70, V70) share
 * 23 but not syntax, which one file cannot serve.
 */
function groupByCode(devices: readonly PhoneDevice[]): Group[] {
  const groups = new Map<string, Group>();
  for (const device of devices) {
    const code = modelCode(device);
    const firmware = firmwareOf(device);
    const generation = yealinkGeneration(firmware);
    const group = groups.get(code) ?? { code, generation, firmware, devices: [] };
    if (group.generation !== generation) {
      throw refuse(
        `y0000000000${code}.cfg cannot serve ${device.model.brand} ${device.model.model} (${firmware}) and phones with ${group.generation} firmware on one site`,
      );
    }
    if (group.firmware !== firmware) group.firmware = null;
    group.devices.push(device);
    groups.set(code, group);
  }
  return [...groups.values()].sort((a, b) => a.code.localeCompare(b.code));
}

/**
 * Keys: V70 from fusionpbx `yealink/t28p/y000000000000.cfg` (auto_provision.server.url, network.vlan.*,
 * network.lldp.enable, local_time.*) and wazo (firmware.url); V6x sections from Provisioner
 * `yealink/t2x/y0000000000$suffix.cfg` and wazo `xivo-yealink/70.0/templates/common/model-M7+M1.tpl`.
 */
function commonSpec(site: SiteProvisioningView, group: Group): PhoneFileSpec {
  return {
    path: `y0000000000${group.code}.cfg`,
    template: `phones/yealink/common-${group.generation}.cfg.njk`,
    format: "yealink-kv",
    view: {
      header: site.generatedBy,
      provisioningUrl: site.httpBaseUrl,
      vlan: { id: site.voiceVlan.id, priority: site.voiceVlan.priority },
      ntpServers: site.ntpServers.slice(0, 2),
      time: yealinkTime(site.timeZone),
      firmware: group.firmware === null ? null : firmwareView(site, group.firmware),
    },
    secrets: false,
  };
}

/**
 * The MAC file's view; the call events stay null without a device token. V70 keys are
 * `account.1.*`, 1-based, with `sip_server_host`/`_port` (wazo `xivo-yealink/v70/templates/base.tpl`;
 * Provisioner `yealinkv70` sets `line_m1 = line`, so it is 1-based too despite the name; the W52P on 25.30
 * needs the same keys, wazo commit 5f1808db) and `security.user_password = admin:<pw>`. V6x writes
 * `[ account ]` to `sipAccount0.cfg` (0-based) and `[ AdminPassword ]` (Provisioner `yealink/t2x/$mac.cfg`).
 */
export function yealinkDeviceView(
  site: SiteProvisioningView,
  device: PhoneDevice,
  options: {
    firmwareInCommon: boolean;
    callEvents?: YealinkCallEvents;
    legacyCallEvents?: ReturnType<typeof yealinkLegacyCallEvents>;
  },
): Record<string, unknown> {
  return {
    header: site.generatedBy,
    model: `${device.model.brand} ${device.model.model}`,
    adminPassword: site.adminPassword,
    account: {
      label: device.extension,
      displayName: device.userName,
      userName: device.sip.username,
      authName: device.sip.authId,
      password: device.sip.password,
      serverHost: site.sipProxy.host,
      serverPort: site.sipProxy.port,
      transport: transportCode[site.sipProxy.transport],
    },
    firmware: options.firmwareInCommon ? null : firmwareView(site, firmwareOf(device)),
    callEvents: options.callEvents ?? null,
    legacyCallEvents: options.legacyCallEvents ?? null,
  };
}

function deviceSpec(site: SiteProvisioningView, group: Group, device: PhoneDevice): PhoneFileSpec {
  return {
    path: `${device.mac.toLowerCase()}.cfg`,
    template: `phones/yealink/mac-${group.generation}.cfg.njk`,
    format: "yealink-kv",
    view: yealinkDeviceView(site, device, {
      firmwareInCommon: group.firmware !== null,
      ...deviceCallEvents(site, device, group.generation),
    }),
    mac: device.mac,
    secrets: true,
  };
}

export const yealinkFamily: PhoneFamily = {
  id: "yealink",
  displayName: "Yealink / Tiptel",
  optionsSchema,
  files(site, devices) {
    const groups = groupByCode(devices);
    const groupOf = new Map(groups.flatMap((g) => g.devices.map((d) => [d, g] as const)));
    const perDevice = devices.map((d) => deviceSpec(site, groupOf.get(d) as Group, d));
    return [...groups.map((g) => commonSpec(site, g)), ...perDevice];
  },
  parseUserAgent: parseYealinkUserAgent,
  macFromPath: yealinkMacFromPath,
  resyncEvent: yealinkResyncEvent,
  bootstrap: { name: "bootstrap.cfg", template: "phones/yealink/bootstrap.cfg.njk", format: "yealink-kv" },
};
