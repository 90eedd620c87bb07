import { firmwareMatches } from "../provision/check-ins.js";
import { neighbours, type Sighting } from "./neighbours.js";
import { deviceObs, macKey, mentionsMac } from "./site-facts.js";
import type { Check, CheckContext, Evidence } from "./types.js";
import { notObserved, verdict } from "./verdict.js";

const meta = { id: "phone_firmware", title: "Every inventory phone runs the catalog firmware" };

/**
 * Neighbour tables print the version their own way (LLDP-MED `28.83.0.50`, CDP `sip8845_65.14-1-1-0001-14`);
 * the catalog's release inside it counts as well as the provisioning comparison.
 */
function matches(want: string, got: string): boolean {
  const norm = want
    .trim()
    .toLowerCase()
    .replace(/^v/, "")
    .replace(/\.rom$/, "");
  return firmwareMatches(want, got) || got.toLowerCase().includes(norm);
}

/**
 * The firmware each phone runs against the catalog's version for its model (the site's catalog, so a
 * catalog update is judged at once). Sources, freshest first: what the phone announces now over LLDP-MED
 * or CDP, then the firmware in the User-Agent of its last provisioning request.
 */
export const phoneFirmware: Check = {
  ...meta,
  run(ctx: CheckContext) {
    const sightings: Sighting[] = ctx.site.switches.flatMap((sw) =>
      neighbours(deviceObs(ctx.observations, sw.name), sw.name).flatMap((v) => v.sightings ?? []),
    );
    const checkIns = ctx.observations.phones;
    const evidence = ctx.site.phones.map((phone): Evidence => {
      const want = ctx.catalog.findPhone(phone.model)?.firmware ?? null;
      const subject = `phone ${phone.extension} (${phone.model}, ${phone.mac})`;
      const expected = want ? `firmware ${want}` : "any firmware (the catalog names none)";
      const announced = sightings.find((s) => s.firmware && s.ids.some((id) => mentionsMac(id, phone.mac)));
      if (announced?.firmware)
        return {
          subject,
          expected,
          observed: `announces ${announced.firmware} over ${announced.protocol}`,
          ok: want === null || matches(want, announced.firmware),
          source: announced.source,
        };
      if (!checkIns.ok) return notObserved(subject, expected, "phone check-ins and LLDP/CDP", checkIns);
      const seen = checkIns.value.find((c) => macKey(c.mac) === macKey(phone.mac));
      if (!seen?.reportedFirmware)
        return {
          subject,
          expected,
          observed: "not observed: not announced over LLDP/CDP, and no provisioning request reported it",
          ok: null,
          source: checkIns.source,
        };
      return {
        subject,
        expected,
        observed: `${seen.reportedModel ? `${seen.reportedModel} ` : ""}reported ${seen.reportedFirmware} when provisioning`,
        ok: want === null || firmwareMatches(want, seen.reportedFirmware),
        source: checkIns.source,
      };
    });
    return verdict(meta, evidence, "phones", "every phone runs the catalog firmware");
  },
};
