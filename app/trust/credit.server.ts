// Credit records (信用档案): counts per customer and provider read from booking events, blocks
// made by the credit rules when a booking event trips them, and their lifting by platform admins.
import { and, desc, eq, gte, isNotNull, isNull, sql } from "drizzle-orm";
import { bookingEvents, bookings, creditBlocks, instruments, labs, organizations, platformSettings, users } from "../../db/schema";
import type { BookingEventFact } from "~/booking/events.server";
import { builtOnce, getDb, type Tx } from "~/lib/db.server";
import type { Actor } from "./audit";
import { recordAudit } from "./audit.server";
import { countingSince, creditSettingsFrom, trippedRule, type CreditCounts, type CreditSettings } from "./credit";
import { upheldComplaintsOfLab } from "./complaints.server";

const CREDIT_SETTINGS_KEY = "credit";

export async function creditSettings(tx?: Tx): Promise<CreditSettings> {
  const db = tx ?? (await getDb());
  const [row] = await db.select({ value: platformSettings.value }).from(platformSettings).where(eq(platformSettings.key, CREDIT_SETTINGS_KEY));
  return creditSettingsFrom(row?.value);
}

export async function saveCreditSettings(settings: CreditSettings, actor: Actor): Promise<void> {
  const db = await getDb();
  await db.transaction(async (tx) => {
    const before = await creditSettings(tx);
    const now = new Date();
    await tx
      .insert(platformSettings)
      .values({ key: CREDIT_SETTINGS_KEY, value: settings, updatedAt: now, updatedBy: actor.userId })
      .onConflictDoUpdate({ target: platformSettings.key, set: { value: settings, updatedAt: now, updatedBy: actor.userId } });
    await recordAudit(tx, { actorUserId: actor.userId, organizationId: null, action: "setting.update", entityType: "setting", entityId: CREDIT_SETTINGS_KEY, before, after: settings, ip: actor.ip, at: now });
  });
}

/** Counted events of one user since `since`: no-shows, and their own cancellations made late. */
function countedEvents(tx: Tx, userId: string, since: Date, settings: CreditSettings) {
  const late = sql`${bookingEvents.toStatus} = 'cancelled' and ${bookingEvents.actorUserId} = ${bookings.userId}
    and ${bookingEvents.at} > lower(${bookings.period}) - make_interval(hours => ${settings.lateCancellationHours})`;
  return tx
    .select({
      bookingId: bookings.id,
      reference: bookings.reference,
      kind: sql<"no_show" | "late_cancellation">`case when ${bookingEvents.toStatus} = 'no_show' then 'no_show' else 'late_cancellation' end`,
      at: bookingEvents.at,
      instrumentNameZh: instruments.nameZh,
      instrumentNameEn: instruments.nameEn,
    })
    .from(bookingEvents)
    .innerJoin(bookings, eq(bookings.id, bookingEvents.bookingId))
    .innerJoin(instruments, eq(instruments.id, bookings.instrumentId))
    .where(and(eq(bookings.userId, userId), gte(bookingEvents.at, since), sql`(${bookingEvents.toStatus} = 'no_show' or (${late}))`))
    .orderBy(desc(bookingEvents.at));
}

const countsOf = (events: { kind: "no_show" | "late_cancellation" }[]): CreditCounts => ({
  noShows: events.filter((e) => e.kind === "no_show").length,
  lateCancellations: events.filter((e) => e.kind === "late_cancellation").length,
});

async function lastLift(tx: Tx, userId: string): Promise<Date | null> {
  const [row] = await tx
    .select({ liftedAt: creditBlocks.liftedAt })
    .from(creditBlocks)
    .where(and(eq(creditBlocks.userId, userId), isNotNull(creditBlocks.liftedAt)))
    .orderBy(desc(creditBlocks.liftedAt))
    .limit(1);
  return row?.liftedAt ?? null;
}

/**
 * Called by recordBookingEvent: after a no-show or a cancellation, counts the customer's events
 * and blocks them when a rule trips. Events before the last lifted block are forgiven.
 */
