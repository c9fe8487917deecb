import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { bookings, labs, memberships, organizations, usageRecords, users } from "../../db/schema";
import type { BookingStatus } from "../../db/schema/booking-vocabulary";
import { requestSlot } from "../../app/booking/bookings.server";
import { labQueue, labWorkload } from "../../app/booking/queue.server";
import { bookingHistory } from "../../app/booking/transitions.server";
import type { Database } from "../../app/lib/db.server";
import * as queueRoute from "../../app/routes/manage.labs.$labId.bookings";
import * as checkOutRoute from "../../app/routes/manage.labs.$labId.bookings_.$bookingId.check-out";
import { at, bookableInstrument, demoCustomer, MONDAY_0800 } from "../support/booking";
import { unique, useTestDatabase } from "../support/db";
import { callRoute, formRequest, getRequest } from "../support/requests";

let d: Database;
let customer: { userId: string; organizationId: string };
let staffId: string;
let otherStaffId: string;
let emlab: string;
let nmr: string;
let instrumentId: string;
/** Seven requests on Tuesday 3 March (one on Wednesday), made a minute apart in this order. */
const b: { id: string; reference: string }[] = [];
const slots = [
  ["2026-03-03 08:30", "2026-03-03 09:30"],
  ["2026-03-03 09:30", "2026-03-03 10:30"],
  ["2026-03-03 10:30", "2026-03-03 11:30"],
  ["2026-03-03 13:30", "2026-03-03 14:30"],
  ["2026-03-03 14:30", "2026-03-03 15:30"],
  ["2026-03-03 15:30", "2026-03-03 16:30"],
  ["2026-03-04 09:00", "2026-03-04 10:00"],
] as const;

async function labOf(slug: string) {
  const [l] = await d.db.select({ id: labs.id, organizationId: labs.organizationId }).from(labs).where(eq(labs.slug, slug));
  return l!;
}

async function state(bookingId: string): Promise<{ status: BookingStatus; events: number }> {
  const [row] = await d.db.select({ status: bookings.status }).from(bookings).where(eq(bookings.id, bookingId));
  return { status: row!.status, events: (await bookingHistory(bookingId)).length };
}

const post = async (userId: string, fields: Record<string, string>, lab = emlab) =>
  callRoute(queueRoute.action, await formRequest(`/manage/labs/${lab}/bookings`, fields, { userId }), { labId: lab });

/** A bulk form: repeated `bookingIds` fields, which formRequest's record can't express. */
async function postBulk(userId: string, intent: string, ids: string[], reason = "", lab = emlab) {
  const request = await formRequest(`/manage/labs/${lab}/bookings`, { intent, reason }, { userId });
  const body = new URLSearchParams(await request.text());
  for (const id of ids) body.append("bookingIds", id);
  return callRoute(queueRoute.action, new Request(request.url, { method: "POST", headers: request.headers, body }), { labId: lab });
}

const usageFields = {
  startedAt: "2026-03-03T08:40",
  endedAt: "2026-03-03T09:30",
  preparationMinutes: "5",
  measurementMinutes: "35",
  postProcessingMinutes: "5",
  idleMinutes: "5",
  samplesCount: "2",
  note: "正常",
} as Record<string, string>;

async function checkOutWith(bookingId: string, fields: Record<string, string>, userId = staffId, lab = emlab) {
  const path = `/manage/labs/${lab}/bookings/${bookingId}/check-out`;
  const withOperator = "measurementMinutes" in fields ? { operatorUserId: staffId, ...fields } : fields;
  return callRoute(checkOutRoute.action, await formRequest(path, withOperator, { userId }), { labId: lab, bookingId });
}

