import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { bookingEvents, labs, users } from "../../db/schema";
import { seedDemoUnderWay } from "../../db/seed/under-way";
import { myBookings } from "../../app/booking/reservations.server";
import { labQueue } from "../../app/booking/queue.server";
import { labSampleJobs } from "../../app/booking/sample-queries.server";
import type { Database } from "../../app/lib/db.server";
import * as myLabsRoute from "../../app/routes/manage._index";
import { useTestDatabase } from "../support/db";
import { callRoute, getRequest } from "../support/requests";

let d: Database;
let labId: string;
let customerId: string;
const now = new Date();

beforeAll(async () => {
  // A database of its own: the demo lab's queue is asserted whole.
  d = await useTestDatabase({ isolated: true });
  [{ id: labId }] = await d.db.select({ id: labs.id }).from(labs).where(eq(labs.slug, "zju-emlab"));
  [{ id: customerId }] = await d.db.select({ id: users.id }).from(users).where(eq(users.email, "customer@weina.openlab.test"));
  await seedDemoUnderWay(d.db, now);
});

describe("the demo's work under way", () => {
  it("gives the lab two requests to answer, on different days ahead", async () => {
    const { pending } = await labQueue(labId, now);
    expect(pending).toHaveLength(2);
    const days = pending.map((p) => p.period!.start.toISOString().slice(0, 10));
    expect(new Set(days).size).toBe(2);
    for (const p of pending) expect(p.period!.start.getTime()).toBeGreaterThan(now.getTime());
    expect(new Set(pending.map((p) => p.userName)).size).toBe(2);
  });

  it("gives the lab last week's session, checked in and still awaiting its check-out", async () => {
    const { unfinished, schedule } = await labQueue(labId, now);
    expect(unfinished).toHaveLength(1);
    expect(unfinished[0]).toMatchObject({ status: "in_use", purpose: "高分子薄膜断面形貌" });
    expect(unfinished[0]!.period!.end.getTime()).toBeLessThan(now.getTime() - 86_400_000);
    expect(schedule.some((r) => r.id === unfinished[0]!.id)).toBe(false);
    const events = await d.db.select({ to: bookingEvents.toStatus }).from(bookingEvents).where(eq(bookingEvents.bookingId, unfinished[0]!.id));
    expect(events.map((e) => e.to)).toEqual(expect.arrayContaining(["requested", "confirmed", "in_use"]));
  });

  it("gives the lab a sample job whose samples have arrived", async () => {
    const jobs = await labSampleJobs(labId);
    expect(jobs.map((j) => j.status)).toEqual(["samples_received"]);
    expect(Date.parse(jobs[0]!.samplesReceivedAt!)).toBeLessThan(now.getTime());
  });

  it("gives the demo customer a confirmed booking, a request and the sample job under way, each with its events", async () => {
    const list = await myBookings(customerId, { status: null, view: null, page: 1 });
    expect(list.bookings.map((b) => b.status).sort()).toEqual(["confirmed", "requested", "samples_received"]);
    const [confirmed] = list.bookings.filter((b) => b.status === "confirmed");
    const events = await d.db.select({ to: bookingEvents.toStatus }).from(bookingEvents).where(eq(bookingEvents.bookingId, confirmed!.id));
    expect(events.map((e) => e.to).sort()).toEqual(["confirmed", "requested"]);
  });

  it("counts the lab's waiting work on 我的实验室 as its queue page lists it", async () => {
    const [[{ id: staffId }], { pending, schedule, unfinished }, jobs] = await Promise.all([
      d.db.select({ id: users.id }).from(users).where(eq(users.email, "staff@zju.openlab.test")),
      labQueue(labId, now),
      labSampleJobs(labId),
    ]);
    const answer = await callRoute(myLabsRoute.loader, await getRequest("/manage", { userId: staffId }));
    expect(answer.status).toBe(200);
    const card = answer.data.labs.find((l: { id: string }) => l.id === labId);
    expect(card.work).toEqual({ pending: pending.length, today: schedule.length, unfinished: unfinished.length, sampleJobs: jobs.length });
    expect(card.work.unfinished).toBe(1);
    expect(card.work.pending).toBe(2);
    expect(card.work.sampleJobs).toBe(1);
  });
});
