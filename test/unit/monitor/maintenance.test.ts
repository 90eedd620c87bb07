import { describe, expect, it } from "vitest";
import { loadCatalog } from "../../../agent/catalog/load.js";
import { inMaintenanceWindow, type MaintenanceWindow } from "../../../agent/monitor/maintenance.js";

const sla = loadCatalog().sla.maintenance_window;
const ams = "Europe/Amsterdam";
const at = (iso: string) => new Date(iso);
const inside = (iso: string, tz = ams, w: MaintenanceWindow = sla) => inMaintenanceWindow(at(iso), tz, w);

describe("inMaintenanceWindow with the catalog's window (every day 00:00-07:00 local)", () => {
  it("reads the window from configs/catalog/sla.yaml", () => {
    expect(sla).toMatchObject({ start: "00:00", end: "07:00" });
    expect(sla.days).toHaveLength(7);
  });

  it("winter (CET, UTC+1): 23:00Z is 00:00 local (inside), 05:59Z is 06:59 (inside), 06:00Z is 07:00 (outside)", () => {
    expect(inside("2026-01-14T22:59:59Z")).toBe(false);
    expect(inside("2026-01-14T23:00:00Z")).toBe(true);
    expect(inside("2026-01-15T05:59:00Z")).toBe(true);
    expect(inside("2026-01-15T06:00:00Z")).toBe(false);
  });

  it("summer (CEST, UTC+2): the window is 22:00Z-05:00Z", () => {
    expect(inside("2026-07-14T21:59:00Z")).toBe(false);
    expect(inside("2026-07-14T22:00:00Z")).toBe(true);
    expect(inside("2026-07-15T04:59:00Z")).toBe(true);
    expect(inside("2026-07-15T05:00:00Z")).toBe(false);
  });

  it("spring forward (29 March 2026): opens at 23:00Z (CET), closes at 05:00Z (CEST): 6 real hours", () => {
    expect(inside("2026-03-28T22:59:00Z")).toBe(false);
    expect(inside("2026-03-28T23:00:00Z")).toBe(true);
    expect(inside("2026-03-29T01:30:00Z")).toBe(true); // 03:30 CEST, just after the jump
    expect(inside("2026-03-29T04:59:00Z")).toBe(true);
    expect(inside("2026-03-29T05:00:00Z")).toBe(false); // 07:00 CEST; a fixed +1 h would still say inside
  });

  it("fall back (25 October 2026): opens at 22:00Z (CEST), closes at 06:00Z (CET): 8 real hours", () => {
    expect(inside("2026-10-24T21:59:00Z")).toBe(false);
    expect(inside("2026-10-24T22:00:00Z")).toBe(true);
    expect(inside("2026-10-25T00:30:00Z")).toBe(true); // 02:30 CEST
    expect(inside("2026-10-25T01:30:00Z")).toBe(true); // 02:30 CET, the repeated hour
    expect(inside("2026-10-25T05:30:00Z")).toBe(true); // 06:30 CET; a fixed +2 h would say outside
    expect(inside("2026-10-25T06:00:00Z")).toBe(false);
  });

  it("uses the zone it is given: 00:30 in New York is 05:30Z", () => {
    expect(inside("2026-01-15T05:30:00Z", "America/New_York")).toBe(true);
    expect(inside("2026-01-15T05:30:00Z", "Asia/Tokyo")).toBe(false);
  });
});

describe("inMaintenanceWindow with other windows", () => {
  it("honours the days the window starts on", () => {
    const weekdays: MaintenanceWindow = {
      days: ["mon", "tue", "wed", "thu", "fri"],
      start: "00:00",
      end: "07:00",
    };
    expect(inside("2026-01-17T01:00:00Z", ams, weekdays)).toBe(false); // Saturday 02:00
    expect(inside("2026-01-19T01:00:00Z", ams, weekdays)).toBe(true); // Monday 02:00
  });

  it("a window across midnight belongs to the day it starts", () => {
    const friNight: MaintenanceWindow = { days: ["fri"], start: "22:00", end: "06:00" };
    expect(inside("2026-01-16T21:30:00Z", ams, friNight)).toBe(true); // Fri 22:30
    expect(inside("2026-01-17T04:00:00Z", ams, friNight)).toBe(true); // Sat 05:00
    expect(inside("2026-01-17T05:00:00Z", ams, friNight)).toBe(false); // Sat 06:00
    expect(inside("2026-01-15T21:30:00Z", ams, friNight)).toBe(false); // Thu 22:30
  });
});
