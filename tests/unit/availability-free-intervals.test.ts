import { execFileSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { chineseCalendarDay, freeIntervals, type FreeIntervalsInput } from "../../app/availability/free-intervals";
import { subtract, widen } from "../../app/availability/intervals";
import type { BookingSettings, Interval, IsoWeekday, WeeklyRule } from "../../app/availability/types";

// Nothing global is set in this file: process.env.TZ is left alone; zones are arguments.
const settings: BookingSettings = {
  slotMinutes: 30,
  minNoticeMinutes: 0,
  maxAdvanceDays: 400,
  minLengthMinutes: 30,
  maxLengthMinutes: 480,
  bufferMinutes: 0,
};
const iso = (list: Interval[]) => list.map((i) => [i.start.toISOString(), i.end.toISOString()]);
const win = (start: string, end: string): Interval => ({ start: new Date(start), end: new Date(end) });
const everyDay = (start: string, end: string): WeeklyRule[] =>
  ([1, 2, 3, 4, 5, 6, 7] as const).map((weekday) => ({ weekday, start, end }));

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

function run(overrides: Partial<FreeIntervalsInput>): Interval[] {
  return freeIntervals({
    rules: everyDay("09:00", "17:00"),
    closures: [],
    busy: [],
    window: win("2026-06-08T00:00:00+08:00", "2026-06-09T00:00:00+08:00"),
    zone: "Asia/Shanghai",
    holidays: { observeChineseHolidays: true },
    settings,
    now: new Date("2026-01-01T00:00:00Z"),
    ...overrides,
  });
}

describe("freeIntervals in Asia/Shanghai", () => {
  it("expands several rules per weekday as wall-clock times", () => {
    const rules: WeeklyRule[] = [
      { weekday: 1, start: "13:00", end: "17:30" },
      { weekday: 1, start: "08:30", end: "12:00" },
      { weekday: 2, start: "20:00", end: "24:00" },
    ];
    const window = win("2026-06-08T00:00:00+08:00", "2026-06-10T00:00:00+08:00");
    expect(iso(run({ rules, window }))).toEqual([
      ["2026-06-08T00:30:00.000Z", "2026-06-08T04:00:00.000Z"],
      ["2026-06-08T05:00:00.000Z", "2026-06-08T09:30:00.000Z"],
      ["2026-06-09T12:00:00.000Z", "2026-06-09T16:00:00.000Z"],
    ]);
  });

  it("removes closures and busy time widened by the buffer on both sides", () => {
    const busy = [win("2026-06-08T10:00:00+08:00", "2026-06-08T11:00:00+08:00")];
    const closures = [{ ...win("2026-06-08T15:00:00+08:00", "2026-06-08T18:00:00+08:00"), reason: "维护" }];
    expect(iso(run({ busy, closures, settings: { ...settings, bufferMinutes: 15 } }))).toEqual([
      ["2026-06-08T01:00:00.000Z", "2026-06-08T01:45:00.000Z"],
      ["2026-06-08T03:15:00.000Z", "2026-06-08T07:00:00.000Z"],
    ]);
  });

  it("clips to minimum notice and maximum advance", () => {
    const now = new Date("2026-06-08T10:20:00+08:00");
    const window = win("2026-06-01T00:00:00Z", "2026-07-01T00:00:00Z");
    const tight = { ...settings, minNoticeMinutes: 120, maxAdvanceDays: 1 };
    expect(iso(run({ now, window, settings: tight }))).toEqual([
      ["2026-06-08T04:20:00.000Z", "2026-06-08T09:00:00.000Z"],
      ["2026-06-09T01:00:00.000Z", "2026-06-09T02:20:00.000Z"],
    ]);
    expect(run({ now: new Date("2026-07-01T00:00:00Z"), window })).toEqual([]);
  });

  it("rejects malformed rules and unknown zones", () => {
    expect(() => run({ rules: [{ weekday: 1, start: "17:00", end: "09:00" }] })).toThrow(RangeError);
    expect(() => run({ rules: [{ weekday: 1, start: "9:00", end: "10:00" }] })).toThrow(RangeError);
    expect(() => run({ rules: [{ weekday: 1, start: "24:00", end: "24:00" }] })).toThrow(RangeError);
    expect(() => run({ zone: "Mars/Olympus" })).toThrow(RangeError);
  });
});

describe("Chinese public holidays and 调休 (chinese-days data for 2026)", () => {
  const week = win("2026-09-28T00:00:00+08:00", "2026-10-12T00:00:00+08:00");
  // Distinct hours per weekday, so the rules used on each day are visible.
  const rules: WeeklyRule[] = ([1, 2, 3, 4, 5, 6, 7] as IsoWeekday[]).map((weekday) => ({
    weekday,
    start: `0${weekday}:00`,
    end: `0${weekday}:30`,
  }));
  const openDays = (observe: boolean) =>
    run({ rules, window: week, holidays: { observeChineseHolidays: observe } }).map((i) => {
      const local = new Date(i.start.getTime() + 8 * 3_600_000).toISOString();
      return `${local.slice(0, 10)} ${local.slice(11, 16)}`;
    });

  it("closes on National Day and the whole statutory holiday, weekend days included", () => {
    const days = openDays(true);
    expect(days.some((d) => d >= "2026-10-01" && d < "2026-10-08")).toBe(false);
    expect(days).toContain("2026-09-29 02:00");
    expect(days).toContain("2026-10-08 04:00");
  });

  it("opens on the make-up working day 2026-10-10 (Saturday) with Friday's rules", () => {
    expect(openDays(true)).toContain("2026-10-10 05:00");
    expect(openDays(true)).not.toContain("2026-10-10 06:00");
  });

  it("gives a Sunday make-up day (2026-09-20) Monday's rules", () => {
    const sept = run({
      rules,
      window: win("2026-09-20T00:00:00+08:00", "2026-09-21T00:00:00+08:00"),
    });
    expect(iso(sept)).toEqual([["2026-09-19T17:00:00.000Z", "2026-09-19T17:30:00.000Z"]]);
  });

  it("ignores the calendar when the lab opts out", () => {
    const days = openDays(false);
    expect(days).toContain("2026-10-01 04:00");
    expect(days).toContain("2026-10-03 06:00");
    expect(days).toContain("2026-10-10 06:00");
  });
});

describe("daylight saving time", () => {
  const nyDay = (rules: WeeklyRule[], date: string) =>
    iso(run({ rules, zone: "America/New_York", window: win(`${date}T00:00:00-05:00`, `${date}T23:59:00-04:00`) }));

  it("America/New_York spring-forward 2026-03-08: real instants, gap mapped forward", () => {
    expect(nyDay([{ weekday: 7, start: "01:00", end: "04:00" }], "2026-03-08")).toEqual([
      ["2026-03-08T06:00:00.000Z", "2026-03-08T08:00:00.000Z"],
    ]);
    expect(nyDay([{ weekday: 7, start: "02:30", end: "05:00" }], "2026-03-08")).toEqual([
      ["2026-03-08T07:00:00.000Z", "2026-03-08T09:00:00.000Z"],
    ]);
    expect(nyDay([{ weekday: 7, start: "02:00", end: "02:30" }], "2026-03-08")).toEqual([]);
  });

  it("America/New_York fall-back 2026-11-01: an ambiguous time takes its first occurrence", () => {
    expect(nyDay([{ weekday: 7, start: "01:30", end: "03:00" }], "2026-11-01")).toEqual([
      ["2026-11-01T05:30:00.000Z", "2026-11-01T08:00:00.000Z"],
    ]);
  });

  it("Europe/Berlin: 23-hour day on 2026-03-29, 25-hour day on 2026-10-25", () => {
    const berlin = (from: string, to: string, rules = everyDay("00:00", "24:00")) =>
      iso(run({ rules, zone: "Europe/Berlin", window: win(from, to) }));
    expect(berlin("2026-03-28T12:00:00Z", "2026-03-30T12:00:00Z", [{ weekday: 7, start: "00:00", end: "24:00" }]))
      .toEqual([["2026-03-28T23:00:00.000Z", "2026-03-29T22:00:00.000Z"]]);
    expect(berlin("2026-10-24T12:00:00Z", "2026-10-26T12:00:00Z", [{ weekday: 7, start: "00:00", end: "24:00" }]))
      .toEqual([["2026-10-24T22:00:00.000Z", "2026-10-25T23:00:00.000Z"]]);
    expect(berlin("2026-10-24T12:00:00Z", "2026-10-26T12:00:00Z", [{ weekday: 7, start: "02:30", end: "03:30" }]))
      .toEqual([["2026-10-25T00:30:00.000Z", "2026-10-25T02:30:00.000Z"]]);
    // Office hours keep their wall-clock times on both sides of each change.
    const office = [{ weekday: 1 as const, start: "08:00", end: "18:00" }];
    expect(berlin("2026-03-23T00:00:00Z", "2026-03-31T00:00:00Z", office)).toEqual([
      ["2026-03-23T07:00:00.000Z", "2026-03-23T17:00:00.000Z"],
      ["2026-03-30T06:00:00.000Z", "2026-03-30T16:00:00.000Z"],
    ]);
    expect(berlin("2026-10-19T00:00:00Z", "2026-10-27T00:00:00Z", office)).toEqual([
      ["2026-10-19T06:00:00.000Z", "2026-10-19T16:00:00.000Z"],
      ["2026-10-26T07:00:00.000Z", "2026-10-26T17:00:00.000Z"],
    ]);
  });
});

const arbRule = fc
  .tuple(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 0, max: 47 }), fc.integer({ min: 1, max: 48 }))
  .map(([weekday, a, len]): WeeklyRule => {
    const end = Math.min(48, a + len);
    const hhmm = (half: number) => `${String(Math.floor(half / 2)).padStart(2, "0")}:${half % 2 ? "30" : "00"}`;
    return { weekday: weekday as IsoWeekday, start: hhmm(a), end: hhmm(end) };
  });
