import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { labs, memberships, users, waitlistEntries } from "../../db/schema";
import { requestSlot } from "../../app/booking/bookings.server";
import { feedUrlOf, privateFeed, regenerateFeed } from "../../app/booking/calendar-feeds.server";
import { instrumentBusyFeed } from "../../app/booking/calendar-feed.server";
import { approve, cancel, expire, reject } from "../../app/booking/transitions.server";
import { joinWaitlist, leaveWaitlist, myWaitlist } from "../../app/booking/waitlist.server";
import type { Database } from "../../app/lib/db.server";
import { at, bookableInstrument, demoCustomer, MONDAY_0800, newUsers } from "../support/booking";
import { useTestDatabase } from "../support/db";
import { bookingJobs, parseInvite } from "../support/mail";
import { closures, instruments } from "../../db/schema";

let d: Database;
let organizationId: string;
let staffId: string;
const now = MONDAY_0800;
const tokenOf = (url: string) => /\/calendar\/([A-Za-z0-9_-]{43})\/openlab\.ics$/.exec(url)![1]!;

beforeAll(async () => {
  d = await useTestDatabase();
  organizationId = (await demoCustomer(d)).organizationId;
  [staffId] = await newUsers(d, 1);
});

async function person() {
  const [userId] = await newUsers(d, 1);
  const [row] = await d.db.select({ email: users.email, name: users.displayName }).from(users).where(eq(users.id, userId!));
  return { userId: userId!, ...row! };
}

async function book(userId: string, instrumentId: string, start: string, end: string) {
  const result = await requestSlot({ instrumentId, userId, organizationId, start: at(start), end: at(end), purpose: `用途-${userId.slice(0, 8)}` }, now);
  if (!result.ok) throw new Error(result.reason);
  return result.booking;
}

describe("private calendar feeds", () => {
  it("shows the owner's bookings with their details, nobody else's; regenerating revokes the old URL", async () => {
    const instrumentId = await bookableInstrument(d);
    const owner = await person();
    const stranger = await person();
    const mine = await book(owner.userId, instrumentId, "2026-03-03 09:00", "2026-03-03 10:00");
    const theirs = await book(stranger.userId, instrumentId, "2026-03-03 14:00", "2026-03-03 15:00");
    expect(await feedUrlOf(owner.userId, null)).toBeNull();

    const first = await regenerateFeed(owner.userId, null);
    expect(await feedUrlOf(owner.userId, null)).toBe(first);
    const feed = parseInvite((await privateFeed(tokenOf(first), now))!);
    expect(feed.events.map((e) => e.uid)).toEqual([`booking-${mine.id}@openlab`]);
    expect(feed.event.description).toContain(`用途-${owner.userId.slice(0, 8)}`);
    expect(feed.event.description).toContain(mine.reference);
    expect(JSON.stringify(feed.events)).not.toContain(theirs.id);

    const second = await regenerateFeed(owner.userId, null);
    expect(second).not.toBe(first);
    expect(await privateFeed(tokenOf(first), now)).toBeNull();
    expect(await privateFeed(tokenOf(second), now)).not.toBeNull();
    expect(await privateFeed("A".repeat(43), now)).toBeNull();
    expect(await privateFeed("not-a-token", now)).toBeNull();

    // Withdrawn bookings drop out of the feed.
    await cancel({ bookingId: mine.id, actorUserId: owner.userId }, now);
    expect(parseInvite((await privateFeed(tokenOf(second), now))!).events).toEqual([]);
  });

  it("gives lab staff their lab's bookings with who booked, and stops when they leave the lab", async () => {
    const instrumentId = await bookableInstrument(d);
    const [lab] = await d.db.select({ id: labs.id }).from(labs).where(eq(labs.slug, "zju-emlab"));
    const [labInstrument] = await d.db.select({ organizationId: instruments.organizationId }).from(instruments).where(eq(instruments.id, instrumentId));
    const staff = await person();
    await d.db.insert(memberships).values({ userId: staff.userId, organizationId: labInstrument!.organizationId, role: "lab_staff", labId: lab!.id });
    const customer = await person();
    const booking = await book(customer.userId, instrumentId, "2026-03-04 09:00", "2026-03-04 10:00");
    const url = await regenerateFeed(staff.userId, lab!.id);
    const feed = parseInvite((await privateFeed(tokenOf(url), now))!);
    const event = feed.events.find((e) => e.uid === `booking-${booking.id}@openlab`)!;
    expect(event.description).toContain(customer.name);
    expect(event.status).toBe("TENTATIVE");
    // The personal feed is a different URL.
    expect(await feedUrlOf(staff.userId, null)).toBeNull();

    await d.db.delete(memberships).where(eq(memberships.userId, staff.userId));
    expect(await privateFeed(tokenOf(url), now)).toBeNull();
  });

  it("keeps the public busy feed free of personal data", async () => {
    const instrumentId = await bookableInstrument(d);
    const customer = await person();
    await book(customer.userId, instrumentId, "2026-03-03 09:00", "2026-03-03 10:00");
    const [row] = await d.db.select({ slug: instruments.slug }).from(instruments).where(eq(instruments.id, instrumentId));
    const feed = (await instrumentBusyFeed(row!.slug, now, "http://localhost"))!;
    expect(feed).toContain("BEGIN:VEVENT");
    expect(feed).not.toContain(customer.name);
    expect(feed).not.toContain(customer.email);
    expect(feed).not.toContain("用途-");
  });
});

