import type { PhoneModel } from "../../agent/catalog/load.js";

/**
 * A User-Agent as the real phone sends it, for a catalog model and MAC, in the shapes quoted in
 * ../shared/reference/provisioning.md §2 (Yealink "Yealink SIP-T28P 2.70.0.140 00:15:65:13:ae:0b", Polycom
 * "FileTransport PolycomSoundPointIP-SPIP_335-UA/3.2.1.0078", Cisco "Cisco/SPA508G-7.4.8a (0002FDFF2103)
 * (CBT141400UK)", Aastra "Aastra6731i MAC:00-08-5D-23-74-29 V:3.2.0.70-SIP", Panasonic
 * "Panasonic_KX-UT113/01.133 (0080f0c8c381)", Gigaset "N510 IP PRO/42.245.00.000.000;7C2F804DF9A9").
 */
export function userAgentFor(model: PhoneModel, mac: string, firmware = model.firmware ?? "1.0"): string {
  const colon = mac.match(/../g)?.join(":") ?? mac;
  const fw = firmware.replace(/\.rom$/, "").replace(/^v/, "");
  switch (model.family) {
    case "yealink":
      if (model.brand === "Tiptel") return `Tiptel ${model.model} ${fw} ${colon}`;
      return `Yealink SIP-${model.model} ${fw} ${colon}`;
    case "polycom": {
      const vvx = /^VVX (\d+)/.exec(model.model);
      const ua = vvx
        ? `PolycomVVX-VVX_${vvx[1]}`
        : `PolycomSoundPointIP-SPIP_${model.model.replace(/\D+/g, "")}`;
      return `FileTransport ${ua}-UA/${fw.replace(/[a-z]$/, "")}.0011 Type/Application`;
    }
    case "cisco-spa":
      return `Cisco/${model.model}G-${fw} (${mac.toUpperCase()})(CBT141400UK)`;
    case "aastra":
      return `Aastra${model.model} MAC:${colon.toUpperCase().replace(/:/g, "-")} V:${fw}-SIP`;
    case "panasonic":
      return `Panasonic_${model.model.replace(/(NE|CE)$/, "")}/${fw} (${mac})`;
    case "gigaset":
      return `${model.model}/${fw}.00.000.000;${mac.toUpperCase()}`;
    default:
      return "curl/8.0";
  }
}
