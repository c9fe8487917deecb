import { count, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog, charges, ledgerEntries, ledgerTransactions, payments, refunds } from "../../db/schema";
import { createChargeForBooking, recordPayment, recordRefund } from "../../app/billing/charges.server";
import { accountBalance, organizationBalances, postLedgerTransaction, UnbalancedLedgerTransaction } from "../../app/billing/ledger.server";
import { requestSlot } from "../../app/booking/bookings.server";
import { approve, cancel, checkIn, checkOut, markNoShow } from "../../app/booking/transitions.server";
import type { Database } from "../../app/lib/db.server";
import { chargeOf, organizationId, priceInstrument, unbalancedTransactions } from "../support/billing";
import { at, bookableInstrument, demoCustomer, measuredUsage, MONDAY_0800, newUsers } from "../support/booking";
import { useTestDatabase } from "../support/db";

let d: Database;
let customer: { userId: string; organizationId: string };
let zju: string;
let staffId: string;

beforeAll(async () => {
  d = await useTestDatabase();
  customer = await demoCustomer(d);
  zju = await organizationId(d, "zju");
  [staffId] = await newUsers(d, 1);
});

async function confirmedBooking(instrumentId: string, start: string, end: string) {
  const result = await requestSlot({ instrumentId, ...customer, start: at(start), end: at(end), purpose: "XRD 物相分析" }, MONDAY_0800);
  if (!result.ok) throw new Error(result.reason);
  await approve({ bookingId: result.booking.id, actorUserId: staffId }, MONDAY_0800);
  return result.booking.id;
}

async function completedBooking(start = "2026-03-03 09:00", end = "2026-03-03 11:00") {
  const instrumentId = await bookableInstrument(d);
  await priceInstrument(d, instrumentId);
  const id = await confirmedBooking(instrumentId, start, end);
  await checkIn({ bookingId: id, actorUserId: staffId }, at(start));
  await checkOut({ bookingId: id, actorUserId: staffId, usage: measuredUsage(at(start), at(end), staffId) }, at(end));
  return (await chargeOf(d, id))!;
}

const ledgerRows = async () => {
  const [t] = await d.db.select({ n: count() }).from(ledgerTransactions);
  const [e] = await d.db.select({ n: count() }).from(ledgerEntries);
  const [p] = await d.db.select({ n: count() }).from(payments);
  return { transactions: t!.n, entries: e!.n, payments: p!.n };
};

describe("the ledger", () => {
  it("posts a balanced transaction and keeps balances per account", async () => {
    const org = (await demoCustomer(d)).organizationId;
    const before = await accountBalance(d.db, { kind: "prepaid_balance", organizationId: org, counterpartyId: zju });
    await d.db.transaction((tx) =>
      postLedgerTransaction(tx, {
        kind: "deposit",
        entries: [
          { account: { kind: "bank", organizationId: zju }, amountFen: 5_000 },
          { account: { kind: "prepaid_balance", organizationId: org, counterpartyId: zju }, amountFen: -5_000 },
        ],
      }),
    );
    expect(await accountBalance(d.db, { kind: "prepaid_balance", organizationId: org, counterpartyId: zju })).toBe(before - 5_000);
    const balances = await organizationBalances(d.db, [zju]);
    expect(balances.find((b) => b.kind === "bank")?.balanceFen).toBeGreaterThanOrEqual(5_000);
  });

  it("refuses an unbalanced transaction in code and in the database", async () => {
    const before = await ledgerRows();
    await expect(
      d.db.transaction((tx) =>
        postLedgerTransaction(tx, { kind: "bad", entries: [{ account: { kind: "bank", organizationId: zju }, amountFen: 100 }, { account: { kind: "platform_fee_revenue" }, amountFen: -99 }] }),
      ),
    ).rejects.toThrow(UnbalancedLedgerTransaction);
    await expect(
      d.db.transaction((tx) =>
        postLedgerTransaction(tx, { kind: "bad", entries: [{ account: { kind: "bank", organizationId: zju }, amountFen: 0.5 }, { account: { kind: "platform_fee_revenue" }, amountFen: -0.5 }] }),
      ),
    ).rejects.toThrow(UnbalancedLedgerTransaction);
    // Straight SQL, past the application: the deferred trigger refuses the commit.
    const [account] = await d.db.select({ id: ledgerEntries.accountId }).from(ledgerEntries).limit(1);
    await expect(
      d.db.transaction(async (tx) => {
        const [txn] = await tx.insert(ledgerTransactions).values({ kind: "bad" }).returning();
        await tx.insert(ledgerEntries).values([
          { transactionId: txn!.id, accountId: account!.id, amountFen: 100 },
          { transactionId: txn!.id, accountId: account!.id, amountFen: -1 },
        ]);
      }),
    ).rejects.toThrow();
    await expect(d.db.transaction((tx) => tx.insert(ledgerTransactions).values({ kind: "empty" }))).rejects.toThrow();
    expect(await ledgerRows()).toEqual(before);
  });

  it("refuses to change or delete posted entries", async () => {
    await completedBooking("2026-03-04 09:00", "2026-03-04 10:00");
    const [entry] = await d.db.select().from(ledgerEntries).limit(1);
    await expect(d.db.update(ledgerEntries).set({ amountFen: 1 }).where(eq(ledgerEntries.id, entry!.id))).rejects.toThrow();
    await expect(d.db.delete(ledgerEntries).where(eq(ledgerEntries.id, entry!.id))).rejects.toThrow();
    await expect(d.db.delete(ledgerTransactions).where(eq(ledgerTransactions.id, entry!.transactionId))).rejects.toThrow();
    await expect(d.executeSql("truncate ledger_entries cascade")).rejects.toThrow();
  });
});

