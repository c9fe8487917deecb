// What the pure engine needs, loaded for one or many instruments over a window: each relation in
// ONE statement whatever the number of instruments (no queries in loops — STYLE.md 7).
import { and, asc, eq, sql } from "drizzle-orm";
import { availabilityRules, bookingSettings, bookings, closures, instruments, labs, parsePeriod } from "../../db/schema";
import { liveBookingStatuses, type ClosureKind } from "../../db/schema/booking-vocabulary";
import type { InstrumentStatus } from "../../db/schema/vocabulary";
import { defaultBookingSettings, toWeeklyRule, type InstrumentBookingSettings } from "~/booking/settings";
import { builtOnce, type Tx } from "~/lib/db.server";
import type { BookingSettings, Busy, Closure, Interval, WeeklyRule } from "./types";

/** The live statuses as SQL literals, so partial indexes on them apply to generic plans too. */
export const liveStatuses = sql.raw(liveBookingStatuses.map((st) => `'${st}'`).join(", "));

export interface InstrumentAvailabilityHeader {
  id: string;
  labId: string;
  status: InstrumentStatus;
  zone: string;
  settings: InstrumentBookingSettings;
}

/** A list of ids as one array parameter, so a query's text is the same whatever their number. */
const idArray = (ids: string[]) => `{${ids.join(",")}}`;
const anyId = (column: unknown) => sql`${column} = any(${sql.placeholder("ids")}::uuid[])`;

const headersQuery = builtOnce((tx) =>
  tx
    .select({ id: instruments.id, labId: instruments.labId, status: instruments.status, zone: labs.timeZone, settings: bookingSettings })
    .from(instruments)
    .innerJoin(labs, eq(labs.id, instruments.labId))
    .leftJoin(bookingSettings, eq(bookingSettings.instrumentId, instruments.id))
    .where(anyId(instruments.id)),
);

/** Status, the lab's zone and the booking settings (defaults when the lab has set none). */
export async function availabilityHeaders(tx: Tx, instrumentIds: string[]): Promise<Map<string, InstrumentAvailabilityHeader>> {
  if (instrumentIds.length === 0) return new Map();
  const rows = await headersQuery(tx, { ids: idArray(instrumentIds) });
  return new Map(
    rows.map((r) => {
      const { instrumentId: _, updatedAt: __, ...settings } = r.settings ?? { instrumentId: r.id, updatedAt: null, ...defaultBookingSettings };
      return [r.id, { id: r.id, labId: r.labId, status: r.status, zone: r.zone, settings }];
    }),
  );
}

const rulesQuery = builtOnce((tx) =>
  tx.select().from(availabilityRules).where(anyId(availabilityRules.instrumentId)).orderBy(asc(availabilityRules.weekday), asc(availabilityRules.startMinute)),
);

export async function weeklyRulesOf(tx: Tx, instrumentIds: string[]): Promise<Map<string, WeeklyRule[]>> {
  const rows = instrumentIds.length ? await rulesQuery(tx, { ids: idArray(instrumentIds) }) : [];
  return group(instrumentIds, rows, (r) => r.instrumentId, toWeeklyRule);
}

export interface ClosureRow extends Closure {
  id: string;
  kind: ClosureKind;
}

const closuresQuery = builtOnce((tx) =>
  tx
    .select({ id: closures.id, instrumentId: closures.instrumentId, period: closures.period, kind: closures.kind, reason: closures.reason })
    .from(closures)
    .where(
      and(
        anyId(closures.instrumentId),
        sql`${closures.period} && tstzrange(${sql.placeholder("from")}::timestamptz, ${sql.placeholder("to")}::timestamptz, '[)')`,
      ),
    )
    .orderBy(sql`lower(${closures.period})`),
);