beforeAll(async () => {
  d = await useTestDatabase();
  customer = await demoCustomer(d);
  const [staff] = await d.db.select({ id: users.id }).from(users).where(eq(users.email, "staff@zju.openlab.test"));
  staffId = staff!.id;
  emlab = (await labOf("zju-emlab")).id;
  const other = await labOf("iccas-nmr");
  nmr = other.id;
  const [u] = await d.db
    .insert(users)
    .values({ email: `nmr-staff-${unique()}@example.com`, passwordHash: "x", displayName: "核磁实验室", emailVerifiedAt: new Date() })
    .returning({ id: users.id });
  otherStaffId = u!.id;
  await d.db.insert(memberships).values({ userId: otherStaffId, organizationId: other.organizationId, role: "lab_staff", labId: nmr });
  instrumentId = await bookableInstrument(d);
  for (const [i, [start, end]] of slots.entries()) {
    const result = await requestSlot(
      { instrumentId, ...customer, start: at(start), end: at(end), purpose: `用途${i}` },
      new Date(MONDAY_0800.getTime() + i * 60_000),
    );
    if (!result.ok) throw new Error(`request refused: ${result.reason}`);
    b.push(result.booking);
  }
});

describe("the lab's queue", () => {
  it("lists pending requests oldest first with customer, instrument, period and purpose", async () => {
    const { pending } = await labQueue(emlab, MONDAY_0800);
    const mine = pending.filter((r) => b.some((x) => x.id === r.id));
    expect(mine.map((r) => r.id)).toEqual(b.map((x) => x.id));
    const [org] = await d.db.select({ nameZh: organizations.nameZh }).from(organizations).where(eq(organizations.id, customer.organizationId));
    expect(mine[0]).toMatchObject({
      reference: b[0]!.reference,
      userName: "张伟",
      organizationNameZh: org!.nameZh,
      instrumentNameZh: "预约测试扫描电镜",
      purpose: "用途0",
      period: { start: at(slots[0][0]), end: at(slots[0][1]) },
    });
    // Another lab sees none of them.
    const other = await labQueue(nmr, MONDAY_0800);
    expect(other.pending.some((r) => b.some((x) => x.id === r.id))).toBe(false);
  });

  it("renders both sections for the lab's staff", async () => {
    const answer = await callRoute(queueRoute.loader, await getRequest(`/manage/labs/${emlab}/bookings`, { userId: staffId }), { labId: emlab });
    expect(answer.status).toBe(200);
    expect(answer.data.pending.map((r: { id: string }) => r.id)).toEqual(expect.arrayContaining(b.map((x) => x.id)));
  });
});

