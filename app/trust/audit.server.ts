// The audit log (DESIGN.md §4; issue "Trust and governance"): one row per change, written by the
// command that makes the change, inside its transaction; read by institution admins (their
// institution's rows) and platform admins (all rows).
import { isIP } from "node:net";
import { and, desc, eq, gte, ilike, lt, or, sql, type SQL } from "drizzle-orm";
import { auditLog, bookings, instruments, organizations, users } from "../../db/schema";
import type { BookingEventFact } from "~/booking/events.server";
import { builtOnce, getDb, type Tx } from "~/lib/db.server";
import { auditCsvHeader, auditCsvLine, type AuditRow } from "./audit";
import { UTF8_BOM, csvLine } from "~/catalogue/csv";

export interface AuditEntry {
  /** Null when the system acted. */
  actorUserId: string | null;
  /** The organisation whose admins may read the entry (the instrument's institution, the customer's company …). */
  organizationId: string | null;
  /** Dotted verb: `instrument.update`, `rate.create`, `booking.approve`, `role.grant`, `setting.update` … */
  action: string;
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
  /** The client's address from the request (loadContext.clientIp), when a person acted. */
  ip?: string | null;
  at?: Date;
}

/** A forwarded-for header can hold anything; the inet column takes only an address. */
const validIp = (ip: string | null | undefined) => (ip && isIP(ip) ? ip : null);

export async function recordAudit(tx: Tx, entry: AuditEntry): Promise<void> {
  await tx.insert(auditLog).values({
    actorUserId: entry.actorUserId,
    organizationId: entry.organizationId,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    before: entry.before ?? null,
    after: entry.after ?? null,
    ip: validIp(entry.ip),
    ...(entry.at ? { at: entry.at } : {}),
  });
}

const auditEventQuery = builtOnce((tx) =>
  tx.insert(auditLog).select(
    tx
      .select({
        id: sql`gen_random_uuid()`.as("id"),
        at: sql`${sql.placeholder("at")}::timestamptz`.as("at"),
        actorUserId: sql`${sql.placeholder("actorUserId")}::uuid`.as("actor_user_id"),
        organizationId: instruments.organizationId,
        action: sql`${sql.placeholder("action")}`.as("action"),
        entityType: sql`'booking'`.as("entity_type"),
        entityId: sql`${sql.placeholder("bookingId")}`.as("entity_id"),
        before: sql`${sql.placeholder("before")}::jsonb`.as("before"),
        after: sql`${sql.placeholder("after")}::jsonb`.as("after"),
        ip: sql`${sql.placeholder("ip")}::inet`.as("ip"),
      })
      .from(bookings)
      .innerJoin(instruments, eq(instruments.id, bookings.instrumentId))
      .where(eq(bookings.id, sql.placeholder("bookingId"))),
  ),
);

/**
 * A booking's state change, filed under the institution that owns the instrument (one statement:
 * the organisation is read in the same INSERT).
 */
export async function auditBookingEvent(tx: Tx, fact: BookingEventFact): Promise<void> {
  await auditEventQuery(tx, {
    at: fact.at.toISOString(),
    actorUserId: fact.actorUserId,
    action: fact.fromStatus === null ? "booking.create" : "booking.status",
    bookingId: fact.bookingId,
    before: fact.fromStatus === null ? null : JSON.stringify({ status: fact.fromStatus }),
    after: JSON.stringify({ status: fact.toStatus, ...(fact.reason ? { reason: fact.reason } : {}) }),
    ip: validIp(fact.ip),
  });
}

export interface AuditFilter {
  /** Only this organisation's entries (an institution admin's view); absent for platform admins. */
  organizationId?: string;
  /** Calendar days in China Standard Time, inclusive. */
  from?: string;
  to?: string;
  /** Part of the actor's email or name. */
  actor?: string;
  /** An action (`instrument.update`) or its entity part (`instrument`). */
  action?: string;
  entityType?: string;
  entityId?: string;
  page: number;
}

export const AUDIT_PAGE_SIZE = 50;

const like = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
// The platform's reports read days in China Standard Time; a day filter means that calendar day.
const dayStart = (day: string) => new Date(`${day}T00:00:00+08:00`);

