// The finance pages' queries and commands: a customer's charges, a provider institution's charges
// owed, offline transfers, refunds, deposits and fapiao requests. Every money change goes through
// app/billing/charges.server.ts, so the ledger stays balanced.
import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import {
  bookings,
  charges,
  deposits,
  fapiaoRequests,
  instruments,
  organizations,
  payments,
  providerBankAccounts,
  refunds,
  stripeCheckouts,
} from "../../db/schema";
import { getDb } from "~/lib/db.server";
import { recordAudit } from "~/trust/audit.server";
import { drawFromDeposit, outstandingFen, prepaid, recordPayment, recordRefund, type Charge } from "./charges.server";
import type { FapiaoRequestInput, ProviderFinanceInput } from "./finance";
import { accountBalance, postLedgerTransaction } from "./ledger.server";
import { refundThroughStripe } from "./stripe.server";
import { shanghaiDate } from "./vouchers.server";

const customerOrg = alias(organizations, "customer_org");
const providerOrg = alias(organizations, "provider_org");
const isUuid = (value: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);

/** Charges with what a list shows: instrument, both parties, booking reference. */
const chargeColumns = {
  charge: charges,
  bookingReference: bookings.reference,
  instrumentNameZh: instruments.nameZh,
  instrumentNameEn: instruments.nameEn,
  customer: { nameZh: customerOrg.nameZh, nameEn: customerOrg.nameEn, creditCode: customerOrg.creditCode },
  provider: { nameZh: providerOrg.nameZh, nameEn: providerOrg.nameEn },
};

async function chargeRows(where: ReturnType<typeof and>, limit = 500) {
  const db = await getDb();
  return db
    .select(chargeColumns)
    .from(charges)
    .innerJoin(customerOrg, eq(customerOrg.id, charges.customerOrganizationId))
    .innerJoin(providerOrg, eq(providerOrg.id, charges.providerOrganizationId))
    .leftJoin(bookings, eq(bookings.id, charges.bookingId))
    .leftJoin(instruments, eq(instruments.id, charges.instrumentId))
    .where(where)
    .orderBy(desc(charges.createdAt))
    .limit(limit);
}

export type ChargeRow = Awaited<ReturnType<typeof chargeRows>>[number];

/** The charges of the customer's organisations, newest first. */
export function customerCharges(organizationIds: string[]) {
  return chargeRows(and(inArray(charges.customerOrganizationId, organizationIds)));
}

/** One charge of the customer's organisations with its payments, refunds, the provider's bank and the fapiao request; null otherwise. */
export async function customerCharge(organizationIds: string[], chargeId: string) {
  if (!isUuid(chargeId)) return null;
  const [row] = await chargeRows(and(eq(charges.id, chargeId), inArray(charges.customerOrganizationId, organizationIds)), 1);
  if (!row) return null;
  const db = await getDb();
  const [paid, refunded, [bank], [fapiao]] = await Promise.all([
    db.select().from(payments).where(eq(payments.chargeId, chargeId)).orderBy(asc(payments.createdAt)),
    db.select().from(refunds).where(eq(refunds.chargeId, chargeId)).orderBy(asc(refunds.createdAt)),
    db.select().from(providerBankAccounts).where(eq(providerBankAccounts.organizationId, row.charge.providerOrganizationId)),
    db.select().from(fapiaoRequests).where(eq(fapiaoRequests.chargeId, chargeId)),
  ]);
  return { ...row, payments: paid, refunds: refunded, bank: bank ?? null, fapiao: fapiao ?? null };
}

