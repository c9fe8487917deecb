import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { bookings, labs, memberships, users } from "../../db/schema";
import { bookingHistory } from "../../app/booking/transitions.server";
import type { Database } from "../../app/lib/db.server";
import * as bookingRoute from "../../app/routes/bookings.$id";
import * as checkInRoute from "../../app/routes/bookings.$id_.check-in";
import { bookableInstrument, demoCustomer } from "../support/booking";
import { unique, useTestDatabase } from "../support/db";
import { callRoute, formRequest, getRequest } from "../support/requests";

let d: Database;
let customer: { userId: string; organizationId: string };
let staffId: string;
let otherStaffId: string;

const MINUTE = 60_000;

/** A confirmed booking of the demo customer starting `offsetMinutes` from the real clock (the route reads it), on its own instrument. */
async function confirmedAround(offsetMinutes: number): Promise<string> {
  const instrumentId = await bookableInstrument(d);
  const start = new Date(Math.floor(Date.now() / MINUTE) * MINUTE + offsetMinutes * MINUTE);
  const [row] = await d.db
    .insert(bookings)
    .values({ instrumentId, ...customer, kind: "slot", status: "confirmed", period: { start, end: new Date(start.getTime() + 20 * MINUTE) }, purpose: "扫码签到" })
    .returning({ id: bookings.id });
  return row!.id;
}

const status = async (id: string) => (await d.db.select({ status: bookings.status }).from(bookings).where(eq(bookings.id, id)))[0]!.status;
const post = async (id: string, userId: string) => callRoute(checkInRoute.action, await formRequest(`/bookings/${id}/check-in`, {}, { userId }), { id });

beforeAll(async () => {
  d = await useTestDatabase();
  customer = await demoCustomer(d);
  const [staff] = await d.db.select({ id: users.id }).from(users).where(eq(users.email, "staff@zju.openlab.test"));
  staffId = staff!.id;
  const [nmr] = await d.db.select({ id: labs.id, organizationId: labs.organizationId }).from(labs).where(eq(labs.slug, "iccas-nmr"));
  const [u] = await d.db.insert(users).values({ email: `nmr-${unique()}@example.com`, passwordHash: "x", displayName: "核磁", emailVerifiedAt: new Date() }).returning({ id: users.id });
  otherStaffId = u!.id;
  await d.db.insert(memberships).values({ userId: otherStaffId, organizationId: nmr!.organizationId, role: "lab_staff", labId: nmr!.id });
});

describe("QR check-in", () => {
  it("the booking page shows a QR code (SVG) that encodes the check-in URL", async () => {
    const id = await confirmedAround(60);
    const answer = await callRoute(bookingRoute.loader, await getRequest(`/bookings/${id}`, { userId: customer.userId }), { id });
    expect(answer.status).toBe(200);
    expect(answer.data.checkInQr).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
  });

  it("lab staff of the instrument check the booking in at any time; the event is written once", async () => {
    const id = await confirmedAround(90);
    const page = await callRoute(checkInRoute.loader, await getRequest(`/bookings/${id}/check-in`, { userId: staffId }), { id });
    expect(page.data).toMatchObject({ as: "staff", inWindow: true });
    expect((await post(id, staffId)).status).toBe(200);
    expect(await status(id)).toBe("in_use");
    expect((await post(id, staffId)).status).toBe(200);
    expect((await bookingHistory(id)).map((e) => e.toStatus)).toEqual(["in_use"]);
  });

  it("another lab's staff and other users get 404 and change nothing", async () => {
    const id = await confirmedAround(0);
    expect((await post(id, otherStaffId)).status).toBe(404);
    const [stranger] = await d.db.insert(users).values({ email: `x-${unique()}@example.com`, passwordHash: "x", displayName: "路人", emailVerifiedAt: new Date() }).returning({ id: users.id });
    expect((await post(id, stranger!.id)).status).toBe(404);
    expect(await status(id)).toBe("confirmed");
    expect(await bookingHistory(id)).toEqual([]);
  });

  it("the customer checks in only around the start; being late is recorded", async () => {
    const early = await confirmedAround(60);
    const refused = await post(early, customer.userId);
    expect(refused.status).toBe(409);
    expect(refused.data.error).toBe("usage:checkIn.outsideWindow");
    expect(await status(early)).toBe("confirmed");
    const late = await confirmedAround(-12);
    const done = await post(late, customer.userId);
    expect(done.status).toBe(200);
    expect(done.data.late).toBeGreaterThanOrEqual(12);
    expect(await status(late)).toBe("in_use");
  });

  it("a booking that isn't confirmed can't be checked in", async () => {
    const id = await confirmedAround(0);
    await d.db.update(bookings).set({ status: "cancelled" }).where(eq(bookings.id, id));
    expect((await post(id, staffId)).status).toBe(409);
    expect(await status(id)).toBe("cancelled");
  });
});
