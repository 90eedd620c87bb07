import type { FamilyId } from "../../drivers/phones/types.js";
import type { ServedTree } from "./served-tree.js";

export interface PhoneRef {
  mac: string;
  family: FamilyId;
}

/**
 * Which phones must re-fetch after a site change: those whose own files changed or appeared, and every
 * phone of a family whose shared files changed (a shared file is read by all of them; which models read
 * which shared file is the driver's business, so the whole family is told). Pure.
 */
export function phonesToResync(
  before: ServedTree,
  after: ServedTree,
  phones: readonly PhoneRef[],
): PhoneRef[] {
  const changedMacs = new Set<string>();
  const changedFamilies = new Set<FamilyId>();
  const names = new Set([
    ...[...before.files()].map((f) => f.name.toLowerCase()),
    ...[...after.files()].map((f) => f.name.toLowerCase()),
  ]);
  for (const name of names) {
    const a = before.get(name);
    const b = after.get(name);
    if (a && b && a.content.equals(b.content)) continue;
    const file = b ?? a;
    if (!file) continue;
    if (file.mac !== undefined) changedMacs.add(file.mac);
    else changedFamilies.add(file.family);
  }
  return phones.filter((p) => changedMacs.has(p.mac) || changedFamilies.has(p.family));
}
