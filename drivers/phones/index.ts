import type { FamilyId, PhoneFamily } from "./types.js";

/** Every phone family patchkast speaks. Adding one: its file in this folder, and one entry here. */
export const phoneFamilies: readonly PhoneFamily[] = [];

export function phoneFamily(id: string): PhoneFamily | undefined {
  return phoneFamilies.find((f) => f.id === (id as FamilyId));
}
