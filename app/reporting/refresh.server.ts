// The summary refresh: rebuilds usage_summaries for the instruments the triggers marked stale,
// a batch at a time, each batch in one transaction with the removal of its stale marks.
import { eq, getTableColumns, inArray, sql, type SQLWrapper } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import {
  bookingEvents,
  bookings,
  bookingSettings,
  instruments,
  labs,
  summaryRefreshes,
  usageRecords,
  usageSummaries,
  usageSummaryCustomers,
  usageSummaryDirty,
} from "../../db/schema";
import { localDateOf } from "~/availability/free-intervals";
import { closuresOf, weeklyRulesOf } from "~/availability/inputs.server";
import { getDb, type Tx } from "~/lib/db.server";
import { instrumentFigures, type BookingInput, type InstrumentSource, type MonthFigures, type UsageInput } from "./figures";
import { rowsOf } from "./queries.server";
import { monthAt, monthDate, monthIndex, MAX_PERIOD_MONTHS, parseMonthKey, type Month } from "./period";

const BATCH = 200;
/**
 * A refresh that rewrote at least this share of the instruments analyses the summary tables at
 * once: autovacuum's default share, without its wait. Until then, after a bulk rebuild (first
 * start, an import) the planner takes a year's rows for a handful, and an institution's report
 * reads every instrument's months of the platform instead of its own.
 */
const ANALYZE_SHARE = 0.1;

/** The months kept for an instrument: from its first activity (or January of last year) to this month. */
export function summaryMonths(first: Month | null, last: Month | null, now: Month): Month[] {
  const floor = monthIndex({ year: now.year - 1, month: 1 });
  const start = Math.max(monthIndex(now) - MAX_PERIOD_MONTHS + 1, Math.min(floor, first ? monthIndex(first) : floor));
  const end = Math.max(monthIndex(now), last ? monthIndex(last) : 0);
  const out: Month[] = [];
  for (let i = start; i <= end; i++) out.push(monthAt(i));
  return out;
}

/**
 * An instant in epoch milliseconds, truncated as `new Date` reads a timestamp's text: both drivers
 * return a plain number, cheaper to read than timestamp or range text.
 */
const epochMs = (at: SQLWrapper) => sql`floor(extract(epoch from ${at}) * 1000)::float8`;

interface BookingRow extends Omit<BookingInput, "period" | "createdAt" | "confirmedAt" | "reportedAt"> {
  instrumentId: string;
  periodStart: number | null;
  periodEnd: number | null;
  createdAt: number;
  confirmedAt: number | null;
  reportedAt: number | null;
}

interface UsageRow extends Omit<UsageInput, "startedAt" | "endedAt"> {
  instrumentId: string;
  startedAt: number;
  endedAt: number;
}

const localMonth = (at: Date, zone: string): Month => {
  const { year, month } = localDateOf(at, zone);
  return { year, month };
};

