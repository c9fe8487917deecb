// Instruments' weeks as the public calendar shows them: free time in whole slots and busy blocks
// per day in each lab's zone. Four statements for any number of instruments (plus the slug
// look-up for one instrument's page); the same relations availabilityInputs reads, split so each
// lab's zone can place its week before the relations are read.
import { eq, or } from "drizzle-orm";
import { z } from "zod";
import { instruments } from "../../db/schema";
import { freeIntervals, localDateOf, zonedInstant, type LocalDate } from "~/availability/free-intervals";
import { availabilityHeaders, closuresOf, liveBookingsOf, weeklyRulesOf, type AvailabilityInputs } from "~/availability/inputs.server";
import { merge } from "~/availability/intervals";
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

const isoDate = (d: LocalDate) => `${d.year}-${String(d.month).padStart(2, "0")}-${String(d.day).padStart(2, "0")}`;
const shift = (d: LocalDate, days: number): LocalDate => {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day) + days * DAY_MS);
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
};
/** The Monday on or before `d`. */
const mondayOf = (d: LocalDate) => shift(d, -((new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay() + 6) % 7));

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
  return (await instrumentsWeek([instrument.id], weekStart, now))[0] ?? null;
}

/**
 * The week grids of many instruments (a lab's, or a page of the directory's) in four statements
 * whatever their number: the headers place each instrument's week in its lab's zone, then rules,
 * closures and bookings are read once for the span covering every such week. Unknown ids are
 * left out; the order of `instrumentIds` is kept.
 */
export async function instrumentsWeek(instrumentIds: string[], weekStart: LocalDate | null, now: Date): Promise<InstrumentWeek[]> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const headers = await availabilityHeaders(tx, instrumentIds);
    const weeks = [...headers.values()].map((header) => {
      const monday = mondayOf(weekStart ?? localDateOf(now, header.zone));
      const window: Interval = { start: zonedInstant(monday, 0, header.zone), end: zonedInstant(shift(monday, 7), 0, header.zone) };
      return { header, monday, window };
    });
    if (weeks.length === 0) return [];
    const covering: Interval = {
      start: new Date(Math.min(...weeks.map((w) => w.window.start.getTime()))),
      end: new Date(Math.max(...weeks.map((w) => w.window.end.getTime()))),
    };
    const ids = [...headers.keys()];
    const rules = await weeklyRulesOf(tx, ids);
    const closed = await closuresOf(tx, ids, covering);
    const live = await liveBookingsOf(tx, ids, covering);
    const byId = new Map(
      weeks.map(({ header, monday, window }) => [
        header.id,
        weekGrid({ ...header, rules: rules.get(header.id)!, closures: closed.get(header.id)!, busy: live.get(header.id)! }, monday, window, now),
      ]),
    );
    return instrumentIds.flatMap((id) => byId.get(id) ?? []);
  });
}

/**
 * One instrument's week from its loaded inputs: pure, the engine does the work. The grid gets free
 * spans, not every offered slot: cutting and sending ~100 slots per instrument was most of the
 * time of a 1,000-instrument grid.
 */
function weekGrid(inputs: AvailabilityInputs, monday: LocalDate, window: Interval, now: Date): InstrumentWeek {
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
  const busy = merge(inputs.busy);
  // Instants as numbers and the next day's start reused: this runs for every instrument of the grid.
  const clipped = (list: Interval[], from: number, to: number): WeekSpan[] => {
    const out: WeekSpan[] = [];
    for (const x of list) {
      const start = x.start.getTime();
      const end = x.end.getTime();
      if (start < to && end > from) out.push({ start: new Date(Math.max(start, from)).toISOString(), end: new Date(Math.min(end, to)).toISOString() });
    }
    return out;
  };
  let dayStart = zonedInstant(monday, 0, inputs.zone).getTime();
  const days: WeekDay[] = Array.from({ length: 7 }, (_, i) => {
    const date = shift(monday, i);
    const dayEnd = zonedInstant(shift(date, 1), 0, inputs.zone).getTime();
    const day = { date: isoDate(date), free: clipped(spans, dayStart, dayEnd), busy: clipped(busy, dayStart, dayEnd) };
    dayStart = dayEnd;
    return day;
  });
  return {
    instrumentId: inputs.id,
    zone: inputs.zone,
    weekStart: isoDate(monday),
    previousWeek: isoDate(shift(monday, -7)),
    nextWeek: isoDate(shift(monday, 7)),
    hasOpeningHours: inputs.rules.length > 0,
    slotMinutes: inputs.settings.slotMinutes,
    defaultMinutes: defaultSlotLength(inputs.settings),
    maxMinutes: inputs.settings.maxLengthMinutes,
    days,
  };
}
