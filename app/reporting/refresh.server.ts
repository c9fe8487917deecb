// The summary refresh: rebuilds usage_summaries for the instruments the triggers marked stale,
// a batch at a time, each batch in one transaction with the removal of its stale marks.
import { eq, inArray, sql } from "drizzle-orm";
import {
  bookingEvents,
  bookings,
  bookingSettings,
  instruments,
  labs,
  parsePeriod,
  summaryRefreshes,
  usageRecords,
  usageSummaries,
  usageSummaryCustomers,
  usageSummaryDirty,
} from "../../db/schema";
import { localDateOf } from "~/availability/free-intervals";
import { closuresOf, weeklyRulesOf } from "~/availability/inputs.server";
import { getDb, type Tx } from "~/lib/db.server";
import { monthFigures, type BookingInput, type InstrumentSource, type MonthFigures, type UsageInput } from "./figures";
import { monthAt, monthDate, monthIndex, MAX_PERIOD_MONTHS, parseMonthKey, type Month } from "./period";

const BATCH = 200;
const INSERT_CHUNK = 1000;

/** The months kept for an instrument: from its first activity (or January of last year) to this month. */
export function summaryMonths(first: Month | null, last: Month | null, now: Month): Month[] {
  const floor = monthIndex({ year: now.year - 1, month: 1 });
  const start = Math.max(monthIndex(now) - MAX_PERIOD_MONTHS + 1, Math.min(floor, first ? monthIndex(first) : floor));
  const end = Math.max(monthIndex(now), last ? monthIndex(last) : 0);
  const out: Month[] = [];
  for (let i = start; i <= end; i++) out.push(monthAt(i));
  return out;
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
  const [rules, closed, bookingRows, usageRows] = [
    await weeklyRulesOf(tx, ids),
    await closuresOf(tx, ids, everything),
    await tx
      .select({
        instrumentId: bookings.instrumentId,
        kind: bookings.kind,
        status: bookings.status,
        period: sql<string | null>`${bookings.period}::text`,
        createdAt: bookings.createdAt,
        // Epoch milliseconds: both drivers return a plain number, whatever their timestamp parsing.
        confirmedAt: sql<string | null>`(select extract(epoch from min(e.at)) * 1000 from ${bookingEvents} e where e.booking_id = "bookings"."id" and e.to_status in ('confirmed', 'accepted'))`,
        reportedAt: sql<string | null>`(select extract(epoch from min(e.at)) * 1000 from ${bookingEvents} e where e.booking_id = "bookings"."id" and e.to_status in ('report_issued', 'completed'))`,
      })
      .from(bookings)
      .where(inArray(bookings.instrumentId, ids)),
    await tx
      .select({
        instrumentId: usageRecords.instrumentId,
        startedAt: usageRecords.startedAt,
        endedAt: usageRecords.endedAt,
        effectiveMinutes: sql<number>`${usageRecords.preparationMinutes} + ${usageRecords.measurementMinutes} + ${usageRecords.postProcessingMinutes}`,
        userId: usageRecords.userId,
        organizationId: usageRecords.organizationId,
        samples: usageRecords.samplesCount,
        kind: bookings.kind,
      })
      .from(usageRecords)
      .innerJoin(bookings, eq(bookings.id, usageRecords.bookingId))
      .where(inArray(usageRecords.instrumentId, ids)),
  ];
  const bookingsBy = new Map<string, BookingInput[]>();
  for (const b of bookingRows) {
    const list = bookingsBy.get(b.instrumentId) ?? [];
    list.push({
      kind: b.kind,
      status: b.status,
      period: b.period ? parsePeriod(b.period) : null,
      createdAt: b.createdAt,
      confirmedAt: b.confirmedAt === null ? null : new Date(Number(b.confirmedAt)),
      reportedAt: b.reportedAt === null ? null : new Date(Number(b.reportedAt)),
    });
    bookingsBy.set(b.instrumentId, list);
  }
  const usageBy = new Map<string, UsageInput[]>();
  for (const u of usageRows) {
    const list = usageBy.get(u.instrumentId) ?? [];
    list.push({ ...u, effectiveMinutes: Number(u.effectiveMinutes) });
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
  const instants = [
    ...source.usage.map((u) => u.startedAt),
    ...source.bookings.flatMap((b) => [b.createdAt, ...(b.period ? [b.period.start] : [])]),
  ];
  const months = instants.map((at) => localMonth(at, source.zone));
  const first = months.length ? months.reduce((a, b) => (monthIndex(a) <= monthIndex(b) ? a : b)) : null;
  const last = months.length ? months.reduce((a, b) => (monthIndex(a) >= monthIndex(b) ? a : b)) : null;
  return summaryMonths(first, last, localMonth(now, source.zone)).map((m) => monthFigures(source, m));
}

async function writeSummaries(tx: Tx, ids: string[], rows: MonthFigures[], now: Date) {
  await tx.delete(usageSummaryCustomers).where(inArray(usageSummaryCustomers.instrumentId, ids));
  await tx.delete(usageSummaries).where(inArray(usageSummaries.instrumentId, ids));
  const summaryRows = rows.map(({ customers: _, month, ...f }) => ({ ...f, month: monthDate(parseMonthKey(month)!), refreshedAt: now }));
  for (let i = 0; i < summaryRows.length; i += INSERT_CHUNK) {
    await tx.insert(usageSummaries).values(summaryRows.slice(i, i + INSERT_CHUNK));
  }
  const customerRows = rows.flatMap((r) =>
    r.customers.map((c) => ({ ...c, instrumentId: r.instrumentId, month: monthDate(parseMonthKey(r.month)!) })),
  );
  for (let i = 0; i < customerRows.length; i += INSERT_CHUNK) {
    await tx.insert(usageSummaryCustomers).values(customerRows.slice(i, i + INSERT_CHUNK));
  }
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
