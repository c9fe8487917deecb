import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { freeIntervals } from "../../app/availability/free-intervals";
import { intersect, widen } from "../../app/availability/intervals";
import { firstFit, fitsRequest, offeredSlots } from "../../app/availability/slots";
import type { BookingSettings, Interval, IsoWeekday, WeeklyRule } from "../../app/availability/types";

const settings: BookingSettings = {
  slotMinutes: 30,
  minNoticeMinutes: 60,
  maxAdvanceDays: 30,
  minLengthMinutes: 60,
  maxLengthMinutes: 240,
  bufferMinutes: 0,
};
const win = (start: string, end: string): Interval => ({ start: new Date(start), end: new Date(end) });
const starts = (list: Interval[]) => list.map((i) => i.start.toISOString());

/** Wall clock of `at` in `zone` via Intl: an oracle independent of the engine's own conversion. */
function wall(at: Date, zone: string): { date: string; minutes: number; weekday: number } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", {
      timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", weekday: "short",
    }).formatToParts(at).map((p) => [p.type, p.value]),
  );
  const weekday = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].indexOf(parts.weekday) + 1;
  return { date: `${parts.year}-${parts.month}-${parts.day}`, minutes: Number(parts.hour) * 60 + Number(parts.minute), weekday };
}

describe("offeredSlots", () => {
  it("cuts minimum-length slots at the granularity, aligned to the lab's wall clock", () => {
    const free = [win("2026-06-08T09:10:00+08:00", "2026-06-08T12:00:00+08:00")];
    expect(starts(offeredSlots(free, settings, "Asia/Shanghai"))).toEqual([
      "2026-06-08T01:30:00.000Z",
      "2026-06-08T02:00:00.000Z",
      "2026-06-08T02:30:00.000Z",
      "2026-06-08T03:00:00.000Z",
    ]);
    expect(offeredSlots(free, settings, "Asia/Shanghai", 180)).toEqual([]);
    expect(offeredSlots(free, settings, "Asia/Shanghai", 150).map((s) => s.end.toISOString())).toEqual([
      "2026-06-08T04:00:00.000Z",
    ]);
  });

  it("aligns to local hours in a half-hour-offset zone", () => {
    const free = [win("2026-06-08T03:00:00Z", "2026-06-08T06:00:00Z")];
    const hourly = { ...settings, slotMinutes: 60 };
    expect(starts(offeredSlots(free, hourly, "Asia/Kolkata"))).toEqual(["2026-06-08T03:30:00.000Z", "2026-06-08T04:30:00.000Z"]);
  });

  it("counts 23 and 25 hourly slots over Berlin's DST Sundays of 2026", () => {
    const hourly = { ...settings, slotMinutes: 60 };
    const count = (from: string, to: string) => offeredSlots([win(from, to)], hourly, "Europe/Berlin").length;
    expect(count("2026-03-28T23:00:00Z", "2026-03-29T22:00:00Z")).toBe(23);
    expect(count("2026-10-24T22:00:00Z", "2026-10-25T23:00:00Z")).toBe(25);
  });

  it("refuses a length the settings do not allow", () => {
    expect(() => offeredSlots([], settings, "Asia/Shanghai", 45)).toThrow(RangeError);
    expect(() => offeredSlots([], settings, "Asia/Shanghai", 300)).toThrow(RangeError);
  });
});

