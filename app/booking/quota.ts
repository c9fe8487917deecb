// The weekly quota per customer (booking_settings.weekly_quota_minutes): the minutes a user holds
// on one instrument in one week, Monday 00:00 to Monday 00:00 in the lab's zone. Pure.
import { localDateOf, zonedInstant, type LocalDate } from "~/availability/free-intervals";
import type { Interval } from "~/availability/types";

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

const shiftDays = (d: LocalDate, days: number): LocalDate => {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day) + days * DAY_MS);
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
};

/** The lab-zone week (Monday start) containing the instant `at`. */
export function quotaWeekOf(at: Date, zone: string): Interval {
  const date = localDateOf(at, zone);
  const weekday = (new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay() + 6) % 7;
  const monday = shiftDays(date, -weekday);
  return { start: zonedInstant(monday, 0, zone), end: zonedInstant(shiftDays(monday, 7), 0, zone) };
}

/** Minutes of `periods` that fall inside `week` (a booking across Sunday midnight counts in both weeks). */
export function minutesWithin(periods: readonly Interval[], week: Interval): number {
  let total = 0;
  for (const p of periods) {
    const start = Math.max(p.start.getTime(), week.start.getTime());
    const end = Math.min(p.end.getTime(), week.end.getTime());
    if (end > start) total += (end - start) / MINUTE_MS;
  }
  return total;
}

export type QuotaCheck = { ok: true } | { ok: false; usedMinutes: number; remainingMinutes: number; quotaMinutes: number };

/**
 * Whether `requested` fits the quota of every week it touches, given the user's counted
 * bookings (live and completed) on the instrument. No quota (null) always fits.
 */
export function checkWeeklyQuota(
  quotaMinutes: number | null,
  counted: readonly Interval[],
  requested: Interval,
  zone: string,
): QuotaCheck {
  if (quotaMinutes === null) return { ok: true };
  for (let week = quotaWeekOf(requested.start, zone); week.start < requested.end; week = quotaWeekOf(week.end, zone)) {
    const used = minutesWithin(counted, week);
    if (used + minutesWithin([requested], week) > quotaMinutes)
      return { ok: false, usedMinutes: used, remainingMinutes: Math.max(0, quotaMinutes - used), quotaMinutes };
  }
  return { ok: true };
}
