import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { bookings, instruments, qualifications, users } from "../../db/schema";
import { requestSlot, type SlotRequest } from "../../app/booking/bookings.server";
import { qualificationStanding, trainingPage, recordQualification, revokeQualification } from "../../app/booking/qualifications.server";
import { bookSeries, previewSeries } from "../../app/booking/series.server";
import { cancel } from "../../app/booking/transitions.server";
import type { Database } from "../../app/lib/db.server";
import * as bookRoute from "../../app/routes/instruments.$slug_.book";
import { at, bookableInstrument, demoCustomer, MONDAY_0800, newUsers } from "../support/booking";
import { useTestDatabase } from "../support/db";
import { callRoute, formRequest } from "../support/requests";

let d: Database;
let customer: { userId: string; organizationId: string };
let staffId: string;

const request = (instrumentId: string, start: string, end: string, extra: Partial<SlotRequest> = {}): SlotRequest => ({
  instrumentId,
  ...customer,
  start: at(start),
  end: at(end),
  purpose: "形貌观察",
  ...extra,
});

const bookingsOn = (instrumentId: string) => d.db.select({ id: bookings.id, status: bookings.status, seriesId: bookings.seriesId }).from(bookings).where(eq(bookings.instrumentId, instrumentId));

async function qualify(instrumentId: string, trainedOn: string, expiresOn: string) {
  const result = await recordQualification(instrumentId, { email: "customer@weina.openlab.test", trainedOn, expiresOn, trainer: "李工", note: "" }, staffId, MONDAY_0800);
  if (!result.ok) throw new Error(result.reason);
  return result.id;
}

beforeAll(async () => {
  d = await useTestDatabase();
  customer = await demoCustomer(d);
  const [staff] = await d.db.select({ id: users.id }).from(users).where(eq(users.email, "staff@zju.openlab.test"));
  staffId = staff!.id;
});

