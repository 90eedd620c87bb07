/**
 * patchkast's SIP client: OPTIONS probes, REGISTER with digest, and out-of-dialog NOTIFY for phone
 * resync. Each call opens its own flow and closes it before returning; no state outlives a call.
 * Network outcomes are results (`failure`), never exceptions; only invalid input throws
 * (PK_ERR_SIP_REQUEST / PK_ERR_SIP_TARGET), before anything is sent.
 */
import { PatchkastError } from "../../agent/errors.js";
import { buildRequest, checkUser, hostPort } from "./build.js";
import { type OptionsProbeOptions, type SipResult, toResult, withExchange } from "./exchange.js";
import type { SipTarget } from "./transport.js";

export type { OptionsProbeOptions, SipFailure, SipRequestOptions, SipResult } from "./exchange.js";
export { type RegisterAccount, type RegisterResult, register } from "./register.js";
export type { SipTarget } from "./transport.js";

/**
 * One request outside any dialog (OPTIONS, NOTIFY): its own Call-ID, From tag and CSeq 1, run as a
 * non-INVITE transaction; the method adds its own headers.
 */
function outOfDialog(
  target: SipTarget,
  opts: OptionsProbeOptions,
  method: "OPTIONS" | "NOTIFY",
  uri: string,
  extra: { contact?: boolean; headers: [string, string][] },
): Promise<SipResult> {
  return withExchange(
    target,
    opts,
    async (x) => {
      const outcome = await x.run(method, (branch) =>
        buildRequest({
          method,
          uri,
          via: { ...x.via, branch },
          from: { uri: x.localUri, tag: x.fromTag },
          to: { uri },
          callId: x.callId,
          cseq: 1,
          userAgent: x.userAgent,
          ...(extra.contact ? { contact: x.localUri } : {}),
          headers: extra.headers,
        }),
      );
      return toResult(outcome, opts.reachableStatuses);
    },
    (r) => r,
  );
}

/** OPTIONS ping (RFC 3261 §11): does the proxy answer, with what, and how fast. */
export async function options(target: SipTarget, opts: OptionsProbeOptions = {}): Promise<SipResult> {
  const uri = `sip:${hostPort(target.host, target.port)}`;
  // §11.1: Accept SHOULD be present; SDP is what a UA would offer.
  return outOfDialog(target, opts, "OPTIONS", uri, { headers: [["Accept", "application/sdp"]] });
}

export interface NotifyRequest {
  /** Event package with parameters, e.g. `check-sync;reboot=false` (a family's `resyncEvent`). */
  event: string;
  /** User part of the Request-URI and To, e.g. the phone's SIP user; omitted: `sip:host:port`. */
  toUser?: string;
}

/**
 * Out-of-dialog NOTIFY that phones take as "re-fetch your configuration" (provisioning.md §2.8).
 * RFC 6665 only knows NOTIFY inside a subscription; phones accept this unsolicited form, and
 * `Subscription-State: terminated` tells them no subscription is to be kept (RFC 6665 §8.2).
 */
export async function notify(
  target: SipTarget,
  req: NotifyRequest,
  opts: OptionsProbeOptions = {},
): Promise<SipResult> {
  // Event = event-type *( SEMI event-param ) (RFC 6665 §8.4); no control characters anywhere.
  if (!/^[A-Za-z0-9\-.!%*_+`'~]+(;[^\x00-\x1f\x7f]*)?$/.test(req.event))
    throw new PatchkastError(
      "PK_ERR_SIP_REQUEST",
      "the NOTIFY event must be a token with optional ;parameters",
    );
  const host = hostPort(target.host, target.port);
  const uri = req.toUser === undefined ? `sip:${host}` : `sip:${checkUser("toUser", req.toUser)}@${host}`;
  return outOfDialog(target, opts, "NOTIFY", uri, {
    contact: true,
    headers: [
      ["Event", req.event],
      ["Subscription-State", "terminated"],
    ],
  });
}
