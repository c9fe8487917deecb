// Reviews (评价): a customer rates their completed booking once, the lab replies once, a platform
// admin hides an abusive one with a reason. Every change is audited in its own transaction.
import { and, desc, eq, gte, inArray, isNull, lt, sql, type SQL } from "drizzle-orm";
import { bookings, instruments, labs, reviews, users } from "../../db/schema";
import { getDb } from "~/lib/db.server";
import type { Actor } from "./audit";
import { recordAudit } from "./audit.server";
import { isReviewable, summariseRatings, type RatingSummary, type ReviewRating } from "./reviews";

export type ReviewResult = { ok: true; id: string } | { ok: false; error: "notYours" | "notCompleted" | "alreadyReviewed" | "alreadyReplied" | "notFound" | "alreadyHidden" };

/** The customer's review of their own completed booking; a second one, or anyone else's booking, is refused. */
export async function submitReview(input: { bookingId: string; rating: ReviewRating; comment: string }, actor: Actor): Promise<ReviewResult> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [booking] = await tx
      .select({ id: bookings.id, userId: bookings.userId, status: bookings.status, instrumentId: bookings.instrumentId, labId: instruments.labId, labOrganizationId: labs.organizationId })
      .from(bookings)
      .innerJoin(instruments, eq(instruments.id, bookings.instrumentId))
      .innerJoin(labs, eq(labs.id, instruments.labId))
      .where(eq(bookings.id, input.bookingId));
    if (!booking || booking.userId !== actor.userId) return { ok: false, error: "notYours" };
    if (!isReviewable(booking.status)) return { ok: false, error: "notCompleted" };
    const [row] = await tx
      .insert(reviews)
      .values({ bookingId: booking.id, instrumentId: booking.instrumentId, labId: booking.labId, userId: actor.userId, rating: input.rating, comment: input.comment })
      .onConflictDoNothing({ target: reviews.bookingId })
      .returning({ id: reviews.id });
    if (!row) return { ok: false, error: "alreadyReviewed" };
    await recordAudit(tx, { actorUserId: actor.userId, organizationId: booking.labOrganizationId, action: "review.create", entityType: "review", entityId: row.id, after: { bookingId: booking.id, rating: input.rating }, ip: actor.ip });
    return { ok: true, id: row.id };
  });
}

/** The lab's one reply to a review of one of its bookings. */
export async function replyToReview(input: { reviewId: string; labId: string; reply: string }, actor: Actor): Promise<ReviewResult> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const now = new Date();
    const [row] = await tx
      .update(reviews)
      .set({ reply: input.reply, repliedAt: now, repliedBy: actor.userId })
      .where(and(eq(reviews.id, input.reviewId), eq(reviews.labId, input.labId), isNull(reviews.reply)))
      .returning({ id: reviews.id });
    if (!row) {
      const [exists] = await tx.select({ id: reviews.id }).from(reviews).where(and(eq(reviews.id, input.reviewId), eq(reviews.labId, input.labId)));
      return { ok: false, error: exists ? "alreadyReplied" : "notFound" };
    }
    const [lab] = await tx.select({ organizationId: labs.organizationId }).from(labs).where(eq(labs.id, input.labId));
    await recordAudit(tx, { actorUserId: actor.userId, organizationId: lab?.organizationId ?? null, action: "review.reply", entityType: "review", entityId: row.id, after: { reply: input.reply }, ip: actor.ip, at: now });
    return { ok: true, id: row.id };
  });
}

/** A platform admin hides an abusive review; the reason is kept on the review and in the audit log. */
export async function hideReview(input: { reviewId: string; reason: string }, actor: Actor): Promise<ReviewResult> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const now = new Date();
    const [row] = await tx
      .update(reviews)
      .set({ hiddenAt: now, hiddenBy: actor.userId, hiddenReason: input.reason })
      .where(and(eq(reviews.id, input.reviewId), isNull(reviews.hiddenAt)))
      .returning({ id: reviews.id, labId: reviews.labId, comment: reviews.comment });
    if (!row) return { ok: false, error: "alreadyHidden" };
    const [lab] = await tx.select({ organizationId: labs.organizationId }).from(labs).where(eq(labs.id, row.labId));
    await recordAudit(tx, {
      actorUserId: actor.userId,
      organizationId: lab?.organizationId ?? null,
      action: "review.hide",
      entityType: "review",
      entityId: row.id,
      before: { hidden: false, comment: row.comment },
      after: { hidden: true, reason: input.reason },
      ip: actor.ip,
      at: now,
    });
    return { ok: true, id: row.id };
  });
}

