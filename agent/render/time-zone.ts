import type { TimeZoneView } from "../../drivers/phones/types.js";

/** Offset of `timeZone` from UTC at `instant`, in minutes (positive east of Greenwich). */
export function offsetMinutes(timeZone: string, instant: Date): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
  }).formatToParts(instant);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const local = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"));
  return Math.round((local - Math.floor(instant.getTime() / 60_000) * 60_000) / 60_000);
}

function lastSundayUtc(year: number, month: number): Date {
  const d = new Date(Date.UTC(year, month + 1, 0, 1, 0));
  d.setUTCDate(d.getUTCDate() - d.getUTCDay());
  return d;
}

/**
 * What phones need to know about the site's zone. Phones of this generation take a fixed offset and a
 * DST rule rather than an IANA name, so both are derived here. The reference year is fixed so that
 * rendering is deterministic; the EU rule has not changed since 1996 (Directive 2000/84/EC).
 */
export function timeZoneView(iana: string, referenceYear = 2026): TimeZoneView {
  const winter = offsetMinutes(iana, new Date(Date.UTC(referenceYear, 0, 15)));
  const summer = offsetMinutes(iana, new Date(Date.UTC(referenceYear, 6, 15)));
  const standard = Math.min(winter, summer);
  if (winter === summer)
    return { iana, standardOffsetMinutes: standard, summerOffsetMinutes: summer, dstRule: "none" };
  const minute = 60_000;
  const start = lastSundayUtc(referenceYear, 2);
  const end = lastSundayUtc(referenceYear, 9);
  const eu =
    offsetMinutes(iana, new Date(start.getTime() - minute)) === standard &&
    offsetMinutes(iana, start) === Math.max(winter, summer) &&
    offsetMinutes(iana, new Date(end.getTime() - minute)) === Math.max(winter, summer) &&
    offsetMinutes(iana, end) === standard;
  return {
    iana,
    standardOffsetMinutes: standard,
    summerOffsetMinutes: Math.max(winter, summer),
    dstRule: eu ? "eu" : "other",
  };
}
