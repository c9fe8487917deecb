// Figures of one instrument in one month of its lab's zone, straight from its raw rows: opening
// rules, closures, bookings and usage records. The refresh job stores exactly these rows in
// usage_summaries; reports read them back and roll them up (rollup.ts).
import type { BookingKind, BookingStatus } from "../../db/schema/booking-vocabulary";
import { freeIntervals, zonedInstant } from "~/availability/free-intervals";
import { intersect } from "~/availability/intervals";
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

const inWindow = (at: Date, w: Interval) => at.getTime() >= w.start.getTime() && at.getTime() < w.end.getTime();

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

export function monthFigures(source: InstrumentSource, month: Month): MonthFigures {
  const window = monthWindow(month, source.zone);
  const available = availableIntervals(source, inServiceWindow(window, source));
  const figures: MonthFigures = {
    instrumentId: source.instrumentId,
    month: monthKey(month),
    availableMinutes: Math.round(minutesIn(available)),
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
  };
  const customers = new Map<string, CustomerFigures>();

  for (const b of source.bookings) {
    // Booked hours count within the available hours, so available minus booked is what nobody booked.
    // Outside the month's window the intersection is empty: skip the interval arithmetic.
    if (b.kind === "slot" && b.period && BOOKED.has(b.status) && b.period.start < window.end && b.period.end > window.start) {
      figures.bookedMinutes += Math.round(minutesIn(intersect([b.period], available)));
    }
    if (!inWindow(b.createdAt, window)) continue;
    figures.requests += 1;
    if (b.status === "no_show") figures.noShows += 1;
    if (b.status === "cancelled") figures.cancellations += 1;
    if (b.confirmedAt) figures.leadMinutes.push(Math.round((b.confirmedAt.getTime() - b.createdAt.getTime()) / MINUTE_MS));
    if (b.kind === "sample_job" && b.reportedAt) {
      figures.turnaroundMinutes.push(Math.round((b.reportedAt.getTime() - b.createdAt.getTime()) / MINUTE_MS));
    }
  }

  // A usage record belongs to the month it started in.
  for (const u of source.usage) {
    if (!inWindow(u.startedAt, window)) continue;
    const external = u.organizationId !== source.ownerOrganizationId;
    figures.effectiveMinutes += u.effectiveMinutes;
    figures.visits += 1;
    figures.samples += u.samples;
    if (u.kind === "sample_job") figures.sampleJobs += 1;
    if (external) {
      figures.externalMinutes += u.effectiveMinutes;
      figures.externalVisits += 1;
    }
    // Use beyond the opening hours (evenings, closures) is overtime the lab recorded explicitly.
    const inOpening = minutesIn(intersect([{ start: u.startedAt, end: u.endedAt }], available));
    figures.overtimeMinutes += Math.max(0, u.effectiveMinutes - Math.floor(inOpening));
    const key = `${u.userId}|${u.organizationId}`;
    const c = customers.get(key) ?? { userId: u.userId, organizationId: u.organizationId, external, visits: 0, effectiveMinutes: 0 };
    c.visits += 1;
    c.effectiveMinutes += u.effectiveMinutes;
    customers.set(key, c);
  }
  figures.customers = [...customers.values()];
  return figures;
}
