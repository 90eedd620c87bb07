import type { MlsQosInterface } from "../../drivers/ios/parse/show-mls-qos-interface.js";
import type { CliObservations } from "../monitor/observations.js";
import type { SiteSwitch } from "../site/schema.js";
import { interfaceStanza, isCdpPhone, phoneOn, phonePorts, samePort, shortPort } from "./site-facts.js";
import type { Check, CheckContext, Evidence } from "./types.js";
import { firstFailed, notObserved, verdict } from "./verdict.js";

const meta = { id: "phone_port_qos", title: "Phone ports trust the phones' QoS marking" };

/**
 * The trust the standard config gives a phone port (templates/cisco-ios/partials/switch-ports.njk):
 * a Cisco (CDP) phone gets the trusted boundary, every other port DSCP trust; classic Catalyst spells it
 * `mls qos trust …`, the Catalyst 9000 (no `mls qos` there) `trust device` / `auto qos`.
 */
function wantedLines(sw: SiteSwitch, cdpPhone: boolean): string[] {
  if (sw.platform === "catalyst-classic")
    return cdpPhone ? ["mls qos trust device cisco-phone", "mls qos trust cos"] : ["mls qos trust dscp"];
  return cdpPhone ? ["trust device cisco-phone", "auto qos voip cisco-phone"] : ["auto qos trust dscp"];
}

/**
 * Classic Catalyst, `show mls qos interface`: the trust mode (what is configured) and the trusted-boundary
 * device. Not the trust *state*: with `trust device cisco-phone` it reads `not trusted` until the phone
 * announces itself over CDP, which is the feature working, not a fault.
 */
function judgeMls(q: MlsQosInterface, cdpPhone: boolean): { ok: boolean; text: string } {
  const text = `${q.qosDisabledGlobally ? "QoS disabled globally (no `mls qos`), " : ""}${q.trustMode ?? "no trust mode"}, trust device ${q.trustDevice ?? "none"}`;
  const mode = cdpPhone ? "trust cos" : "trust dscp";
  const device = cdpPhone ? "cisco-phone" : null;
  const ok =
    !q.qosDisabledGlobally && q.trustMode === mode && (device === null ? true : q.trustDevice === device);
  return { ok, text };
}

function judgeSwitch(ctx: CheckContext, sw: SiteSwitch, cli: CliObservations | undefined): Evidence[] {
  const mls = sw.platform === "catalyst-classic" ? cli?.["show mls qos interface"] : undefined;
  const run = cli?.["show running-config"];
  const globalMls = run?.ok ? run.value.nodes.some((n) => n.line === "mls qos") : undefined;
  return phonePorts(sw).map((port): Evidence => {
    const subject = `${sw.name} ${shortPort(port)}`;
    const cdpPhone = isCdpPhone(ctx.catalog, phoneOn(ctx.site, sw, port));
    const lines = wantedLines(sw, cdpPhone);
    const expected = lines.join(" + ");
    if (mls?.ok) {
      const q = mls.value.find((x) => samePort(x.interface, port));
      const judged = q ? judgeMls(q, cdpPhone) : { ok: false, text: "port not listed" };
      return { subject, expected, observed: judged.text, ok: judged.ok, source: mls.source };
    }
    if (run?.ok) {
      const stanza = interfaceStanza(run.value.nodes, port);
      const have = stanza?.children.map((c) => c.line) ?? [];
      const missing = lines.filter((l) => !have.includes(l));
      const noGlobal = sw.platform === "catalyst-classic" && globalMls === false;
      const trust = have.filter((l) => /\btrust\b/.test(l));
      return {
        subject,
        expected,
        observed: `${noGlobal ? "no global `mls qos`; " : ""}${trust.length > 0 ? trust.join(" + ") : "no trust configured"}`,
        ok: missing.length === 0 && !noGlobal,
        source: run.source,
      };
    }
    return notObserved(subject, expected, "the port QoS settings", firstFailed(mls, run));
  });
}

export const phonePortQos: Check = {
  ...meta,
  run(ctx: CheckContext) {
    const evidence = ctx.site.switches.flatMap((sw) =>
      judgeSwitch(ctx, sw, ctx.observations.devices.find((d) => d.name === sw.name)?.cli),
    );
    return verdict(meta, evidence, "phone ports", "every phone port trusts as the standard config sets");
  },
};