describe("training records and self-operated use", () => {
  it("refuses self-operated use without a qualification, changing nothing", async () => {
    const instrumentId = await bookableInstrument(d, { settings: { approvalMode: "never" } });
    const result = await requestSlot(request(instrumentId, "2026-03-03 09:00", "2026-03-03 10:00", { serviceMode: "self_operated" }), MONDAY_0800);
    expect(result).toEqual({ ok: false, reason: "qualification_required" });
    expect(await bookingsOn(instrumentId)).toEqual([]);
    // Operated by the lab's staff, the same request is fine.
    const staffOperated = await requestSlot(request(instrumentId, "2026-03-03 09:00", "2026-03-03 10:00", { serviceMode: "staff_operated" }), MONDAY_0800);
    expect(staffOperated).toMatchObject({ ok: true, booking: { status: "confirmed" } });
  });

  it("auto-confirms a qualified user in mode `qualified`, and lets an unqualified one wait", async () => {
    const instrumentId = await bookableInstrument(d, { settings: { approvalMode: "qualified" } });
    const waiting = await requestSlot(request(instrumentId, "2026-03-03 09:00", "2026-03-03 10:00"), MONDAY_0800);
    expect(waiting).toMatchObject({ ok: true, booking: { status: "requested" } });
    await qualify(instrumentId, "2026-02-01", "2026-12-31");
    const confirmed = await requestSlot(request(instrumentId, "2026-03-04 09:00", "2026-03-04 10:00", { serviceMode: "self_operated" }), MONDAY_0800);
    expect(confirmed).toMatchObject({ ok: true, booking: { status: "confirmed" } });
  });

  it("an expired qualification stops auto-confirmation and self-operated use, and the user sees it with the lab's contact", async () => {
    const instrumentId = await bookableInstrument(d, { settings: { approvalMode: "qualified" } });
    await qualify(instrumentId, "2025-01-01", "2026-02-28");
    const waits = await requestSlot(request(instrumentId, "2026-03-03 09:00", "2026-03-03 10:00"), MONDAY_0800);
    expect(waits).toMatchObject({ ok: true, booking: { status: "requested" } });
    const self = await requestSlot(request(instrumentId, "2026-03-04 09:00", "2026-03-04 10:00", { serviceMode: "self_operated" }), MONDAY_0800);
    expect(self).toEqual({ ok: false, reason: "qualification_expired" });
    expect(await bookingsOn(instrumentId)).toHaveLength(1);
    const standing = await qualificationStanding(customer.userId, instrumentId, MONDAY_0800);
    expect(standing!.qualification).toEqual({ state: "expired", expiresOn: "2026-02-28" });
    expect(standing!.lab.nameZh).toBeTruthy();
  });

  it("a qualification that ends before the booked day does not cover it", async () => {
    const instrumentId = await bookableInstrument(d, { settings: { approvalMode: "qualified" } });
    await qualify(instrumentId, "2026-01-01", "2026-03-03");
    expect(await requestSlot(request(instrumentId, "2026-03-03 09:00", "2026-03-03 10:00"), MONDAY_0800)).toMatchObject({ booking: { status: "confirmed" } });
    expect(await requestSlot(request(instrumentId, "2026-03-04 09:00", "2026-03-04 10:00"), MONDAY_0800)).toMatchObject({ booking: { status: "requested" } });
  });

  it("revoking ends the qualification; the list shows it; another instrument's record can't be revoked", async () => {
    const instrumentId = await bookableInstrument(d, { settings: { approvalMode: "qualified" } });
    const other = await bookableInstrument(d);
    const id = await qualify(instrumentId, "2026-02-01", "2026-12-31");
    expect(await revokeQualification(other, id, staffId, MONDAY_0800)).toBe(false);
    expect(await revokeQualification(instrumentId, id, staffId, MONDAY_0800)).toBe(true);
    expect(await revokeQualification(instrumentId, id, staffId, MONDAY_0800)).toBe(false);
    expect((await trainingPage(instrumentId, MONDAY_0800))!.records[0]).toMatchObject({
      userEmail: "customer@weina.openlab.test",
      trainer: "李工",
      revokedAt: MONDAY_0800.toISOString(),
      state: "revoked",
    });
    expect(await requestSlot(request(instrumentId, "2026-03-03 09:00", "2026-03-03 10:00"), MONDAY_0800)).toMatchObject({ booking: { status: "requested" } });
  });

  it("refuses an unknown email, recording nothing", async () => {
    const instrumentId = await bookableInstrument(d);
    const result = await recordQualification(instrumentId, { email: "nobody@example.com", trainedOn: "2026-01-01", expiresOn: "2026-12-31", trainer: "", note: "" }, staffId, MONDAY_0800);
    expect(result).toEqual({ ok: false, reason: "unknown_user" });
    expect(await d.db.select().from(qualifications).where(eq(qualifications.instrumentId, instrumentId))).toEqual([]);
  });
});

describe("weekly quota", () => {
  it("counts live and completed bookings of the week and refuses the excess with used and remaining minutes", async () => {
    const instrumentId = await bookableInstrument(d, { settings: { approvalMode: "never", weeklyQuotaMinutes: 180 } });
    const first = await requestSlot(request(instrumentId, "2026-03-03 09:00", "2026-03-03 10:00"), MONDAY_0800);
    const second = await requestSlot(request(instrumentId, "2026-03-04 09:00", "2026-03-04 10:00"), MONDAY_0800);
    if (!first.ok || !second.ok) throw new Error("setup refused");
    await d.db.update(bookings).set({ status: "completed" }).where(eq(bookings.id, second.booking.id));
    const over = await requestSlot(request(instrumentId, "2026-03-05 09:00", "2026-03-05 10:30"), MONDAY_0800);
    expect(over).toEqual({ ok: false, reason: "over_quota", quota: { usedMinutes: 120, remainingMinutes: 60, quotaMinutes: 180 } });
    expect(await bookingsOn(instrumentId)).toHaveLength(2);
    // Exactly the remainder fits; a cancelled booking frees its minutes; next week starts afresh.
    await cancel({ bookingId: first.booking.id, actorUserId: customer.userId }, MONDAY_0800);
    expect(await requestSlot(request(instrumentId, "2026-03-05 09:00", "2026-03-05 11:00"), MONDAY_0800)).toMatchObject({ ok: true });
    expect(await requestSlot(request(instrumentId, "2026-03-06 09:00", "2026-03-06 09:30"), MONDAY_0800)).toMatchObject({ reason: "over_quota" });
    expect(await requestSlot(request(instrumentId, "2026-03-09 09:00", "2026-03-09 12:00"), MONDAY_0800)).toMatchObject({ ok: true });
  });

  it("another user's bookings don't count against this user's quota", async () => {
    const instrumentId = await bookableInstrument(d, { settings: { approvalMode: "never", weeklyQuotaMinutes: 60 } });
    const [otherUser] = await newUsers(d, 1);
    expect(await requestSlot({ ...request(instrumentId, "2026-03-03 09:00", "2026-03-03 10:00"), userId: otherUser! }, MONDAY_0800)).toMatchObject({ ok: true });
    expect(await requestSlot(request(instrumentId, "2026-03-04 09:00", "2026-03-04 10:00"), MONDAY_0800)).toMatchObject({ ok: true });
  });
});

