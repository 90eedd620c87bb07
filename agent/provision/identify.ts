import { phoneFamilies } from "../../drivers/phones/index.js";
import type { FamilyId, UserAgentInfo } from "../../drivers/phones/types.js";

export interface UserAgentIdentity extends UserAgentInfo {
  family: FamilyId;
}

/** Which family's phone a User-Agent header says it is. Spoofable: used to log and to cross-check only. */
export function identifyUserAgent(userAgent: string | undefined): UserAgentIdentity | undefined {
  if (!userAgent) return undefined;
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