describe("charges", () => {
  it("completion creates one charge posted to the ledger with the platform fee", async () => {
    const charge = await completedBooking();
    // Two hours at 300 元, SME: 10 % of 600 元.
    expect(charge).toMatchObject({ kind: "usage", customerClass: "sme", amountFen: 60_000, platformFeeFen: 6_000, status: "open", providerOrganizationId: zju });
    expect(charge.reference).toMatch(/^CH-\d{4}-\d{6,}$/);
    const entries = await d.db
      .select({ amountFen: ledgerEntries.amountFen })
      .from(ledgerEntries)
      .innerJoin(ledgerTransactions, eq(ledgerTransactions.id, ledgerEntries.transactionId))
      .where(eq(ledgerTransactions.chargeId, charge.id));
    expect(entries.map((e) => e.amountFen).sort((a, b) => a - b)).toEqual([-54_000, -6_000, 60_000]);
    expect(await createChargeForBooking(d.db, charge.bookingId!, new Date())).toMatchObject({ id: charge.id });
    const [{ n }] = await d.db.select({ n: count() }).from(charges).where(eq(charges.bookingId, charge.bookingId!));
    expect(n).toBe(1);
    const [audit] = await d.db.select().from(auditLog).where(eq(auditLog.entityId, charge.id));
    expect(audit).toMatchObject({ action: "charge.create", organizationId: zju });
    expect(await unbalancedTransactions(d)).toBe(0);
  });

  it("a late cancellation and a no-show charge a share of the frozen quote; an early cancellation or the lab's nothing", async () => {
    const instrumentId = await bookableInstrument(d);
    await priceInstrument(d, instrumentId);
    const early = await confirmedBooking(instrumentId, "2026-03-05 09:00", "2026-03-05 10:00");
    await cancel({ bookingId: early, actorUserId: customer.userId }, at("2026-03-03 09:00"));
    expect(await chargeOf(d, early)).toBeNull();
    const late = await confirmedBooking(instrumentId, "2026-03-05 13:30", "2026-03-05 15:30");
    await cancel({ bookingId: late, actorUserId: customer.userId }, at("2026-03-05 08:00"));
    expect(await chargeOf(d, late)).toMatchObject({ kind: "cancellation", amountFen: 30_000 });
    // The lab withdrawing a booking just as late costs the customer nothing.
    const withdrawn = await confirmedBooking(instrumentId, "2026-03-05 16:00", "2026-03-05 17:00");
    await cancel({ bookingId: withdrawn, actorUserId: staffId, reason: "电镜故障，等待维修" }, at("2026-03-05 08:00"));
    expect(await chargeOf(d, withdrawn)).toBeNull();
    const missed = await confirmedBooking(instrumentId, "2026-03-06 09:00", "2026-03-06 10:00");
    await markNoShow({ bookingId: missed, actorUserId: staffId }, at("2026-03-06 09:45"));
    expect(await chargeOf(d, missed)).toMatchObject({ kind: "no_show", amountFen: 30_000 });
  });
});

describe("payments and refunds", () => {
  it("records partial offline payments up to the amount, then a refund no larger than paid", async () => {
    const charge = await completedBooking("2026-03-09 09:00", "2026-03-09 10:00");
    const pay = (amountFen: number, bankReference: string, actingOrganizationId = zju) =>
      d.db.transaction((tx) =>
        recordPayment(tx, { chargeId: charge.id, method: "offline", amountFen, receivedOn: "2026-03-10", bankReference, actorUserId: staffId, actingOrganizationId }, new Date()),
      );
    const first = await pay(10_000, `ZJ${charge.id.slice(0, 8)}-1`);
    expect(first).toMatchObject({ ok: true, charge: { status: "partially_paid", paidFen: 10_000 } });
    const before = await ledgerRows();
    expect(await pay(10_000, `ZJ${charge.id.slice(0, 8)}-1`)).toEqual({ ok: false, reason: "duplicate_bank_reference" });
    expect(await pay(-5, "X1")).toEqual({ ok: false, reason: "invalid_amount" });
    expect(await pay(1.5, "X2")).toEqual({ ok: false, reason: "invalid_amount" });
    expect(await pay(20_001, "X3")).toEqual({ ok: false, reason: "exceeds_outstanding" });
    expect(await pay(100, "X4", await organizationId(d, "huadong"))).toEqual({ ok: false, reason: "not_found" });
    expect(await pay(100, "   ")).toEqual({ ok: false, reason: "bank_reference_required" });
    expect(await ledgerRows()).toEqual(before);
    const second = await pay(20_000, `ZJ${charge.id.slice(0, 8)}-2`);
    expect(second).toMatchObject({ ok: true, charge: { status: "paid", paidFen: 30_000 } });
    if (!first.ok) return;
    const refund = (amountFen: number) =>
      d.db.transaction((tx) =>
        recordRefund(tx, { chargeId: charge.id, paymentId: first.payment.id, amountFen, reason: "设备故障停机 20 分钟", actorUserId: staffId, actingOrganizationId: zju }, new Date()),
      );
    expect(await refund(10_001)).toEqual({ ok: false, reason: "exceeds_paid" });
    expect(await refund(6_000)).toMatchObject({ ok: true, charge: { status: "partially_refunded", refundedFen: 6_000 } });
    expect(await refund(4_001)).toEqual({ ok: false, reason: "exceeds_paid" });
    const [{ n }] = await d.db.select({ n: count() }).from(refunds).where(eq(refunds.chargeId, charge.id));
    expect(n).toBe(1);
    expect(await unbalancedTransactions(d)).toBe(0);
  });
});
