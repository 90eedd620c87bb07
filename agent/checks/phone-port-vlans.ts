import type { SwitchportInterface } from "../../drivers/ios/parse/show-interfaces-switchport.js";
import type { VlanPort } from "../../drivers/snmp/vlan.js";
import { deviceObs, phonePorts, samePort, shortPort } from "./site-facts.js";
import type { Check, CheckContext, Evidence } from "./types.js";
import { firstFailed, notObserved, verdict } from "./verdict.js";

const meta = {
  // The id is the `check` label the VoiceVlanMissing alert reads (monitoring/prometheus/rules).
  id: "voice_vlan",
  title: "Every phone port is an access port in the data VLAN with the voice VLAN",
};

/** One port as either source sees it. */
interface PortVlans {
  access: boolean;
  accessVlan: number | null;
  voiceVlan: number | null;
  /** How the port's mode and VLANs print, for the evidence. */
  text: string;
}

function fromCli(p: SwitchportInterface): PortVlans {
  const voice = p.voiceVlanMode === "vlan" ? (p.voiceVlan?.id ?? null) : null;
  return {
    // The administrative mode: an access port without a link prints operational mode `down`.
    access: p.adminMode === "static access",
    accessVlan: p.accessVlan?.id ?? null,
    voiceVlan: voice,
    text: `${p.adminMode ?? "no mode"}, access VLAN ${p.accessVlan?.id ?? "none"}, voice VLAN ${voice ?? p.voiceVlanMode}`,
  };
}

function fromSnmp(p: VlanPort): PortVlans {
  const voice = p.voiceVlan?.kind === "vlan" ? p.voiceVlan.vlan : null;
  return {
    access: p.mode !== "trunk" && p.membership === "static",
    accessVlan: p.accessVlan ?? null,
    voiceVlan: voice,
    text: `${p.mode ?? p.membership ?? "no mode"}, access VLAN ${p.accessVlan ?? "none"}, voice VLAN ${voice ?? p.voiceVlan?.kind ?? "none"}`,
  };
}

export const phonePortVlans: Check = {
  ...meta,
  run(ctx: CheckContext) {
    const data = ctx.site.vlans.data.id;
    const voice = ctx.site.vlans.voice.id;
    const expected = `access, access VLAN ${data}, voice VLAN ${voice}`;
    const evidence: Evidence[] = [];
    for (const sw of ctx.site.switches) {
      const dev = deviceObs(ctx.observations, sw.name);
      const cli = dev?.cli["show interfaces switchport"];
      const snmp = dev?.snmp.vlans;
      for (const port of phonePorts(sw)) {
        const subject = `${sw.name} ${shortPort(port)}`;
        let seen: { port: PortVlans | undefined; source: string } | undefined;
        if (cli?.ok) {
          const p = cli.value.find((x) => samePort(x.interface, port));
          seen = { port: p && fromCli(p), source: cli.source };
        } else if (snmp?.ok) {
          const p = snmp.value.ports.find((x) => x.ifName !== undefined && samePort(x.ifName, port));
          seen = { port: p && fromSnmp(p), source: snmp.source };
        }
        if (!seen) {
          evidence.push(notObserved(subject, expected, "the switchport table", firstFailed(cli, snmp)));
          continue;
        }
        const p = seen.port;
        evidence.push({
          subject,
          expected,
          observed: p ? p.text : "port not found on the switch",
          ok: p?.access === true && p.accessVlan === data && p.voiceVlan === voice,
          source: seen.source,
        });
      }
    }
    return verdict(meta, evidence, "phone ports", "every phone port has the data and voice VLAN");
  },
};
