import { count, eq } from "drizzle-orm";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { charges, fapiaoRequests, ledgerEntries, ledgerTransactions, organizations, payments, refunds } from "../../db/schema";
import { fapiaoRequestSchema, providerFinanceSchema } from "../../app/billing/finance";
import { applyProviderFinance, providerFinance, requestFapiao } from "../../app/billing/finance.server";
import { monthlyStatement } from "../../app/billing/statements.server";
import type { Database } from "../../app/lib/db.server";
import { parseValues } from "../../app/lib/validation";
import { unbalancedTransactions } from "../support/billing";
import { newUsers } from "../support/booking";
import { useTestDatabase } from "../support/db";
import { completedBooking, newCompany, organizationIdOf } from "../support/vouchers";

let d: Database;
let staffId: string;
let zju: string;
let iccas: string;

beforeAll(async () => {
  d = await useTestDatabase();
  [staffId] = await newUsers(d, 1);
  zju = await organizationIdOf(d, "zju");
  iccas = await organizationIdOf(d, "iccas");
});

const moneyRows = async () => {
  const [t] = await d.db.select({ n: count() }).from(ledgerTransactions);
  const [p] = await d.db.select({ n: count() }).from(payments);
  const [r] = await d.db.select({ n: count() }).from(refunds);
  return { transactions: t!.n, payments: p!.n, refunds: r!.n };
};
const chargeRow = async (id: string) => (await d.db.select().from(charges).where(eq(charges.id, id)))[0]!;

/** A large company's completed two-hour booking at 300 元/h: 600 元 owed to ZJU. */
async function openCharge(start = "2026-03-03 09:00", end = "2026-03-03 11:00") {
  const company = await newCompany(d, { sme: false });
  const charge = await (await completedBooking(d, company, staffId, { start, end })).complete();
  return { company, charge };
}

const form = (fields: Record<string, string>) => parseValues(providerFinanceSchema, fields);

describe("provider finance: bad input changes nothing", () => {
  it("refuses negative, non-integer-fen and empty amounts at the form", () => {
    for (const amount of ["-5", "1.234", "abc", "0", ""]) {
      const parsed = form({ intent: "payment", chargeId: "6f1c2b3a-9d4e-4f5a-8b7c-0d1e2f3a4b5c", amount, receivedOn: "2026-03-10", bankReference: "B1" });
      expect(parsed.ok, amount).toBe(false);
      if (!parsed.ok) expect(parsed.errors.amount).toBeTruthy();
    }
    expect(form({ intent: "payment", chargeId: "6f1c2b3a-9d4e-4f5a-8b7c-0d1e2f3a4b5c", amount: "1,200.50", receivedOn: "2026-03-10", bankReference: "B1" })).toMatchObject({ ok: true, data: { amount: 120_050 } });
  });

  it("partial transfers, the same bank reference twice, more than owed, someone else's charge, a refund beyond what was paid", async () => {
    const { charge } = await openCharge();
    const pay = (amount: number, bankReference: string, provider = zju) =>
      applyProviderFinance(staffId, provider, { intent: "payment", chargeId: charge.id, amount, receivedOn: "2026-03-10", bankReference });
    const ref = `ICBC-${charge.id.slice(0, 8)}`;
    expect(await pay(20_000, ref)).toEqual({ ok: true });
    expect(await chargeRow(charge.id)).toMatchObject({ status: "partially_paid", paidFen: 20_000 });
    const before = await moneyRows();
    expect(await pay(10_000, ref)).toEqual({ ok: false, reason: "duplicate_bank_reference", field: "bankReference" });
    expect(await pay(40_001, `${ref}-b`)).toEqual({ ok: false, reason: "exceeds_outstanding", field: "amount" });
    expect(await pay(-100, `${ref}-c`)).toMatchObject({ ok: false, reason: "invalid_amount" });
    expect(await pay(10.5, `${ref}-d`)).toMatchObject({ ok: false, reason: "invalid_amount" });
    // Another institution cannot record money against ZJU's charge.
    expect(await pay(100, `${ref}-e`, iccas)).toMatchObject({ ok: false, reason: "not_found" });
    const [payment] = await d.db.select().from(payments).where(eq(payments.chargeId, charge.id));
    const refund = (amount: number, provider = zju) => applyProviderFinance(staffId, provider, { intent: "refund", paymentId: payment!.id, amount, reason: "停机补偿" });
    expect(await refund(20_001)).toEqual({ ok: false, reason: "exceeds_paid", field: "amount" });
    expect(await refund(100, iccas)).toMatchObject({ ok: false, reason: "not_found" });
    expect(await moneyRows()).toEqual(before);
    expect(await chargeRow(charge.id)).toMatchObject({ paidFen: 20_000, refundedFen: 0 });
    expect(await refund(5_000)).toEqual({ ok: true });
    expect(await chargeRow(charge.id)).toMatchObject({ status: "partially_refunded", refundedFen: 5_000 });
    expect(await unbalancedTransactions(d)).toBe(0);
  });
});

