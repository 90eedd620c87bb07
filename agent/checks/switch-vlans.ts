import { deviceObs, siteVlans } from "./site-facts.js";
import type { Check, CheckContext, Evidence } from "./types.js";
import { firstFailed, notObserved, verdict } from "./verdict.js";

/**
 * The data, voice and management VLANs exist and are active on every switch. `show vlan brief` first (what
 * an engineer would type), the VTP MIB when the CLI could not be read.
 */
const meta = { id: "switch_vlans", title: "Data, voice and management VLANs exist on every switch" };

export const switchVlans: Check = {
  ...meta,
  run(ctx: CheckContext) {
    const evidence: Evidence[] = [];
    for (const sw of ctx.site.switches) {
      const dev = deviceObs(ctx.observations, sw.name);
      const cli = dev?.cli["show vlan brief"];
      const snmp = dev?.snmp.vlans;
      const seen = cli?.ok
        ? {
            source: cli.source,
            value: cli.value.map((v) => ({
              id: v.id,
              name: v.name,
              active: v.status === "active",
              state: v.status,
            })),
          }
        : snmp?.ok
          ? {
              source: snmp.source,
              value: snmp.value.vlans.map((v) => ({
                id: v.id,
                name: v.name ?? "",
                active: v.state === "operational",
                state: v.state ?? "state unknown",
              })),
            }
          : undefined;
      for (const want of siteVlans(ctx.site)) {
        const subject = `${sw.name} VLAN ${want.id} (${want.role})`;
        const expected = `VLAN ${want.id} ${want.name}, active`;
        if (!seen) {
          evidence.push(notObserved(subject, expected, "the VLAN table", firstFailed(cli, snmp)));
          continue;
        }
        const v = seen.value.find((x) => x.id === want.id);
        evidence.push({
          subject,
          expected,
          observed: v ? `VLAN ${v.id} ${v.name}, ${v.state}` : "no such VLAN",
          ok: v?.active === true,
          source: seen.source,
        });
      }
    }
    return verdict(meta, evidence, "VLANs", "every site VLAN exists and is active");
  },
};
