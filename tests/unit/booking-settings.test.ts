import { describe, expect, it } from "vitest";
import { formatPeriod, parsePeriod } from "../../db/schema/booking";
import { clockOf, minutesOf, parseWeeklyRules, toWeeklyRule } from "../../app/booking/settings";

describe("tstzrange text", () => {
  it("reads the bounds Postgres prints, whatever the session's offset", () => {
    const expected = { start: new Date("2026-03-03T01:00:00Z"), end: new Date("2026-03-03T02:30:00Z") };
    expect(parsePeriod('["2026-03-03 01:00:00+00","2026-03-03 02:30:00+00")')).toEqual(expected);
    expect(parsePeriod('["2026-03-03 09:00:00+08","2026-03-03 10:30:00+08")')).toEqual(expected);
    expect(parsePeriod('["2026-03-03 06:30:00+05:30","2026-03-03 08:00:00+05:30")')).toEqual(expected);
    expect(parsePeriod('["2026-03-02 20:00:00.5-05","2026-03-02 21:30:00-05")').start).toEqual(new Date("2026-03-03T01:00:00.500Z"));
  });

  it("writes a half-open range that reads back the same", () => {
    const p = { start: new Date("2026-03-03T01:00:00Z"), end: new Date("2026-03-03T02:30:00Z") };
    expect(formatPeriod(p)).toBe("[2026-03-03T01:00:00.000Z,2026-03-03T02:30:00.000Z)");
    expect(parsePeriod(formatPeriod(p))).toEqual(p);
  });
});

describe("opening rules", () => {
  it("converts minutes and clocks both ways, with 24:00 for midnight", () => {
    expect(clockOf(510)).toBe("08:30");
    expect(minutesOf("17:30")).toBe(1050);
    expect(toWeeklyRule({ weekday: 6, startMinute: 1080, endMinute: 1440 })).toEqual({ weekday: 6, start: "18:00", end: "24:00" });
  });

  const form = (pairs: [string, string][]) => new URLSearchParams(pairs);

  it("reads several intervals per weekday and drops blank pairs", () => {
    expect(
      parseWeeklyRules(form([["start-1", "08:30"], ["end-1", "12:00"], ["start-1", "13:30"], ["end-1", "17:30"], ["start-1", ""], ["end-1", ""], ["start-7", "20:00"], ["end-7", "00:00"]])),
    ).toEqual({
      ok: true,
      data: [
        { weekday: 1, start: "08:30", end: "12:00" },
        { weekday: 1, start: "13:30", end: "17:30" },
        { weekday: 7, start: "20:00", end: "24:00" },
      ],
    });
  });

  it("reports errors on the weekday's row", () => {
    expect(parseWeeklyRules(form([["start-2", "10:00"], ["end-2", "09:00"]]))).toEqual({ ok: false, errors: { "day-2": "booking:validation.endAfterStart" } });
    expect(parseWeeklyRules(form([["start-5", "08:00"], ["end-5", "12:00"], ["start-5", "11:30"], ["end-5", "13:00"]]))).toEqual({
      ok: false,
      errors: { "day-5": "booking:validation.overlap" },
    });
    expect(parseWeeklyRules(form([["start-3", "25:00"], ["end-3", "26:00"]]))).toMatchObject({ ok: false, errors: { "day-3": "booking:validation.clock" } });
  });

  it("accepts touching intervals and an empty week", () => {
    expect(parseWeeklyRules(form([["start-1", "08:00"], ["end-1", "12:00"], ["start-1", "12:00"], ["end-1", "13:00"]])).ok).toBe(true);
    expect(parseWeeklyRules(form([]))).toEqual({ ok: true, data: [] });
  });
});