const BASE = Date.UTC(2026, 2, 20);
const arbSpan = fc
  .tuple(fc.integer({ min: 0, max: 240 * 24 }), fc.integer({ min: 0, max: 72 }))
  .map(([h, len]): Interval => ({ start: new Date(BASE + h * 3_600_000), end: new Date(BASE + (h + len) * 3_600_000) }));
const arbScenario = fc.record({
  rules: fc.array(arbRule, { maxLength: 6 }),
  closures: fc.array(arbSpan.map((i) => ({ ...i, reason: "内部使用" })), { maxLength: 3 }),
  busy: fc.array(arbSpan, { maxLength: 4 }),
  window: arbSpan,
  zone: fc.constantFrom("Asia/Shanghai", "Europe/Berlin", "America/New_York"),
  holidays: fc.record({ observeChineseHolidays: fc.boolean() }),
  settings: fc.record({
    slotMinutes: fc.constant(30),
    minNoticeMinutes: fc.integer({ min: 0, max: 600 }),
    maxAdvanceDays: fc.integer({ min: 1, max: 400 }),
    minLengthMinutes: fc.constant(30),
    maxLengthMinutes: fc.constant(480),
    bufferMinutes: fc.integer({ min: 0, max: 60 }),
  }),
  now: fc.integer({ min: 0, max: 200 * 24 }).map((h) => new Date(BASE - 30 * 86_400_000 + h * 3_600_000)),
});