export async function closuresOf(tx: Tx, instrumentIds: string[], window: Interval): Promise<Map<string, ClosureRow[]>> {
  const rows = instrumentIds.length
    ? await closuresQuery(tx, { ids: idArray(instrumentIds), from: window.start.toISOString(), to: window.end.toISOString() })
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
    from unnest(${idArray(instrumentIds)}::uuid[]) as wanted(id)
    left join ${bookingSettings} on ${bookingSettings.instrumentId} = wanted.id
    join ${bookings} on ${bookings.instrumentId} = wanted.id
    where ${bookings.status} in (${liveStatuses})
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

/** What a week grid reads of one instrument: its engine inputs without the rows' identities. */
export interface GridInputs {
  id: string;
  zone: string;
  settings: Pick<InstrumentBookingSettings, keyof BookingSettings | "observeChineseHolidays">;
  rules: WeeklyRule[];
  closures: Interval[];
  busy: Busy[];
}

interface GridRow extends Omit<GridInputs, "settings" | "rules" | "closures" | "busy"> {
  settings: GridInputs["settings"] | null;
  weekdays: number[];
  opens: number[];
  shuts: number[];
  closedFrom: number[];
  closedTo: number[];
  busyFrom: number[];
  busyTo: number[];
}

/**
 * The week grids' inputs of many instruments in ONE statement: a row per instrument with its zone,
 * settings, and its rules, closures over `window` and live bookings (as liveBookingsOf) as parallel
 * arrays, instants in epoch milliseconds. Each relation is one index probe per instrument; a row
 * per instrument and numbers instead of range text is what makes 1,000 of them cheap to send and
 * read. Unknown ids are left out.
 */
export async function gridInputs(tx: Tx, instrumentIds: string[], window: Interval): Promise<GridInputs[]> {
  if (instrumentIds.length === 0) return [];
  const from = sql`${window.start.toISOString()}::timestamptz`;
  const to = sql`${window.end.toISOString()}::timestamptz`;
  const buffer = sql`make_interval(mins => coalesce(s.buffer_minutes, 0))`;
  const ms = (bound: string) => sql.raw(`coalesce(array_agg(floor(extract(epoch from ${bound}) * 1000)::float8), '{}')`);
  const result = await tx.execute(sql`
    select w.id, l.time_zone as zone,
      case when s.instrument_id is not null then json_build_object(
        'slotMinutes', s.slot_minutes, 'minNoticeMinutes', s.min_notice_minutes, 'maxAdvanceDays', s.max_advance_days,
        'minLengthMinutes', s.min_length_minutes, 'maxLengthMinutes', s.max_length_minutes, 'bufferMinutes', s.buffer_minutes,
        'observeChineseHolidays', s.observe_chinese_holidays) end as settings,
      r.weekdays, r.opens, r.shuts, c."closedFrom", c."closedTo", b."busyFrom", b."busyTo"
    from unnest(${idArray(instrumentIds)}::uuid[]) as w(id)
    join instruments i on i.id = w.id
    join labs l on l.id = i.lab_id
    left join booking_settings s on s.instrument_id = w.id
    cross join lateral (
      select coalesce(array_agg(weekday), '{}') as weekdays, coalesce(array_agg(start_minute), '{}') as opens, coalesce(array_agg(end_minute), '{}') as shuts
      from availability_rules where instrument_id = w.id) r
    cross join lateral (
      select ${ms("lower(period)")} as "closedFrom", ${ms("upper(period)")} as "closedTo"
      from closures where instrument_id = w.id and period && tstzrange(${from}, ${to}, '[)')) c
    cross join lateral (
      select ${ms("lower(period)")} as "busyFrom", ${ms("upper(period)")} as "busyTo"
      from bookings where instrument_id = w.id and status in (${liveStatuses})
        and period && tstzrange(${from} - ${buffer}, ${to} + ${buffer}, '[)')) b`);
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as GridRow[];
  const intervals = (starts: number[], ends: number[]) => starts.map((start, k) => ({ start: new Date(start), end: new Date(ends[k]!) }));
  return rows.map((r) => ({
    id: r.id,
    zone: r.zone,
    settings: r.settings ?? defaultBookingSettings,
    rules: r.weekdays.map((weekday, k) => toWeeklyRule({ weekday, startMinute: r.opens[k]!, endMinute: r.shuts[k]! })),
    closures: intervals(r.closedFrom, r.closedTo),
    busy: intervals(r.busyFrom, r.busyTo),
  }));
}
