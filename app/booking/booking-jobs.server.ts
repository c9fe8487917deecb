// The booking jobs that run on the clock (pg-boss, every minute): requests the lab did not
// answer expire, confirmed bookings nobody checked in to become no-shows, and customers get a
// reminder a day before. Each takes `now` and is safe to run twice or concurrently: transitions
// are idempotent and the reminder mark is set in the statement that claims it.
import { and, eq, isNull, lte, or, sql } from "drizzle-orm";
import { bookingInvites, bookingSettings, bookings } from "../../db/schema";
import { getDb } from "~/lib/db.server";
import { isLocale } from "~/lib/i18n";
import { bookingFacts } from "./calendar-entries.server";
import { prepareBookingMessages, queueBookingMessage } from "./messages.server";
import { expireSampleJob } from "./sample-jobs.server";
import { defaultBookingSettings } from "./settings";
import { expire, markNoShow } from "./transitions.server";

/** Minutes after the booked start without a check-in before a confirmed booking is a no-show. */
export const noShowGraceMinutes = 30;
/** How long before the start the reminder goes out. */
export const reminderLeadHours = 24;
/** Bookings handled per run; the next minute's run takes the rest. */
const BATCH = 500;

const at = (now: Date) => sql`${now.toISOString()}::timestamptz`;
const start = sql`lower(${bookings.period})`;

/**
 * Requests unanswered for the instrument's request_expiry_hours, or still unanswered when their
 * time begins, expire through their kind's `expire` transition (system actor): a sample job has
 * no booked time, so only the waiting time counts for it.
 */
export async function expireRequests(now: Date): Promise<number> {
  const db = await getDb();
  const hours = sql`coalesce(${bookingSettings.requestExpiryHours}, ${defaultBookingSettings.requestExpiryHours})`;
  const due = await db
    .select({ id: bookings.id, kind: bookings.kind })
    .from(bookings)
    .leftJoin(bookingSettings, eq(bookingSettings.instrumentId, bookings.instrumentId))
    .where(
      and(
        eq(bookings.status, "requested"),
        or(lte(sql`${bookings.createdAt} + make_interval(hours => ${hours})`, at(now)), lte(start, at(now))),
      ),
    )
    .limit(BATCH);
  let expired = 0;
  for (const { id, kind } of due) {
    const result = kind === "sample_job" ? await expireSampleJob({ bookingId: id }, now) : await expire({ bookingId: id, reason: null }, now);
    if (result.ok && result.changed) expired++;
  }
  return expired;
}

/** Confirmed bookings not checked in by the grace period after their start become no-shows. */
export async function markNoShows(now: Date): Promise<number> {
  const db = await getDb();
  const due = await db
    .select({ id: bookings.id })
    .from(bookings)
    .where(
      and(
        eq(bookings.status, "confirmed"),
        lte(sql`${start} + make_interval(mins => ${noShowGraceMinutes})`, at(now)),
      ),
    )
    .limit(BATCH);
  let marked = 0;
  for (const { id } of due) {
    const result = await markNoShow({ bookingId: id, actorUserId: null, reason: null }, now);
    if (result.ok && result.changed) marked++;
  }
  return marked;
}

/**
 * Reminds the customer of each confirmed booking starting within the next 24 hours, once per
 * start time: the mark (`reminded_for` = the start reminded of) and the queued email commit
 * together, so a crash loses neither and a rerun sends nothing twice; a moved booking is due again.
 */
export async function sendReminders(now: Date): Promise<number> {
  await prepareBookingMessages();
  const db = await getDb();
  const horizon = new Date(now.getTime() + reminderLeadHours * 3_600_000);
  const due = await bookingFacts(
    db,
    and(
      eq(bookings.status, "confirmed"),
      sql`${start} > ${at(now)} and ${start} <= ${at(horizon)}`,
      or(isNull(bookingInvites.remindedFor), sql`${bookingInvites.remindedFor} <> ${start}`),
    ),
    BATCH,
  );
  let sent = 0;
  for (const b of due) {
    const claimed = await db.transaction(async (tx) => {
      const [mark] = await tx
        .insert(bookingInvites)
        .values({ bookingId: b.id, sequence: b.sequence, remindedFor: b.period.start })
        .onConflictDoUpdate({
          target: bookingInvites.bookingId,
          set: { remindedFor: b.period.start },
          where: sql`${bookingInvites.remindedFor} is distinct from ${b.period.start.toISOString()}::timestamptz`,
        })
        .returning({ bookingId: bookingInvites.bookingId });
      if (!mark) return false;
      // Still confirmed at that start now that the mark holds the row (a cancel may have won).
      const [still] = await tx
        .select({ id: bookings.id })
        .from(bookings)
        .where(and(eq(bookings.id, b.id), eq(bookings.status, "confirmed"), sql`${start} = ${b.period.start.toISOString()}::timestamptz`));
      if (!still) return false;
      const locale = isLocale(b.customer.locale) ? b.customer.locale : "zh-CN";
      await queueBookingMessage(tx, b, { name: b.customer.name, email: b.customer.email, locale }, { kind: "reminder", audience: "customer", reason: "", invite: false, at: now });
      return true;
    });
    if (claimed) sent++;
  }
  return sent;
}

const nowOf = (data: unknown) => {
  const value = (data as { now?: unknown } | null)?.now;
  return typeof value === "string" && !Number.isNaN(Date.parse(value)) ? new Date(value) : new Date();
};

/** pg-boss handlers; a job may carry `now` (ISO) to run as of that instant. */
export const bookingJobHandlers = {
  "expire-booking-requests": async (data: unknown) => void (await expireRequests(nowOf(data))),
  "mark-booking-no-shows": async (data: unknown) => void (await markNoShows(nowOf(data))),
  "send-booking-reminders": async (data: unknown) => void (await sendReminders(nowOf(data))),
};

/** Each runs every minute. */
export const bookingJobSchedules: Record<keyof typeof bookingJobHandlers, string> = {
  "expire-booking-requests": "* * * * *",
  "mark-booking-no-shows": "* * * * *",
  "send-booking-reminders": "* * * * *",
};
