import { expandVlanList } from "../../drivers/ios/parse/show-interfaces-switchport.js";
import { deviceObs, samePort, shortPort, siteVlans } from "./site-facts.js";
import type { Check, CheckContext, Evidence } from "./types.js";
import { firstFailed, notObserved, verdict } from "./verdict.js";

const meta = { id: "uplink_trunk", title: "The uplink trunk carries the data, voice and management VLANs" };

/**
 * The uplink is trunking and allows the three site VLANs. Extra allowed VLANs do not fail this check (the
 * standard config allows exactly the three; drift reports any difference in the configuration).
 */
export const uplinkTrunk: Check = {
  ...meta,
  run(ctx: CheckContext) {
    const want = siteVlans(ctx.site).map((v) => v.id);
    const expected = `trunk allowing VLANs ${want.join(",")}`;
    const evidence: Evidence[] = [];
    for (const sw of ctx.site.switches) {
      const subject = `${sw.name} ${shortPort(sw.uplink)}`;
      const dev = deviceObs(ctx.observations, sw.name);
      const cli = dev?.cli["show interfaces switchport"];
      const snmp = dev?.snmp.vlans;
      let seen: { trunk: boolean; allowed: number[]; text: string; source: string } | undefined;
      if (cli?.ok) {
        const p = cli.value.find((x) => samePort(x.interface, sw.uplink));
        seen = p
          ? {
              // Both: configured as a trunk, and trunking now (a trunk without link prints `down`).
              trunk: p.adminMode === "trunk" && p.operMode === "trunk",
              allowed: p.trunkingVlans ? expandVlanList(p.trunkingVlans) : [],
              text: `mode ${p.adminMode ?? "?"}/${p.operMode ?? "?"}, allowed VLANs ${p.trunkingVlans ?? "none"}`,
              source: cli.source,
            }
          : { trunk: false, allowed: [], text: "port not found on the switch", source: cli.source };
      } else if (snmp?.ok) {
        const p = snmp.value.ports.find((x) => x.ifName !== undefined && samePort(x.ifName, sw.uplink));
        const allowed = p?.trunk?.allowedVlans;
        seen = p
          ? {
              trunk: p.trunk?.dynamicStatus === "trunking",
              allowed: allowed ? expandVlanList(allowed) : [],
              text: `${p.trunk?.dynamicStatus ?? "trunk status unknown"}, allowed VLANs ${allowed ?? "not reported"}`,
              source: snmp.source,
            }
          : { trunk: false, allowed: [], text: "port not found on the switch", source: snmp.source };
      }
      if (!seen) {
        evidence.push(notObserved(subject, expected, "the switchport table", firstFailed(cli, snmp)));
        continue;
      }
      const missing = want.filter((v) => !seen.allowed.includes(v));
      evidence.push({
        subject,
        expected,
        observed: missing.length > 0 ? `${seen.text} (missing ${missing.join(",")})` : seen.text,
        ok: seen.trunk && missing.length === 0,
        source: seen.source,
      });
    }
    return verdict(meta, evidence, "uplinks", "every uplink trunks the site VLANs");
  },
};