describe("recurring requests", () => {
  it("previews every occurrence as a whole and books the fitting ones under one series id", async () => {
    const instrumentId = await bookableInstrument(d, { settings: { approvalMode: "always", weeklyQuotaMinutes: 120 } });
    const [otherUser] = await newUsers(d, 1);
    // Someone else holds the second Tuesday; the third week already has this user's 90 minutes.
    await requestSlot({ ...request(instrumentId, "2026-03-10 09:00", "2026-03-10 10:00"), userId: otherUser! }, MONDAY_0800);
    await requestSlot(request(instrumentId, "2026-03-19 09:00", "2026-03-19 10:30"), MONDAY_0800);
    const first = request(instrumentId, "2026-03-03 09:00", "2026-03-03 10:00");
    const preview = (await previewSeries(first, 4, MONDAY_0800))!;
    expect(preview.map((o) => [o.start, o.verdict])).toEqual([
      [at("2026-03-03 09:00"), { ok: true, status: "requested" }],
      [at("2026-03-10 09:00"), { ok: false, reason: "conflict" }],
      [at("2026-03-17 09:00"), { ok: false, reason: "over_quota", quota: { usedMinutes: 90, remainingMinutes: 30, quotaMinutes: 120 } }],
      [at("2026-03-24 09:00"), { ok: true, status: "requested" }],
    ]);
    const before = (await bookingsOn(instrumentId)).length;
    // Asking for an occurrence that conflicts books nothing at all.
    const refused = await bookSeries(first, 4, [at("2026-03-03 09:00"), at("2026-03-10 09:00")], MONDAY_0800);
    expect(refused).toMatchObject({ ok: false, reason: "series_changed" });
    expect(await bookingsOn(instrumentId)).toHaveLength(before);
    const booked = await bookSeries(first, 4, [at("2026-03-03 09:00"), at("2026-03-24 09:00")], MONDAY_0800);
    if (!booked.ok) throw new Error(booked.reason);
    expect(booked.bookings.map((b) => b.period.start)).toEqual([at("2026-03-03 09:00"), at("2026-03-24 09:00")]);
    const series = await d.db.select().from(bookings).where(and(eq(bookings.instrumentId, instrumentId), eq(bookings.seriesId, booked.seriesId)));
    expect(series).toHaveLength(2);
  });
});

describe("the booking form", () => {
  it("shows the quota refusal with its figures and books nothing", async () => {
    const instrumentId = await bookableInstrument(d, { settings: { approvalMode: "never", weeklyQuotaMinutes: 30, maxAdvanceDays: 730 } });
    const [row] = await d.db.select({ slug: instruments.slug }).from(instruments).where(eq(instruments.id, instrumentId));
    // Next week's Tuesday 09:00–10:00 in Shanghai, whatever today is.
    const now = new Date();
    const daysToTuesday = ((9 - new Date(now.getTime() + 8 * 3_600_000).getUTCDay()) % 7) + 7;
    const day = new Date(now.getTime() + 8 * 3_600_000 + daysToTuesday * 86_400_000).toISOString().slice(0, 10);
    const answer = await callRoute(
      bookRoute.action,
      await formRequest(`/instruments/${row!.slug}/book`, { start: `${day}T09:00:00+08:00`, end: `${day}T10:00:00+08:00`, purpose: "测试", weeks: "1", intent: "request" }, { userId: customer.userId }),
      { slug: row!.slug },
    );
    expect(answer.status).toBe(400);
    expect(answer.data).toMatchObject({ formError: "training:errors.over_quota", formParams: { used: 0, remaining: 30, quota: 30 } });
    expect(await bookingsOn(instrumentId)).toEqual([]);
  });
});