/** Everything the figures of these instruments are computed from, read in one query per relation. */
export async function loadSources(tx: Tx, ids: string[]): Promise<InstrumentSource[]> {
  const heads = await tx
    .select({
      id: instruments.id,
      organizationId: instruments.organizationId,
      inServiceFrom: sql<string | null>`coalesce(${instruments.commissioningDate}, ${instruments.purchaseDate})::text`,
      zone: labs.timeZone,
      observe: bookingSettings.observeChineseHolidays,
    })
    .from(instruments)
    .innerJoin(labs, eq(labs.id, instruments.labId))
    .leftJoin(bookingSettings, eq(bookingSettings.instrumentId, instruments.id))
    .where(inArray(instruments.id, ids));
  const everything = { start: new Date("2000-01-01T00:00:00Z"), end: new Date("2101-01-01T00:00:00Z") };
  const confirmedAt = sql`min(${bookingEvents.at}) filter (where ${bookingEvents.toStatus} in ('confirmed', 'accepted'))`;
  const reportedAt = sql`min(${bookingEvents.at}) filter (where ${bookingEvents.toStatus} in ('report_issued', 'completed'))`;
  const [rules, closed, bookingRows, usageRows] = [
    await weeklyRulesOf(tx, ids),
    await closuresOf(tx, ids, everything),
    // The two large reads return the driver's rows as they are: mapping tens of thousands of rows
    // field by field in the query builder cost more than the rest of reading them.
    rowsOf<BookingRow>(
      await tx.execute(sql`
        select ${bookings.instrumentId} as "instrumentId", ${bookings.kind} as kind, ${bookings.status} as status,
          ${epochMs(sql`lower(${bookings.period})`)} as "periodStart", ${epochMs(sql`upper(${bookings.period})`)} as "periodEnd",
          ${epochMs(bookings.createdAt)} as "createdAt", first_events."confirmedAt", first_events."reportedAt"
        from ${bookings}
        -- One grouped read of the batch's events, not two subqueries per booking: the planner hashes
        -- the events or probes their booking index, whichever is cheaper.
        left join (
          select ${bookingEvents.bookingId} as booking_id, ${epochMs(confirmedAt)} as "confirmedAt", ${epochMs(reportedAt)} as "reportedAt"
          from ${bookingEvents}
          where ${bookingEvents.bookingId} in (select ${bookings.id} from ${bookings} where ${inArray(bookings.instrumentId, ids)})
          group by ${bookingEvents.bookingId}) first_events on first_events.booking_id = ${bookings.id}
        where ${inArray(bookings.instrumentId, ids)}`),
    ),
    rowsOf<UsageRow>(
      await tx.execute(sql`
        select ${usageRecords.instrumentId} as "instrumentId",
          ${epochMs(usageRecords.startedAt)} as "startedAt", ${epochMs(usageRecords.endedAt)} as "endedAt",
          ${usageRecords.preparationMinutes} + ${usageRecords.measurementMinutes} + ${usageRecords.postProcessingMinutes} as "effectiveMinutes",
          ${usageRecords.userId} as "userId", ${usageRecords.organizationId} as "organizationId", ${usageRecords.samplesCount} as samples,
          -- One probe of the bookings' key per record: a join hashes every booking there is, once per batch.
          (select ${bookings.kind} from ${bookings} where ${bookings.id} = ${usageRecords.bookingId}) as kind
        from ${usageRecords}
        where ${inArray(usageRecords.instrumentId, ids)}`),
    ),
  ];
  const bookingsBy = new Map<string, BookingInput[]>();
  for (const b of bookingRows) {
    const list = bookingsBy.get(b.instrumentId) ?? [];
    list.push({
      kind: b.kind,
      status: b.status,
      // A period has both bounds (slots by constraint; sample jobs have none).
      period: b.periodStart === null || b.periodEnd === null ? null : { start: new Date(b.periodStart), end: new Date(b.periodEnd) },
      createdAt: new Date(b.createdAt),
      confirmedAt: b.confirmedAt === null ? null : new Date(b.confirmedAt),
      reportedAt: b.reportedAt === null ? null : new Date(b.reportedAt),
    });
    bookingsBy.set(b.instrumentId, list);
  }
  const usageBy = new Map<string, UsageInput[]>();
  for (const u of usageRows) {
    const list = usageBy.get(u.instrumentId) ?? [];
    list.push({ ...u, startedAt: new Date(u.startedAt), endedAt: new Date(u.endedAt) });
    usageBy.set(u.instrumentId, list);
  }
  return heads.map((h) => ({
    instrumentId: h.id,
    ownerOrganizationId: h.organizationId,
    zone: h.zone,
    rules: rules.get(h.id) ?? [],
    closures: closed.get(h.id) ?? [],
    observeChineseHolidays: h.observe ?? true,
    inServiceFrom: h.inServiceFrom,
    bookings: bookingsBy.get(h.id) ?? [],
    usage: usageBy.get(h.id) ?? [],
  }));
}

/** Every month of one instrument, from its raw rows. */
export function instrumentMonths(source: InstrumentSource, now: Date): MonthFigures[] {
  let first = Infinity;
  let last = -Infinity;
  const see = (at: Date) => {
    const index = monthIndex(localMonth(at, source.zone));
    first = Math.min(first, index);
    last = Math.max(last, index);
  };
  for (const u of source.usage) see(u.startedAt);
  for (const b of source.bookings) {
    see(b.createdAt);
    if (b.period) see(b.period.start);
  }
  const active = first <= last;
  return instrumentFigures(source, summaryMonths(active ? monthAt(first) : null, active ? monthAt(last) : null, localMonth(now, source.zone)));
}

/** One value in an array literal: text quoted, so any survives; arrays nest as their own literal. */
function arrayElement(value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  const text = value instanceof Date ? value.toISOString() : Array.isArray(value) ? arrayLiteral(value) : String(value);
  return `"${text.replace(/[\\"]/g, "\\$&")}"`;
}

const arrayLiteral = (values: readonly unknown[]) => `{${values.map(arrayElement).join(",")}}`;

/**
 * Inserts rows with one statement that unnests one array parameter per column: an INSERT of
 * thousands of bound parameters costs the query builder and driver far more, and unpacking the
 * same rows from JSON costs Postgres several times as much. An array column travels as text[] of
 * array literals, since unnest would flatten an array of arrays.
 */
