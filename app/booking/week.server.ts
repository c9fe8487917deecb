// One instrument's week as the public calendar shows it: free time, offered slots and busy
// blocks per day in the lab's zone. Five statements whatever the week holds (no per-day queries);
// the same relations availabilityInputs reads, split so the lab's zone can place the window.
import { eq, or } from "drizzle-orm";
import { z } from "zod";
import { instruments } from "../../db/schema";
import { freeIntervals, localDateOf, zonedInstant, type LocalDate } from "~/availability/free-intervals";
import { availabilityHeaders, closuresOf, liveBookingsOf, weeklyRulesOf } from "~/availability/inputs.server";
import { merge } from "~/availability/intervals";
import { offeredSlots } from "~/availability/slots";
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
  free: WeekSpan[];
  slots: WeekSpan[];
  busy: WeekSpan[];
}

export interface InstrumentWeek {
  instrumentId: string;
  zone: string;
  weekStart: string;
  previousWeek: string;
  nextWeek: string;
  hasOpeningHours: boolean;
  slotMinutes: number;
  days: WeekDay[];
}

const isoDate = (d: LocalDate) => `${d.year}-${String(d.month).padStart(2, "0")}-${String(d.day).padStart(2, "0")}`;
const shift = (d: LocalDate, days: number): LocalDate => {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day) + days * DAY_MS);
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
};
/** The Monday on or before `d`. */
const mondayOf = (d: LocalDate) => shift(d, -((new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay() + 6) % 7));
const span = (i: Interval): WeekSpan => ({ start: i.start.toISOString(), end: i.end.toISOString() });

const weekParam = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s));

/** The `?week=` parameter as a date, or null when absent or not a real date. */
export function parseWeekParam(value: string | null): LocalDate | null {
  const parsed = weekParam.safeParse(value);
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
  // The lab's zone places the week, so the header is read first, then the three relations.
  return db.transaction(async (tx) => {
    const header = (await availabilityHeaders(tx, [instrument.id])).get(instrument.id);
    if (!header) return null;
    const monday = mondayOf(weekStart ?? localDateOf(now, header.zone));
    const window: Interval = { start: zonedInstant(monday, 0, header.zone), end: zonedInstant(shift(monday, 7), 0, header.zone) };
    const ids = [instrument.id];
    const inputs = {
      ...header,
      rules: (await weeklyRulesOf(tx, ids)).get(instrument.id)!,
      closures: (await closuresOf(tx, ids, window)).get(instrument.id)!,
      busy: (await liveBookingsOf(tx, ids, window)).get(instrument.id)!,
    };
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
    const slots = offeredSlots(free, inputs.settings, inputs.zone);
    const busy = merge(inputs.busy);
    const days: WeekDay[] = Array.from({ length: 7 }, (_, i) => {
      const date = shift(monday, i);
      const day: Interval = { start: zonedInstant(date, 0, inputs.zone), end: zonedInstant(shift(date, 1), 0, inputs.zone) };
      const within = (x: Interval) => x.start < day.end && x.end > day.start;
      const clip = (x: Interval): Interval => ({ start: x.start < day.start ? day.start : x.start, end: x.end > day.end ? day.end : x.end });
      return {
        date: isoDate(date),
        free: free.filter(within).map(clip).map(span),
        slots: slots.filter((s) => s.start >= day.start && s.start < day.end).map(span),
        busy: busy.filter(within).map(clip).map(span),
      };
    });
    return {
      instrumentId: inputs.id,
      zone: inputs.zone,
      weekStart: isoDate(monday),
      previousWeek: isoDate(shift(monday, -7)),
      nextWeek: isoDate(shift(monday, 7)),
      hasOpeningHours: inputs.rules.length > 0,
      slotMinutes: inputs.settings.slotMinutes,
      days,
    };
  });
}
