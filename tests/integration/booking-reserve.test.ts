import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { bookings, instruments, users } from "../../db/schema";
import { cellsOf } from "../../app/booking/week-cells";
import { instrumentWeek, parseDateParam, type InstrumentWeek } from "../../app/booking/week.server";
import { countStatements, type Database } from "../../app/lib/db.server";
import * as book from "../../app/routes/instruments.$slug_.book";
import * as myBookings from "../../app/routes/bookings._index";
import * as bookingPage from "../../app/routes/bookings.$id";
import * as instrumentRoute from "../../app/routes/instruments.$slug";
import { bookableInstrument, demoCustomer } from "../support/booking";
import { useTestDatabase } from "../support/db";
import { callRoute, formRequest, getRequest } from "../support/requests";

let d: Database;
let customerId: string;
let orgAdminId: string;
let slug: string;
/** The first slot the calendar offers two weeks or more ahead (real time: the route books with `new Date()`). */
let slot: { start: string; end: string };

beforeAll(async () => {
  d = await useTestDatabase();
  customerId = (await demoCustomer(d)).userId;
  const [orgAdmin] = await d.db.select({ id: users.id }).from(users).where(eq(users.email, "orgadmin@weina.openlab.test"));
  orgAdminId = orgAdmin!.id;
  // A fresh instrument per run, so runs sharing a Postgres database never compete for its time.
  const instrumentId = await bookableInstrument(d);
  [{ slug }] = await d.db.select({ slug: instruments.slug }).from(instruments).where(eq(instruments.id, instrumentId));
  // Two weeks ahead, or later if a public holiday closes that whole week.
  for (let weeks = 2; !slot && weeks < 6; weeks++) {
    const date = new Date(Date.now() + weeks * 7 * 86_400_000).toISOString().slice(0, 10);
    const week = (await instrumentWeek(slug, parseDateParam(date), new Date()))!;
    slot = offered(week)[0]!;
  }
});

/** The slots the calendar offers (links of the default length), as the page cuts them. */
const offered = (week: InstrumentWeek) =>
  week.days.flatMap((day) => cellsOf(day.free, week.slotMinutes, week.defaultMinutes).flatMap((c) => (c.slotEnd ? [{ start: c.start, end: c.slotEnd }] : [])));

const bookPath = (s: { start: string; end: string }) => `/instruments/${slug}/book?start=${encodeURIComponent(s.start)}&end=${encodeURIComponent(s.end)}`;
const form = (s: { start: string; end: string }) => ({ ...s, purpose: "TEM 高分辨成像", projectReference: "NSFC-12345678", serviceMode: "" });

describe("the week calendar", () => {
  it("shows seven days of the lab's week, open Monday to Friday only", async () => {
    const week = (await instrumentWeek(slug, parseDateParam("2026-12-16"), new Date("2026-12-01T00:00:00Z")))!;
    expect(week.weekStart).toBe("2026-12-14");
    expect(week.nextWeek).toBe("2026-12-21");
    expect(week.hasOpeningHours).toBe(true);
    expect(week.days.map((day) => day.date)).toEqual(["2026-12-14", "2026-12-15", "2026-12-16", "2026-12-17", "2026-12-18", "2026-12-19", "2026-12-20"]);
    // 08:30–12:00 and 13:30–17:30 in 30-minute slots: 7 + 8 a working day; nothing at the weekend.
    expect(week.days.map((day) => offered({ ...week, days: [day] }).length)).toEqual([15, 15, 15, 15, 15, 0, 0]);
    expect(offered(week)[0]).toEqual({ start: "2026-12-14T00:30:00.000Z", end: "2026-12-14T01:00:00.000Z" });
    expect(week.days[0]!.free).toEqual([
      { start: "2026-12-14T00:30:00.000Z", end: "2026-12-14T04:00:00.000Z" },
      { start: "2026-12-14T05:30:00.000Z", end: "2026-12-14T09:30:00.000Z" },
    ]);
  });

  it("shows the current week for a date that is no real date or lies outside the years a calendar can mean", async () => {
    const current = (await instrumentWeek(slug, null, new Date()))!.weekStart;
    for (const bad of ["9999-12-31", "0000-01-01", "1899-12-31", "3000-01-01", "2026-02-30", "2026-1-5", "next"]) {
      expect(parseDateParam(bad), bad).toBeNull();
      const answer = await callRoute(instrumentRoute.loader, await getRequest(`/instruments/${slug}?week=${bad}`), { slug });
      expect(answer.status, bad).toBe(200);
      expect(answer.data.week.weekStart, bad).toBe(current);
    }
    expect(parseDateParam("2999-12-31")).toEqual({ year: 2999, month: 12, day: 31 });
  });

  it("is null for an unknown instrument", async () => {
    expect(await instrumentWeek("no-such-instrument", null, new Date())).toBeNull();
  });
});

