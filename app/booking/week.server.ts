// Instruments' weeks as the public calendar shows them: free time in whole slots and busy blocks
// per day in each lab's zone. One statement for any number of instruments (plus the slug look-up
// for one instrument's page).
import { eq, or } from "drizzle-orm";
import { z } from "zod";
import { isCalendarDate } from "~/lib/validation";
import { instruments } from "../../db/schema";
import { chineseCalendarDay, freeIntervals, localDateOf, zonedInstant, type LocalDate } from "~/availability/free-intervals";
import { gridInputs, type GridInputs } from "~/availability/inputs.server";
import { merged } from "~/availability/intervals";
import { defaultSlotLength, wholeSlotSpans } from "~/availability/slots";
import type { Interval } from "~/availability/types";
import { getDb } from "~/lib/db.server";

const DAY_MS = 86_400_000;

export interface WeekSpan {
  start: string;
  end: string;
}

export interface WeekDay {
  /** The lab's calendar date, YYYY-MM-DD. */
  date: string;
  /** Free time in whole slots from aligned starts (week-cells.ts cuts them into the offered slots). */
  free: WeekSpan[];
  busy: WeekSpan[];
  /** The lab's closures (maintenance, internal use, holidays it entered), so a closed day says so. */
  closed: WeekSpan[];
  /** A statutory holiday or make-up working day, when the instrument observes the national calendar. */
  nationalDay: ReturnType<typeof chineseCalendarDay>;
}

export interface InstrumentWeek {
  instrumentId: string;
  zone: string;
  weekStart: string;
  previousWeek: string;
  nextWeek: string;
  hasOpeningHours: boolean;
  slotMinutes: number;
  /** The shortest booking (whole slots), which is what a click on one free slot asks for. */
  defaultMinutes: number;
  maxMinutes: number;
  days: WeekDay[];
}

export const isoDate = (d: LocalDate) => `${d.year}-${String(d.month).padStart(2, "0")}-${String(d.day).padStart(2, "0")}`;
export const shift = (d: LocalDate, days: number): LocalDate => {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day) + days * DAY_MS);
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
};
/** The Monday on or before `d`. */
const mondayOf = (d: LocalDate) => shift(d, -((new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay() + 6) % 7));

const dateParam = z.string().refine(isCalendarDate);

/** A `?week=` or `?day=` parameter as a date, or null when absent or not a real date. */
export function parseDateParam(value: string | null): LocalDate | null {
  const parsed = dateParam.safeParse(value);
  if (!parsed.success) return null;
  const [year, month, day] = parsed.data.split("-").map(Number);
  return { year: year!, month: month!, day: day! };
}

/** The week (Monday to Sunday, lab's zone) containing `weekStart`, or the current week; null for an unknown instrument. */
export async function instrumentWeek(idOrSlug: string, weekStart: LocalDate | null, now: Date): Promise<InstrumentWeek | null> {
  const db = await getDb();
  const byId = z.string().uuid().safeParse(idOrSlug).success;
  const [instrument] = await db
    .select({ id: instruments.id })
    .from(instruments)
    .where(byId ? or(eq(instruments.id, idOrSlug), eq(instruments.slug, idOrSlug)) : eq(instruments.slug, idOrSlug))
    .limit(1);
  if (!instrument) return null;
  return (await instrumentsWeek([instrument.id], weekStart, now))[0] ?? null;
}

/**
 * The week grids of many instruments (a lab's, or a page of the directory's) in one statement
 * whatever their number. The inputs are read for a span holding the week in every zone, so no
 * zone need be known first; each grid then clips to its own lab's week. Unknown ids are left
 * out; the order of `instrumentIds` is kept.
 */
export async function instrumentsWeek(instrumentIds: string[], weekStart: LocalDate | null, now: Date): Promise<InstrumentWeek[]> {
  const inputs = await gridInputs(await getDb(), instrumentIds, weeksOfEveryZone(weekStart, now));
  // Instruments share few zones: each zone's week and day boundaries are placed once.
  const weeks = new Map<string, ZoneWeek>();
  const iso = isoStrings();
  const byId = new Map(
    inputs.map((input) => {
      let week = weeks.get(input.zone);
      if (!week) weeks.set(input.zone, (week = zoneWeek(mondayOf(weekStart ?? localDateOf(now, input.zone)), input.zone)));
      return [input.id, weekGrid(input, week, now, iso)];
    }),
  );
  return instrumentIds.flatMap((id) => byId.get(id) ?? []);
}

