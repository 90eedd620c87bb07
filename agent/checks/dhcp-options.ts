import { dhcpView } from "../render/router-dhcp.js";
import { deviceObs } from "./site-facts.js";
import type { Check, CheckContext, Evidence } from "./types.js";
import { notObserved, verdict } from "./verdict.js";

const meta = {
  id: "dhcp_provisioning_options",
  title: "The router's DHCP pools hand out the phone provisioning options (150, 66, 160 for Panasonic)",
};

/** The value of `option <code> ip|ascii <value>` among a pool's lines, quotes removed. */
function optionValue(lines: readonly string[], code: number): string | undefined {
  for (const l of lines) {
    const m = new RegExp(`^option ${code} (?:ip|ascii) (.+)$`).exec(l);
    if (m) return (m[1] as string).replace(/^"(.*)"$/, "$1");
  }
  return undefined;
}

/**
 * The options as the renderer computes them (agent/render/router-dhcp.ts dhcpView), checked in the
 * router's running-config: option 150 lists the agent, 66 names it, 160 carries the Panasonic URL where
 * the site has Panasonic phones. Option 150 is a list: the agent among others passes.
 */
export const dhcpProvisioningOptions: Check = {
  ...meta,
  run(ctx: CheckContext) {
    const router = ctx.site.router.name;
    const run = deviceObs(ctx.observations, router)?.cli["show running-config"];
    const evidence: Evidence[] = [];
    for (const pool of dhcpView(ctx.site, ctx.catalog).pools) {
      const want: [number, string][] = [
        [150, pool.provisioning.tftpAddress],
        [66, pool.provisioning.bootServer],
        ...(pool.provisioning.panasonicUrl
          ? [[160, pool.provisioning.panasonicUrl] as [number, string]]
          : []),
      ];
      const subject = `${router} ip dhcp pool ${pool.name}`;
      const expected = want.map(([c, v]) => `option ${c} ${v}`).join(", ");
      if (!run?.ok) {
        evidence.push(notObserved(subject, expected, "the running-config", run));
        continue;
      }
      const stanza = run.value.nodes.find((n) => n.line === `ip dhcp pool ${pool.name}`);
      if (!stanza) {
        evidence.push({ subject, expected, observed: "no such pool", ok: false, source: run.source });
        continue;
      }
      const lines = stanza.children.map((c) => c.line);
      const got = want.map(([code, value]) => {
        const v = optionValue(lines, code);
        const ok = v !== undefined && (code === 150 ? v.split(/\s+/).includes(value) : v === value);
        return { code, v, ok };
      });
      evidence.push({
        subject,
        expected,
        observed: got.map((g) => `option ${g.code} ${g.v ?? "missing"}`).join(", "),
        ok: got.every((g) => g.ok),
        source: run.source,
      });
    }
    return verdict(meta, evidence, "DHCP pools", "every pool hands out the provisioning options");
  },
};