export async function applyCreditRules(tx: Tx, fact: BookingEventFact): Promise<void> {
  if (fact.toStatus !== "no_show" && fact.toStatus !== "cancelled") return;
  const [booking] = await tx
    .select({ userId: bookings.userId, organizationId: bookings.organizationId })
    .from(bookings)
    .where(eq(bookings.id, fact.bookingId));
  if (!booking || (fact.toStatus === "cancelled" && fact.actorUserId !== booking.userId)) return;
  if (await openBlockOf(tx, booking.userId)) return;
  const settings = await creditSettings(tx);
  const since = countingSince(fact.at, settings, await lastLift(tx, booking.userId));
  const tripped = trippedRule(countsOf(await countedEvents(tx, booking.userId, since, settings)), settings);
  if (!tripped) return;
  const [block] = await tx
    .insert(creditBlocks)
    .values({ userId: booking.userId, organizationId: booking.organizationId, ...tripped, blockedAt: fact.at })
    .returning({ id: creditBlocks.id });
  await recordAudit(tx, {
    actorUserId: null,
    organizationId: booking.organizationId,
    action: "credit.block",
    entityType: "credit_block",
    entityId: block!.id,
    after: { userId: booking.userId, ...tripped, bookingId: fact.bookingId },
    at: fact.at,
  });
}

export type OpenBlock = { id: string; rule: "no_shows" | "late_cancellations"; count: number; threshold: number; blockedAt: Date };

const openBlockQuery = builtOnce((tx) =>
  tx
    .select({ id: creditBlocks.id, rule: creditBlocks.rule, count: creditBlocks.count, threshold: creditBlocks.threshold, blockedAt: creditBlocks.blockedAt })
    .from(creditBlocks)
    .where(and(eq(creditBlocks.userId, sql.placeholder("userId")), isNull(creditBlocks.liftedAt))),
);

export async function openBlockOf(tx: Tx, userId: string): Promise<OpenBlock | null> {
  const [row] = await openBlockQuery(tx, { userId });
  return row ?? null;
}

export type LiftResult = { ok: true } | { ok: false; error: string };

/** A platform admin lifts an open block; the reason is required and kept, and the lift is audited. */
export async function liftBlock(blockId: string, reason: string, actor: Actor): Promise<LiftResult> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const now = new Date();
    const [lifted] = await tx
      .update(creditBlocks)
      .set({ liftedAt: now, liftedBy: actor.userId, liftReason: reason })
      .where(and(eq(creditBlocks.id, blockId), isNull(creditBlocks.liftedAt)))
      .returning({ userId: creditBlocks.userId, organizationId: creditBlocks.organizationId, rule: creditBlocks.rule });
    if (!lifted) return { ok: false as const, error: "trust:credit.errors.notOpen" };
    await recordAudit(tx, {
      actorUserId: actor.userId,
      organizationId: lifted.organizationId,
      action: "credit.lift",
      entityType: "credit_block",
      entityId: blockId,
      before: { open: true, rule: lifted.rule, userId: lifted.userId },
      after: { open: false, reason },
      ip: actor.ip,
      at: now,
    });
    return { ok: true as const };
  });
}

/** A customer's own record: the open block if any, counted events in the window, past blocks. */
export async function creditRecord(userId: string, now: Date) {
  const db = await getDb();
  const settings = await creditSettings(db);
  const since = countingSince(now, settings, await lastLift(db, userId));
  const [events, block, history] = await Promise.all([
    countedEvents(db, userId, since, settings),
    openBlockOf(db, userId),
    db
      .select({ id: creditBlocks.id, rule: creditBlocks.rule, count: creditBlocks.count, blockedAt: creditBlocks.blockedAt, liftedAt: creditBlocks.liftedAt, liftReason: creditBlocks.liftReason })
      .from(creditBlocks)
      .where(and(eq(creditBlocks.userId, userId), isNotNull(creditBlocks.liftedAt)))
      .orderBy(desc(creditBlocks.blockedAt))
      .limit(20),
  ]);
  return { settings, since, counts: countsOf(events), events, block, history };
}

