import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { qualificationOn } from "../../app/booking/qualification";
import { checkWeeklyQuota, minutesWithin, quotaWeekOf } from "../../app/booking/quota";
import { MAX_WEEKS, weeklyOccurrences } from "../../app/booking/recurrence";

const sh = (local: string) => new Date(`${local.replace(" ", "T")}:00+08:00`);
const span = (a: string, b: string) => ({ start: sh(a), end: sh(b) });

describe("qualification validity", () => {
  const record = (trainedOn: string, expiresOn: string, revokedAt: Date | null = null) => ({ trainedOn, expiresOn, revokedAt });

  it("is valid from the training date through the expiry date inclusive", () => {
    const records = [record("2026-01-10", "2026-06-30")];
    expect(qualificationOn(records, "2026-01-09")).toEqual({ state: "none" });
    expect(qualificationOn(records, "2026-01-10")).toEqual({ state: "valid", expiresOn: "2026-06-30" });
    expect(qualificationOn(records, "2026-06-30")).toEqual({ state: "valid", expiresOn: "2026-06-30" });
    expect(qualificationOn(records, "2026-07-01")).toEqual({ state: "expired", expiresOn: "2026-06-30" });
  });

  it("ignores revoked records entirely, and reports the latest expiry among several", () => {
    expect(qualificationOn([record("2026-01-01", "2026-12-31", new Date())], "2026-03-01")).toEqual({ state: "none" });
    const renewed = [record("2025-01-01", "2025-12-31"), record("2026-01-01", "2026-12-31"), record("2026-01-01", "2027-06-30", new Date())];
    expect(qualificationOn(renewed, "2026-03-01")).toEqual({ state: "valid", expiresOn: "2026-12-31" });
    expect(qualificationOn(renewed, "2027-01-05")).toEqual({ state: "expired", expiresOn: "2026-12-31" });
    expect(qualificationOn([], "2026-03-01")).toEqual({ state: "none" });
  });
});

describe("weekly quota", () => {
  it("places the week Monday 00:00 to Monday 00:00 in the lab's zone", () => {
    // Sunday 8 March 23:30 in Shanghai is still the week of Monday 2 March.
    expect(quotaWeekOf(sh("2026-03-08 23:30"), "Asia/Shanghai")).toEqual(span("2026-03-02 00:00", "2026-03-09 00:00"));
    expect(quotaWeekOf(sh("2026-03-09 00:00"), "Asia/Shanghai")).toEqual(span("2026-03-09 00:00", "2026-03-16 00:00"));
    // New York's week across the spring-forward change lasts 167 hours.
    const ny = quotaWeekOf(new Date("2026-03-10T15:00:00Z"), "America/New_York");
    expect(ny.start.toISOString()).toBe("2026-03-09T04:00:00.000Z");
    expect(quotaWeekOf(new Date("2026-03-05T15:00:00Z"), "America/New_York").end.toISOString()).toBe("2026-03-09T04:00:00.000Z");
  });

  it("counts only the minutes inside the week", () => {
    const week = span("2026-03-02 00:00", "2026-03-09 00:00");
    expect(minutesWithin([span("2026-03-01 23:00", "2026-03-02 01:00"), span("2026-03-03 09:00", "2026-03-03 10:30")], week)).toBe(60 + 90);
  });

  it("refuses a request over quota with used and remaining minutes, and allows one exactly at it", () => {
    const counted = [span("2026-03-03 09:00", "2026-03-03 11:00")];
    expect(checkWeeklyQuota(180, counted, span("2026-03-05 09:00", "2026-03-05 10:00"), "Asia/Shanghai")).toEqual({ ok: true });
    expect(checkWeeklyQuota(180, counted, span("2026-03-05 09:00", "2026-03-05 10:30"), "Asia/Shanghai")).toEqual({
      ok: false,
      usedMinutes: 120,
      remainingMinutes: 60,
      quotaMinutes: 180,
    });
    // Another week starts afresh; no quota means no limit.
    expect(checkWeeklyQuota(180, counted, span("2026-03-10 09:00", "2026-03-10 12:00"), "Asia/Shanghai")).toEqual({ ok: true });
    expect(checkWeeklyQuota(null, counted, span("2026-03-05 09:00", "2026-03-05 17:00"), "Asia/Shanghai")).toEqual({ ok: true });
  });

  it("checks each week a request spans across Sunday midnight", () => {
    const counted = [span("2026-03-09 08:00", "2026-03-09 10:00")];
    expect(checkWeeklyQuota(120, counted, span("2026-03-08 23:00", "2026-03-09 01:00"), "Asia/Shanghai")).toMatchObject({ ok: false, usedMinutes: 120 });
  });

  it("never allows more than the quota in any week (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 14 * 48 }), fc.integer({ min: 1, max: 16 })), { maxLength: 20 }),
        fc.integer({ min: 30, max: 600 }),
        (requests, quota) => {
          const base = sh("2026-03-02 00:00").getTime();
          const accepted: { start: Date; end: Date }[] = [];
          for (const [slot, halfHours] of requests) {
            const r = { start: new Date(base + slot * 1_800_000), end: new Date(base + (slot + halfHours) * 1_800_000) };
            if (checkWeeklyQuota(quota, accepted, r, "Asia/Shanghai").ok) accepted.push(r);
          }
          for (let w = 0; w < 3; w++) {
            const week = { start: new Date(base + w * 7 * 86_400_000), end: new Date(base + (w + 1) * 7 * 86_400_000) };
            expect(minutesWithin(accepted, week)).toBeLessThanOrEqual(quota);
          }
        },
      ),
    );
  });
});

describe("recurrence expansion", () => {
  it("repeats the same weekday and wall-clock time, starting with the slot itself", () => {
    const occurrences = weeklyOccurrences(span("2026-03-03 09:00", "2026-03-03 10:30"), 3, "Asia/Shanghai");
    expect(occurrences).toEqual([
      span("2026-03-03 09:00", "2026-03-03 10:30"),
      span("2026-03-10 09:00", "2026-03-10 10:30"),
      span("2026-03-17 09:00", "2026-03-17 10:30"),
    ]);
  });

  it("keeps the local time across a daylight-saving change", () => {
    // 09:00 in New York: 14:00Z before 8 March 2026, 13:00Z after.
    const [a, b] = weeklyOccurrences({ start: new Date("2026-03-05T14:00:00Z"), end: new Date("2026-03-05T15:00:00Z") }, 2, "America/New_York");
    expect(a!.start.toISOString()).toBe("2026-03-05T14:00:00.000Z");
    expect(b!.start.toISOString()).toBe("2026-03-12T13:00:00.000Z");
    expect(b!.end.getTime() - b!.start.getTime()).toBe(3_600_000);
  });

  it("allows 1 to 12 weeks only", () => {
    const first = span("2026-03-03 09:00", "2026-03-03 10:00");
    expect(weeklyOccurrences(first, MAX_WEEKS, "Asia/Shanghai")).toHaveLength(12);
    expect(() => weeklyOccurrences(first, 0, "Asia/Shanghai")).toThrow(RangeError);
    expect(() => weeklyOccurrences(first, 13, "Asia/Shanghai")).toThrow(RangeError);
  });
});