const utcDate = (ms: number): LocalDate => {
  const t = new Date(ms);
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
};
const utcMidnight = (d: LocalDate) => Date.UTC(d.year, d.month - 1, d.day);

/**
 * A span holding the week (of `weekStart`, or of `now`) in every zone: no zone's offset reaches a
 * day, so a lab's calendar date is the UTC one ± 1 and its midnights lie within a day of UTC's.
 */
function weeksOfEveryZone(weekStart: LocalDate | null, now: Date): Interval {
  const first = mondayOf(weekStart ?? utcDate(now.getTime() - DAY_MS));
  const last = mondayOf(weekStart ?? utcDate(now.getTime() + DAY_MS));
  return { start: new Date(utcMidnight(first) - DAY_MS), end: new Date(utcMidnight(shift(last, 7)) + DAY_MS) };
}

interface ZoneWeek {
  window: Interval;
  /** The eight midnights bounding the seven days, in ms. */
  midnights: number[];
  /** The seven dates, YYYY-MM-DD. */
  dates: string[];
  /** The Mondays of this, the previous and the next week. */
  weekStart: string;
  previousWeek: string;
  nextWeek: string;
}

function zoneWeek(monday: LocalDate, zone: string): ZoneWeek {
  const midnights = Array.from({ length: 8 }, (_, i) => zonedInstant(shift(monday, i), 0, zone).getTime());
  return {
    window: { start: new Date(midnights[0]!), end: new Date(midnights[7]!) },
    midnights,
    dates: Array.from({ length: 7 }, (_, i) => isoDate(shift(monday, i))),
    weekStart: isoDate(monday),
    previousWeek: isoDate(shift(monday, -7)),
    nextWeek: isoDate(shift(monday, 7)),
  };
}

/** ISO strings of instants, remembered: grids of one zone share most of their boundaries. */
function isoStrings() {
  const known = new Map<number, string>();
  return (ms: number) => {
    let text = known.get(ms);
    if (text === undefined) known.set(ms, (text = new Date(ms).toISOString()));
    return text;
  };
}

/**
 * One instrument's week from its loaded inputs: pure, the engine does the work. The grid gets free
 * spans, not every offered slot: cutting and sending ~100 slots per instrument was most of the
 * time of a 1,000-instrument grid.
 */
function weekGrid(inputs: GridInputs, week: ZoneWeek, now: Date, iso: (ms: number) => string): InstrumentWeek {
  const { window, midnights } = week;
  const free = freeIntervals({
    rules: inputs.rules,
    closures: inputs.closures,
    busy: inputs.busy,
    window,
    zone: inputs.zone,
    holidays: { observeChineseHolidays: inputs.settings.observeChineseHolidays },
    settings: inputs.settings,
    now,
  });
  const spans = wholeSlotSpans(free, inputs.settings.slotMinutes, inputs.zone);
  const busy = merged(inputs.busy);
  const closed = merged(inputs.closures);
  const clipped = (list: readonly Interval[], from: number, to: number): WeekSpan[] => {
    const out: WeekSpan[] = [];
    for (const x of list) {
      const start = x.start.getTime();
      const end = x.end.getTime();
      if (start < to && end > from) out.push({ start: iso(Math.max(start, from)), end: iso(Math.min(end, to)) });
    }
    return out;
  };
  const days: WeekDay[] = week.dates.map((date, i) => ({
    date,
    free: clipped(spans, midnights[i]!, midnights[i + 1]!),
    busy: clipped(busy, midnights[i]!, midnights[i + 1]!),
    closed: clipped(closed, midnights[i]!, midnights[i + 1]!),
    nationalDay: inputs.settings.observeChineseHolidays ? chineseCalendarDay(date) : null,
  }));
  return {
    instrumentId: inputs.id,
    zone: inputs.zone,
    weekStart: week.weekStart,
    previousWeek: week.previousWeek,
    nextWeek: week.nextWeek,
    hasOpeningHours: inputs.rules.length > 0,
    slotMinutes: inputs.settings.slotMinutes,
    defaultMinutes: defaultSlotLength(inputs.settings),
    maxMinutes: inputs.settings.maxLengthMinutes,
    days,
  };
}