describe("deposits", () => {
  it("a deposit pays the customer's open charges with the institution first, then waits for the next charge", async () => {
    const { company, charge } = await openCharge("2026-03-04 09:00", "2026-03-04 11:00");
    const [org] = await d.db.select({ creditCode: organizations.creditCode }).from(organizations).where(eq(organizations.id, company.organizationId));
    const deposit = (bankReference: string, amount = 100_000) =>
      applyProviderFinance(staffId, zju, { intent: "deposit", creditCode: org!.creditCode!, amount, receivedOn: "2026-03-05", bankReference });
    const ref = `DEP-${charge.id.slice(0, 8)}`;
    expect(await deposit(ref)).toEqual({ ok: true });
    expect(await chargeRow(charge.id)).toMatchObject({ status: "paid", paidFen: 60_000 });
    expect(await deposit(ref)).toEqual({ ok: false, reason: "duplicate_bank_reference", field: "bankReference" });
    // 400 元 left: the next 600 元 charge draws it and 200 元 stays owed.
    const next = await (await completedBooking(d, company, staffId, { start: "2026-03-05 09:00", end: "2026-03-05 11:00" })).complete();
    expect(next).toMatchObject({ status: "partially_paid", paidFen: 40_000 });
    expect(await applyProviderFinance(staffId, zju, { intent: "deposit", creditCode: "91330108MA2XXXXXX0", amount: 100, receivedOn: "2026-03-05", bankReference: `${ref}-x` })).toMatchObject({
      ok: false,
      reason: "unknown_customer",
    });
    expect(await unbalancedTransactions(d)).toBe(0);
  });
});

describe("fapiao", () => {
  it("the customer requests one per charge with a valid credit code; the provider marks it issued", async () => {
    const { company, charge } = await openCharge("2026-03-06 09:00", "2026-03-06 10:00");
    const [org] = await d.db.select().from(organizations).where(eq(organizations.id, company.organizationId));
    expect(parseValues(fapiaoRequestSchema, { intent: "fapiao", title: "x", taxId: "123" })).toMatchObject({ ok: false, errors: { taxId: "finance:validation.creditCode" } });
    const parsed = parseValues(fapiaoRequestSchema, { intent: "fapiao", title: org!.nameZh, taxId: org!.creditCode!.toLowerCase(), address: "杭州市西湖区" });
    if (!parsed.ok) throw new Error("valid fapiao form refused");
    expect(await requestFapiao(staffId, [zju], charge.id, parsed.data)).toMatchObject({ ok: false, reason: "not_found" });
    expect(await requestFapiao(company.userId, [company.organizationId], charge.id, parsed.data)).toEqual({ ok: true });
    expect(await requestFapiao(company.userId, [company.organizationId], charge.id, parsed.data)).toMatchObject({ ok: false, reason: "already_requested" });
    const [request] = await d.db.select().from(fapiaoRequests).where(eq(fapiaoRequests.chargeId, charge.id));
    expect(request).toMatchObject({ taxId: org!.creditCode, status: "requested" });
    expect(await applyProviderFinance(staffId, iccas, { intent: "fapiao", requestId: request!.id, invoiceNumber: "33001234" })).toMatchObject({ ok: false, reason: "not_found" });
    expect(await applyProviderFinance(staffId, zju, { intent: "fapiao", requestId: request!.id, invoiceNumber: "33001234" })).toEqual({ ok: true });
    expect(await applyProviderFinance(staffId, zju, { intent: "fapiao", requestId: request!.id, invoiceNumber: "33009999" })).toMatchObject({ ok: false, reason: "already_issued" });
  });
});

describe("receiving account", () => {
  it("is refused at the field when the number is not one, then set and replaced by the institution", async () => {
    const bad = form({ intent: "bank", accountName: "中国科学院化学研究所", bankName: "中国银行北京中关村支行", accountNumber: "12ab" });
    expect(bad).toMatchObject({ ok: false, errors: { accountNumber: "finance:validation.accountNumber" } });
    const account = { intent: "bank" as const, accountName: "中国科学院化学研究所", bankName: "中国银行北京中关村支行", accountNumber: "3456 7890 1234" };
    expect(await applyProviderFinance(staffId, iccas, account)).toEqual({ ok: true });
    expect(await applyProviderFinance(staffId, iccas, { ...account, accountNumber: "3456-7890-9999" })).toEqual({ ok: true });
    expect((await providerFinance(iccas)).bank).toMatchObject({ accountName: "中国科学院化学研究所", accountNumber: "3456-7890-9999" });
    // The demo institution's account comes with the demo data.
    expect((await providerFinance(zju)).bank).toMatchObject({ bankName: "中国工商银行杭州玉泉支行" });
  });
});

