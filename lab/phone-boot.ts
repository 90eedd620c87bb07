import { createHash } from "node:crypto";
import { request } from "node:http";
import { type Catalog, loadCatalog } from "../agent/catalog/load.js";
import { PatchkastError } from "../agent/errors.js";
import { phoneDevice, siteProvisioningView } from "../agent/render/view-model.js";
import type { Site } from "../agent/site/schema.js";
import { PlaceholderSecretResolver } from "../agent/site/secrets.js";
import { phoneFamily } from "../drivers/phones/index.js";
import type { Lab } from "./lab.js";
import { phoneLink, type SimPhone } from "./phones.js";

/**
 * Lab phones booting against a patchkast agent: each powered phone asks the agent's HTTP provisioning
 * server for the files its family asks for, in that order (the family driver's files() for this one
 * phone: the shared file first, then its own MAC file), with the User-Agent its family sends
 * (reference/provisioning.md §2: Yealink §2.1, Cisco SPA §2.3, …) carrying model, firmware and, where the
 * family sends one, the MAC. The agent records the check-in from these requests (GET /api/v1/phones), so a
 * phone whose SimPhone firmware was changed (lab/faults.ts "wrong-firmware") reports that firmware the
 * next time it boots. Firmware images are not fetched: the phone keeps what it reports.
 */
export interface PhoneBootOptions {
  /** The agent's provisioning base URL, e.g. `http://127.20.0.10:8080/` (files are below it). */
  agentUrl: string;
  /** Where each phone's requests come from; default `labPhoneAddress(index)`. */
  sourceAddress?: (phone: SimPhone, index: number) => string;
  timeoutMs?: number;
  catalog?: Catalog;
}

export interface FileFetch {
  path: string;
  /** HTTP status, null when the request failed (error says why). */
  status: number | null;
  bytes: number;
  error?: string;
}

export interface PhoneBoot {
  mac: string;
  extension: string;
  /** No PoE on its port (`power inline never`, shut down): a phone without power asks for nothing. */
  powered: boolean;
  source: string;
  userAgent: string;
  fetched: FileFetch[];
  /** Powered and every file came back 200. */
  ok: boolean;
}

/**
 * The loopback stand-in for a phone's address on the voice VLAN: 127.20.30.<11 + index>, in
 * configs/sites/lab.yaml's provisioning.allowed_subnets so the agent hands it its credentials.
 */
export const labPhoneAddress = (index: number): string => `127.20.30.${11 + index}`;

/** The User-Agent the phone's family sends (provisioning.md §2; the shapes wazo-provd's plugins parse). */
export function phoneUserAgent(
  phone: Pick<SimPhone, "mac" | "firmware" | "family" | "brand" | "model">,
): string {
  const hex = phone.mac.replace(/:/g, "");
  const fw = phone.firmware.replace(/\.rom$/, "").replace(/^v/, "");
  switch (phone.family) {
    case "yealink":
      // "Yealink SIP-T28P 2.70.0.140 00:15:65:13:ae:0b"; Tiptel "Tiptel IP 286 2.43.13.6 00:15:65:13:eb:6f".
      return phone.brand === "Tiptel"
        ? `Tiptel ${phone.model} ${fw} ${phone.mac}`
        : `Yealink SIP-${phone.model} ${fw} ${phone.mac}`;
    case "cisco-spa": {
      // "Cisco/SPA508G-7.4.8a (0002FDFF2103)(CBT141400UK)": model with its G, MAC, then serial number.
      const serial = `CBT${createHash("sha256").update(hex).digest("hex").slice(0, 8).toUpperCase()}`;
      return `Cisco/${phone.model}G-${fw} (${hex.toUpperCase()})(${serial})`;
    }
    case "polycom": {
      // "FileTransport PolycomSoundPointIP-SPIP_335-UA/3.2.1.0078"; VVX: "PolycomVVX-VVX_500-UA/…".
      const vvx = /^VVX (\d+)/.exec(phone.model);
      const ua = vvx
        ? `PolycomVVX-VVX_${vvx[1]}`
        : `PolycomSoundPointIP-SPIP_${phone.model.replace(/\D+/g, "")}`;
      return `FileTransport ${ua}-UA/${fw.replace(/[a-z]$/, "")}.0011 Type/Application`;
    }
    case "aastra":
      // "Aastra6731i MAC:00-08-5D-23-74-29 V:3.2.0.70-SIP".
      return `Aastra${phone.model} MAC:${phone.mac.toUpperCase().replace(/:/g, "-")} V:${fw}-SIP`;
    case "panasonic":
      // "Panasonic_KX-UT113/01.133 (0080f0c8c381)".
      return `Panasonic_${phone.model.replace(/(NE|CE)$/, "")}/${fw} (${hex})`;
    case "gigaset":
      // "N510 IP PRO/42.245.00.000.000;7C2F804DF9A9".
      return `${phone.model}/${fw}.00.000.000;${hex.toUpperCase()}`;
    default:
      throw new PatchkastError(
        "PK_ERR_USAGE",
        `lab phone ${phone.mac}: no User-Agent for family ${phone.family}`,
      );
  }
}

