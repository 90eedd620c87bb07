import type { SipProbeObservation } from "../monitor/observations.js";
import { limitsOf } from "./limits.js";
import type { Check, CheckContext, Evidence } from "./types.js";
import { verdict } from "./verdict.js";

const meta = {
  id: "sip_proxy_reachable",
  title: "The provider's SIP proxy answers OPTIONS on its configured transport in time",
};

/**
 * Any final answer below 500 means the proxy is there and handles requests (401/407 ask for credentials,
 * 404/405 refuse OPTIONS to an anonymous URI: Telegraf inputs.sip treats those as up too). A 5xx/6xx is the
 * proxy saying it cannot serve now (503 overload or maintenance), which fails.
 */
function judge(p: SipProbeObservation, maxRttMs: number): { ok: boolean; observed: string } {
  const r = p.result;
  if (r.status === null)
    return { ok: false, observed: `no answer: ${r.failure ?? "no response"}, ${r.reason}` };
  const rtt = r.rttMs === null ? "RTT unknown" : `${Math.round(r.rttMs)} ms`;
  const observed = `${r.status} ${r.reason} in ${rtt}${r.retransmissions > 0 ? ` after ${r.retransmissions} retransmission(s)` : ""}`;
  if (r.status >= 500 || !r.reachable) return { ok: false, observed };
  if (r.rttMs === null || r.rttMs > maxRttMs)
    return { ok: false, observed: `${observed}, slower than ${maxRttMs} ms` };
  return { ok: true, observed };
}

export const sipProxyReachable: Check = {
  ...meta,
  run(ctx: CheckContext) {
    const { sipRttMs } = limitsOf(ctx.limits);
    const proxy = ctx.site.provider.sip_proxy;
    const target = `${proxy.host}:${proxy.port}`;
    const expected = `a final response below 500 within ${sipRttMs} ms`;
    const evidence: Evidence[] = [];
    if (proxy.transport === "tls") {
      evidence.push({
        subject: `${target}/tls`,
        expected,
        observed: "not observed: patchkast probes SIP over UDP and TCP only, not TLS",
        ok: null,
        source: "SIP OPTIONS probe",
      });
    } else {
      const probes = ctx.observations.sipProbes.filter((p) => p.transport === proxy.transport);
      const latest = probes.reduce<SipProbeObservation | undefined>(
        (a, b) => (a === undefined || b.at >= a.at ? b : a),
        undefined,
      );
      const subject = `${target}/${proxy.transport}`;
      if (!latest)
        evidence.push({
          subject,
          expected,
          observed: "not observed: no OPTIONS probe ran",
          ok: null,
          source: "SIP OPTIONS probe",
        });
      else
        evidence.push({
          subject: `${latest.target}/${latest.transport}`,
          expected,
          ...judge(latest, sipRttMs),
          source: `SIP OPTIONS probe at ${latest.at}${latest.inMaintenance ? " (maintenance window)" : ""}`,
        });
    }
    return verdict(meta, evidence, "SIP targets", "the SIP proxy answers in time");
  },
};
