// Figures of one instrument per month of its lab's zone, straight from its raw rows: opening
// rules, closures, bookings and usage records. The refresh job stores exactly these rows in
// usage_summaries; reports read them back and roll them up (rollup.ts).
import type { BookingKind, BookingStatus } from "../../db/schema/booking-vocabulary";
import { freeIntervals, zonedInstant } from "~/availability/free-intervals";
import { clamp, intersect, subtract } from "~/availability/intervals";
import type { Closure, Interval, WeeklyRule } from "~/availability/types";
import { monthKey, type Month } from "./period";

const MINUTE_MS = 60_000;

export interface UsageInput {
  startedAt: Date;
  endedAt: Date;
  /** preparation + measurement + post-processing; idle running is never part of it */
  effectiveMinutes: number;
  userId: string;
  organizationId: string;
  samples: number;
  kind: BookingKind;
}

export interface BookingInput {
  kind: BookingKind;
  status: BookingStatus;
  period: Interval | null;
  createdAt: Date;
  /** First move to confirmed (slot) or accepted (sample job), from booking_events. */
  confirmedAt: Date | null;
  /** When a sample job's report was issued (or it completed), from booking_events. */
  reportedAt: Date | null;
}

export interface InstrumentSource {
  instrumentId: string;
  ownerOrganizationId: string;
  zone: string;
  rules: readonly WeeklyRule[];
  closures: readonly Closure[];
  observeChineseHolidays: boolean;
  /** Commissioning (else purchase) date, YYYY-MM-DD: no hours are available before it. */
  inServiceFrom: string | null;
  bookings: readonly BookingInput[];
  usage: readonly UsageInput[];
}

export interface CustomerFigures {
  userId: string;
  organizationId: string;
  external: boolean;
  visits: number;
  effectiveMinutes: number;
}

/** One row of usage_summaries (plus its customers), all in minutes and counts. */
export interface MonthFigures {
  instrumentId: string;
  month: string; // YYYY-MM
  availableMinutes: number;
  bookedMinutes: number;
  effectiveMinutes: number;
  externalMinutes: number;
  overtimeMinutes: number;
  visits: number;
  externalVisits: number;
  sampleJobs: number;
  samples: number;
  requests: number;
  noShows: number;
  cancellations: number;
  leadMinutes: number[];
  turnaroundMinutes: number[];
  customers: CustomerFigures[];
}

/** Slot bookings that count as booked hours: the live ones and those that were used. */
const BOOKED: ReadonlySet<BookingStatus> = new Set(["requested", "confirmed", "in_use", "completed"]);

const minutesIn = (intervals: readonly Interval[]) =>
  intervals.reduce((sum, i) => sum + (i.end.getTime() - i.start.getTime()) / MINUTE_MS, 0);

export function monthWindow(month: Month, zone: string): Interval {
  const next = month.month === 12 ? { year: month.year + 1, month: 1 } : { year: month.year, month: month.month + 1 };
  return { start: zonedInstant({ ...month, day: 1 }, 0, zone), end: zonedInstant({ ...next, day: 1 }, 0, zone) };
}

/** Opening rules minus closures over the window, in the lab's zone (bookings do not reduce it). */
export function availableIntervals(source: Pick<InstrumentSource, "rules" | "closures" | "zone" | "observeChineseHolidays">, window: Interval): Interval[] {
  return freeIntervals({
    rules: source.rules,
    closures: source.closures,
    busy: [],
    window,
    zone: source.zone,
    holidays: { observeChineseHolidays: source.observeChineseHolidays },
    // No notice and a horizon past the window's end: the whole window is considered.
    settings: { slotMinutes: 1, minNoticeMinutes: 0, maxAdvanceDays: 32, minLengthMinutes: 1, maxLengthMinutes: 1, bufferMinutes: 0 },
    now: window.start,
  });
}

function inServiceWindow(window: Interval, source: Pick<InstrumentSource, "inServiceFrom" | "zone">): Interval {
  if (!source.inServiceFrom) return window;
  const [year, month, day] = source.inServiceFrom.split("-").map(Number) as [number, number, number];
  const since = zonedInstant({ year, month, day }, 0, source.zone);
  if (since.getTime() <= window.start.getTime()) return window;
  return { start: since.getTime() < window.end.getTime() ? since : window.end, end: window.end };
}

const MAX_CACHED_OPENINGS = 10_000;
/**
 * Opening hours of a month (no closures) by zone, holiday policy, rules and month: labs share a few
 * sets of opening rules, and expanding a month of them day by day is most of the figures' work.
 */
const openings = new Map<string, readonly Interval[]>();

function monthOpening(
  source: Pick<InstrumentSource, "rules" | "zone" | "observeChineseHolidays">,
  rulesKey: string,
  month: Month,
  window: Interval,
): readonly Interval[] {
  const key = `${source.zone}\u0001${source.observeChineseHolidays}\u0001${rulesKey}\u0001${monthKey(month)}`;
  let open = openings.get(key);
  if (!open) {
    if (openings.size >= MAX_CACHED_OPENINGS) openings.clear();
    open = availableIntervals({ ...source, closures: [] }, window);
    openings.set(key, open);
  }
  return open;
}

