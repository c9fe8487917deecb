// Private calendar feeds: a user's own bookings, and one lab's bookings for its staff, behind a
// secret URL. The URL's token is an HMAC of the row's id under the server secret, so the page can
// show it again while the database keeps only its SHA-256 (a leaked table reveals no working URL).
// Regenerating replaces the row: the old URL answers 404 at once.
import { createHash, createHmac } from "node:crypto";
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import ical from "ical-generator";
import { bookings, calendarFeedTokens, instruments, labs, memberships, users } from "../../db/schema";
import type { BookingStatus } from "../../db/schema/booking-vocabulary";
import { getDb } from "~/lib/db.server";
import { env } from "~/lib/env.server";
import { isLocale, type Locale } from "~/lib/i18n";
import { translator } from "~/lib/mail.server";
import { bookingFacts, calendarEntry, labOrganizer, siteOrigin } from "./calendar-entries.server";
import { addBookingEvent } from "./invite";

const DAY_MS = 86_400_000;
/** A month back and half a year ahead: what a calendar needs, bounded for polling. */
const FEED_WINDOW = { pastDays: 31, futureDays: 183 };
/** Bookings a feed shows: those that hold or held the time. Withdrawn ones drop out on refresh. */
const shownStatuses: BookingStatus[] = ["requested", "confirmed", "in_use", "completed", "no_show"];

const tokenOf = (id: string) => createHmac("sha256", env().SESSION_SECRET).update(`calendar-feed:${id}`).digest("base64url");
const hashOf = (token: string) => createHash("sha256").update(token).digest("hex");

/** The feed's address for a token row. */
const feedUrl = (id: string) => `${siteOrigin()}/calendar/${tokenOf(id)}/openlab.ics`;

const ownerIs = (userId: string, labId: string | null) =>
  and(eq(calendarFeedTokens.userId, userId), labId ? eq(calendarFeedTokens.labId, labId) : isNull(calendarFeedTokens.labId));

/** The user's current feed URL (their own, or one lab's), or null before they made one. */
export async function feedUrlOf(userId: string, labId: string | null): Promise<string | null> {
  const db = await getDb();
  const [row] = await db.select({ id: calendarFeedTokens.id }).from(calendarFeedTokens).where(ownerIs(userId, labId));
  return row ? feedUrl(row.id) : null;
}

/** Makes a new feed URL for the user (or lab), revoking the one before. */
export async function regenerateFeed(userId: string, labId: string | null): Promise<string> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    await tx.delete(calendarFeedTokens).where(ownerIs(userId, labId));
    const id = crypto.randomUUID();
    await tx.insert(calendarFeedTokens).values({ id, tokenHash: hashOf(tokenOf(id)), userId, labId });
    return feedUrl(id);
  });
}

/**
 * The calendar behind a feed token, or null (unknown or revoked token, or a lab feed whose owner
 * is no longer on the lab's staff).
 */
export async function privateFeed(token: string, now: Date): Promise<string | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const db = await getDb();
  const [owner] = await db
    .select({ userId: calendarFeedTokens.userId, labId: calendarFeedTokens.labId, locale: users.locale })
    .from(calendarFeedTokens)
    .innerJoin(users, eq(users.id, calendarFeedTokens.userId))
    .where(eq(calendarFeedTokens.tokenHash, hashOf(token)));
  if (!owner) return null;
  const locale: Locale = isLocale(owner.locale) ? owner.locale : "zh-CN";
  const t = await translator(locale, "calendars");
  const window = sql`${bookings.period} && tstzrange(${new Date(now.getTime() - FEED_WINDOW.pastDays * DAY_MS).toISOString()}::timestamptz, ${new Date(now.getTime() + FEED_WINDOW.futureDays * DAY_MS).toISOString()}::timestamptz)`;
  const shown = inArray(bookings.status, shownStatuses);

  let name: string;
  let rows;
  if (owner.labId) {
    const [lab] = await db
      .select({ nameZh: labs.nameZh, nameEn: labs.nameEn })
      .from(memberships)
      .innerJoin(labs, eq(labs.id, memberships.labId))
      .where(and(eq(memberships.userId, owner.userId), eq(memberships.labId, owner.labId), eq(memberships.role, "lab_staff")))
      .limit(1);
    if (!lab) return null;
    name = t("feed.labCalendarName", { lab: locale === "en" ? lab.nameEn : lab.nameZh });
    const labInstruments = db.select({ id: instruments.id }).from(instruments).where(eq(instruments.labId, owner.labId));
    rows = await bookingFacts(db, and(inArray(bookings.instrumentId, labInstruments), shown, window), 5000);
  } else {
    name = t("feed.calendarName");
    rows = await bookingFacts(db, and(eq(bookings.userId, owner.userId), shown, window), 5000);
  }

  const calendar = ical({ name, prodId: { company: "OpenLab", product: "booking-feed", language: "ZH" }, ttl: 15 * 60 });
  const audience = owner.labId ? "lab" : "customer";
  for (const b of rows) addBookingEvent(calendar, await calendarEntry(b, locale, audience), labOrganizer(b, locale), now);
  return calendar.toString();
}