describe("fitsRequest and firstFit", () => {
  const now = new Date("2026-06-08T08:00:00+08:00");
  const free = [win("2026-06-08T09:00:00+08:00", "2026-06-08T12:00:00+08:00"), win("2026-06-08T12:00:00+08:00", "2026-06-08T13:00:00+08:00")];
  const check = (start: string, end: string) =>
    fitsRequest(free, win(start, end), settings, { now, zone: "Asia/Shanghai" });

  it.each([
    ["2026-06-08T10:00:00+08:00", "2026-06-08T13:00:00+08:00", null],
    ["2026-06-08T10:00:00+08:00", "2026-06-08T10:30:00+08:00", "too_short"],
    ["2026-06-08T10:00:00+08:00", "2026-06-08T10:00:00+08:00", "too_short"],
    ["2026-06-08T09:00:00+08:00", "2026-06-08T13:30:00+08:00", "too_long"],
    ["2026-06-08T10:15:00+08:00", "2026-06-08T11:15:00+08:00", "misaligned"],
    ["2026-06-08T10:00:00+08:00", "2026-06-08T11:10:00+08:00", "misaligned"],
    ["2026-06-08T08:30:00+08:00", "2026-06-08T09:30:00+08:00", "too_soon"],
    ["2026-07-08T10:00:00+08:00", "2026-07-08T11:00:00+08:00", "too_far"],
    ["2026-06-08T12:30:00+08:00", "2026-06-08T13:30:00+08:00", "outside_opening"],
  ])("%s → %s: %s", (start, end, reason) => {
    expect(check(start, end)).toEqual(reason ? { ok: false, reason } : { ok: true });
  });

  it("firstFit returns the first free start with room for the duration", () => {
    const gaps = [win("2026-06-08T01:00:00Z", "2026-06-08T02:00:00Z"), win("2026-06-08T05:00:00Z", "2026-06-08T09:00:00Z")];
    expect(firstFit(gaps, 60)?.toISOString()).toBe("2026-06-08T01:00:00.000Z");
    expect(firstFit(gaps, 90)?.toISOString()).toBe("2026-06-08T05:00:00.000Z");
    expect(firstFit(gaps, 300)).toBeNull();
  });
});

// Rule times avoid 02:00–03:00 so every rule exists on DST days too and the wall-clock check is exact.
const hhmm = (half: number) => `${String(Math.floor(half / 2)).padStart(2, "0")}:${half % 2 ? "30" : "00"}`;
const arbRule = fc
  .tuple(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 6, max: 46 }), fc.integer({ min: 1, max: 20 }))
  .map(([weekday, a, len]): WeeklyRule => ({ weekday: weekday as IsoWeekday, start: hhmm(a), end: hhmm(Math.min(48, a + len)) }));
const BASE = Date.UTC(2026, 2, 25);
const arbSpan = fc
  .tuple(fc.integer({ min: 0, max: 220 * 24 }), fc.integer({ min: 1, max: 96 }))
  .map(([h, len]): Interval => ({ start: new Date(BASE + h * 3_600_000), end: new Date(BASE + (h + len) * 3_600_000) }));

describe("offered slot properties", () => {
  it("never overlap closures or buffered bookings, and lie inside the opening rules of their local day", () => {
    fc.assert(
      fc.property(
        fc.record({
          rules: fc.array(arbRule, { minLength: 1, maxLength: 6 }),
          closures: fc.array(arbSpan.map((i) => ({ ...i, reason: "维护" })), { maxLength: 3 }),
          busy: fc.array(arbSpan.map((i) => ({ start: new Date(i.start.getTime() + 7 * 60_000), end: i.end })), { maxLength: 4 }),
          window: arbSpan,
          zone: fc.constantFrom("Asia/Shanghai", "Europe/Berlin", "America/New_York"),
          buffer: fc.integer({ min: 0, max: 45 }),
          slot: fc.constantFrom(15, 30, 60),
        }),
        ({ rules, closures, busy, window, zone, buffer, slot }) => {
          const s = { ...settings, slotMinutes: slot, minLengthMinutes: slot, maxLengthMinutes: 240, bufferMinutes: buffer, maxAdvanceDays: 400, minNoticeMinutes: 0 };
          const free = freeIntervals({ rules, closures, busy, window, zone, holidays: { observeChineseHolidays: false }, settings: s, now: new Date(BASE) });
          const slots = offeredSlots(free, s, zone);
          const blocked = [...closures, ...widen(busy, buffer)];
          for (const slotIv of slots) {
            expect(intersect([slotIv], blocked)).toEqual([]);
            const from = wall(slotIv.start, zone);
            const to = wall(new Date(slotIv.end.getTime() - 1), zone); // last instant, still same day
            expect(from.minutes % slot).toBe(0);
            expect(to.date).toBe(from.date);
            // Adjacent rules (17:30–22:30, 22:30–23:00) are one stretch of opening hours: every
            // minute of the slot must lie inside some rule of its day, not all in the same one.
            const dayRules = rules
              .filter((r) => r.weekday === from.weekday)
              .map((r) => [r.start, r.end].map((t) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3))) as [number, number]);
            for (let minute = from.minutes; minute <= to.minutes; minute++) {
              expect(dayRules.some(([rs, re]) => rs <= minute && minute < re)).toBe(true);
            }
            expect(fitsRequest(free, slotIv, s, { now: new Date(BASE), zone })).toEqual({ ok: true });
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