/**
 * availableIntervals over the part of the month the instrument was in service: the month's opening
 * hours minus closures, cut to that part, are the same instants. The shared opening hours are
 * returned as they are when nothing cuts them; callers only read them.
 */
function monthAvailable(source: InstrumentSource, rulesKey: string, month: Month, window: Interval): readonly Interval[] {
  const open = monthOpening(source, rulesKey, month, window);
  const inService = inServiceWindow(window, source);
  return source.closures.length === 0 && inService === window ? open : clamp(subtract(open, source.closures), inService);
}

const emptyFigures = (instrumentId: string, month: Month, availableMinutes: number): MonthFigures => ({
  instrumentId,
  month: monthKey(month),
  availableMinutes,
  bookedMinutes: 0,
  effectiveMinutes: 0,
  externalMinutes: 0,
  overtimeMinutes: 0,
  visits: 0,
  externalVisits: 0,
  sampleJobs: 0,
  samples: 0,
  requests: 0,
  noShows: 0,
  cancellations: 0,
  leadMinutes: [],
  turnaroundMinutes: [],
  customers: [],
});

/**
 * The figures of each of these months (ascending, none twice), in that order. Each booking and usage
 * record is placed in its months by a binary search over the months' windows, so the work grows with
 * the records plus the months, not their product.
 */
export function instrumentFigures(source: InstrumentSource, months: readonly Month[]): MonthFigures[] {
  const windows = months.map((m) => monthWindow(m, source.zone));
  const starts = windows.map((w) => w.start.getTime());
  const ends = windows.map((w) => w.end.getTime());
  /** The first month whose window ends after `ms`; months.length when none does. */
  const firstEndingAfter = (ms: number) => {
    let lo = 0;
    let hi = months.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ends[mid]! > ms) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
  /** The month whose window holds `at`, or -1. */
  const monthOf = (at: Date) => {
    const k = firstEndingAfter(at.getTime());
    return k < months.length && starts[k]! <= at.getTime() ? k : -1;
  };
  const rulesKey = source.rules.map((r) => `${r.weekday} ${r.start}-${r.end}`).join(",");
  const available = months.map((m, k) => monthAvailable(source, rulesKey, m, windows[k]!));
  const figures = months.map((m, k) => emptyFigures(source.instrumentId, m, Math.round(minutesIn(available[k]!))));

  for (const b of source.bookings) {
    // Booked hours count within the available hours, so available minus booked is what nobody booked;
    // only the months the period overlaps can have any.
    if (b.kind === "slot" && b.period && BOOKED.has(b.status)) {
      for (let k = firstEndingAfter(b.period.start.getTime()); k < months.length && starts[k]! < b.period.end.getTime(); k++) {
        figures[k]!.bookedMinutes += Math.round(minutesIn(intersect([b.period], available[k]!)));
      }
    }
    const k = monthOf(b.createdAt);
    if (k < 0) continue;
    const f = figures[k]!;
    f.requests += 1;
    if (b.status === "no_show") f.noShows += 1;
    if (b.status === "cancelled") f.cancellations += 1;
    if (b.confirmedAt) f.leadMinutes.push(Math.round((b.confirmedAt.getTime() - b.createdAt.getTime()) / MINUTE_MS));
    if (b.kind === "sample_job" && b.reportedAt) {
      f.turnaroundMinutes.push(Math.round((b.reportedAt.getTime() - b.createdAt.getTime()) / MINUTE_MS));
    }
  }

  // A usage record belongs to the month it started in.
  const customers = months.map(() => new Map<string, CustomerFigures>());
  for (const u of source.usage) {
    const k = monthOf(u.startedAt);
    if (k < 0) continue;
    const f = figures[k]!;
    const external = u.organizationId !== source.ownerOrganizationId;
    f.effectiveMinutes += u.effectiveMinutes;
    f.visits += 1;
    f.samples += u.samples;
    if (u.kind === "sample_job") f.sampleJobs += 1;
    if (external) {
      f.externalMinutes += u.effectiveMinutes;
      f.externalVisits += 1;
    }
    // Use beyond the opening hours (evenings, closures) is overtime the lab recorded explicitly.
    const inOpening = minutesIn(intersect([{ start: u.startedAt, end: u.endedAt }], available[k]!));
    f.overtimeMinutes += Math.max(0, u.effectiveMinutes - Math.floor(inOpening));
    const key = `${u.userId}|${u.organizationId}`;
    const c = customers[k]!.get(key) ?? { userId: u.userId, organizationId: u.organizationId, external, visits: 0, effectiveMinutes: 0 };
    c.visits += 1;
    c.effectiveMinutes += u.effectiveMinutes;
    customers[k]!.set(key, c);
  }
  figures.forEach((f, k) => (f.customers = [...customers[k]!.values()]));
  return figures;
}
