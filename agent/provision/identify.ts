import { phoneFamilies } from "../../drivers/phones/index.js";
import type { FamilyId, UserAgentInfo } from "../../drivers/phones/types.js";
import { memoByString } from "../memo.js";

export interface UserAgentIdentity extends UserAgentInfo {
  family: FamilyId;
}

/**
 * A site's phones send a handful of distinct User-Agents, each on every request; parsing one runs every
 * family's regexes. Answers are kept per string (memoByString: bounded, long ones not kept). Identities are
 * frozen: they are shared.
 */
const knownUserAgent = memoByString(
  (userAgent) => {
    const identity = parseUserAgent(userAgent);
    return identity ? Object.freeze(identity) : undefined;
  },
  { limit: 512, maxKeyLength: 256 },
);

/** Which family's phone a User-Agent header says it is. Spoofable: used to log and to cross-check only. */
export function identifyUserAgent(userAgent: string | undefined): UserAgentIdentity | undefined {
  return userAgent ? knownUserAgent(userAgent) : undefined;
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
