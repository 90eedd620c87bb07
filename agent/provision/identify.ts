import { phoneFamilies } from "../../drivers/phones/index.js";
import type { FamilyId, UserAgentInfo } from "../../drivers/phones/types.js";

export interface UserAgentIdentity extends UserAgentInfo {
  family: FamilyId;
}

/**
 * A site's phones send a handful of distinct User-Agents, each on every request; parsing one runs every
 * family's regexes. Answers are kept per string, in a map emptied when full, so a client sending a new
 * User-Agent each time costs what it cost before and no more memory. Identities are frozen: they are shared.
 */
const knownUserAgents = new Map<string, Readonly<UserAgentIdentity> | null>();
const maxKnownUserAgents = 512;
/** Longer ones are parsed but not kept, so the map stays small whatever clients send. */
const maxKeptLength = 256;

/** Which family's phone a User-Agent header says it is. Spoofable: used to log and to cross-check only. */
export function identifyUserAgent(userAgent: string | undefined): UserAgentIdentity | undefined {
  if (!userAgent) return undefined;
  const known = knownUserAgents.get(userAgent);
  if (known !== undefined) return known ?? undefined;
  const identity = parseUserAgent(userAgent);
  if (userAgent.length > maxKeptLength) return identity;
  if (knownUserAgents.size >= maxKnownUserAgents) knownUserAgents.clear();
  knownUserAgents.set(userAgent, identity ? Object.freeze(identity) : null);
  return identity;
}

function parseUserAgent(userAgent: string): UserAgentIdentity | undefined {
  // A phone's User-Agent is short; a long one is noise or an attack and is not worth the regexes.
  const ua = userAgent.length > 512 ? userAgent.slice(0, 512) : userAgent;
  for (const family of phoneFamilies) {
    const info = family.parseUserAgent(ua);
    if (info) return { family: family.id, ...info };
  }
  return undefined;
}

/** Families whose per-device naming the path has, with the MAC it names (several may share a shape). */
export function macNamedBy(path: string): { family: FamilyId; mac: string }[] {
  const out: { family: FamilyId; mac: string }[] = [];
  for (const family of phoneFamilies) {
    const mac = family.macFromPath(path);
    if (mac !== undefined) out.push({ family: family.id, mac });
  }
  return out;
}
