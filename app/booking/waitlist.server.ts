// The waitlist: a customer asks to hear when a busy window of an instrument frees up. When a
// cancellation, rejection or expiry gives back time overlapping a waiting window, everyone
// waiting for it is told once, in the same transaction as the event that freed it.
import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { bookings, closures, formatPeriod, instruments, labs, users, waitlistEntries, type Period } from "../../db/schema";
import { liveBookingStatuses } from "../../db/schema/booking-vocabulary";
import { getDb, type Tx } from "~/lib/db.server";
import { isLocale } from "~/lib/i18n";
import { queueEmail } from "~/lib/mail.server";
import { siteOrigin } from "./calendar-entries.server";
import { formatSpan } from "./time-format";
import { dateTimeFormat } from "~/lib/intl";

/** The window a customer asks to wait for, as the calendar link sends it. */
export const waitlistWindowSchema = z
  .object({
    instrument: z.string().regex(/^[a-z0-9-]{1,120}$/, "validation.invalid"),
    start: z.string().datetime({ offset: true, message: "validation.invalid" }),
    end: z.string().datetime({ offset: true, message: "validation.invalid" }),
  })
  .transform((w) => ({ slug: w.instrument, start: new Date(w.start), end: new Date(w.end) }))
  .refine((w) => w.end.getTime() > w.start.getTime(), { message: "validation.invalid", path: ["end"] });

export type WaitlistWindow = z.infer<typeof waitlistWindowSchema>;

export type JoinWaitlistResult =
  | { ok: true; entryId: string }
  | { ok: false; reason: "instrument_unavailable" | "past" | "free" };

/**
 * Adds the user to the waitlist of a window that a live booking holds now. A window that is free
 * can simply be booked, and one already past can never free up. Joining twice keeps one entry.
 */
export async function joinWaitlist(userId: string, window: WaitlistWindow, now: Date): Promise<JoinWaitlistResult> {
  const db = await getDb();
  return db.transaction(async (tx): Promise<JoinWaitlistResult> => {
    const [instrument] = await tx
      .select({ id: instruments.id })
      .from(instruments)
      .where(and(eq(instruments.slug, window.slug), eq(instruments.status, "published")))
      .limit(1);
    if (!instrument) return { ok: false, reason: "instrument_unavailable" };
    if (window.end.getTime() <= now.getTime()) return { ok: false, reason: "past" };
    const period = formatPeriod(window);
    const [busy] = await tx
      .select({ id: bookings.id })
      .from(bookings)
      .where(
        and(
          eq(bookings.instrumentId, instrument.id),
          inArray(bookings.status, [...liveBookingStatuses]),
          sql`${bookings.period} && ${period}::tstzrange`,
        ),
      )
      .limit(1);
    if (!busy) return { ok: false, reason: "free" };
    await tx
      .insert(waitlistEntries)
      .values({ instrumentId: instrument.id, userId, period: window, createdAt: now })
      .onConflictDoNothing();
    const [entry] = await tx
      .select({ id: waitlistEntries.id })
      .from(waitlistEntries)
      .where(and(eq(waitlistEntries.instrumentId, instrument.id), eq(waitlistEntries.userId, userId), sql`${waitlistEntries.period} = ${period}::tstzrange`));
    return { ok: true, entryId: entry!.id };
  });
}

/** Removes one of the user's own entries; another user's id changes nothing. */
export async function leaveWaitlist(userId: string, entryId: string): Promise<boolean> {
  if (!z.string().uuid().safeParse(entryId).success) return false;
  const db = await getDb();
  const removed = await db
    .delete(waitlistEntries)
    .where(and(eq(waitlistEntries.id, entryId), eq(waitlistEntries.userId, userId)))
    .returning({ id: waitlistEntries.id });
  return removed.length > 0;
}

/** The user's entries whose window has not passed, soonest first. */
export async function myWaitlist(userId: string, now: Date) {
  const db = await getDb();
  const rows = await db
    .select({
      id: waitlistEntries.id,
      period: waitlistEntries.period,
      notifiedAt: waitlistEntries.notifiedAt,
      instrument: { slug: instruments.slug, nameZh: instruments.nameZh, nameEn: instruments.nameEn, model: instruments.model },
      zone: labs.timeZone,
    })
    .from(waitlistEntries)
    .innerJoin(instruments, eq(instruments.id, waitlistEntries.instrumentId))
    .innerJoin(labs, eq(labs.id, instruments.labId))
    .where(and(eq(waitlistEntries.userId, userId), sql`upper(${waitlistEntries.period}) > ${now.toISOString()}::timestamptz`))
    .orderBy(asc(sql`lower(${waitlistEntries.period})`))
    .limit(200);
  return rows.map((r) => ({
    ...r,
    period: { start: r.period.start.toISOString(), end: r.period.end.toISOString() },
    notifiedAt: r.notifiedAt?.toISOString() ?? null,
  }));
}

/** YYYY-MM-DD of an instant in the lab's zone: the week the instrument page should open at. */
const localDate = (at: Date, zone: string) =>
  dateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" }).format(at);

/**
 * Tells everyone waiting for a window overlapping `freed` that it opened up. Marking the entries
 * in the same statement that selects them makes each entry's email go out exactly once.
 */
export async function notifyWaitlist(tx: Tx, instrumentId: string, freed: Period, at: Date): Promise<void> {
  const told = await tx
    .update(waitlistEntries)
    .set({ notifiedAt: at })
    .where(
      and(
        eq(waitlistEntries.instrumentId, instrumentId),
        isNull(waitlistEntries.notifiedAt),
        sql`${waitlistEntries.period} && ${formatPeriod(freed)}::tstzrange`,
        sql`upper(${waitlistEntries.period}) > ${at.toISOString()}::timestamptz`,
        // Time given back under a closure (the lab cancelling for maintenance) frees nothing to book.
        sql`not exists (select 1 from ${closures} where ${closures.instrumentId} = ${instrumentId} and ${closures.period} @> ${formatPeriod(freed)}::tstzrange)`,
      ),
    )
    .returning({ userId: waitlistEntries.userId, period: waitlistEntries.period });
  if (told.length === 0) return;
  const [instrument] = await tx
    .select({ slug: instruments.slug, nameZh: instruments.nameZh, nameEn: instruments.nameEn, zone: labs.timeZone })
    .from(instruments)
    .innerJoin(labs, eq(labs.id, instruments.labId))
    .where(eq(instruments.id, instrumentId));
  const people = await tx
    .select({ id: users.id, name: users.displayName, email: users.email, locale: users.locale })
    .from(users)
    .where(inArray(users.id, [...new Set(told.map((e) => e.userId))]));
  const byId = new Map(people.map((p) => [p.id, p]));
  for (const entry of told) {
    const person = byId.get(entry.userId)!;
    const locale = isLocale(person.locale) ? person.locale : "zh-CN";
    const span = { start: entry.period.start.toISOString(), end: entry.period.end.toISOString() };
    await queueEmail(tx, {
      to: person.email,
      locale,
      template: "booking-message",
      props: {
        kind: "waitlist",
        audience: "customer",
        name: person.name,
        reference: "",
        instrument: locale === "en" ? instrument!.nameEn : instrument!.nameZh,
        when: `${formatSpan(span, instrument!.zone, locale)} (${instrument!.zone})`,
        customer: "",
        reason: "",
        url: `${siteOrigin()}/instruments/${instrument!.slug}?week=${localDate(entry.period.start, instrument!.zone)}`,
        invite: false,
      },
    });
  }
}