/** A provider institution's finance page: charges (unpaid first), their payments, deposits and fapiao requests. */
export async function providerFinance(providerOrganizationId: string) {
  const rows = await chargeRows(and(eq(charges.providerOrganizationId, providerOrganizationId)));
  rows.sort((a, b) => Number(outstandingFen(b.charge) > 0) - Number(outstandingFen(a.charge) > 0));
  const ids = rows.map((r) => r.charge.id);
  const db = await getDb();
  const [paid, refunded, held, requests, [bank]] = await Promise.all([
    ids.length ? db.select().from(payments).where(inArray(payments.chargeId, ids)).orderBy(asc(payments.createdAt)) : [],
    ids.length ? db.select().from(refunds).where(inArray(refunds.chargeId, ids)) : [],
    db
      .select({ deposit: deposits, customer: { nameZh: organizations.nameZh, nameEn: organizations.nameEn } })
      .from(deposits)
      .innerJoin(organizations, eq(organizations.id, deposits.customerOrganizationId))
      .where(eq(deposits.providerOrganizationId, providerOrganizationId))
      .orderBy(desc(deposits.createdAt))
      .limit(200),
    db
      .select({ request: fapiaoRequests, reference: charges.reference, amountFen: charges.amountFen, voucherFen: charges.voucherFen })
      .from(fapiaoRequests)
      .innerJoin(charges, eq(charges.id, fapiaoRequests.chargeId))
      .where(eq(charges.providerOrganizationId, providerOrganizationId))
      .orderBy(asc(fapiaoRequests.status), desc(fapiaoRequests.createdAt))
      .limit(200),
    db.select().from(providerBankAccounts).where(eq(providerBankAccounts.organizationId, providerOrganizationId)),
  ]);
  const refundedByPayment = new Map<string, number>();
  for (const r of refunded) refundedByPayment.set(r.paymentId, (refundedByPayment.get(r.paymentId) ?? 0) + r.amountFen);
  return {
    charges: rows.map((row) => ({
      ...row,
      payments: paid.filter((p) => p.chargeId === row.charge.id).map((p) => ({ ...p, refundableFen: p.amountFen - (refundedByPayment.get(p.id) ?? 0) })),
    })),
    deposits: held,
    fapiao: requests,
    bank: bank ?? null,
  };
}

export type FinanceRefusal =
  | "not_found"
  | "invalid_amount"
  | "exceeds_outstanding"
  | "exceeds_paid"
  | "duplicate_bank_reference"
  | "bank_reference_required"
  | "reason_required"
  | "unknown_customer"
  | "already_issued"
  | "already_requested";

export type FinanceResult = { ok: true } | { ok: false; reason: FinanceRefusal; field: string };

const refused = (reason: FinanceRefusal, field = "_form"): FinanceResult => ({ ok: false, reason, field });

/** Provider finance: records an offline transfer, a refund, a deposit, or issues a fapiao. */
export async function applyProviderFinance(actorUserId: string, providerOrganizationId: string, input: ProviderFinanceInput): Promise<FinanceResult> {
  switch (input.intent) {
    case "payment":
      return recordOfflineTransfer(actorUserId, providerOrganizationId, input);
    case "refund":
      return refundPayment(actorUserId, providerOrganizationId, input);
    case "deposit":
      return recordDeposit(actorUserId, providerOrganizationId, input);
    case "fapiao":
      return issueFapiao(actorUserId, providerOrganizationId, input);
    case "bank":
      return saveBankAccount(actorUserId, providerOrganizationId, input);
  }
}

/** Sets or replaces the institution's receiving account; charges show it from then on. */
async function saveBankAccount(actorUserId: string, providerOrganizationId: string, input: Extract<ProviderFinanceInput, { intent: "bank" }>): Promise<FinanceResult> {
  const db = await getDb();
  const { intent: _intent, ...account } = input;
  await db.transaction(async (tx) => {
    const [before] = await tx.select().from(providerBankAccounts).where(eq(providerBankAccounts.organizationId, providerOrganizationId)).for("update");
    const now = new Date();
    await tx
      .insert(providerBankAccounts)
      .values({ organizationId: providerOrganizationId, ...account, updatedAt: now })
      .onConflictDoUpdate({ target: providerBankAccounts.organizationId, set: { ...account, updatedAt: now } });
    await recordAudit(tx, {
      actorUserId,
      organizationId: providerOrganizationId,
      action: "bank_account.update",
      entityType: "organization",
      entityId: providerOrganizationId,
      before: before ? { accountName: before.accountName, bankName: before.bankName, accountNumber: before.accountNumber } : null,
      after: account,
      at: now,
    });
  });
  return { ok: true };
}