describe("answering requests", () => {
  it("approves one", async () => {
    const answer = await post(staffId, { intent: "approve", bookingId: b[0]!.id });
    expect(answer.status).toBe(200);
    expect(answer.data.notice).toContain(b[0]!.reference);
    expect(await state(b[0]!.id)).toEqual({ status: "confirmed", events: 2 });
  });

  it("needs a reason to reject, then rejects with it", async () => {
    const missing = await post(staffId, { intent: "reject", bookingId: b[1]!.id, reason: "   " });
    expect(missing.status).toBe(400);
    expect(missing.data.errors).toEqual({ reason: "validation.required" });
    expect(await state(b[1]!.id)).toEqual({ status: "requested", events: 1 });
    // Postgres text cannot hold NUL: refused at the field, not an error page.
    const nul = await post(staffId, { intent: "reject", bookingId: b[1]!.id, reason: "样品\u0000喷金" });
    expect(nul.status).toBe(400);
    expect(nul.data.errors).toEqual({ reason: "validation.invalid" });
    expect(await state(b[1]!.id)).toEqual({ status: "requested", events: 1 });
    const answer = await post(staffId, { intent: "reject", bookingId: b[1]!.id, reason: "样品需先喷金" });
    expect(answer.status).toBe(200);
    expect(await state(b[1]!.id)).toEqual({ status: "rejected", events: 2 });
    expect((await bookingHistory(b[1]!.id)).at(-1)).toMatchObject({ reason: "样品需先喷金", actorUserId: staffId });
  });

  it("refuses an impossible transition with 409 and changes nothing", async () => {
    const answer = await post(staffId, { intent: "approve", bookingId: b[1]!.id });
    expect(answer.status).toBe(409);
    expect(answer.data.errors).toEqual({ _form: "booking:errors.invalid_transition" });
    expect(await state(b[1]!.id)).toEqual({ status: "rejected", events: 2 });
  });

  it("approves in bulk and reports which failed, translated", async () => {
    const answer = await postBulk(staffId, "bulkApprove", [b[2]!.id, b[3]!.id]);
    expect(answer.status).toBe(200);
    expect(answer.data).toMatchObject({ notice: "成功处理 2 项。", failed: [] });
    expect((await state(b[2]!.id)).status).toBe("confirmed");
    expect((await state(b[3]!.id)).status).toBe("confirmed");
    const mixed = await postBulk(staffId, "bulkApprove", [b[4]!.id, b[1]!.id]);
    expect(mixed.data).toMatchObject({ notice: "成功处理 1 项。", failed: [{ reference: b[1]!.reference, reason: "该预约当前状态下不能进行此操作。" }] });
    expect((await state(b[4]!.id)).status).toBe("confirmed");
  });

  it("rejects in bulk only with a reason", async () => {
    const missing = await postBulk(staffId, "bulkReject", [b[5]!.id]);
    expect(missing.status).toBe(400);
    expect(missing.data.errors).toEqual({ reason: "validation.required" });
    expect(await state(b[5]!.id)).toEqual({ status: "requested", events: 1 });
    const none = await postBulk(staffId, "bulkApprove", []);
    expect(none.status).toBe(400);
  });
});

describe("what happened", () => {
  it("checks a confirmed booking in; check-out without the usage record is refused, before check-in too", async () => {
    expect((await checkOutWith(b[2]!.id, usageFields)).status).toBe(409);
    expect((await state(b[2]!.id)).status).toBe("confirmed");
    expect((await post(staffId, { intent: "checkIn", bookingId: b[0]!.id })).status).toBe(200);
    expect((await state(b[0]!.id)).status).toBe("in_use");
    // The queue has no bare check-out any more; the form without its figures changes nothing.
    expect((await post(staffId, { intent: "checkOut", bookingId: b[0]!.id })).status).toBe(400);
    const missing = await checkOutWith(b[0]!.id, { startedAt: usageFields.startedAt, endedAt: usageFields.endedAt });
    expect(missing.status).toBe(400);
    expect(missing.data.errors).toMatchObject({ measurementMinutes: "validation.required", operatorUserId: "validation.required" });
    const tooLong = await checkOutWith(b[0]!.id, { ...usageFields, idleMinutes: "200" });
    expect(tooLong.data.errors).toEqual({ measurementMinutes: "usage:validation.phasesTooLong" });
    expect(await state(b[0]!.id)).toEqual({ status: "in_use", events: 3 });
    expect(await d.db.select().from(usageRecords).where(eq(usageRecords.bookingId, b[0]!.id))).toEqual([]);
  });

  it("checks out with the usage record in one step; another lab's staff can't", async () => {
    expect((await checkOutWith(b[0]!.id, usageFields, otherStaffId, nmr)).status).toBe(404);
    const done = await checkOutWith(b[0]!.id, usageFields);
    expect(done.status).toBe(302);
    expect(await state(b[0]!.id)).toEqual({ status: "completed", events: 4 });
    const [record] = await d.db.select().from(usageRecords).where(eq(usageRecords.bookingId, b[0]!.id));
    expect(record).toMatchObject({
      startedAt: at("2026-03-03 08:40"),
      endedAt: at("2026-03-03 09:30"),
      preparationMinutes: 5,
      measurementMinutes: 35,
      postProcessingMinutes: 5,
      idleMinutes: 5,
      samplesCount: 2,
      operatorUserId: staffId,
      recordedBy: staffId,
      note: "正常",
      organizationId: customer.organizationId,
    });
    // Checked in through the queue at the real clock, long after 08:30 on 3 March 2026.
    expect(record!.lateStartMinutes).toBeGreaterThan(0);
    // Repeating it is a no-op that writes nothing more.
    expect((await checkOutWith(b[0]!.id, usageFields)).status).toBe(302);
    expect((await state(b[0]!.id)).events).toBe(4);
  });

  it("schedules today's confirmed, in-use and completed bookings of the lab's zone", async () => {
    const { schedule } = await labQueue(emlab, at("2026-03-03 07:00"));
    const mine = schedule.filter((r) => b.some((x) => x.id === r.id)).map((r) => [r.reference, r.status]);
    expect(mine).toEqual([
      [b[0]!.reference, "completed"],
      [b[2]!.reference, "confirmed"],
      [b[3]!.reference, "confirmed"],
      [b[4]!.reference, "confirmed"],
    ]);
    // 16:30 UTC on Monday is already 00:30 on Tuesday in Shanghai.
    const early = await labQueue(emlab, new Date("2026-03-02T16:30:00Z"));
    expect(early.schedule.filter((r) => b.some((x) => x.id === r.id))).toHaveLength(4);
  });
});

