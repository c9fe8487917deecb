// A booking as calendars and booking emails tell it: one query shape for the invite in an email,
// the download on the booking page, and the private feeds, so all of them say the same thing.
import { eq, type SQL } from "drizzle-orm";
import { bookingInvites, bookings, instruments, labs, organizations, users } from "../../db/schema";
import { getDb, type Tx } from "~/lib/db.server";
import { env } from "~/lib/env.server";
import type { Locale } from "~/lib/i18n";
import { translator } from "~/lib/mail.server";
import { formatSpan } from "./time-format";
import { bookingInvite, type InviteBooking, type Organizer } from "./invite";

type Queryable = Tx | Awaited<ReturnType<typeof getDb>>;

/** Links in emails and calendars point at PUBLIC_URL, else at the local server. */
export const siteOrigin = () => (env().PUBLIC_URL ?? `http://localhost:${env().PORT}`).replace(/\/+$/, "");

/** Every booking fact a message or calendar entry needs, read in one statement. */
export async function bookingFacts(q: Queryable, where: SQL | undefined, limit = 1000) {
  const rows = await q
    .select({
      id: bookings.id,
      reference: bookings.reference,
      status: bookings.status,
      period: bookings.period,
      purpose: bookings.purpose,
      sequence: bookingInvites.sequence,
      remindedFor: bookingInvites.remindedFor,
      instrumentId: instruments.id,
      instrument: { slug: instruments.slug, nameZh: instruments.nameZh, nameEn: instruments.nameEn },
      lab: { id: labs.id, nameZh: labs.nameZh, nameEn: labs.nameEn, address: labs.address, zone: labs.timeZone, contactEmail: labs.contactEmail },
      customer: { id: users.id, name: users.displayName, email: users.email, locale: users.locale },
      organization: { nameZh: organizations.nameZh, nameEn: organizations.nameEn },
    })
    .from(bookings)
    .innerJoin(instruments, eq(instruments.id, bookings.instrumentId))
    .innerJoin(labs, eq(labs.id, instruments.labId))
    .innerJoin(users, eq(users.id, bookings.userId))
    .innerJoin(organizations, eq(organizations.id, bookings.organizationId))
    .leftJoin(bookingInvites, eq(bookingInvites.bookingId, bookings.id))
    .where(where)
    .orderBy(bookings.period)
    .limit(limit);
  // Sample jobs hold no slot and have no calendar entry.
  return rows.flatMap((r) => (r.period ? [{ ...r, period: r.period, sequence: r.sequence ?? 0 }] : []));
}

export type BookingFacts = Awaited<ReturnType<typeof bookingFacts>>[number];

const named = (record: { nameZh: string; nameEn: string }, locale: Locale) => (locale === "en" ? record.nameEn : record.nameZh);

/** The booking's facts written for one reader: names, time in the lab's zone, link. */
export function describeBooking(b: BookingFacts, locale: Locale, audience: "customer" | "lab") {
  return {
    reference: b.reference,
    instrument: named(b.instrument, locale),
    when: `${formatSpan({ start: b.period.start.toISOString(), end: b.period.end.toISOString() }, b.lab.zone, locale)} (${b.lab.zone})`,
    customer: `${b.customer.name} · ${named(b.organization, locale)}`,
    url: audience === "lab" ? `${siteOrigin()}/manage/labs/${b.lab.id}/bookings` : `${siteOrigin()}/bookings/${b.id}`,
  };
}

/** The lab as the organiser of its bookings' calendar entries. */
export function labOrganizer(b: BookingFacts, locale: Locale): Organizer {
  const from = /<([^>]+)>/.exec(env().MAIL_FROM)?.[1] ?? env().MAIL_FROM;
  return { name: named(b.lab, locale), email: b.lab.contactEmail || from };
}

/** The calendar event of a booking in one reader's language. */
export async function calendarEntry(b: BookingFacts, locale: Locale, audience: "customer" | "lab"): Promise<InviteBooking> {
  const t = await translator(locale, "booking-mail");
  const facts = describeBooking(b, locale, audience);
  return {
    id: b.id,
    status: b.status,
    sequence: b.sequence,
    period: b.period,
    summary: t("ics.summary", facts),
    description: t("ics.description", { ...facts, status: t(`ics.status.${b.status}`), purpose: b.purpose || "—" }),
    location: [named(b.lab, locale), b.lab.address].filter(Boolean).join(", "),
    url: facts.url,
    customer: { name: b.customer.name, email: b.customer.email },
  };
}

/** The .ics invite of a booking in its current state, for one reader. */
export async function inviteFor(b: BookingFacts, locale: Locale, audience: "customer" | "lab", stamp: Date) {
  return bookingInvite(await calendarEntry(b, locale, audience), b.reference, labOrganizer(b, locale), stamp);
}

/** The customer's own invite, for the download link on the booking page; null if not theirs. */
export async function customerInvite(bookingId: string, userId: string, now: Date) {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(bookingId)) return null;
  const db = await getDb();
  const [b] = await bookingFacts(db, eq(bookings.id, bookingId));
  if (!b || b.customer.id !== userId) return null;
  return inviteFor(b, b.customer.locale === "en" ? "en" : "zh-CN", "customer", now);
}