const paymentFields: Record<string, string> = { exceeds_outstanding: "amount", invalid_amount: "amount", duplicate_bank_reference: "bankReference", bank_reference_required: "bankReference" };

async function recordOfflineTransfer(actorUserId: string, providerOrganizationId: string, input: Extract<ProviderFinanceInput, { intent: "payment" }>): Promise<FinanceResult> {
  const db = await getDb();
  const result = await db.transaction(async (tx) => {
    // Only the provider records money its bank received.
    const [own] = await tx.select({ id: charges.id }).from(charges).where(and(eq(charges.id, input.chargeId), eq(charges.providerOrganizationId, providerOrganizationId)));
    if (!own) return { ok: false as const, reason: "not_found" as const };
    return recordPayment(
      tx,
      { chargeId: input.chargeId, method: "offline", amountFen: input.amount, receivedOn: input.receivedOn, bankReference: input.bankReference, actorUserId, actingOrganizationId: providerOrganizationId },
      new Date(),
    );
  });
  return result.ok ? { ok: true } : refused(result.reason, paymentFields[result.reason]);
}

/** Card and wallet payments are refunded through Stripe; offline and prepaid ones are recorded. */
async function refundPayment(actorUserId: string, providerOrganizationId: string, input: Extract<ProviderFinanceInput, { intent: "refund" }>): Promise<FinanceResult> {
  const db = await getDb();
  const [payment] = await db
    .select({ payment: payments, checkoutId: stripeCheckouts.id })
    .from(payments)
    .leftJoin(stripeCheckouts, and(eq(payments.method, "stripe"), eq(stripeCheckouts.paymentIntentId, payments.bankReference)))
    .where(and(eq(payments.id, input.paymentId), eq(payments.providerOrganizationId, providerOrganizationId)));
  if (!payment) return refused("not_found");
  const fieldOf = (reason: FinanceRefusal) => (reason === "exceeds_paid" || reason === "invalid_amount" ? "amount" : reason === "reason_required" ? "reason" : "_form");
  if (payment.payment.method === "stripe") {
    if (!payment.checkoutId) return refused("not_found");
    const result = await refundThroughStripe({ checkoutId: payment.checkoutId, providerOrganizationId, amountFen: input.amount, reason: input.reason, actorUserId });
    return result.ok ? { ok: true } : refused(result.reason, fieldOf(result.reason));
  }
  const result = await db.transaction((tx) =>
    recordRefund(tx, { chargeId: payment.payment.chargeId, paymentId: payment.payment.id, amountFen: input.amount, reason: input.reason, actorUserId, actingOrganizationId: providerOrganizationId }, new Date()),
  );
  return result.ok ? { ok: true } : refused(result.reason, fieldOf(result.reason));
}

/**
 * A customer's prepaid deposit with this institution: the bank receives it, the customer's
 * prepaid balance holds it, and it pays the customer's open charges here at once, oldest first
 * (later charges draw from what is left when they are made).
 */
