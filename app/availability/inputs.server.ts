// What the pure engine needs, loaded for one or many instruments over a window: each relation in
// ONE statement whatever the number of instruments (no queries in loops — STYLE.md 7).
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { availabilityRules, bookingSettings, bookings, closures, instruments, labs, parsePeriod } from "../../db/schema";
import { liveBookingStatuses, type ClosureKind } from "../../db/schema/booking-vocabulary";
import type { InstrumentStatus } from "../../db/schema/vocabulary";
import { defaultBookingSettings, toWeeklyRule, type InstrumentBookingSettings } from "~/booking/settings";
import type { Tx } from "~/lib/db.server";
import type { Busy, Closure, Interval, WeeklyRule } from "./types";

const overlaps = (column: unknown, window: Interval) =>
  sql`${column} && tstzrange(${window.start.toISOString()}::timestamptz, ${window.end.toISOString()}::timestamptz, '[)')`;

export interface InstrumentAvailabilityHeader {
  id: string;
  labId: string;
  status: InstrumentStatus;
  zone: string;
  settings: InstrumentBookingSettings;
}

/** Status, the lab's zone and the booking settings (defaults when the lab has set none). */
export async function availabilityHeaders(tx: Tx, instrumentIds: string[]): Promise<Map<string, InstrumentAvailabilityHeader>> {
  if (instrumentIds.length === 0) return new Map();
  const rows = await tx
    .select({ id: instruments.id, labId: instruments.labId, status: instruments.status, zone: labs.timeZone, settings: bookingSettings })
    .from(instruments)
    .innerJoin(labs, eq(labs.id, instruments.labId))
    .leftJoin(bookingSettings, eq(bookingSettings.instrumentId, instruments.id))
    .where(inArray(instruments.id, instrumentIds));
  return new Map(
    rows.map((r) => {
      const { instrumentId: _, updatedAt: __, ...settings } = r.settings ?? { instrumentId: r.id, updatedAt: null, ...defaultBookingSettings };
      return [r.id, { id: r.id, labId: r.labId, status: r.status, zone: r.zone, settings }];
    }),
  );
}

export async function weeklyRulesOf(tx: Tx, instrumentIds: string[]): Promise<Map<string, WeeklyRule[]>> {
  const rows = instrumentIds.length
    ? await tx
        .select()
        .from(availabilityRules)
        .where(inArray(availabilityRules.instrumentId, instrumentIds))
        .orderBy(asc(availabilityRules.weekday), asc(availabilityRules.startMinute))
    : [];
  return group(instrumentIds, rows, (r) => r.instrumentId, toWeeklyRule);
}

export interface ClosureRow extends Closure {
  id: string;
  kind: ClosureKind;
}

export async function closuresOf(tx: Tx, instrumentIds: string[], window: Interval): Promise<Map<string, ClosureRow[]>> {
  const rows = instrumentIds.length
    ? await tx
        .select({ id: closures.id, instrumentId: closures.instrumentId, period: closures.period, kind: closures.kind, reason: closures.reason })
        .from(closures)
        .where(and(inArray(closures.instrumentId, instrumentIds), overlaps(closures.period, window)))
        .orderBy(sql`lower(${closures.period})`)
    : [];
  return group(instrumentIds, rows, (r) => r.instrumentId, (r) => ({ id: r.id, kind: r.kind, reason: r.reason, ...r.period }));
}

/**
 * Live bookings that touch the window once widened by each instrument's buffer, so a booking
 * just outside the window still blocks its buffer inside it. One probe of the exclusion
 * constraint's index (instrument, period) per instrument: `instrument_id = any(…)` can only use
 * the plain instrument index and reads every booking the instruments ever had (about 4× slower
 * for a 1,000-instrument week grid). The statuses are literals so the partial index applies to
 * generic plans too.
 */
export async function liveBookingsOf(tx: Tx, instrumentIds: string[], window: Interval): Promise<Map<string, Busy[]>> {
  if (instrumentIds.length === 0) return new Map();
  const buffer = sql`make_interval(mins => coalesce(${bookingSettings.bufferMinutes}, 0))`;
  const result = await tx.execute(sql`
    select ${bookings.instrumentId} as "instrumentId", ${bookings.period}::text as period
    from unnest(${`{${instrumentIds.join(",")}}`}::uuid[]) as wanted(id)
    left join ${bookingSettings} on ${bookingSettings.instrumentId} = wanted.id
    join ${bookings} on ${bookings.instrumentId} = wanted.id
    where ${bookings.status} in (${sql.raw(liveBookingStatuses.map((st) => `'${st}'`).join(", "))})
      and ${bookings.period} && tstzrange(${window.start.toISOString()}::timestamptz - ${buffer}, ${window.end.toISOString()}::timestamptz + ${buffer}, '[)')`);
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { instrumentId: string; period: string }[];
  return group(instrumentIds, rows, (r) => r.instrumentId, (r) => parsePeriod(r.period));
}

function group<R, T>(ids: string[], rows: R[], key: (r: R) => string, map: (r: R) => T): Map<string, T[]> {
  const out = new Map<string, T[]>(ids.map((id) => [id, []]));
  for (const row of rows) out.get(key(row))?.push(map(row));
  return out;
}

export interface AvailabilityInputs extends InstrumentAvailabilityHeader {
  rules: WeeklyRule[];
  closures: ClosureRow[];
  busy: Busy[];
}

/** Everything freeIntervals needs for each instrument, in four statements in all. */
export async function availabilityInputs(tx: Tx, instrumentIds: string[], window: Interval): Promise<Map<string, AvailabilityInputs>> {
  // Sent together (pipelined by postgres.js); ids unknown to the headers are dropped below.
  const [headers, rules, closed, busy] = await Promise.all([
    availabilityHeaders(tx, instrumentIds),
    weeklyRulesOf(tx, instrumentIds),
    closuresOf(tx, instrumentIds, window),
    liveBookingsOf(tx, instrumentIds, window),
  ]);
  const ids = [...headers.keys()];
  return new Map(ids.map((id) => [id, { ...headers.get(id)!, rules: rules.get(id)!, closures: closed.get(id)!, busy: busy.get(id)! }]));
}
