import { describe, expect, it } from "vitest";
import { isCalendarDate, isWallClock } from "../../app/lib/validation";
import { usageFormSchema } from "../../app/booking/usage";
import { isoDate } from "../../app/billing/vouchers";

describe("a calendar date in a form or a query string", () => {
  it("is a real day written YYYY-MM-DD", () => {
    for (const day of ["2026-12-08", "2028-02-29", "1900-01-01", "2999-12-31"]) expect(isCalendarDate(day), day).toBe(true);
  });

  it("is not a day the calendar lacks, another spelling, or a year outside 1900–2999", () => {
    for (const day of ["2026-02-29", "2026-13-01", "2026-04-31", "2026-1-5", "20261208", "0000-01-01", "1899-12-31", "9999-12-31", "+02026-01-01", "2026-12-08T00:00", ""]) {
      expect(isCalendarDate(day), day).toBe(false);
    }
  });

  it("refuses such a day at a voucher form's field", () => {
    expect(isoDate.safeParse("2026-02-30").error?.issues[0]?.message).toBe("validation.invalid");
    expect(isoDate.parse(" 2026-03-01 ")).toBe("2026-03-01");
  });
});

describe("a wall-clock time from a datetime-local field", () => {
  it("is a real day and a time of day", () => {
    expect(isWallClock("2026-12-08T09:30")).toBe(true);
    expect(isWallClock("2026-12-08T23:59")).toBe(true);
    for (const value of ["2026-12-08T24:00", "2026-12-08T09:60", "2026-02-30T09:00", "0000-01-01T09:00", "2026-12-08 09:30", "2026-12-08T9:30"]) {
      expect(isWallClock(value), value).toBe(false);
    }
  });

  it("is refused at the check-out form's field rather than read as another day", () => {
    const parsed = usageFormSchema("Asia/Shanghai").safeParse({
      startedAt: "2026-02-30T09:00",
      endedAt: "2026-03-02T10:00",
      preparationMinutes: "0",
      measurementMinutes: "30",
      postProcessingMinutes: "0",
      idleMinutes: "0",
      samplesCount: "1",
      operatorUserId: "00000000-0000-4000-8000-000000000000",
    });
    expect(parsed.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([["startedAt", "usage:validation.time"]]);
  });
});