describe("freeIntervals properties", () => {
  it("is sorted, disjoint, inside the horizon, and avoids closures and buffered bookings", () => {
    fc.assert(
      fc.property(arbScenario, (input) => {
        const free = freeIntervals(deepFreeze(input));
        const lo = Math.max(input.window.start.getTime(), input.now.getTime() + input.settings.minNoticeMinutes * 60_000);
        const hi = Math.min(input.window.end.getTime(), input.now.getTime() + input.settings.maxAdvanceDays * 86_400_000);
        free.forEach((i, k) => {
          expect(i.end > i.start).toBe(true);
          if (k > 0) expect(free[k - 1].end.getTime()).toBeLessThan(i.start.getTime());
          expect(i.start.getTime()).toBeGreaterThanOrEqual(lo);
          expect(i.end.getTime()).toBeLessThanOrEqual(hi);
        });
        const blocked = [...input.closures, ...widen(input.busy, input.settings.bufferMinutes)];
        expect(iso(subtract(free, blocked))).toEqual(iso(free));
        // Adding bookings only ever removes free time.
        const open = freeIntervals({ ...input, busy: [], closures: [] });
        expect(iso(subtract(free, open))).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it("depends only on instants: rebuilt Dates give the same result, and inputs stay unchanged", () => {
    fc.assert(
      fc.property(arbScenario, (input) => {
        const before = JSON.stringify(input);
        const result = iso(freeIntervals(deepFreeze(input)));
        const revived = JSON.parse(before, (_k, v) => (typeof v === "string" && /^\d{4}-\d\d-\d\dT/.test(v) ? new Date(v) : v));
        expect(iso(freeIntervals(revived))).toEqual(result);
        expect(JSON.stringify(input)).toBe(before);
      }),
      { numRuns: 100 },
    );
  });

  it("shifting every instant by whole weeks in a zone without DST shifts the result", () => {
    fc.assert(
      fc.property(arbScenario, fc.integer({ min: 1, max: 20 }), (input, weeks) => {
        const d = weeks * 7 * 86_400_000;
        const move = <T extends Interval>(i: T): T => ({ ...i, start: new Date(i.start.getTime() + d), end: new Date(i.end.getTime() + d) });
        const base = { ...input, zone: "Asia/Shanghai", holidays: { observeChineseHolidays: false } };
        const shifted = { ...base, window: move(base.window), busy: base.busy.map(move), closures: base.closures.map(move), now: new Date(base.now.getTime() + d) };
        expect(iso(freeIntervals(shifted))).toEqual(iso(freeIntervals(base).map(move)));
      }),
      { numRuns: 100 },
    );
  });
});

describe("independence from the server's own time zone", () => {
  // Scenario touching a holiday, a make-up day and both DST directions; run in child processes.
  const script = `
    import { freeIntervals } from "./app/availability/free-intervals.ts";
    const s = { slotMinutes: 30, minNoticeMinutes: 0, maxAdvanceDays: 400, minLengthMinutes: 30, maxLengthMinutes: 480, bufferMinutes: 10 };
    const out = ["Asia/Shanghai", "America/New_York", "Europe/Berlin"].map((zone) => freeIntervals({
      rules: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: "01:30", end: "24:00" })),
      closures: [], busy: [{ start: new Date("2026-10-08T03:00:00Z"), end: new Date("2026-10-08T04:00:00Z") }],
      window: { start: new Date("2026-09-26T00:00:00Z"), end: new Date("2026-11-03T00:00:00Z") },
      zone, holidays: { observeChineseHolidays: true }, settings: s, now: new Date("2026-01-01T00:00:00Z") }));
    console.log(JSON.stringify(out));`;
  const inZone = (tz: string) =>
    execFileSync("npx", ["tsx", "--eval", script], { env: { ...process.env, TZ: tz }, encoding: "utf8" });

  it("gives identical results under TZ=UTC, America/Los_Angeles and Pacific/Kiritimati", () => {
    const results = ["UTC", "America/Los_Angeles", "Pacific/Kiritimati"].map(inZone);
    expect(results[1]).toBe(results[0]);
    expect(results[2]).toBe(results[0]);
    expect(JSON.parse(results[0])[0].length).toBeGreaterThan(20);
  }, 60_000);
});

describe("the national calendar's days", () => {
  it("names statutory holidays and make-up working days, and nothing else", () => {
    expect(chineseCalendarDay("2026-10-01")).toEqual({ kind: "holiday", nameZh: "国庆节", nameEn: "National Day" });
    expect(chineseCalendarDay("2026-10-10")).toEqual({ kind: "makeup", nameZh: "国庆节", nameEn: "National Day" });
    expect(chineseCalendarDay("2026-10-12")).toBeNull();
  });
});