/** The files this phone asks for, in order: its family's files() for it alone (paths need no secrets). */
export function bootFileNames(site: Site, phone: SimPhone, catalog: Catalog = loadCatalog()): string[] {
  const family = phone.family === null ? undefined : phoneFamily(phone.family);
  const index = site.phones.findIndex(
    (p) => p.mac.replace(/[^0-9a-f]/gi, "").toLowerCase() === phone.mac.replace(/:/g, ""),
  );
  const sitePhone = site.phones[index];
  if (!family || !sitePhone)
    throw new PatchkastError(
      "PK_ERR_USAGE",
      `lab phone ${phone.mac}: not in the site inventory or no family driver`,
    );
  const placeholders = new PlaceholderSecretResolver();
  const device = phoneDevice(sitePhone, index, catalog, placeholders);
  return family.files(siteProvisioningView(site, placeholders), [device]).map((f) => f.path);
}

function fetchFile(url: URL, localAddress: string, userAgent: string, timeoutMs: number): Promise<FileFetch> {
  const path = url.pathname.slice(1);
  return new Promise((resolve) => {
    const req = request(url, { localAddress, agent: false, headers: { "User-Agent": userAgent } }, (res) => {
      let bytes = 0;
      res.on("data", (c: Buffer) => {
        bytes += c.length;
      });
      res.on("end", () => resolve({ path, status: res.statusCode ?? null, bytes }));
      res.on("error", (err) => resolve({ path, status: null, bytes, error: err.message }));
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on("error", (err) => resolve({ path, status: null, bytes: 0, error: err.message }));
    req.end();
  });
}

/** One phone's boot: its files one after the other, as the phone does (it goes on after a miss). */
export async function bootPhone(
  site: Site,
  phone: SimPhone,
  opts: PhoneBootOptions & { source: string; powered?: boolean },
): Promise<PhoneBoot> {
  const userAgent = phoneUserAgent(phone);
  const base = { mac: phone.mac, extension: phone.extension, source: opts.source, userAgent };
  if (opts.powered === false) return { ...base, powered: false, fetched: [], ok: false };
  const baseUrl = new URL(opts.agentUrl.endsWith("/") ? opts.agentUrl : `${opts.agentUrl}/`);
  const fetched: FileFetch[] = [];
  for (const path of bootFileNames(site, phone, opts.catalog))
    fetched.push(await fetchFile(new URL(path, baseUrl), opts.source, userAgent, opts.timeoutMs ?? 5000));
  return { ...base, powered: true, fetched, ok: fetched.every((f) => f.status === 200) };
}

/** Boots every lab phone that has power on its port, all at once (a site after a power cut). */
export function bootLabPhones(
  lab: Pick<Lab, "site" | "phones" | "devices">,
  opts: PhoneBootOptions,
): Promise<PhoneBoot[]> {
  return Promise.all(
    lab.phones.map((phone, i) => {
      const sw = lab.devices.find((d) => d.name === phone.switch);
      const powered = sw !== undefined && phoneLink(sw.device, phone) !== null;
      const source = opts.sourceAddress?.(phone, i) ?? labPhoneAddress(i);
      return bootPhone(lab.site, phone, { ...opts, source, powered });
    }),
  );
}
