import { aastraFamily } from "./aastra.js";
import { ciscoSpaFamily } from "./cisco-spa.js";
import { gigasetFamily } from "./gigaset.js";
import { panasonicFamily } from "./panasonic.js";
import { polycomFamily } from "./polycom.js";
import type { FamilyId, PhoneFamily } from "./types.js";
import { yealinkFamily } from "./yealink.js";

/** Every phone family patchkast speaks. Adding one: its file in this folder, and one entry here. */
export const phoneFamilies: readonly PhoneFamily[] = [
  panasonicFamily,
  gigasetFamily,
  ciscoSpaFamily,
  aastraFamily,
  yealinkFamily,
  polycomFamily,
];

export function phoneFamily(id: string): PhoneFamily | undefined {
  return phoneFamilies.find((f) => f.id === (id as FamilyId));
}
