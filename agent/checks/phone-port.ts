import { neighbours } from "./neighbours.js";
import { deviceObs, mentionsMac, samePort, shortPort } from "./site-facts.js";
import type { Check, CheckContext, Evidence } from "./types.js";
import { verdict } from "./verdict.js";

const meta = {
  id: "phone_port",
  title: "Every inventory phone is seen on its expected switch port (LLDP or CDP)",
};

export const phonePort: Check = {
  ...meta,
  run(ctx: CheckContext) {
    const views = new Map(
      ctx.site.switches.map((sw) => [sw.name, neighbours(deviceObs(ctx.observations, sw.name), sw.name)]),
    );
    const all = [...views.values()].flat();
    const evidence: Evidence[] = [];
    for (const phone of ctx.site.phones) {
      if (!phone.port) continue;
      const subject = `phone ${phone.extension} (${phone.mac})`;
      const expected = `on ${phone.port.switch} ${shortPort(phone.port.interface)}`;
      const seen = all
        .flatMap((v) => v.sightings ?? [])
        .filter((s) => s.ids.some((id) => mentionsMac(id, phone.mac)));
      const here = seen.find(
        (s) => s.switch === phone.port?.switch && s.port !== null && samePort(s.port, phone.port.interface),
      );
      const first = here ?? seen[0];
      if (first) {
        evidence.push({
          subject,
          expected,
          observed: `seen on ${first.switch} ${first.port ? shortPort(first.port) : "an unnamed port"} over ${first.protocol}`,
          ok: here !== undefined,
          source: first.source,
        });
        continue;
      }
      // Not seen: only a fault if every table that could show it was read.
      const unread = (views.get(phone.port.switch) ?? []).filter((v) => v.sightings === null);
      const read = (views.get(phone.port.switch) ?? []).filter((v) => v.sightings !== null);
      evidence.push({
        subject,
        expected,
        observed:
          unread.length === 0
            ? "not seen over LLDP or CDP on any switch"
            : `not observed: ${unread
                .map((v) =>
                  v.missing && !v.missing.ok
                    ? `${v.protocol}: ${v.missing.error}`
                    : `${v.protocol} not collected`,
                )
                .join("; ")}${read.length > 0 ? `; not in ${read.map((v) => v.protocol).join(", ")}` : ""}`,
        ok: unread.length === 0 ? false : null,
        source: read[0]?.sightings?.[0]?.source ?? "LLDP/CDP neighbour tables",
      });
    }
    return verdict(meta, evidence, "phones", "every phone is on its expected port");
  },
};