describe("another day's schedule", () => {
  it("shows the day asked for in the lab's zone, with the days either side; a bad date shows today", async () => {
    const wednesday = await labQueue(emlab, at("2026-03-03 07:00"), { year: 2026, month: 3, day: 4 });
    const mine = wednesday.schedule.filter((r) => b.some((x) => x.id === r.id));
    // b[6] was never approved: requests wait under 待审核, not in a schedule.
    expect(mine).toEqual([]);
    await post(staffId, { intent: "approve", bookingId: b[6]!.id });
    const after = await labQueue(emlab, at("2026-03-03 07:00"), { year: 2026, month: 3, day: 4 });
    expect(after.schedule.filter((r) => b.some((x) => x.id === r.id)).map((r) => r.id)).toEqual([b[6]!.id]);
    const page = async (query: string) =>
      (await callRoute(queueRoute.loader, await getRequest(`/manage/labs/${emlab}/bookings${query}`, { userId: staffId }), { labId: emlab })).data;
    const day = await page("?day=2026-03-04");
    expect(day.scheduleDay).toMatchObject({ date: "2026-03-04", previous: "2026-03-03", next: "2026-03-05" });
    expect(day.schedule.map((r: { id: string }) => r.id)).toContain(b[6]!.id);
    for (const bad of ["?day=2026-02-30", "?day=tomorrow", "?day=", "?day=9999-12-31", "?day=0000-01-01"]) {
      const shown = await page(bad);
      expect(shown.scheduleDay.date).toBe(shown.scheduleDay.today);
    }
  });
});

describe("the lab cancels a booking", () => {
  it("cancels a confirmed booking with a reason the customer is told, and nothing else", async () => {
    const booked = await requestSlot(
      { instrumentId, ...customer, start: at("2027-03-09 09:00"), end: at("2027-03-09 10:00"), purpose: "设备故障前的预约" },
      new Date("2027-03-01T00:00:00Z"),
    );
    if (!booked.ok) throw new Error(`request refused: ${booked.reason}`);
    const id = booked.booking.id;
    await post(staffId, { intent: "approve", bookingId: id });
    const missing = await post(staffId, { intent: "cancel", bookingId: id, reason: " " });
    expect(missing.status).toBe(400);
    expect(missing.data).toMatchObject({ intent: "cancel", bookingId: id, errors: { reason: "validation.required" } });
    expect(await state(id)).toEqual({ status: "confirmed", events: 2 });
    // Another lab's staff, through their own page, don't find it.
    expect((await post(otherStaffId, { intent: "cancel", bookingId: id, reason: "不是我们的" }, nmr)).status).toBe(404);

    const done = await post(staffId, { intent: "cancel", bookingId: id, reason: "电镜故障，等待厂家维修" });
    expect(done.status).toBe(200);
    expect(done.data.notice).toBe(`已取消预约 ${booked.booking.reference}，已通知预约人。`);
    expect(await state(id)).toEqual({ status: "cancelled", events: 3 });
    expect((await bookingHistory(id)).find((e) => e.toStatus === "cancelled")).toMatchObject({ fromStatus: "confirmed", actorUserId: staffId, reason: "电镜故障，等待厂家维修" });
    // Done once: a second cancellation is a no-op, a check-in afterwards refused.
    expect((await post(staffId, { intent: "cancel", bookingId: id, reason: "再次" })).data.notice).toContain("未作更改");
    expect((await post(staffId, { intent: "checkIn", bookingId: id })).status).toBe(409);
    expect(await state(id)).toEqual({ status: "cancelled", events: 3 });
  });
});

