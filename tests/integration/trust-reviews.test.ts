import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog, labs, reviews, users } from "../../db/schema";
import type { Database } from "../../app/lib/db.server";
import * as adminReviewsRoute from "../../app/routes/admin.reviews";
import * as bookingRoute from "../../app/routes/bookings.$id";
import * as instrumentRoute from "../../app/routes/instruments.$slug";
import * as labReviewsRoute from "../../app/routes/manage.labs.$labId.reviews";
import { instrumentRatings, satisfactionByInstrument } from "../../app/trust/reviews.server";
import { instruments } from "../../db/schema";
import { demoCustomer, newUsers } from "../support/booking";
import { useTestDatabase } from "../support/db";
import { callRoute, formRequest, getRequest } from "../support/requests";
import { completedSlot } from "../support/trust";

let d: Database;
let customer: { userId: string; organizationId: string };
let staffId: string;
let platformAdmin: string;
let labId: string;

beforeAll(async () => {
  d = await useTestDatabase();
  customer = await demoCustomer(d);
  [staffId] = await newUsers(d, 1);
  [{ id: platformAdmin }] = await d.db.select({ id: users.id }).from(users).where(eq(users.email, "admin@openlab.test"));
  [{ id: labId }] = await d.db.select({ id: labs.id }).from(labs).where(eq(labs.slug, "zju-emlab"));
});

async function post(path: string, fields: Record<string, string>, userId: string) {
  return formRequest(path, fields, { userId });
}

const reviewsOf = (bookingId: string) => d.db.select().from(reviews).where(eq(reviews.bookingId, bookingId));

describe("reviews", () => {
  it("the customer rates a completed booking once; the lab replies once; the rating shows on the instrument page", async () => {
    const { bookingId, instrumentId } = await completedSlot(d, customer, staffId);
    const page = await callRoute(bookingRoute.loader, await getRequest(`/bookings/${bookingId}`, { userId: customer.userId }), { id: bookingId });
    expect(page.data.reviewable).toBe(true);

    const sent = await callRoute(bookingRoute.action, await post(`/bookings/${bookingId}`, { intent: "review", rating: "satisfied", comment: "出图快，操作员耐心。见 https://example.com" }, customer.userId), { id: bookingId });
    expect(sent.status).toBe(200);
    const [row] = await reviewsOf(bookingId);
    expect(row).toMatchObject({ rating: "satisfied", instrumentId, labId, userId: customer.userId });
    const [audited] = await d.db.select().from(auditLog).where(and(eq(auditLog.action, "review.create"), eq(auditLog.entityId, row!.id)));
    expect(audited).toBeDefined();

    const second = await callRoute(bookingRoute.action, await post(`/bookings/${bookingId}`, { intent: "review", rating: "very_dissatisfied" }, customer.userId), { id: bookingId });
    expect(second.status).toBe(409);
    expect(second.data.formError).toBe("reviews:errors.alreadyReviewed");
    expect(await reviewsOf(bookingId)).toHaveLength(1);

    const reply = await callRoute(labReviewsRoute.action, await post(`/manage/labs/${labId}/reviews`, { reviewId: row!.id, reply: "谢谢您的评价。" }, (await staffOfDemoLab())!), { labId });
    expect(reply.status).toBe(302);
    const again = await callRoute(labReviewsRoute.action, await post(`/manage/labs/${labId}/reviews`, { reviewId: row!.id, reply: "再回复一次" }, (await staffOfDemoLab())!), { labId });
    expect(again.status).toBe(409);
    const [replied] = await reviewsOf(bookingId);
    expect(replied!.reply).toBe("谢谢您的评价。");

    const [instrument] = await d.db.select({ slug: instruments.slug }).from(instruments).where(eq(instruments.id, instrumentId));
    const shown = await callRoute(instrumentRoute.loader, await getRequest(`/instruments/${instrument!.slug}`), { slug: instrument!.slug });
    expect(shown.data.ratings.summary).toMatchObject({ count: 1, satisfiedShare: 1, distribution: { satisfied: 1, very_satisfied: 0 } });

    const figures = await satisfactionByInstrument({ from: new Date("2000-01-01"), to: new Date("2100-01-01") }, [instrumentId]);
    expect(figures).toEqual([expect.objectContaining({ instrumentId, count: 1, satisfiedShare: 1 })]);
  });

  it("refuses a review of someone else's booking, with markup or an unknown level; nothing is stored", async () => {
    const { bookingId } = await completedSlot(d, customer, staffId);
    const [stranger] = await newUsers(d, 1);
    const forged = await callRoute(bookingRoute.action, await post(`/bookings/${bookingId}`, { intent: "review", rating: "very_dissatisfied" }, stranger!), { id: bookingId });
    expect(forged.status).toBe(404);

    const script = await callRoute(bookingRoute.action, await post(`/bookings/${bookingId}`, { intent: "review", rating: "neutral", comment: "<script>alert(1)</script>" }, customer.userId), { id: bookingId });
    expect(script.status).toBe(400);
    expect(script.data.errors.comment).toBe("reviews:validation.markup");

    const level = await callRoute(bookingRoute.action, await post(`/bookings/${bookingId}`, { intent: "review", rating: "excellent" }, customer.userId), { id: bookingId });
    expect(level.status).toBe(400);
    expect(level.data.errors.rating).toBeDefined();
    expect(await reviewsOf(bookingId)).toEqual([]);
  });

  it("a platform admin hides an abusive review with a reason; it is audited and no longer counted", async () => {
    const { bookingId, instrumentId } = await completedSlot(d, customer, staffId);
    await callRoute(bookingRoute.action, await post(`/bookings/${bookingId}`, { intent: "review", rating: "very_dissatisfied", comment: "骂人的话" }, customer.userId), { id: bookingId });
    const [row] = await reviewsOf(bookingId);
    const noReason = await callRoute(adminReviewsRoute.action, await post("/admin/reviews", { reviewId: row!.id, reason: " " }, platformAdmin));
    expect(noReason.status).toBe(400);
    const byStaff = await callRoute(adminReviewsRoute.action, await post("/admin/reviews", { reviewId: row!.id, reason: "辱骂" }, (await staffOfDemoLab())!));
    expect(byStaff.status).toBe(403);
    const hidden = await callRoute(adminReviewsRoute.action, await post("/admin/reviews", { reviewId: row!.id, reason: "辱骂" }, platformAdmin));
    expect(hidden.status).toBe(302);
    const [after] = await reviewsOf(bookingId);
    expect(after).toMatchObject({ hiddenReason: "辱骂", hiddenBy: platformAdmin });
    const [audited] = await d.db.select().from(auditLog).where(and(eq(auditLog.action, "review.hide"), eq(auditLog.entityId, row!.id)));
    expect(audited).toMatchObject({ actorUserId: platformAdmin, after: { hidden: true, reason: "辱骂" } });
    expect((await instrumentRatings(instrumentId)).summary.count).toBe(0);
  });
});

async function staffOfDemoLab() {
  const [row] = await d.db.select({ id: users.id }).from(users).where(eq(users.email, "staff@zju.openlab.test"));
  return row?.id;
}