describe("waitlist", () => {
  it("tells every waiting user once when a cancellation frees an overlapping window", async () => {
    const instrumentId = await bookableInstrument(d);
    const [{ slug }] = await d.db.select({ slug: instruments.slug }).from(instruments).where(eq(instruments.id, instrumentId));
    const holder = await person();
    const first = await person();
    const second = await person();
    const elsewhere = await person();
    const held = await book(holder.userId, instrumentId, "2026-03-03 09:00", "2026-03-03 11:00");
    const window = { slug: slug!, start: at("2026-03-03 10:00"), end: at("2026-03-03 11:00") };
    expect(await joinWaitlist(first.userId, window, now)).toMatchObject({ ok: true });
    expect(await joinWaitlist(first.userId, window, now)).toMatchObject({ ok: true });
    expect(await joinWaitlist(second.userId, { ...window, start: at("2026-03-03 09:00") }, now)).toMatchObject({ ok: true });
    // A free window can be booked instead; a past one never frees up.
    expect(await joinWaitlist(elsewhere.userId, { ...window, start: at("2026-03-03 14:00"), end: at("2026-03-03 15:00") }, now)).toEqual({ ok: false, reason: "free" });
    expect(await joinWaitlist(elsewhere.userId, window, at("2026-03-04 09:00"))).toEqual({ ok: false, reason: "past" });
    expect(await joinWaitlist(elsewhere.userId, { ...window, slug: "no-such-instrument" }, now)).toEqual({ ok: false, reason: "instrument_unavailable" });
    expect(await myWaitlist(first.userId, now)).toHaveLength(1);

    await cancel({ bookingId: held.id, actorUserId: holder.userId }, now);
    for (const who of [first, second]) {
      const jobs = await bookingJobs(d, who.email);
      expect(jobs).toHaveLength(1);
      expect(jobs[0]).toMatchObject({ locale: "zh-CN", props: { kind: "waitlist", instrument: "预约测试扫描电镜" } });
      expect(jobs[0].props.url).toContain(`/instruments/${slug}?week=2026-03-03`);
    }
    expect((await myWaitlist(first.userId, now))[0]!.notifiedAt).not.toBeNull();

    // The time is taken and freed again: nobody is told twice.
    const again = await book(holder.userId, instrumentId, "2026-03-03 09:00", "2026-03-03 11:00");
    await reject({ bookingId: again.id, actorUserId: staffId, reason: "维护" }, now);
    expect(await bookingJobs(d, first.email)).toHaveLength(1);
  });

  it("does not tell waiting users when an unrelated window frees or a transition does not apply", async () => {
    const instrumentId = await bookableInstrument(d);
    const [{ slug }] = await d.db.select({ slug: instruments.slug }).from(instruments).where(eq(instruments.id, instrumentId));
    const holder = await person();
    const waiting = await person();
    const morning = await book(holder.userId, instrumentId, "2026-03-05 09:00", "2026-03-05 10:00");
    const afternoon = await book(holder.userId, instrumentId, "2026-03-05 14:00", "2026-03-05 15:00");
    await joinWaitlist(waiting.userId, { slug: slug!, start: at("2026-03-05 14:00"), end: at("2026-03-05 15:00") }, now);
    await expire({ bookingId: morning.id }, now);
    expect(await bookingJobs(d, waiting.email)).toHaveLength(0);
    await approve({ bookingId: afternoon.id, actorUserId: staffId }, now);
    await expire({ bookingId: afternoon.id }, now);
    expect(await bookingJobs(d, waiting.email)).toHaveLength(0);
    await reject({ bookingId: afternoon.id, actorUserId: staffId, reason: "x" }, now);
    expect(await bookingJobs(d, waiting.email)).toHaveLength(0);
    await cancel({ bookingId: afternoon.id, actorUserId: holder.userId }, now);
    expect(await bookingJobs(d, waiting.email)).toHaveLength(1);
  });

  it("does not tell waiting users when the lab cancels a booking under its own closure", async () => {
    const instrumentId = await bookableInstrument(d);
    const [{ slug }] = await d.db.select({ slug: instruments.slug }).from(instruments).where(eq(instruments.id, instrumentId));
    const holder = await person();
    const waiting = await person();
    const booked = await book(holder.userId, instrumentId, "2026-03-06 09:00", "2026-03-06 10:00");
    await approve({ bookingId: booked.id, actorUserId: staffId }, now);
    await joinWaitlist(waiting.userId, { slug: slug!, start: at("2026-03-06 09:00"), end: at("2026-03-06 10:00") }, now);
    // The microscope is down that morning: the lab closes it, then withdraws the booking.
    await d.db.insert(closures).values({ instrumentId, period: { start: at("2026-03-06 08:30"), end: at("2026-03-06 12:00") }, kind: "maintenance", reason: "真空系统故障" });
    await cancel({ bookingId: booked.id, actorUserId: staffId, reason: "真空系统故障" }, now);
    expect(await bookingJobs(d, waiting.email)).toHaveLength(0);
    expect((await myWaitlist(waiting.userId, now))[0]!.notifiedAt).toBeNull();
  });

  it("lets a user remove only their own entry", async () => {
    const instrumentId = await bookableInstrument(d);
    const [{ slug }] = await d.db.select({ slug: instruments.slug }).from(instruments).where(eq(instruments.id, instrumentId));
    const holder = await person();
    const waiting = await person();
    const other = await person();
    const held = await book(holder.userId, instrumentId, "2026-03-06 09:00", "2026-03-06 10:00");
    const joined = await joinWaitlist(waiting.userId, { slug: slug!, start: at("2026-03-06 09:00"), end: at("2026-03-06 10:00") }, now);
    if (!joined.ok) throw new Error(joined.reason);
    expect(await leaveWaitlist(other.userId, joined.entryId)).toBe(false);
    expect(await leaveWaitlist(waiting.userId, joined.entryId)).toBe(true);
    expect(await d.db.select().from(waitlistEntries).where(eq(waitlistEntries.id, joined.entryId))).toEqual([]);
    await cancel({ bookingId: held.id, actorUserId: holder.userId }, now);
    expect(await bookingJobs(d, waiting.email)).toHaveLength(0);
  });
});