const reviewColumns = {
  id: reviews.id,
  rating: reviews.rating,
  comment: reviews.comment,
  createdAt: reviews.createdAt,
  reply: reviews.reply,
  repliedAt: reviews.repliedAt,
  hiddenAt: reviews.hiddenAt,
  hiddenReason: reviews.hiddenReason,
};

/** The review of one booking, if any. */
export async function reviewOfBooking(bookingId: string) {
  const db = await getDb();
  const [row] = await db.select(reviewColumns).from(reviews).where(eq(reviews.bookingId, bookingId));
  return row ?? null;
}

/** Visible reviews only: a hidden review counts nowhere, neither in the figures nor in the list. */
const visible = isNull(reviews.hiddenAt);

async function ratingCounts(where: SQL | undefined): Promise<RatingSummary> {
  const db = await getDb();
  const rows = await db.select({ rating: reviews.rating, n: sql<number>`count(*)::int` }).from(reviews).where(and(visible, where)).groupBy(reviews.rating);
  return summariseRatings(Object.fromEntries(rows.map((r) => [r.rating, r.n])));
}

async function recentReviews(where: SQL | undefined, limit = 10) {
  const db = await getDb();
  return db
    .select({ ...reviewColumns, instrumentNameZh: instruments.nameZh, instrumentNameEn: instruments.nameEn })
    .from(reviews)
    .innerJoin(instruments, eq(instruments.id, reviews.instrumentId))
    .where(and(visible, where))
    .orderBy(desc(reviews.createdAt))
    .limit(limit);
}

/** An instrument page's ratings: count, distribution and the latest visible reviews. */
export async function instrumentRatings(instrumentId: string) {
  const where = eq(reviews.instrumentId, instrumentId);
  const [summary, latest] = await Promise.all([ratingCounts(where), recentReviews(where)]);
  return { summary, latest };
}

/** A lab page's ratings over all its instruments. */
export async function labRatings(labId: string) {
  const where = eq(reviews.labId, labId);
  const [summary, latest] = await Promise.all([ratingCounts(where), recentReviews(where)]);
  return { summary, latest };
}

/** The lab's own list, hidden ones included (marked), newest first, with the booking's reference. */
export async function reviewsOfLab(labId: string) {
  const db = await getDb();
  return db
    .select({ ...reviewColumns, reference: bookings.reference, instrumentNameZh: instruments.nameZh, instrumentNameEn: instruments.nameEn, customerName: users.displayName })
    .from(reviews)
    .innerJoin(bookings, eq(bookings.id, reviews.bookingId))
    .innerJoin(instruments, eq(instruments.id, reviews.instrumentId))
    .innerJoin(users, eq(users.id, reviews.userId))
    .where(eq(reviews.labId, labId))
    .orderBy(desc(reviews.createdAt))
    .limit(200);
}

/** Platform admins' moderation list: the latest reviews with comments, newest first. */
export async function reviewsForAdmin() {
  const db = await getDb();
  return db
    .select({ ...reviewColumns, reference: bookings.reference, labNameZh: labs.nameZh, labNameEn: labs.nameEn, customerName: users.displayName, customerEmail: users.email })
    .from(reviews)
    .innerJoin(bookings, eq(bookings.id, reviews.bookingId))
    .innerJoin(labs, eq(labs.id, reviews.labId))
    .innerJoin(users, eq(users.id, reviews.userId))
    .orderBy(desc(reviews.createdAt))
    .limit(200);
}

export interface InstrumentSatisfaction extends RatingSummary {
  instrumentId: string;
}

/**
 * Satisfaction per instrument for reports: visible reviews written in [from, to), optionally for
 * some instruments only. Instruments without reviews in the period are absent.
 */
export async function satisfactionByInstrument(period: { from: Date; to: Date }, instrumentIds?: string[]): Promise<InstrumentSatisfaction[]> {
  if (instrumentIds && instrumentIds.length === 0) return [];
  const db = await getDb();
  const rows = await db
    .select({ instrumentId: reviews.instrumentId, rating: reviews.rating, n: sql<number>`count(*)::int` })
    .from(reviews)
    .where(and(visible, gte(reviews.createdAt, period.from), lt(reviews.createdAt, period.to), instrumentIds ? inArray(reviews.instrumentId, instrumentIds) : undefined))
    .groupBy(reviews.instrumentId, reviews.rating);
  const byInstrument = new Map<string, Record<string, number>>();
  for (const r of rows) (byInstrument.get(r.instrumentId) ?? byInstrument.set(r.instrumentId, {}).get(r.instrumentId)!)[r.rating] = r.n;
  return [...byInstrument].map(([instrumentId, counts]) => ({ instrumentId, ...summariseRatings(counts) }));
}