function conditionsOf(filter: Omit<AuditFilter, "page">): SQL | undefined {
  const c: SQL[] = [];
  if (filter.organizationId) c.push(eq(auditLog.organizationId, filter.organizationId));
  if (filter.from) c.push(gte(auditLog.at, dayStart(filter.from)));
  if (filter.to) c.push(lt(auditLog.at, new Date(dayStart(filter.to).getTime() + 86_400_000)));
  if (filter.actor) c.push(or(ilike(users.email, like(filter.actor)), ilike(users.displayName, like(filter.actor)))!);
  if (filter.action) c.push(filter.action.includes(".") ? eq(auditLog.action, filter.action) : ilike(auditLog.action, `${filter.action}.%`));
  if (filter.entityType) c.push(eq(auditLog.entityType, filter.entityType));
  if (filter.entityId) c.push(eq(auditLog.entityId, filter.entityId));
  return c.length ? and(...c) : undefined;
}

const rowColumns = {
  id: auditLog.id,
  at: auditLog.at,
  actorEmail: users.email,
  actorName: users.displayName,
  organizationNameZh: organizations.nameZh,
  organizationNameEn: organizations.nameEn,
  action: auditLog.action,
  entityType: auditLog.entityType,
  entityId: auditLog.entityId,
  before: auditLog.before,
  after: auditLog.after,
  ip: sql<string | null>`host(${auditLog.ip})`,
};

/** One page of entries, newest first, with the total and the actions seen in this scope (for the filter). */
export async function auditEntries(filter: AuditFilter) {
  const db = await getDb();
  const where = conditionsOf(filter);
  const [rows, actions] = await Promise.all([
    db
      .select({ ...rowColumns, total: sql<number>`(count(*) over ())::int` })
      .from(auditLog)
      .leftJoin(users, eq(users.id, auditLog.actorUserId))
      .leftJoin(organizations, eq(organizations.id, auditLog.organizationId))
      .where(where)
      .orderBy(desc(auditLog.at), desc(auditLog.id))
      .limit(AUDIT_PAGE_SIZE)
      .offset((filter.page - 1) * AUDIT_PAGE_SIZE),
    db
      .selectDistinct({ action: auditLog.action })
      .from(auditLog)
      .where(filter.organizationId ? eq(auditLog.organizationId, filter.organizationId) : undefined)
      .orderBy(auditLog.action),
  ]);
  return { items: rows.map(({ total: _t, ...r }) => r), total: rows[0]?.total ?? 0, actions: actions.map((a) => a.action) };
}

const EXPORT_BATCH = 1000;

/**
 * The filtered log as a CSV download, streamed in batches read newest first by (at, id) so a
 * long history never sits in memory at once.
 */
export function auditCsv(filter: Omit<AuditFilter, "page">): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let cursor: { at: string; id: string } | null = null;
  let started = false;
  return new ReadableStream({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(UTF8_BOM + csvLine(auditCsvHeader)));
        return;
      }
      const db = await getDb();
      const after: SQL | undefined = cursor
        ? sql`(${auditLog.at}, ${auditLog.id}) < (${cursor.at}::timestamptz, ${cursor.id}::uuid)`
        : undefined;
      const rows = await db
        // The cursor keeps the time as Postgres prints it: a JS Date would drop the microseconds.
        .select({ ...rowColumns, cursorAt: sql<string>`${auditLog.at}::text` })
        .from(auditLog)
        .leftJoin(users, eq(users.id, auditLog.actorUserId))
        .leftJoin(organizations, eq(organizations.id, auditLog.organizationId))
        .where(and(conditionsOf(filter), after))
        .orderBy(desc(auditLog.at), desc(auditLog.id))
        .limit(EXPORT_BATCH);
      if (rows.length === 0) {
        controller.close();
        return;
      }
      const last = rows[rows.length - 1]!;
      cursor = { at: last.cursorAt, id: last.id };
      controller.enqueue(encoder.encode(rows.map((r) => auditCsvLine(r as AuditRow)).join("")));
    },
  });
}

/** The HTTP answer for a CSV export: a streamed attachment named with today's date. */
export function auditDownload(body: ReadableStream<Uint8Array>, name: string): Response {
  const today = new Date().toISOString().slice(0, 10);
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${name}-${today}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
