// Drill-down from the dashboard: one instrument's monthly figures with the bookings and usage
// records behind them, and one booking with its history and usage record.
import { eq, sql } from "drizzle-orm";
import { bookingEvents, bookings, instruments, labs, organizations } from "../../db/schema";
import { usageRecordOf } from "~/booking/usage.server";
import { getDb } from "~/lib/db.server";
import { monthDate, type ReportPeriod } from "./period";
import { utilisationReport } from "./report.server";

const ROW_LIMIT = 500;
const rowsOf = <T>(result: any): T[] => (Array.isArray(result) ? result : result.rows) as T[];

/** Where an instrument sits, for the authorization check; null when there is no such instrument. */
export async function instrumentOwner(instrumentId: string) {
  const db = await getDb();
  const [row] = await db
    .select({ labId: instruments.labId, organizationId: instruments.organizationId })
    .from(instruments)
    .where(eq(instruments.id, instrumentId))
    .limit(1);
  return row ?? null;
}

/** Where a booking's instrument sits, for the authorization check; null when there is no such booking. */
export async function bookingOwner(bookingId: string) {
  const db = await getDb();
  const [row] = await db
    .select({ labId: instruments.labId, organizationId: instruments.organizationId })
    .from(bookings)
    .innerJoin(instruments, eq(instruments.id, bookings.instrumentId))
    .where(eq(bookings.id, bookingId))
    .limit(1);
  return row ?? null;
}

export interface DrilldownBooking {
  id: string;
  reference: string;
  kind: string;
  status: string;
  start: string | null;
  createdAt: string;
  customerZh: string;
  customerEn: string;
  external: boolean;
  effectiveMinutes: number | null;
  idleMinutes: number | null;
  samples: number | null;
}

/**
 * One instrument over the period: its figures and monthly series (from the summaries) and its
 * bookings in the period — by slot start, or request time for sample jobs — with their usage records.
 */
export async function instrumentDrilldown(instrumentId: string, period: ReportPeriod) {
  const report = await utilisationReport({ kind: "instrument", instrumentId }, period, "instrument");
  const db = await getDb();
  const rows = rowsOf<DrilldownBooking>(
    await db.execute(sql`
      select b.id, b.reference, b.kind, b.status, lower(b.period)::text as start, b.created_at::text as "createdAt",
        co.name_zh as "customerZh", co.name_en as "customerEn", b.organization_id <> i.organization_id as external,
        u.preparation_minutes + u.measurement_minutes + u.post_processing_minutes as "effectiveMinutes",
        u.idle_minutes as "idleMinutes", u.samples_count as samples
      from bookings b
      join instruments i on i.id = b.instrument_id
      join labs l on l.id = i.lab_id
      join organizations co on co.id = b.organization_id
      left join usage_records u on u.booking_id = b.id
      where b.instrument_id = ${instrumentId}::uuid
        and date_trunc('month', coalesce(u.started_at, lower(b.period), b.created_at) at time zone l.time_zone)::date
          between ${monthDate(period.from)}::date and ${monthDate(period.to)}::date
      order by coalesce(u.started_at, lower(b.period), b.created_at) desc
      limit ${ROW_LIMIT + 1}`),
  );
  return { report, bookings: rows.slice(0, ROW_LIMIT), truncated: rows.length > ROW_LIMIT };
}

/** One booking as a report reader sees it: facts, status history and usage record; null when unknown. */
export async function bookingDrilldown(bookingId: string) {
  const db = await getDb();
  const [booking] = await db
    .select({
      id: bookings.id,
      reference: bookings.reference,
      kind: bookings.kind,
      status: bookings.status,
      period: sql<string | null>`${bookings.period}::text`,
      createdAt: bookings.createdAt,
      serviceMode: bookings.serviceMode,
      instrumentId: instruments.id,
      instrumentZh: instruments.nameZh,
      instrumentEn: instruments.nameEn,
      zone: labs.timeZone,
      customerZh: organizations.nameZh,
      customerEn: organizations.nameEn,
      external: sql<boolean>`${bookings.organizationId} <> ${instruments.organizationId}`,
    })
    .from(bookings)
    .innerJoin(instruments, eq(instruments.id, bookings.instrumentId))
    .innerJoin(labs, eq(labs.id, instruments.labId))
    .innerJoin(organizations, eq(organizations.id, bookings.organizationId))
    .where(eq(bookings.id, bookingId))
    .limit(1);
  if (!booking) return null;
  const [events, usage] = await Promise.all([
    db
      .select({ at: bookingEvents.at, fromStatus: bookingEvents.fromStatus, toStatus: bookingEvents.toStatus, reason: bookingEvents.reason })
      .from(bookingEvents)
      .where(eq(bookingEvents.bookingId, bookingId))
      .orderBy(bookingEvents.at),
    usageRecordOf(bookingId),
  ]);
  return { booking, events, usage };
}