describe("sessions left in use", () => {
  it("lists a booking checked in and never checked out once its day is over, and proposes its booked end", async () => {
    expect((await post(staffId, { intent: "checkIn", bookingId: b[2]!.id })).status).toBe(200);
    const mine = (rows: { id: string }[]) => rows.filter((r) => b.some((x) => x.id === r.id)).map((r) => r.id);
    // Still on its day (23:50 in Shanghai): today's schedule, nothing overdue yet.
    const sameDay = await labQueue(emlab, new Date("2026-03-03T15:50:00Z"));
    expect(mine(sameDay.unfinished)).toEqual([]);
    expect(mine(sameDay.schedule)).toContain(b[2]!.id);
    // Past the lab's midnight it leaves today's schedule for the list awaiting check-out.
    const nextDay = await labQueue(emlab, new Date("2026-03-03T16:10:00Z"));
    expect(mine(nextDay.unfinished)).toEqual([b[2]!.id]);
    expect(mine(nextDay.schedule)).not.toContain(b[2]!.id);
    const workload = await labWorkload([emlab], new Date("2026-03-03T16:10:00Z"));
    expect(workload.get(emlab)!.unfinished).toBe(nextDay.unfinished.length);
    // The page lists it, and its check-out form proposes the booked end rather than today.
    const page = await callRoute(queueRoute.loader, await getRequest(`/manage/labs/${emlab}/bookings`, { userId: staffId }), { labId: emlab });
    expect(mine(page.data.unfinished)).toEqual([b[2]!.id]);
    const form = await callRoute(
      checkOutRoute.loader,
      await getRequest(`/manage/labs/${emlab}/bookings/${b[2]!.id}/check-out`, { userId: staffId }),
      { labId: emlab, bookingId: b[2]!.id },
    );
    expect(form.data.defaults).toEqual({ startedAt: expect.any(String), endedAt: "2026-03-03T11:30" });
    // Checked out, it is off the list.
    expect((await checkOutWith(b[2]!.id, { ...usageFields, startedAt: "2026-03-03T10:30", endedAt: "2026-03-03T11:30" })).status).toBe(302);
    expect(mine((await labQueue(emlab, new Date("2026-03-03T16:10:00Z"))).unfinished)).toEqual([]);
  });
});

describe("who may act", () => {
  it("refuses another lab's staff and customers, changing nothing", async () => {
    const target = b[5]!.id;
    const foreign = await post(otherStaffId, { intent: "approve", bookingId: target });
    expect([403, 404]).toContain(foreign.status);
    // Through their own lab's page, the booking isn't theirs: 404 before any transition.
    const tampered = await post(otherStaffId, { intent: "approve", bookingId: target }, nmr);
    expect(tampered.status).toBe(404);
    const bulk = await postBulk(otherStaffId, "bulkReject", [target], "不是我们的", nmr);
    expect(bulk.status).toBe(404);
    const asCustomer = await post(customer.userId, { intent: "approve", bookingId: target });
    expect(asCustomer.status).toBe(403);
    expect(await state(target)).toEqual({ status: "requested", events: 1 });
  });
});