describe("monthly statements", () => {
  it("list the month's charges and payments with the balance on both sides", async () => {
    const { company, charge } = await openCharge("2026-03-09 14:00", "2026-03-09 15:00");
    const month = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(charge.createdAt).slice(0, 7);
    const receivedOn = `${month}-15`;
    expect(await applyProviderFinance(staffId, zju, { intent: "payment", chargeId: charge.id, amount: 10_000, receivedOn, bankReference: `ST-${charge.id.slice(0, 8)}` })).toEqual({ ok: true });
    const customer = (await monthlyStatement("customer", company.organizationId, month))!;
    expect(customer.lines.map((l) => [l.kind, l.amountFen])).toEqual([
      ["charge", 30_000],
      ["payment", 10_000],
    ]);
    expect(customer).toMatchObject({ openingFen: 0, closingFen: 20_000 });
    const provider = (await monthlyStatement("provider", zju, month))!;
    expect(provider.lines.some((l) => l.reference === charge.reference && l.kind === "payment")).toBe(true);
    expect(provider.closingFen).toBe(provider.openingFen + provider.totals.charge - provider.totals.voucher - provider.totals.payment);
  });
});

describe("the ledger after random money events", () => {
  it("every transaction sums to zero and each customer's receivable equals its charges less payments", async () => {
    const { charge: first } = await openCharge("2026-03-10 09:00", "2026-03-10 10:00");
    const weekdays = ["11", "12", "13", "16", "17", "18", "19", "20", "23", "24", "25", "26", "27"];
    let day = 0;
    let serial = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ op: fc.constantFrom("book", "pay", "refund", "deposit"), fen: fc.integer({ min: 1, max: 80_000 }), sme: fc.boolean() }), { minLength: 1, maxLength: 6 }),
        async (steps) => {
          const company = await newCompany(d, { sme: true });
          const [org] = await d.db.select({ creditCode: organizations.creditCode }).from(organizations).where(eq(organizations.id, company.organizationId));
          let charge = first;
          for (const step of steps) {
            serial++;
            if (step.op === "book") {
              const date = `2026-03-${weekdays[day++ % weekdays.length]}`;
              charge = await (await completedBooking(d, company, staffId, { start: `${date} 14:00`, end: `${date} 15:00` })).complete();
            } else if (step.op === "pay") {
              await applyProviderFinance(staffId, zju, { intent: "payment", chargeId: charge.id, amount: step.fen, receivedOn: "2026-03-20", bankReference: `FC-${serial}-${company.organizationId.slice(0, 8)}` });
            } else if (step.op === "refund") {
              const [payment] = await d.db.select().from(payments).where(eq(payments.chargeId, charge.id));
              if (payment) await applyProviderFinance(staffId, zju, { intent: "refund", paymentId: payment.id, amount: step.fen, reason: "随机退款" });
            } else {
              await applyProviderFinance(staffId, zju, { intent: "deposit", creditCode: org!.creditCode!, amount: step.fen, receivedOn: "2026-03-20", bankReference: `FD-${serial}-${company.organizationId.slice(0, 8)}` });
            }
          }
          expect(await unbalancedTransactions(d)).toBe(0);
          const { rows } = await d.executeSql(
            `select
               (select coalesce(sum(e.amount_fen), 0) from ledger_entries e join ledger_accounts a on a.id = e.account_id
                 where a.kind = 'customer_receivable' and a.organization_id = $1)::bigint as receivable,
               (select coalesce(sum(amount_fen - voucher_fen), 0) from charges where customer_organization_id = $1)::bigint as charged,
               (select coalesce(sum(p.amount_fen), 0) from payments p join charges c on c.id = p.charge_id where c.customer_organization_id = $1)::bigint as paid`,
            [company.organizationId],
          );
          expect(Number(rows[0].receivable)).toBe(Number(rows[0].charged) - Number(rows[0].paid));
        },
      ),
      { numRuns: 8 },
    );
    const [{ n }] = await d.db.select({ n: count() }).from(ledgerEntries);
    expect(n).toBeGreaterThan(0);
  });
});
