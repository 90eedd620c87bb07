import type { FamilyId } from "../../drivers/phones/types.js";
import { contains, type Ipv4Net } from "../site/ip.js";
import { identifyUserAgent, macNamedBy, type UserAgentIdentity } from "./identify.js";
import type { MissTracker } from "./miss-tracker.js";
import type { ServedFile, ServedTree } from "./served-tree.js";

export interface ProvisionRequest {
  /** Sanitised path: relative, "/"-separated, no "..". */
  path: string;
  source: string;
  protocol: "tftp" | "http" | "https";
  userAgent?: string;
}

/**
 * What to do with a request, decided without I/O. `served` hands out the file; `bootstrap` answers a
 * MAC-named request for a device we do not know with a file that carries no secrets (the Tancredi model,
 * provisioning.md §3.2); `denied` refuses; `blocked` refuses everything from a source that guessed too much.
 */
export type Decision =
  | { result: "served"; file: ServedFile; ua?: UserAgentIdentity }
  | { result: "bootstrap"; family: FamilyId; mac: string; ua?: UserAgentIdentity; blockedNow: boolean }
  | { result: "denied"; reason: string; file: ServedFile; ua?: UserAgentIdentity; blockedNow: boolean }
  | { result: "blocked"; until: number; ua?: UserAgentIdentity }
  | { result: "not-found"; ua?: UserAgentIdentity };

export interface PolicyContext {
  tree: ServedTree;
  /** Where credentials may go: the voice VLAN unless the site says otherwise. */
  allowedSubnets: readonly Ipv4Net[];
  misses: MissTracker;
  now: number;
}

export function decide(req: ProvisionRequest, ctx: PolicyContext): Decision {
  const ua = identifyUserAgent(req.userAgent);
  const withUa = ua ? { ua } : {};
  const blockedUntil = ctx.misses.blockedUntil(req.source, ctx.now);
  if (blockedUntil !== undefined) return { result: "blocked", until: blockedUntil, ...withUa };

  const file = ctx.tree.get(req.path);
  if (file && !file.secrets) return { result: "served", file, ...withUa };

  if (file) {
    const refusal = credentialRefusal(file, req, ua, ctx);
    if (refusal === undefined) return { result: "served", file, ...withUa };
    const outcome = ctx.misses.recordMiss(req.source, ctx.now);
    return {
      result: "denied",
      reason: refusal,
      file,
      ...withUa,
      blockedNow: outcome.blockedUntil !== undefined,
    };
  }

  const named = macNamedBy(req.path);
  const first = named.find((n) => n.family === ua?.family) ?? named[0];
  if (first) {
    // Not a file we rendered, yet named like a device's own file: an unknown phone, or a guess.
    const outcome = ctx.misses.recordMiss(req.source, ctx.now);
    return {
      result: "bootstrap",
      family: first.family,
      mac: first.mac,
      ...withUa,
      blockedNow: outcome.blockedUntil !== undefined,
    };
  }
  return { result: "not-found", ...withUa };
}

/** Why a file with credentials may not go to this requester, or undefined when it may. */
function credentialRefusal(
  file: ServedFile,
  req: ProvisionRequest,
  ua: UserAgentIdentity | undefined,
  ctx: PolicyContext,
): string | undefined {
  if (!ctx.allowedSubnets.some((net) => contains(net, req.source))) {
    return `credentials are only served to the allowed subnets, not to ${req.source}`;
  }
  // A phone that names its MAC must be the phone the file is for (provisioning.md §3.6 item 2).
  if (ua?.mac !== undefined && file.mac !== undefined && ua.mac !== file.mac) {
    return `User-Agent MAC ${ua.mac} does not match the file's device ${file.mac}`;
  }
  if (ua !== undefined && ua.family !== file.family) {
    return `a ${ua.family} User-Agent asked for a ${file.family} file`;
  }
  return undefined;
}
