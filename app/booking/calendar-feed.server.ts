import { and, eq } from "drizzle-orm";
import ical, { ICalEventBusyStatus, ICalEventTransparency } from "ical-generator";
import { z } from "zod";
import { instruments, labs, organizations } from "../../db/schema";
import { closuresOf, liveBookingsOf } from "~/availability/inputs.server";
import { isPublicInstrument } from "~/catalogue/home.server";
import { getDb } from "~/lib/db.server";

const DAY_MS = 86_400_000;
/** A subscriber sees a week back and three months ahead: enough to plan, small enough to poll. */
const FEED_WINDOW = { pastDays: 7, futureDays: 90 };

/**
 * The public busy/free iCalendar feed of one published instrument: when it is booked or closed,
 * never by whom or why.
 */
export async function instrumentBusyFeed(slug: string, now: Date, origin: string): Promise<string | null> {
  if (!z.string().regex(/^[a-z0-9-]{1,120}$/).safeParse(slug).success) return null;
  const db = await getDb();
  const [instrument] = await db
    .select({ id: instruments.id, nameZh: instruments.nameZh, nameEn: instruments.nameEn, zone: labs.timeZone })
    .from(instruments)
    .innerJoin(organizations, eq(organizations.id, instruments.organizationId))
    .innerJoin(labs, eq(labs.id, instruments.labId))
    .where(and(eq(instruments.slug, slug), isPublicInstrument))
    .limit(1);
  if (!instrument) return null;

  const window = { start: new Date(now.getTime() - FEED_WINDOW.pastDays * DAY_MS), end: new Date(now.getTime() + FEED_WINDOW.futureDays * DAY_MS) };
  const ids = [instrument.id];
  const [busy, closed] = await Promise.all([liveBookingsOf(db, ids, window), closuresOf(db, ids, window)]);

  const calendar = ical({
    name: `${instrument.nameZh} · 占用时间 / Busy times`,
    prodId: { company: "OpenLab", product: "instrument-busy-feed", language: "ZH" },
    timezone: instrument.zone,
    url: `${origin}/instruments/${slug}`,
    ttl: 15 * 60,
  });
  const add = (period: { start: Date; end: Date }, summary: string) =>
    calendar.createEvent({
      // Stable for as long as the time is held, so calendar apps update instead of duplicating.
      id: `${slug}-${period.start.toISOString()}-${period.end.toISOString()}@openlab`,
      start: period.start,
      end: period.end,
      stamp: now,
      summary,
      busystatus: ICalEventBusyStatus.BUSY,
      transparency: ICalEventTransparency.OPAQUE,
    });
  for (const period of busy.get(instrument.id) ?? []) add(period, "已预约 / Booked");
  for (const period of closed.get(instrument.id) ?? []) add(period, "不开放 / Closed");
  return calendar.toString();
}
