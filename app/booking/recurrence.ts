// Recurring requests ("repeat weekly for N weeks"): the occurrences of a slot, each on the same
// weekday and wall-clock time in the lab's zone, so a daylight-saving change keeps the local time.
import { localDateOf, offsetMs, zonedInstant, type LocalDate } from "~/availability/free-intervals";
import type { Interval } from "~/availability/types";

export const MAX_WEEKS = 12;
const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

const shiftDays = (d: LocalDate, days: number): LocalDate => {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day) + days * DAY_MS);
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
};

/** Minutes after the lab's local midnight of `date` at which `at` falls. */
const minutesAfterMidnight = (at: Date, date: LocalDate, zone: string) => {
  const local = at.getTime() + offsetMs(zone, at.getTime());
  return Math.round((local - Date.UTC(date.year, date.month - 1, date.day)) / MINUTE_MS);
};

/** `weeks` occurrences of `first` (1 ≤ weeks ≤ MAX_WEEKS), the first being `first` itself. */
export function weeklyOccurrences(first: Interval, weeks: number, zone: string): Interval[] {
  if (!Number.isInteger(weeks) || weeks < 1 || weeks > MAX_WEEKS) throw new RangeError(`weeks must be 1–${MAX_WEEKS}`);
  const startDate = localDateOf(first.start, zone);
  const endDate = localDateOf(first.end, zone);
  const startMinute = minutesAfterMidnight(first.start, startDate, zone);
  const endMinute = minutesAfterMidnight(first.end, endDate, zone);
  return Array.from({ length: weeks }, (_, i) => ({
    start: zonedInstant(shiftDays(startDate, 7 * i), startMinute, zone),
    end: zonedInstant(shiftDays(endDate, 7 * i), endMinute, zone),
  }));
}
