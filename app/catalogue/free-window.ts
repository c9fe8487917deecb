// The directory's "free between T1 and T2 for at least H hours" filter: the three URL fields, their
// checks, and the window as instants. Pure: no clock, no database.
import { z } from "zod";
import { zonedInstant } from "~/availability/free-intervals";
import type { Interval } from "~/availability/types";

/** The wall clock the search form speaks: the platform's (China Standard Time), see decision 040. */
export const SEARCH_ZONE = "Asia/Shanghai";
export const MAX_WINDOW_DAYS = 31;
export const MAX_WINDOW_HOURS = 24 * MAX_WINDOW_DAYS;

export interface FreeWindow extends Interval {
  hours: number;
}

/** What the form sends: `datetime-local` values and a number of hours, kept verbatim for the URL. */
export interface FreeWindowFields {
  from?: string;
  to?: string;
  hours?: string;
}

export type FreeWindowErrors = Partial<Record<keyof FreeWindowFields, string>>;

const localDateTime = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

/** A `datetime-local` value read in the search zone, or null when it is not a real date and time. */
function instantOf(text: string): Date | null {
  const m = localDateTime.exec(text);
  if (!m) return null;
  const [year, month, day, hour, minute] = m.slice(1).map(Number) as [number, number, number, number, number];
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day || hour > 23 || minute > 59) return null;
  return zonedInstant({ year, month, day }, hour * 60 + minute, SEARCH_ZONE);
}

const hoursSchema = z.coerce.number().finite();

/**
 * The filter when all three fields are given and sensible; errors (i18n keys of the catalogue
 * namespace) per field otherwise. No field at all means no filter and no error.
 */
export function readFreeWindow(fields: FreeWindowFields): { window: FreeWindow | null; errors: FreeWindowErrors } {
  const given = (["from", "to", "hours"] as const).filter((k) => fields[k]);
  if (given.length === 0) return { window: null, errors: {} };
  const errors: FreeWindowErrors = {};
  const start = fields.from ? instantOf(fields.from) : null;
  const end = fields.to ? instantOf(fields.to) : null;
  const hours = fields.hours ? hoursSchema.safeParse(fields.hours) : null;
  if (!start) errors.from = fields.from ? "free-window:error.date" : "free-window:error.required";
  if (!end) errors.to = fields.to ? "free-window:error.date" : "free-window:error.required";
  if (!hours) errors.hours = "free-window:error.required";
  else if (!hours.success) errors.hours = "free-window:error.hours";
  else if (hours.data <= 0) errors.hours = "free-window:error.hoursPositive";
  if (start && end) {
    const spanHours = (end.getTime() - start.getTime()) / 3_600_000;
    if (spanHours <= 0) errors.to = "free-window:error.endBeforeStart";
    else if (spanHours > MAX_WINDOW_HOURS) errors.to = "free-window:error.tooLong";
    else if (hours?.success && hours.data > 0 && hours.data > spanHours) errors.hours = "free-window:error.longerThanWindow";
  }
  if (Object.keys(errors).length > 0 || !start || !end || !hours?.success) return { window: null, errors };
  return { window: { start, end, hours: hours.data }, errors };
}

/** The lab-zone dates the window may touch, widened by a day each side for zones ahead of or behind the search zone. */
export function windowDates(window: Interval): { first: string; last: string } {
  const day = 86_400_000;
  return {
    first: new Date(window.start.getTime() - day).toISOString().slice(0, 10),
    last: new Date(window.end.getTime() + day).toISOString().slice(0, 10),
  };
}
