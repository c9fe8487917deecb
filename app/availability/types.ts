// Inputs and outputs of the pure availability engine (DESIGN.md §6). Instants are `Date`s;
// opening hours are wall-clock strings read in the lab's IANA zone.

/** ISO weekday: Monday = 1 … Sunday = 7. */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** One opening interval on a weekday, wall clock in the lab's zone. `end` may be "24:00". */
export interface WeeklyRule {
  weekday: IsoWeekday;
  start: string; // "HH:MM"
  end: string; // "HH:MM", later than start
}

export interface Interval {
  start: Date;
  end: Date;
}

/** Maintenance, internal use, a lab's own holiday… */
export interface Closure extends Interval {
  reason: string;
}

/** A live booking (requested, confirmed or in_use) holding its time. */
export type Busy = Interval;

export interface BookingSettings {
  slotMinutes: number; // granularity of starts and lengths, aligned to the lab's wall clock
  minNoticeMinutes: number;
  maxAdvanceDays: number; // counted as 24-hour periods from `now`
  minLengthMinutes: number;
  maxLengthMinutes: number;
  bufferMinutes: number; // kept free before and after every live booking
}

export interface HolidayPolicy {
  observeChineseHolidays: boolean;
}
