import { macFromFileName, macFromText, userAgentText } from "./requests.js";
import type { UserAgentInfo } from "./types.js";

/**
 * What Yealink and Tiptel requests say about the phone (reference/provisioning.md §2.1), kept apart from
 * yealink.ts so the renderer stays readable. Every Yealink and Tiptel phone puts its MAC in the User-Agent
 * (§0 item 7).
 */

const firmware = String.raw`(\d{1,3}(?:\.\d{1,6}){1,5})`;
/** The last token: the MAC where the phone sends one; "Yealink-T46G" sends a hardware version there. */
const lastToken = String.raw`(?: {1,3}(\S{1,32}))?`;

/**
 * User-Agents from wazo-provd-plugins `wazo_yealink/common/common.py` (`_UA_REGEX_LIST` and the examples
 * above it): `Yealink SIP-T28P 2.70.0.140 00:15:65:13:ae:0b`, `yealink SIP-T18 18.0.0.80 …`,
 * `Yealink SIP-T38G  38.70.0.125 …` (two spaces), `Yealink SIP VP-T49G 51.80.0.10 …`,
 * `Yealink SIP-W52P 25.73.0.20 …`, `Yealink W52P 25.80.0.15 …`, `Yealink-T46G 28.71.0.81 28.1.0.128.0.0.0`.
 * Wazo reads `[yY]ealink`; any case of the word is taken here.
 */
const yealinkUa = new RegExp(
  `^yealink(?: {1,3}SIP(?: VP)?-| {1,3}|-)([A-Z0-9_]{2,16}) {1,3}${firmware}${lastToken}$`,
  "i",
);

/** Wazo's third form, without the vendor word: `VP530P 23.70.0.40 …`, `VP530 23.70.0.41 …`, `W52P 25.30.0.2 …`. */
const bareUa = new RegExp(`^(VP530P?|W52P) {1,3}${firmware}${lastToken}$`);

/**
 * Tiptel OEM phones (amooma/GS3 `htdocs/prov/tiptel/settings.php`, which compares the first word
 * case-insensitively): `Tiptel IP 286 2.43.13.6 00:15:65:13:eb:6f`, `Tiptel IP 280 9.43.13.6 …`,
 * `Tiptel IP 284 6.43.13.8 …`, `Tiptel IP 28xs 18.0.13.3 …`. The VP 28's User-Agent was not found; it is
 * read the same way, with or without a space after `VP` (u).
 */
const tiptelUa = new RegExp(
  String.raw`^tiptel {1,3}(IP|VP) ?(\d{2,3}[A-Z]{0,2}) {1,3}${firmware}${lastToken}$`,
  "i",
);

/**
 * UA model → catalog model where they differ: the T18P reports itself as `SIP-T18` (its only firmware,
 * 18.0.0.80, is the one in wazo's example), the VP530 as `VP530P` or `VP530`.
 */
const catalogModel: Readonly<Record<string, string>> = { T18: "T18P", VP530P: "VP530" };

export function parseYealinkUserAgent(userAgent: string): UserAgentInfo | undefined {
  const ua = userAgentText(userAgent);
  if (ua === undefined) return undefined;
  const tiptel = tiptelUa.exec(ua);
  if (tiptel) {
    const [, series = "", number = "", version = "", token] = tiptel;
    return info(`${series.toUpperCase()} ${number.toUpperCase()}`, version, token);
  }
  const m = yealinkUa.exec(ua) ?? bareUa.exec(ua);
  if (!m) return undefined;
  const [, raw = "", version = "", token] = m;
  const model = raw.toUpperCase();
  return info(catalogModel[model] ?? model, version, token);
}

function info(model: string, version: string, token: string | undefined): UserAgentInfo {
  const mac = macFromText(token);
  return mac === undefined ? { model, firmware: version } : { model, firmware: version, mac };
}

/**
 * `<mac>.cfg`, the only per-device file the family renders (yealink.ts deviceSpec; Wazo's
 * `is_sensitive_filename` `^[0-9a-f]{12}\.cfg`, provisioning.md §3.2). The common files `y0000000000XX.cfg`
 * have 13 digits and do not match.
 */
export function yealinkMacFromPath(path: string): string | undefined {
  return macFromFileName(/^([0-9a-f]{12})\.cfg$/i, path);
}

/**
 * "The IP phone will perform the auto provisioning process when receiving a SIP NOTIFY message which
 * contains the header Event: check-sync"; it also reboots when `sip.notify_reboot_enable` is 1, or when it
 * is 0 and the event carries `reboot=true` (Yealink SIP-T2 Series user guide, "Configuring the Update Mode",
 * p. 45, mirrored at 38.142.81.21:8001/manual/yealink/sip-t2-series; the T5 admin guide via manualshive.com
 * gives 1 as the default and 2 = ignore the NOTIFY). `reboot=false` states the intent; the templates do not
 * set `sip.notify_reboot_enable`, so phones on its default still reboot. The V6x/Tiptel INI firmware's
 * handling of the parameter is (u).
 */
export const yealinkResyncEvent = "check-sync;reboot=false";
