import { and, count, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog, billingPolicies, rates, users } from "../../db/schema";
import { bookingQuote, quoteForSlot } from "../../app/billing/rates.server";
import { requestSlot } from "../../app/booking/bookings.server";
import type { Database } from "../../app/lib/db.server";
import { newCsrfToken } from "../../app/lib/session.server";
import { approve } from "../../app/booking/transitions.server";
import * as bookingPage from "../../app/routes/bookings.$id";
import * as ratesRoute from "../../app/routes/manage.instruments.$id.rates";
import { at, bookableInstrument, demoCustomer, MONDAY_0800 } from "../support/booking";
import { useTestDatabase } from "../support/db";
import { callRoute, getRequest, sessionCookie } from "../support/requests";

let d: Database;
let staffId: string;
let customerId: string;
let instrumentId: string;

/** A form POST to the rates editor; fields may repeat (tier rows). */
async function post(fields: [string, string][], userId = staffId) {
  const csrf = newCsrfToken();
  const request = new Request(`http://localhost/manage/instruments/${instrumentId}/rates`, {
    method: "POST",
    body: new URLSearchParams([...fields, ["_csrf", csrf]]),
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: await sessionCookie({ userId, csrf }) },
  });
  return callRoute(ratesRoute.action, request, { id: instrumentId });
}

/** The SME rate "first hour 500 元, each further hour 400 元", setup fee 100.50 元, to the half hour. */
const smeRate = (overrides: Record<string, string | string[]> = {}): [string, string][] => {
  const fields: Record<string, string | string[]> = {
    intent: "rate",
    customerClass: "sme",
    unit: "hour",
    tierPrice: ["500", "400"],
    tierUpTo: ["1", ""],
    minimumCharge: "0",
    setupFee: "100.50",
    roundingMinutes: "30",
    discountPercent: "0",
    ...overrides,
  };
  return Object.entries(fields).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x): [string, string] => [k, x]) : [[k, v]]));
};

const ratesOf = () => d.db.select().from(rates).where(eq(rates.instrumentId, instrumentId));
const auditCount = async () => (await d.db.select({ n: count() }).from(auditLog).where(eq(auditLog.entityType, "rate")))[0]!.n;

beforeAll(async () => {
  d = await useTestDatabase();
  const [staff] = await d.db.select({ id: users.id }).from(users).where(eq(users.email, "staff@zju.openlab.test"));
  staffId = staff!.id;
  customerId = (await demoCustomer(d)).userId;
  instrumentId = await bookableInstrument(d);
});

describe("the rates editor", () => {
  it("is for the lab's staff only", async () => {
    const page = await callRoute(ratesRoute.loader, await getRequest(`/manage/instruments/${instrumentId}/rates`, { userId: staffId }), { id: instrumentId });
    expect(page.status).toBe(200);
    expect(page.data.rates).toEqual([]);
    const asCustomer = await callRoute(ratesRoute.loader, await getRequest(`/manage/instruments/${instrumentId}/rates`, { userId: customerId }), { id: instrumentId });
    expect(asCustomer.status).toBe(403);
    expect((await post(smeRate(), customerId)).status).toBe(403);
    expect(await ratesOf()).toEqual([]);
  });

  it("stores a tiered rate in integer fen with an audit row, and records a change before and after", async () => {
    expect((await post(smeRate())).status).toBe(302);
    const [saved] = await ratesOf();
    expect(saved).toMatchObject({
      customerClass: "sme",
      unit: "hour",
      tiers: [{ upToUnits: 1, unitPriceFen: 50_000 }, { upToUnits: null, unitPriceFen: 40_000 }],
      setupFeeFen: 10_050,
      roundingMinutes: 30,
    });
    const [created] = await d.db.select().from(auditLog).where(and(eq(auditLog.entityId, saved!.id), eq(auditLog.action, "rate.create")));
    expect(created).toMatchObject({ actorUserId: staffId, before: null, after: { tiers: "1:50000 ∞:40000", setupFeeFen: 10_050 } });

    expect((await post(smeRate({ setupFee: "80" }))).status).toBe(302);
    const [updated] = await d.db.select().from(auditLog).where(and(eq(auditLog.entityId, saved!.id), eq(auditLog.action, "rate.update")));
    expect(updated).toMatchObject({ before: { setupFeeFen: 10_050 }, after: { setupFeeFen: 8_000 } });
  });

  it.each([
    ["a negative amount", { setupFee: "-5" }, { setupFee: "fees:validation.amount" }],
    ["more than two decimals", { minimumCharge: "1.234" }, { minimumCharge: "fees:validation.amount" }],
    ["a negative tier price", { tierPrice: ["-500", "400"] }, { tiers: "fees:validation.tierPrice" }],
    ["a fractional tier limit", { tierPrice: ["500", "400"], tierUpTo: ["1.5", ""] }, { tiers: "fees:validation.tierUpTo" }],
    ["tiers out of order", { tierPrice: ["500", "450", "400"], tierUpTo: ["4", "2", ""] }, { tiers: "fees:validation.tierOrder" }],
    ["no tier at all", { tierPrice: ["", ""], tierUpTo: ["", ""] }, { tiers: "fees:validation.tiersRequired" }],
    ["a discount above 100 %", { discountPercent: "120" }, { discountPercent: "fees:validation.percent" }],
    ["an unknown unit", { unit: "week" }, { unit: "validation.choice" }],
  ])("refuses %s with a message at the field and changes nothing", async (_what, overrides, errors) => {
    const before = await ratesOf();
    const audits = await auditCount();
    const answer = await post(smeRate(overrides));
    expect(answer).toMatchObject({ status: 400, data: { intent: "rate", customerClass: "sme", errors } });
    expect(await ratesOf()).toEqual(before);
    expect(await auditCount()).toBe(audits);
  });

  it("saves the cancellation, no-show and late-start rules, and refuses a percentage over 100", async () => {
    const fields = (fee: string): [string, string][] => [
      ["intent", "policy"],
      ["freeCancellationHours", "48"],
      ["cancellationFeePercent", fee],
      ["noShowFeePercent", "100"],
      ["lateStartGraceMinutes", "15"],
    ];
    expect((await post(fields("30"))).status).toBe(302);
    const policy = () => d.db.select().from(billingPolicies).where(eq(billingPolicies.instrumentId, instrumentId));
    expect(await policy()).toMatchObject([{ freeCancellationHours: 48, cancellationFeePercent: 30, lateStartGraceMinutes: 15 }]);
    expect(await post(fields("150"))).toMatchObject({ status: 400, data: { errors: { cancellationFeePercent: "fees:validation.percent" } } });
    expect(await policy()).toMatchObject([{ cancellationFeePercent: 30 }]);
  });

  it("removes a class's rate with an audit row", async () => {
    await post(smeRate({ customerClass: "academic" }));
    expect((await post([["intent", "removeRate"], ["customerClass", "academic"]])).status).toBe(302);
    expect((await ratesOf()).map((r) => r.customerClass)).toEqual(["sme"]);
    expect((await d.db.select().from(auditLog).where(eq(auditLog.action, "rate.delete"))).length).toBeGreaterThan(0);
  });
});

