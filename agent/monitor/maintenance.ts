import type { SlaFile } from "../catalog/schema.js";

/** The SLA maintenance window as configs/catalog/sla.yaml states it (days, "HH:MM" start and end). */
export type MaintenanceWindow = Pick<SlaFile["maintenance_window"], "days" | "start" | "end">;

type Day = MaintenanceWindow["days"][number];
const DAYS: readonly Day[] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

const minutesOf = (hhmm: string): number => {
  const [h = 0, m = 0] = hhmm.split(":").map(Number);
  return h * 60 + m;
};

/** The wall clock in `timeZone` at `now`: weekday and minutes after local midnight. */
function localClock(now: Date, timeZone: string): { day: number; minutes: number } {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    weekday: "short",
    hour: "2-digit",
    minute: "2-digit",
  }).formatToParts(now);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? "";
  const day = DAYS.indexOf(get("weekday").toLowerCase().slice(0, 3) as Day);
  return { day, minutes: Number(get("hour")) * 60 + Number(get("minute")) };
}

/**
 * Whether `now` falls in the maintenance window, read on the site's local wall clock (the contract says
 * "between 00:00 and 07:00", local time). Judging the wall clock, not a UTC offset taken once, keeps it
 * right across DST: on the last Sunday of March 00:00–07:00 Amsterdam is 6 real hours (02:00–03:00 does
 * not exist), in October 8 (02:00–03:00 happens twice). `days` are the days the window starts on; a
 * window that wraps midnight (22:00–06:00) belongs to the day it started. start == end means all day.
 * Start inclusive, end exclusive: 07:00:00 is outside.
 */
export function inMaintenanceWindow(now: Date, timeZone: string, window: MaintenanceWindow): boolean {
  const { day, minutes } = localClock(now, timeZone);
  const start = minutesOf(window.start);
  const end = minutesOf(window.end);
  const startsOn = (d: number) => window.days.includes(DAYS[(d + 7) % 7] as Day);
  if (start === end) return startsOn(day);
  if (start < end) return startsOn(day) && minutes >= start && minutes < end;
  return (startsOn(day) && minutes >= start) || (startsOn(day - 1) && minutes < end);
}
