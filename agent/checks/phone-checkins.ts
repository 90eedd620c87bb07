import type { PhoneCheckIn } from "../provision/check-ins.js";
import type { SitePhone } from "../site/schema.js";
import { macKey } from "./site-facts.js";
import type { CheckContext, Evidence } from "./types.js";
import { notObserved } from "./verdict.js";

/**
 * Shared by the phone checks that read the provisioning service's check-ins: one evidence per inventory
 * phone, `judge` deciding from its check-in (undefined: the service does not know the phone at all).
 */
export function perPhone(
  ctx: CheckContext,
  expected: (phone: SitePhone) => string,
  judge: (phone: SitePhone, seen: PhoneCheckIn | undefined) => Pick<Evidence, "observed" | "ok">,
): Evidence[] {
  const obs = ctx.observations.phones;
  return ctx.site.phones.map((phone) => {
    const subject = `phone ${phone.extension} (${phone.model}, ${phone.mac})`;
    if (!obs.ok) return notObserved(subject, expected(phone), "phone check-ins", obs);
    const seen = obs.value.find((c) => macKey(c.mac) === macKey(phone.mac));
    return { subject, expected: expected(phone), ...judge(phone, seen), source: obs.source };
  });
}
