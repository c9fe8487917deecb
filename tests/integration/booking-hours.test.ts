import { count, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { availabilityRules, bookings, bookingSettings, closures, users } from "../../db/schema";
import { requestSlot } from "../../app/booking/bookings.server";
import { approve, cancel } from "../../app/booking/transitions.server";
import { availabilityInputs } from "../../app/availability/inputs.server";
import type { Database } from "../../app/lib/db.server";
import { newCsrfToken } from "../../app/lib/session.server";
import * as hoursRoute from "../../app/routes/manage.instruments.$id.hours";
import { at, bookableInstrument, demoCustomer } from "../support/booking";
import { useTestDatabase } from "../support/db";
import { callRoute, getRequest, sessionCookie, sessionFrom } from "../support/requests";

let d: Database;
let staffId: string;
let customerId: string;
let instrumentId: string;

/** A form POST whose fields may repeat (several intervals per weekday). */
async function post(id: string, fields: [string, string][], userId = staffId) {
  const csrf = newCsrfToken();
  const body = new URLSearchParams([...fields, ["_csrf", csrf]]);
  const request = new Request(`http://localhost/manage/instruments/${id}/hours`, {
    method: "POST",
    body,
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: await sessionCookie({ userId, csrf }) },
  });
  return callRoute(hoursRoute.action, request, { id });
}

const rulesOf = (id: string) =>
  d.db
    .select({ weekday: availabilityRules.weekday, startMinute: availabilityRules.startMinute, endMinute: availabilityRules.endMinute })
    .from(availabilityRules)
    .where(eq(availabilityRules.instrumentId, id))
    .orderBy(availabilityRules.weekday, availabilityRules.startMinute);

const settingsFields = (overrides: Record<string, string> = {}): [string, string][] =>
  Object.entries({
    intent: "settings",
    slotMinutes: "15",
    minNoticeMinutes: "60",
    maxAdvanceDays: "30",
    minLengthMinutes: "60",
    maxLengthMinutes: "240",
    bufferMinutes: "15",
    requestExpiryHours: "24",
    weeklyQuotaHours: "10",
    approvalMode: "never",
    ...overrides,
  });

beforeAll(async () => {
  d = await useTestDatabase();
  const [staff] = await d.db.select({ id: users.id }).from(users).where(eq(users.email, "staff@zju.openlab.test"));
  const [customer] = await d.db.select({ id: users.id }).from(users).where(eq(users.email, "customer@weina.openlab.test"));
  staffId = staff!.id;
  customerId = customer!.id;
  instrumentId = await bookableInstrument(d);
});

