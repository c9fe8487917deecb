// The lab staff's view of bookings: requests waiting for an answer, a day's schedule of the lab's
// instruments (today's unless another day is asked for), and sessions still in use from earlier days. Each list is one joined statement,
// whatever the number of bookings.
import { and, asc, eq, inArray, or, sql } from "drizzle-orm";
import { bookings, instruments, labs, organizations, users } from "../../db/schema";
import { getDb } from "~/lib/db.server";
import { openSampleJobStatuses } from "./sample-states";
import type { LocalDate } from "~/availability/free-intervals";
import { approve, reject, type TransitionResult } from "./transitions.server";
import { isoDate } from "./week.server";

const scheduledStatuses = ["confirmed", "in_use", "completed"] as const;

/** Midnight to midnight of `day`, or of `now`'s day, in the lab's own zone, not the server's. */
function labDay(now: Date, day: LocalDate | null = null) {
  const localDay = day ? sql`${isoDate(day)}::timestamp` : sql`date_trunc('day', ${now.toISOString()}::timestamptz at time zone ${labs.timeZone})`;
  return sql`tstzrange(${localDay} at time zone ${labs.timeZone}, (${localDay} + interval '1 day') at time zone ${labs.timeZone})`;
}

/**
 * Checked in and never checked out, though the booking ended before today: without a check-out
 * there is no usage record, so the session would be missing from the lab's effective hours.
 */
const unfinishedBefore = (today: ReturnType<typeof labDay>) =>
  and(eq(bookings.status, "in_use"), sql`upper(${bookings.period}) <= lower(${today})`);

export async function labQueue(labId: string, now: Date, day: LocalDate | null = null) {
  const db = await getDb();
  const columns = {
    id: bookings.id,
    reference: bookings.reference,
    status: bookings.status,
    period: bookings.period,
    purpose: bookings.purpose,
    createdAt: bookings.createdAt,
    instrumentNameZh: instruments.nameZh,
    instrumentNameEn: instruments.nameEn,
    organizationNameZh: organizations.nameZh,
    organizationNameEn: organizations.nameEn,
    organizationVerifiedAt: organizations.verifiedAt,
    userName: users.displayName,
  };
  const base = () =>
    db
      .select(columns)
      .from(bookings)
      .innerJoin(instruments, eq(instruments.id, bookings.instrumentId))
      .innerJoin(labs, eq(labs.id, instruments.labId))
      .innerJoin(organizations, eq(organizations.id, bookings.organizationId))
      .innerJoin(users, eq(users.id, bookings.userId));
  const today = labDay(now);
  const [pending, schedule, unfinished] = await Promise.all([
    base()
      // Sample jobs have their own list and page (sample-queries.server.ts).
      .where(and(eq(instruments.labId, labId), eq(bookings.kind, "slot"), eq(bookings.status, "requested")))
      .orderBy(asc(bookings.createdAt), asc(bookings.reference)),
    base()
      .where(and(eq(instruments.labId, labId), inArray(bookings.status, [...scheduledStatuses]), sql`${bookings.period} && ${labDay(now, day)}`))
      .orderBy(sql`lower(${bookings.period})`, asc(bookings.reference)),
    base()
      .where(and(eq(instruments.labId, labId), unfinishedBefore(today)))
      .orderBy(sql`lower(${bookings.period})`, asc(bookings.reference)),
  ]);
  return { pending, schedule, unfinished };
}

export type QueueRow = Awaited<ReturnType<typeof labQueue>>["pending"][number];

export interface LabWorkload {
  /** Slot requests waiting for an answer. */
  pending: number;
  /** Today's schedule. */
  today: number;
  /** Sessions from earlier days still waiting for their check-out. */
  unfinished: number;
  /** Sample jobs not yet completed. */
  sampleJobs: number;
}

/**
 * What waits for each lab's staff, counted as the queue page lists it (one statement for all the
 * labs); a lab with nothing waiting is absent from the map.
 */
export async function labWorkload(labIds: string[], now: Date): Promise<Map<string, LabWorkload>> {
  if (labIds.length === 0) return new Map();
  const db = await getDb();
  const today = labDay(now);
  const openSampleJob = and(eq(bookings.kind, "sample_job"), inArray(bookings.status, [...openSampleJobStatuses]));
  const scheduledToday = and(inArray(bookings.status, [...scheduledStatuses]), sql`${bookings.period} && ${today}`);
  const rows = await db
    .select({
      labId: labs.id,
      pending: sql<number>`(count(*) filter (where ${bookings.kind} = 'slot' and ${bookings.status} = 'requested'))::int`,
      today: sql<number>`(count(*) filter (where ${scheduledToday}))::int`,
      unfinished: sql<number>`(count(*) filter (where ${unfinishedBefore(today)}))::int`,
      sampleJobs: sql<number>`(count(*) filter (where ${openSampleJob}))::int`,
    })
    .from(labs)
    .innerJoin(instruments, eq(instruments.labId, labs.id))
    .innerJoin(bookings, eq(bookings.instrumentId, instruments.id))
    .where(and(inArray(labs.id, labIds), or(and(eq(bookings.kind, "slot"), eq(bookings.status, "requested")), scheduledToday, unfinishedBefore(today), openSampleJob)))
    .groupBy(labs.id);
  return new Map(rows.map(({ labId, ...counts }) => [labId, counts]));
}

/** References of those `bookingIds` that belong to the lab's instruments (one statement), to authorise a bulk action. */
export async function labBookingReferences(labId: string, bookingIds: string[]): Promise<Map<string, string>> {
  if (bookingIds.length === 0) return new Map();
  const db = await getDb();
  const rows = await db
    .select({ id: bookings.id, reference: bookings.reference })
    .from(bookings)
    .innerJoin(instruments, eq(instruments.id, bookings.instrumentId))
    .where(and(eq(instruments.labId, labId), inArray(bookings.id, bookingIds)));
  return new Map(rows.map((r) => [r.id, r.reference]));
}

/** The lab as the queue page heads it. */
export async function queueLab(labId: string) {
  const db = await getDb();
  const [lab] = await db.select({ id: labs.id, nameZh: labs.nameZh, nameEn: labs.nameEn, timeZone: labs.timeZone }).from(labs).where(eq(labs.id, labId)).limit(1);
  return lab ?? null;
}

export type BulkOutcome = { succeeded: number; failed: { reference: string; reason: Extract<TransitionResult, { ok: false }>["reason"] }[] };

/**
 * Approves or rejects several requests of the lab, each in its own transaction so one that can't
 * be answered doesn't hold back the others. Null, touching nothing, when any id isn't the lab's.
 */
export async function answerMany(
  labId: string,
  decision: "approve" | "reject",
  input: { bookingIds: string[]; actorUserId: string; reason: string; ip?: string | null },
  now: Date,
): Promise<BulkOutcome | null> {
  const references = await labBookingReferences(labId, input.bookingIds);
  if (input.bookingIds.some((id) => !references.has(id))) return null;
  const run = decision === "approve" ? approve : reject;
  const outcome: BulkOutcome = { succeeded: 0, failed: [] };
  for (const bookingId of input.bookingIds) {
    const result = await run({ bookingId, actorUserId: input.actorUserId, reason: input.reason, ip: input.ip }, now);
    if (result.ok) outcome.succeeded++;
    else outcome.failed.push({ reference: references.get(bookingId)!, reason: result.reason });
  }
  return outcome;
}