async function recordDeposit(actorUserId: string, providerOrganizationId: string, input: Extract<ProviderFinanceInput, { intent: "deposit" }>): Promise<FinanceResult> {
  const db = await getDb();
  const [customer] = await db.select({ id: organizations.id }).from(organizations).where(eq(organizations.creditCode, input.creditCode));
  if (!customer || customer.id === providerOrganizationId) return refused("unknown_customer", "creditCode");
  const now = new Date();
  return db.transaction(async (tx) => {
    const [seen] = await tx
      .select({ id: deposits.id })
      .from(deposits)
      .where(and(eq(deposits.providerOrganizationId, providerOrganizationId), eq(deposits.bankReference, input.bankReference)));
    const [paid] = await tx
      .select({ id: payments.id })
      .from(payments)
      .where(and(eq(payments.providerOrganizationId, providerOrganizationId), eq(payments.bankReference, input.bankReference)));
    if (seen || paid) return refused("duplicate_bank_reference", "bankReference");
    const account = prepaid({ customerOrganizationId: customer.id, providerOrganizationId });
    const txn = await postLedgerTransaction(tx, {
      kind: "deposit",
      memo: input.bankReference,
      at: now,
      entries: [
        { account: { kind: "bank", organizationId: providerOrganizationId }, amountFen: input.amount },
        { account, amountFen: -input.amount },
      ],
    });
    const [deposit] = await tx
      .insert(deposits)
      .values({ customerOrganizationId: customer.id, providerOrganizationId, amountFen: input.amount, receivedOn: input.receivedOn, bankReference: input.bankReference, ledgerTransactionId: txn.id, recordedBy: actorUserId, createdAt: now })
      .returning();
    await recordAudit(tx, {
      actorUserId,
      organizationId: providerOrganizationId,
      action: "deposit.record",
      entityType: "deposit",
      entityId: deposit!.id,
      after: { customerOrganizationId: customer.id, amountFen: input.amount, bankReference: input.bankReference },
      at: now,
    });
    const open = await tx
      .select()
      .from(charges)
      .where(
        and(
          eq(charges.customerOrganizationId, customer.id),
          eq(charges.providerOrganizationId, providerOrganizationId),
          sql`${charges.amountFen} - ${charges.voucherFen} - ${charges.paidFen} > 0`,
        ),
      )
      .orderBy(asc(charges.createdAt))
      .for("update");
    for (const charge of open) {
      if ((await accountBalance(tx, account)) >= 0) break;
      await drawFromDeposit(tx, charge as Charge, now);
    }
    return { ok: true as const };
  });
}

async function issueFapiao(actorUserId: string, providerOrganizationId: string, input: Extract<ProviderFinanceInput, { intent: "fapiao" }>): Promise<FinanceResult> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [request] = await tx
      .select({ request: fapiaoRequests })
      .from(fapiaoRequests)
      .innerJoin(charges, eq(charges.id, fapiaoRequests.chargeId))
      .where(and(eq(fapiaoRequests.id, input.requestId), eq(charges.providerOrganizationId, providerOrganizationId)))
      .for("update", { of: fapiaoRequests });
    if (!request) return refused("not_found");
    if (request.request.status === "issued") return refused("already_issued");
    const now = new Date();
    await tx.update(fapiaoRequests).set({ status: "issued", invoiceNumber: input.invoiceNumber, issuedBy: actorUserId, issuedAt: now }).where(eq(fapiaoRequests.id, input.requestId));
    await recordAudit(tx, {
      actorUserId,
      organizationId: providerOrganizationId,
      action: "fapiao.issue",
      entityType: "charge",
      entityId: request.request.chargeId,
      after: { invoiceNumber: input.invoiceNumber },
      at: now,
    });
    return { ok: true as const };
  });
}

/** The customer asks for a fapiao for one of its charges; once per charge. */
export async function requestFapiao(actorUserId: string, organizationIds: string[], chargeId: string, input: FapiaoRequestInput): Promise<FinanceResult> {
  if (!isUuid(chargeId)) return refused("not_found");
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [charge] = await tx.select().from(charges).where(and(eq(charges.id, chargeId), inArray(charges.customerOrganizationId, organizationIds)));
    if (!charge) return refused("not_found");
    const { intent: _intent, ...fields } = input;
    const [created] = await tx.insert(fapiaoRequests).values({ chargeId, ...fields, requestedBy: actorUserId }).onConflictDoNothing().returning({ id: fapiaoRequests.id });
    if (!created) return refused("already_requested");
    await recordAudit(tx, {
      actorUserId,
      organizationId: charge.providerOrganizationId,
      action: "fapiao.request",
      entityType: "charge",
      entityId: chargeId,
      after: { title: fields.title, taxId: fields.taxId },
    });
    return { ok: true as const };
  });
}

/** Today in Shanghai, the default for "received on". */
export const todayInShanghai = () => shanghaiDate(new Date());