describe("the opening hours page", () => {
  it("shows the instrument's rules and default settings to its lab staff, and nobody else", async () => {
    const page = await callRoute(hoursRoute.loader, await getRequest(`/manage/instruments/${instrumentId}/hours`, { userId: staffId }), { id: instrumentId });
    expect(page.status).toBe(200);
    expect(page.data.rules).toHaveLength(10);
    expect(page.data.settings).toMatchObject({ slotMinutes: 30, approvalMode: "always", observeChineseHolidays: true });
    const asCustomer = await callRoute(hoursRoute.loader, await getRequest(`/manage/instruments/${instrumentId}/hours`, { userId: customerId }), { id: instrumentId });
    expect(asCustomer.status).toBe(403);
    expect((await post(instrumentId, [["intent", "rules"]], customerId)).status).toBe(403);
    expect((await callRoute(hoursRoute.loader, await getRequest("/manage/instruments/nope/hours", { userId: staffId }), { id: "nope" })).status).toBe(404);
  });

  it("saves several intervals a day and an all-evening interval to midnight", async () => {
    const answer = await post(instrumentId, [
      ["intent", "rules"],
      ["start-1", "08:00"], ["end-1", "12:00"],
      ["start-1", "13:00"], ["end-1", "17:00"],
      ["start-1", ""], ["end-1", ""],
      ["start-6", "18:00"], ["end-6", "00:00"],
    ]);
    expect(answer.status).toBe(302);
    expect(await rulesOf(instrumentId)).toEqual([
      { weekday: 1, startMinute: 480, endMinute: 720 },
      { weekday: 1, startMinute: 780, endMinute: 1020 },
      { weekday: 6, startMinute: 1080, endMinute: 1440 },
    ]);
  });

  it("refuses overlapping or reversed intervals at the weekday and keeps the old rules", async () => {
    const before = await rulesOf(instrumentId);
    const overlap = await post(instrumentId, [["intent", "rules"], ["start-2", "08:00"], ["end-2", "12:00"], ["start-2", "11:00"], ["end-2", "14:00"]]);
    expect(overlap).toMatchObject({ status: 400, data: { errors: { "day-2": "booking:validation.overlap" } } });
    const reversed = await post(instrumentId, [["intent", "rules"], ["start-3", "12:00"], ["end-3", "08:00"]]);
    expect(reversed).toMatchObject({ status: 400, data: { errors: { "day-3": "booking:validation.endAfterStart" } } });
    const half = await post(instrumentId, [["intent", "rules"], ["start-4", "08:00"], ["end-4", ""]]);
    expect(half).toMatchObject({ status: 400, data: { errors: { "day-4": "booking:validation.clock" } } });
    expect(await rulesOf(instrumentId)).toEqual(before);
  });

  it("saves booking settings, and refuses lengths that are not whole slots", async () => {
    expect((await post(instrumentId, settingsFields())).status).toBe(302);
    const [saved] = await d.db.select().from(bookingSettings).where(eq(bookingSettings.instrumentId, instrumentId));
    expect(saved).toMatchObject({ slotMinutes: 15, minLengthMinutes: 60, bufferMinutes: 15, approvalMode: "never", weeklyQuotaMinutes: 600, observeChineseHolidays: false });
    const bad = await post(instrumentId, settingsFields({ slotMinutes: "60", minLengthMinutes: "90", maxLengthMinutes: "30" }));
    expect(bad).toMatchObject({ status: 400, data: { errors: { minLengthMinutes: "booking:validation.wholeSlots", maxLengthMinutes: "booking:validation.maxBelowMin" } } });
    const [after] = await d.db.select().from(bookingSettings).where(eq(bookingSettings.instrumentId, instrumentId));
    expect(after!.slotMinutes).toBe(15);
  });

  it("adds a closure in the lab's zone, which the engine then sees, and deletes only its own", async () => {
    const answer = await post(instrumentId, Object.entries({ intent: "addClosure", startDate: "2026-03-09", startTime: "08:00", endDate: "2026-03-09", endTime: "12:00", kind: "maintenance", reason: "更换灯丝" }));
    expect(answer.status).toBe(302);
    const inputs = (await availabilityInputs(d.db, [instrumentId], { start: at("2026-03-09 00:00"), end: at("2026-03-10 00:00") })).get(instrumentId)!;
    expect(inputs.closures).toEqual([expect.objectContaining({ start: at("2026-03-09 08:00"), end: at("2026-03-09 12:00"), kind: "maintenance", reason: "更换灯丝" })]);

    const noReason = await post(instrumentId, Object.entries({ intent: "addClosure", startDate: "2026-03-10", startTime: "08:00", endDate: "2026-03-10", endTime: "12:00", kind: "other", reason: " " }));
    expect(noReason).toMatchObject({ status: 400, data: { errors: { reason: "validation.required" } } });

    const other = await bookableInstrument(d);
    expect((await post(other, [["intent", "deleteClosure"], ["closureId", inputs.closures[0]!.id]])).status).toBe(404);
    expect((await post(instrumentId, [["intent", "deleteClosure"], ["closureId", "x"]])).status).toBe(404);
    expect((await post(instrumentId, [["intent", "deleteClosure"], ["closureId", inputs.closures[0]!.id]])).status).toBe(302);
    const [{ n }] = await d.db.select({ n: count() }).from(closures).where(eq(closures.instrumentId, instrumentId));
    expect(n).toBe(0);
  });

  it("lists the live bookings a new closure falls on, which it leaves for the lab to cancel", async () => {
    const target = await bookableInstrument(d);
    const customer = await demoCustomer(d);
    const book = async (start: string, end: string) => {
      const made = await requestSlot({ instrumentId: target, ...customer, start: at(start), end: at(end), purpose: "停机前已有的预约" }, new Date("2027-03-01T00:00:00Z"));
      if (!made.ok) throw new Error(`request refused: ${made.reason}`);
      return made.booking;
    };
    const confirmed = await book("2027-03-09 09:00", "2027-03-09 10:00");
    await approve({ bookingId: confirmed.id, actorUserId: staffId }, new Date("2027-03-01T01:00:00Z"));
    const requested = await book("2027-03-09 10:30", "2027-03-09 11:30");
    const withdrawn = await book("2027-03-09 11:30", "2027-03-09 12:00");
    expect(await cancel({ bookingId: withdrawn.id, actorUserId: customer.userId }, new Date("2027-03-01T02:00:00Z"))).toMatchObject({ ok: true });
    const outside = await book("2027-03-09 13:30", "2027-03-09 14:30");

    const answer = await post(target, Object.entries({ intent: "addClosure", startDate: "2027-03-09", startTime: "08:00", endDate: "2027-03-09", endTime: "12:00", kind: "maintenance", reason: "真空系统检修" }));
    expect(answer.status).toBe(302);
    expect(answer.headers.get("Location")).toBe(`/manage/instruments/${target}/hours#closures`);
    expect((await sessionFrom(answer.headers)).notice).toBe("停机时段已添加。此时段内有 2 个有效预约，见下方列表。");
    const page = await callRoute(hoursRoute.loader, await getRequest(`/manage/instruments/${target}/hours`, { userId: staffId }), { id: target });
    const [closure] = page.data.closures;
    expect(closure.bookings.map((b: { reference: string; status: string; day: string }) => [b.reference, b.status, b.day])).toEqual([
      [confirmed.reference, "confirmed", "2027-03-09"],
      [requested.reference, "requested", "2027-03-09"],
    ]);
    expect(closure.bookings.some((b: { id: string }) => b.id === outside.id)).toBe(false);
    // Nothing was cancelled for the lab.
    const [row] = await d.db.select({ status: bookings.status }).from(bookings).where(eq(bookings.id, confirmed.id));
    expect(row!.status).toBe("confirmed");
  });

  it("refuses an unknown intent without a 500", async () => {
    expect(await post(instrumentId, [["intent", "drop"]])).toMatchObject({ status: 400 });
  });
});