/** An organisation's figures over the window: every member's no-shows and late cancellations, open blocks. */
export async function organizationCreditRecord(organizationId: string, now: Date) {
  const db = await getDb();
  const settings = await creditSettings(db);
  const since = countingSince(now, settings, null);
  const [row] = await db
    .select({
      noShows: sql<number>`count(*) filter (where ${bookingEvents.toStatus} = 'no_show')::int`,
      lateCancellations: sql<number>`count(*) filter (where ${bookingEvents.toStatus} = 'cancelled' and ${bookingEvents.actorUserId} = ${bookings.userId}
        and ${bookingEvents.at} > lower(${bookings.period}) - make_interval(hours => ${settings.lateCancellationHours}))::int`,
    })
    .from(bookingEvents)
    .innerJoin(bookings, eq(bookings.id, bookingEvents.bookingId))
    .where(and(eq(bookings.organizationId, organizationId), gte(bookingEvents.at, since)));
  const [blocked] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(creditBlocks)
    .where(and(eq(creditBlocks.organizationId, organizationId), isNull(creditBlocks.liftedAt)));
  return { since, noShows: row?.noShows ?? 0, lateCancellations: row?.lateCancellations ?? 0, openBlocks: blocked?.n ?? 0 };
}

/** The platform admin's list: open blocks first, then the latest lifted ones. */
export async function blocksForAdmin() {
  const db = await getDb();
  const liftedBy = sql<string | null>`(select display_name from users l where l.id = ${creditBlocks.liftedBy})`;
  return db
    .select({
      id: creditBlocks.id,
      rule: creditBlocks.rule,
      count: creditBlocks.count,
      threshold: creditBlocks.threshold,
      blockedAt: creditBlocks.blockedAt,
      liftedAt: creditBlocks.liftedAt,
      liftReason: creditBlocks.liftReason,
      liftedByName: liftedBy,
      userName: users.displayName,
      userEmail: users.email,
      organizationNameZh: organizations.nameZh,
      organizationNameEn: organizations.nameEn,
    })
    .from(creditBlocks)
    .innerJoin(users, eq(users.id, creditBlocks.userId))
    .leftJoin(organizations, eq(organizations.id, creditBlocks.organizationId))
    .orderBy(sql`${creditBlocks.liftedAt} is not null`, desc(creditBlocks.blockedAt))
    .limit(200);
}

/**
 * A provider lab's record over the last `windowMonths`: requests answered, the share rejected,
 * the median time from request to the lab's first answer (hours), and complaints upheld.
 */
export async function labCreditRecord(labId: string, now: Date) {
  const db = await getDb();
  const settings = await creditSettings(db);
  const since = countingSince(now, settings, null);
  const answers = db
    .select({
      bookingId: bookingEvents.bookingId,
      toStatus: sql<string>`(array_agg(${bookingEvents.toStatus} order by ${bookingEvents.at}))[1]`.as("to_status"),
      answeredAt: sql<Date>`min(${bookingEvents.at})`.as("answered_at"),
    })
    .from(bookingEvents)
    .where(and(sql`${bookingEvents.fromStatus} = 'requested'`, sql`${bookingEvents.toStatus} in ('confirmed', 'accepted', 'rejected')`))
    .groupBy(bookingEvents.bookingId)
    .as("answers");
  const [row] = await db
    .select({
      answered: sql<number>`count(*)::int`,
      rejected: sql<number>`count(*) filter (where ${answers.toStatus} = 'rejected')::int`,
      medianHours: sql<number | null>`percentile_cont(0.5) within group (order by extract(epoch from ${answers.answeredAt} - ${bookings.createdAt}) / 3600)`,
    })
    .from(answers)
    .innerJoin(bookings, eq(bookings.id, answers.bookingId))
    .innerJoin(instruments, eq(instruments.id, bookings.instrumentId))
    .innerJoin(labs, eq(labs.id, instruments.labId))
    .where(and(eq(labs.id, labId), gte(bookings.createdAt, since)));
  const answered = row?.answered ?? 0;
  return {
    since,
    upheldComplaints: await upheldComplaintsOfLab(labId, since),
    answered,
    rejectionRate: answered ? (row!.rejected / answered) : null,
    medianResponseHours: row?.medianHours === null || row?.medianHours === undefined ? null : Number(row.medianHours),
  };
}
