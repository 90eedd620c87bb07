/**
 * The lab's clock. Timestamps (show clock, `! Last configuration change at …`, archive file names) use
 * real time; the configure-replace revert timer counts minutes that `timeScale` can shorten, so a test can
 * let a 1-minute timer expire in 1 s (timeScale 60) while the device still says "Timer value: 1 min".
 */
export class LabClock {
  readonly timeScale: number;
  readonly bootedAt: Date;
  readonly #timers = new Set<NodeJS.Timeout>();

  constructor(timeScale = 1, bootedAt = new Date()) {
    if (!(timeScale > 0)) throw new Error(`timeScale must be > 0, got ${timeScale}`);
    this.timeScale = timeScale;
    this.bootedAt = bootedAt;
  }

  now(): Date {
    return new Date();
  }

  /** Hundredths of a second since boot (SNMP TimeTicks, sysUpTime). */
  uptimeTicks(at = this.now()): number {
    return Math.floor((at.getTime() - this.bootedAt.getTime()) / 10) % 2 ** 32;
  }

  /** Runs `fn` after `minutes` device minutes (minutes × 60 s / timeScale of real time). */
  after(minutes: number, fn: () => void): { cancel(): void } {
    const timer = setTimeout(
      () => {
        this.#timers.delete(timer);
        fn();
      },
      (minutes * 60_000) / this.timeScale,
    );
    timer.unref?.();
    this.#timers.add(timer);
    return {
      cancel: () => {
        clearTimeout(timer);
        this.#timers.delete(timer);
      },
    };
  }

  /** Cancels every pending timer (lab stop). */
  stop(): void {
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
  }
}

/** `clock timezone CET 1 0` plus `clock summer-time CEST recurring …`, as the device's config says. */
export interface DeviceTimeZone {
  name: string;
  offsetMinutes: number;
  summer: { name: string } | null;
}

export const utcZone: DeviceTimeZone = { name: "UTC", offsetMinutes: 0, summer: null };

/** Last Sunday of a month at 01:00 UTC: the EU transition (Directive 2000/84/EC), which the renderer emits. */
function lastSunday(year: number, month: number): number {
  const last = new Date(Date.UTC(year, month + 1, 0, 1));
  return last.getTime() - last.getUTCDay() * 86_400_000;
}

function zoneAt(date: Date, tz: DeviceTimeZone): { name: string; offset: number } {
  if (tz.summer) {
    const y = date.getUTCFullYear();
    const t = date.getTime();
    if (t >= lastSunday(y, 2) && t < lastSunday(y, 9))
      return { name: tz.summer.name, offset: tz.offsetMinutes + 60 };
  }
  return { name: tz.name, offset: tz.offsetMinutes };
}

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const two = (n: number) => String(n).padStart(2, "0");

/** Local wall-clock parts of `date` in the device's zone. */
function local(date: Date, tz: DeviceTimeZone) {
  const zone = zoneAt(date, tz);
  const d = new Date(date.getTime() + zone.offset * 60_000);
  return { d, zone: zone.name };
}

/** `09:37:40 CEST Tue Aug 20 2024`, as IOS prints it in `! Last configuration change at …`. */
export function iosTime(date: Date, tz: DeviceTimeZone, withMs = false): string {
  const { d, zone } = local(date, tz);
  const ms = withMs ? `.${String(d.getUTCMilliseconds()).padStart(3, "0")}` : "";
  return `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}${ms} ${zone} ${
    DAYS[d.getUTCDay()]
  } ${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()} ${d.getUTCFullYear()}`;
}

/**
 * The `$t` of an archive path and the stamp in rollback backups: `Jan--6-12-49-44.412-PST` (napalm #135,
 * `flash:pynet-rtr1-cfgJan--6-12-49-44.412-PST-0`): the day is space-padded to 2 and blanks become dashes.
 */
export function archiveStamp(date: Date, tz: DeviceTimeZone): string {
  const { d, zone } = local(date, tz);
  const day = String(d.getUTCDate()).padStart(2, " ").replace(" ", "-");
  return `${MONTHS[d.getUTCMonth()]}-${day}-${two(d.getUTCHours())}-${two(d.getUTCMinutes())}-${two(
    d.getUTCSeconds(),
  )}.${String(d.getUTCMilliseconds()).padStart(3, "0")}-${zone}`;
}

/** `Nov 23 2026 10:15 AM`: the lease expiry format of `show ip dhcp binding`. */
export function leaseTime(date: Date, tz: DeviceTimeZone): string {
  const { d } = local(date, tz);
  const h = d.getUTCHours();
  return `${MONTHS[d.getUTCMonth()]} ${two(d.getUTCDate())} ${d.getUTCFullYear()} ${two(h % 12 === 0 ? 12 : h % 12)}:${two(
    d.getUTCMinutes(),
  )} ${h < 12 ? "AM" : "PM"}`;
}

/** `Sep  2 2026 10:41:03 +02:00`: the date column of `dir flash:`. */
export function dirTime(date: Date, tz: DeviceTimeZone): string {
  const { d } = local(date, tz);
  const off = zoneAt(date, tz).offset;
  const sign = off < 0 ? "-" : "+";
  const abs = Math.abs(off);
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, " ")} ${d.getUTCFullYear()} ${two(
    d.getUTCHours(),
  )}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} ${sign}${two(Math.floor(abs / 60))}:${two(abs % 60)}`;
}

/** `2 days, 3 hours, 4 minutes`: the uptime sentence of `show version` (units with a value, largest first). */
export function uptimeText(ms: number): string {
  let minutes = Math.floor(ms / 60_000);
  const units: [string, number][] = [
    ["year", 525_600],
    ["week", 10_080],
    ["day", 1440],
    ["hour", 60],
    ["minute", 1],
  ];
  const parts: string[] = [];
  for (const [name, size] of units) {
    const n = Math.floor(minutes / size);
    minutes -= n * size;
    if (n > 0 || (name === "minute" && parts.length === 0)) parts.push(`${n} ${name}${n === 1 ? "" : "s"}`);
  }
  return parts.join(", ");
}