describe("quotes", () => {
  it("freezes on the request the same quote the booking form showed", async () => {
    const customer = await demoCustomer(d);
    const slot = { start: at("2026-03-03 09:00"), end: at("2026-03-03 11:30") };
    const shown = await quoteForSlot({ organizationId: customer.organizationId, instrumentId, ...slot, serviceMode: null });
    // 2.5 h of the SME rate: first hour 500, 1.5 h at 400, setup 80.
    expect(shown?.customerClass).toBe("sme");
    expect(shown?.quote?.quote.totalFen).toBe(50_000 + 60_000 + 8_000);
    const result = await requestSlot({ instrumentId, ...customer, ...slot, purpose: "SEM 形貌观察" }, MONDAY_0800);
    expect(result.ok).toBe(true);
    const frozen = await bookingQuote(result.ok ? result.booking.id : "");
    expect(frozen?.quote).toEqual(shown?.quote?.quote);
    expect(frozen?.quote.lines.map((l) => l.kind)).toEqual(["base", "tier", "setup"]);
  });

  it("shows the voucher split an SME may expect while its programmes are valid", async () => {
    const customer = await demoCustomer(d);
    const start = new Date(Date.now() + 30 * 86_400_000);
    const shown = await quoteForSlot({ organizationId: customer.organizationId, instrumentId, start, end: new Date(start.getTime() + 3_600_000), serviceMode: null });
    const voucher = shown!.quote!.voucher!;
    expect(voucher.voucherFen).toBeGreaterThan(0);
    expect(voucher.voucherFen + voucher.companyFen).toBe(shown!.quote!.quote.totalFen);
  });

  it("tells the customer on the booking page what cancelling costs now, before they cancel", async () => {
    const customer = await demoCustomer(d);
    const confirmed = async (start: string, end: string, requestedAt: Date) => {
      const made = await requestSlot({ instrumentId, ...customer, start: at(start), end: at(end), purpose: "取消费提示" }, requestedAt);
      if (!made.ok) throw new Error(`request refused: ${made.reason}`);
      await approve({ bookingId: made.booking.id, actorUserId: staffId }, requestedAt);
      return made.booking.id;
    };
    const page = async (id: string) => (await callRoute(bookingPage.loader, await getRequest(`/bookings/${id}`, { userId: customer.userId }), { id })).data;
    // Months ahead: free until the policy saved above (48 h, 30 %) starts charging.
    const ahead = await page(await confirmed("2027-03-09 09:00", "2027-03-09 10:00", new Date("2027-03-01T00:00:00Z")));
    expect(ahead.cancellation).toEqual({ feeFen: 0, freeUntil: at("2027-03-07 09:00").toISOString(), percent: 30 });
    // Inside the window (here long past its start): 30 % of the frozen quote.
    const late = await page(await confirmed("2026-03-04 09:00", "2026-03-04 10:00", MONDAY_0800));
    expect(late.cancellation.feeFen).toBe(Math.round(late.quote.quote.totalFen * 0.3));
    expect(late.cancellation.feeFen).toBeGreaterThan(0);
  });

  it("has no quote for a class without a rate", async () => {
    const academic = await quoteForSlot({
      organizationId: (await d.executeSql("select organization_id from memberships m join users u on u.id = m.user_id where u.email = 'customer@iccas.openlab.test'")).rows[0].organization_id as string,
      instrumentId,
      start: at("2026-03-03 09:00"),
      end: at("2026-03-03 10:00"),
      serviceMode: null,
    });
    expect(academic).toEqual({ customerClass: "academic", quote: null });
  });
});
