import type { PhoneModel } from "../../agent/catalog/load.js";
import { phoneUserAgent } from "../../lab/phone-boot.js";

/**
 * A User-Agent as the real phone sends it, for a catalog model and MAC, in the shapes quoted in
 * ../shared/reference/provisioning.md §2 (Yealink "Yealink SIP-T28P 2.70.0.140 00:15:65:13:ae:0b", Polycom
 * "FileTransport PolycomSoundPointIP-SPIP_335-UA/3.2.1.0078", Cisco "Cisco/SPA508G-7.4.8a (0002FDFF2103)
 * (CBT141400UK)", Aastra "Aastra6731i MAC:00-08-5D-23-74-29 V:3.2.0.70-SIP", Panasonic
 * "Panasonic_KX-UT113/01.133 (0080f0c8c381)", Gigaset "N510 IP PRO/42.245.00.000.000;7C2F804DF9A9"):
 * the lab phones' own (lab/phone-boot.ts), for a catalog model and a MAC in plain hex.
 */
export function userAgentFor(model: PhoneModel, mac: string, firmware = model.firmware ?? "1.0"): string {
  const colon = mac.match(/../g)?.join(":") ?? mac;
  return phoneUserAgent({
    mac: colon,
    firmware,
    family: model.family,
    brand: model.brand,
    model: model.model,
  });
}