describe("booking a slot through the routes", () => {
  let bookingId: string;

  it("sends a visitor to sign in", async () => {
    const answer = await callRoute(book.loader, await getRequest(bookPath(slot)), { slug });
    expect(answer.status).toBe(302);
    expect(answer.headers.get("Location")).toMatch(/^\/login\?redirectTo=/);
  });

  it("shows the form for the chosen slot and refuses a garbage slot with 400", async () => {
    const ok = await callRoute(book.loader, await getRequest(bookPath(slot), { userId: customerId }), { slug });
    expect(ok.status).toBe(200);
    expect(ok.data.slot).toEqual(slot);
    const garbage = await callRoute(book.loader, await getRequest(`/instruments/${slug}/book?start=yesterday&end=soon`, { userId: customerId }), { slug });
    expect(garbage.status).toBe(400);
    expect(garbage.data.slot).toBeNull();
    const posted = await callRoute(book.action, await formRequest(`/instruments/${slug}/book`, form({ start: "garbage", end: slot.end }), { userId: customerId }), { slug });
    expect(posted.status).toBe(400);
    expect(posted.data.errors.start).toBe("reserve:validation.slot");
  });

  it("requires a purpose", async () => {
    const answer = await callRoute(book.action, await formRequest(`/instruments/${slug}/book`, { ...form(slot), purpose: " " }, { userId: customerId }), { slug });
    expect(answer.status).toBe(400);
    expect(answer.data.errors.purpose).toBe("reserve:validation.purpose");
  });

  it("refuses a service mode the instrument does not offer at its field, booking nothing", async () => {
    // The test instrument offers no service mode at all.
    const answer = await callRoute(book.action, await formRequest(`/instruments/${slug}/book`, { ...form(slot), serviceMode: "self_operated" }, { userId: customerId }), { slug });
    expect(answer.status).toBe(400);
    expect(answer.data.errors).toEqual({ serviceMode: "validation.choice" });
    const [{ id }] = await d.db.select({ id: instruments.id }).from(instruments).where(eq(instruments.slug, slug));
    expect(await d.db.select().from(bookings).where(eq(bookings.instrumentId, id))).toEqual([]);
  });

  it("is 404 for an unknown or suspended instrument", async () => {
    const [suspended] = await d.db.select({ slug: instruments.slug }).from(instruments).where(eq(instruments.id, await bookableInstrument(d, { status: "suspended" })));
    for (const target of ["no-such-instrument", suspended!.slug]) {
      const answer = await callRoute(book.action, await formRequest(`/instruments/${target}/book`, form(slot), { userId: customerId }), { slug: target });
      expect(answer.status).toBe(404);
    }
  });

  it("books a free slot and redirects to the booking", async () => {
    const answer = await callRoute(book.action, await formRequest(`/instruments/${slug}/book`, form(slot), { userId: customerId }), { slug });
    expect(answer.status).toBe(302);
    bookingId = answer.headers.get("Location")!.match(/^\/bookings\/([0-9a-f-]{36})$/)![1]!;
    const [row] = await d.db.select().from(bookings).where(eq(bookings.id, bookingId));
    expect(row).toMatchObject({ userId: customerId, status: "requested", purpose: "TEM 高分辨成像", projectReference: "NSFC-12345678" });
    expect(row!.period).toEqual({ start: new Date(slot.start), end: new Date(slot.end) });
  });

  it("answers 409 with alternatives when someone else asks for the same slot", async () => {
    const request = await formRequest(`/instruments/${slug}/book`, form(slot), { userId: orgAdminId });
    const { result: answer, statements } = await countStatements(() => callRoute(book.action, request, { slug }));
    expect(answer.status).toBe(409);
    // viewer, plan setting, the request's context (the instrument by its slug, the verification
    // rule with it): the alternatives come from the context that showed the slot taken, without
    // reading it again.
    expect(statements).toBe(3);
    expect(answer.data.formError).toBe("booking:errors.slot_taken");
    expect(answer.data.alternatives.length).toBeGreaterThan(0);
    expect(answer.data.alternatives).not.toContainEqual(slot);
    // The calendar now shows the time as busy and no longer offers it.
    const week = (await instrumentWeek(slug, parseDateParam(slot.start.slice(0, 10)), new Date()))!;
    expect(week.days.flatMap((day) => day.busy)).toContainEqual(slot);
    expect(offered(week)).not.toContainEqual(slot);
    // The alternatives are the next three slots the calendar offers from the requested start on.
    expect(answer.data.alternatives).toEqual(offered(week).filter((s) => s.start > slot.start).slice(0, 3));
  });

  it("offers the next open days' slots when the days around a taken slot hold fewer than three", async () => {
    const week = (await instrumentWeek(slug, parseDateParam(slot.start.slice(0, 10)), new Date()))!;
    const last = offered(week).at(-1)!;
    const first = await callRoute(book.action, await formRequest(`/instruments/${slug}/book`, form(last), { userId: customerId }), { slug });
    expect(first.status).toBe(302);
    const answer = await callRoute(book.action, await formRequest(`/instruments/${slug}/book`, form(last), { userId: orgAdminId }), { slug });
    expect(answer.status).toBe(409);
    const following = (await instrumentWeek(slug, parseDateParam(week.nextWeek), new Date()))!;
    expect(answer.data.alternatives).toEqual(offered(following).slice(0, 3));
  });

  it("lists the booking in my bookings, filtered by status", async () => {
    const all = await callRoute(myBookings.loader, await getRequest("/bookings?status=requested", { userId: customerId }));
    expect(all.data.bookings.map((b: { id: string }) => b.id)).toContain(bookingId);
    const cancelled = await callRoute(myBookings.loader, await getRequest("/bookings?status=cancelled", { userId: customerId }));
    expect(cancelled.data.bookings.map((b: { id: string }) => b.id)).not.toContain(bookingId);
    const others = await callRoute(myBookings.loader, await getRequest("/bookings", { userId: orgAdminId }));
    expect(others.data.bookings.map((b: { id: string }) => b.id)).not.toContain(bookingId);
  });

  it("copies the customer's own booking into a new request (再次预约), nobody else's", async () => {
    const again = (rebook: string, userId: string) => getRequest(`${bookPath(slot)}&rebook=${rebook}`, { userId });
    const own = await callRoute(book.loader, await again(bookingId, customerId), { slug });
    expect(own.status).toBe(200);
    expect(own.data.rebook).toMatchObject({ id: bookingId, purpose: "TEM 高分辨成像", projectReference: "NSFC-12345678" });
    const other = await callRoute(book.loader, await again(bookingId, orgAdminId), { slug });
    expect(other.status).toBe(200);
    expect(other.data.rebook).toBeNull();
    const garbage = await callRoute(book.loader, await again("not-a-booking", customerId), { slug });
    expect(garbage.status).toBe(200);
    expect(garbage.data.rebook).toBeNull();
  });

  it("hides the booking from other users (404) and lets its owner cancel it", async () => {
    const seen = await callRoute(bookingPage.loader, await getRequest(`/bookings/${bookingId}`, { userId: orgAdminId }), { id: bookingId });
    expect(seen.status).toBe(404);
    const stranger = await callRoute(bookingPage.action, await formRequest(`/bookings/${bookingId}`, { intent: "cancel" }, { userId: orgAdminId }), { id: bookingId });
    expect(stranger.status).toBe(404);
    const [still] = await d.db.select({ status: bookings.status }).from(bookings).where(eq(bookings.id, bookingId));
    expect(still!.status).toBe("requested");

    const own = await callRoute(bookingPage.action, await formRequest(`/bookings/${bookingId}`, { intent: "cancel", reason: "样品未准备好" }, { userId: customerId }), { id: bookingId });
    expect(own.status).toBe(200);
    const page = await callRoute(bookingPage.loader, await getRequest(`/bookings/${bookingId}`, { userId: customerId }), { id: bookingId });
    expect(page.data.booking.status).toBe("cancelled");
    expect(page.data.history.map((e: { toStatus: string }) => e.toStatus)).toEqual(["requested", "cancelled"]);
    expect(page.data.history[1].reason).toBe("样品未准备好");
  });

  it("is 404 for a malformed booking id", async () => {
    const answer = await callRoute(bookingPage.loader, await getRequest("/bookings/not-a-uuid", { userId: customerId }), { id: "not-a-uuid" });
    expect(answer.status).toBe(404);
  });
});