async function insertRows<T extends PgTable>(tx: Tx, table: T, rows: T["$inferInsert"][]) {
  if (rows.length === 0) return;
  const columns: Record<string, PgColumn> = getTableColumns(table);
  const keys = Object.keys(rows[0]!);
  const types = keys.map((k) => columns[k]!.getSQLType());
  const names = keys.map((k) => sql.identifier(columns[k]!.name));
  const arrays = keys.map((k, i) => {
    const values = rows.map((r) => (r as Record<string, unknown>)[k]);
    return sql`${arrayLiteral(values)}::${sql.raw(types[i]!.endsWith("[]") ? "text" : types[i]!)}[]`;
  });
  const values = names.map((name, i) => (types[i]!.endsWith("[]") ? sql`${name}::${sql.raw(types[i]!)}` : name));
  await tx.execute(sql`
    insert into ${table} (${sql.join(names, sql`, `)})
    select ${sql.join(values, sql`, `)} from unnest(${sql.join(arrays, sql`, `)}) as r(${sql.join(names, sql`, `)})`);
}

async function writeSummaries(tx: Tx, ids: string[], rows: MonthFigures[], now: Date) {
  await tx.delete(usageSummaryCustomers).where(inArray(usageSummaryCustomers.instrumentId, ids));
  await tx.delete(usageSummaries).where(inArray(usageSummaries.instrumentId, ids));
  // Each inserted row's foreign-key check runs a cached plan; the connection's forced custom plans
  // (decision 120) would plan it again for every row, several times the cost of the insert itself.
  await tx.execute(sql`set local plan_cache_mode = auto`);
  await insertRows(
    tx,
    usageSummaries,
    rows.map(({ customers: _, month, ...f }) => ({ ...f, month: monthDate(parseMonthKey(month)!), refreshedAt: now })),
  );
  await insertRows(
    tx,
    usageSummaryCustomers,
    rows.flatMap((r) => r.customers.map((c) => ({ ...c, instrumentId: r.instrumentId, month: monthDate(parseMonthKey(r.month)!) }))),
  );
}

/** Rebuilds these instruments' summaries now, whether or not they are marked stale. */
export async function refreshInstruments(tx: Tx, ids: string[], now: Date) {
  if (ids.length === 0) return;
  const sources = await loadSources(tx, ids);
  await writeSummaries(tx, ids, sources.flatMap((s) => instrumentMonths(s, now)), now);
  await tx.delete(usageSummaryDirty).where(inArray(usageSummaryDirty.instrumentId, ids));
}

/**
 * The job (and the admins' "refresh now"): marks instruments that have no row for their lab's
 * current month (a new month began), then rebuilds every stale instrument in batches.
 */
export async function refreshSummaries(options: { now?: Date; requestedBy?: string | null } = {}) {
  const db = await getDb();
  const startedAt = options.now ?? new Date();
  await db.execute(sql`
    insert into usage_summary_dirty (instrument_id)
    select i.id from instruments i join labs l on l.id = i.lab_id
    where not exists (
      select 1 from usage_summaries s
      where s.instrument_id = i.id and s.month = date_trunc('month', ${startedAt.toISOString()}::timestamptz at time zone l.time_zone)::date)
    on conflict (instrument_id) do nothing`);
  let refreshed = 0;
  for (;;) {
    const done = await db.transaction(async (tx) => {
      const batch = await tx
        .select({ id: usageSummaryDirty.instrumentId })
        .from(usageSummaryDirty)
        .orderBy(usageSummaryDirty.instrumentId)
        .limit(BATCH)
        .for("update", { skipLocked: true });
      await refreshInstruments(tx, batch.map((b) => b.id), startedAt);
      return batch.length;
    });
    refreshed += done;
    if (done < BATCH) break;
  }
  if (refreshed > 0) {
    const [{ n }] = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from instruments`));
    if (refreshed >= n * ANALYZE_SHARE) await db.execute(sql`analyze usage_summaries, usage_summary_customers`);
  }
  await db.insert(summaryRefreshes).values({ startedAt, finishedAt: new Date(), instruments: refreshed, requestedBy: options.requestedBy ?? null });
  return { instruments: refreshed };
}

/** "As of": when the latest refresh finished. */
export async function summariesAsOf(tx?: Tx): Promise<Date | null> {
  const db = tx ?? (await getDb());
  const [row] = await db
    .select({ at: sql<string | null>`max(${summaryRefreshes.finishedAt})` })
    .from(summaryRefreshes);
  return row?.at ? new Date(row.at) : null;
}

/** The pg-boss handler: safe to run twice (a second run finds nothing stale). */
export async function refreshSummariesJob(data: { requestedBy?: string | null }) {
  await refreshSummaries({ requestedBy: data?.requestedBy ?? null });
}
