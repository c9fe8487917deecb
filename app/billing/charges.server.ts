// Charges (结算): a completed booking, a cancellation inside the fee window or a no-show becomes a
// charge for the customer organisation, posted to the ledger in the transaction of the booking
// event. Payments and refunds are commands on a charge, each one ledger transaction.
import { and, eq, sql } from "drizzle-orm";
import { bookingEvents, charges, payments, refunds } from "../../db/schema";
import type { ChargeKind, ChargeStatus, PaymentMethod } from "../../db/schema/billing-vocabulary";
import type { Tx } from "~/lib/db.server";
import { recordAudit } from "~/trust/audit.server";
import { accountBalance, postLedgerTransaction, type LedgerAccountRef } from "./ledger.server";
import { bookingPricing, feeBands, frozenQuote, quoteFor, usageOf } from "./pricing.server";
import { shanghaiDate, voucherReceivable, voucherSplitFor } from "./vouchers.server";
import { paymentTerms } from "./reminders.server";
import { cancellationFee, noShowFee, platformFee, priceUsage, type Quote } from "./quote";

export type Charge = typeof charges.$inferSelect;


const receivable = (charge: Charge): LedgerAccountRef => ({ kind: "customer_receivable", organizationId: charge.customerOrganizationId });
export const prepaid = (charge: Pick<Charge, "customerOrganizationId" | "providerOrganizationId">): LedgerAccountRef => ({
  kind: "prepaid_balance",
  organizationId: charge.customerOrganizationId,
  counterpartyId: charge.providerOrganizationId,
});
/** Where a payment's money arrives: the provider's bank for offline transfers, Stripe's clearing account, or the deposit. */
const cashAccount = (charge: Charge, method: PaymentMethod): LedgerAccountRef =>
  method === "offline"
    ? { kind: "bank", organizationId: charge.providerOrganizationId }
    : method === "stripe"
      ? { kind: "stripe_clearing" }
      : prepaid(charge);

/** What the customer still owes on a charge. A refund lowers the charge itself, so it never reopens it. */
export const outstandingFen = (charge: Pick<Charge, "amountFen" | "voucherFen" | "paidFen">) => charge.amountFen - charge.voucherFen - charge.paidFen;

function statusOf(charge: Pick<Charge, "amountFen" | "voucherFen" | "paidFen" | "refundedFen">): ChargeStatus {
  if (charge.refundedFen > 0) return charge.refundedFen >= charge.paidFen ? "refunded" : "partially_refunded";
  if (outstandingFen(charge) <= 0) return "paid";
  return charge.paidFen > 0 ? "partially_paid" : "open";
}

/** The amount a booking owes now that it ended, and why; null when it owes nothing. */
async function amountOwed(tx: Tx, bookingId: string, now: Date): Promise<{ kind: ChargeKind; quote: Quote; pricing: NonNullable<Awaited<ReturnType<typeof bookingPricing>>> } | null> {
  const pricing = await bookingPricing(tx, bookingId);
  if (!pricing) return null;
  const frozen = await frozenQuote(tx, bookingId);
  const policy = frozen?.policy ?? pricing.policy;
  const quoted = frozen?.quote ?? quoteFor(pricing);
  const { booking } = pricing;
  if (booking.status === "completed") {
    const rate = frozen?.rate ?? pricing.rate;
    if (!rate) return null;
    return { kind: "usage", quote: priceUsage(pricing.customerClass, rate, policy, await usageOf(tx, booking, now)), pricing };
  }
  if (!quoted || !booking.period) return null;
  if (booking.status === "no_show") return { kind: "no_show", quote: noShowFee(quoted, policy), pricing };
  if (booking.status === "cancelled") {
    // Only the customer's own cancellation of a confirmed booking costs anything: an unanswered
    // request held nothing for them, and a booking the lab withdrew is the lab's doing.
    const [event] = await tx
      .select({ from: bookingEvents.fromStatus, at: bookingEvents.at, actorUserId: bookingEvents.actorUserId })
      .from(bookingEvents)
      .where(and(eq(bookingEvents.bookingId, bookingId), eq(bookingEvents.toStatus, "cancelled")))
      .limit(1);
    if (event?.from !== "confirmed" || event.actorUserId !== booking.userId) return null;
    return { kind: "cancellation", quote: cancellationFee(quoted, policy, booking.period.start, event.at), pricing };
  }
  return null;
}

/**
 * Creates the booking's charge when it completed, was cancelled inside the fee window or was a
 * no-show, posts it to the ledger (customer receivable against provider payable and platform
 * fee) and pays it from the customer's deposit with the provider first. Idempotent: a booking
 * has at most one charge. Returns null when nothing is owed.
 */
export async function createChargeForBooking(tx: Tx, bookingId: string, now: Date): Promise<Charge | null> {
  const [existing] = await tx.select().from(charges).where(eq(charges.bookingId, bookingId));
  if (existing) return existing;
  const owed = await amountOwed(tx, bookingId, now);
  if (!owed || owed.quote.totalFen <= 0) return null;
  const { pricing, quote, kind } = owed;
  const fee = platformFee(quote.totalFen, await feeBands(tx), pricing.customerClass);
  const due = new Date(now.getTime() + (await paymentTerms(tx)).termDays * 86_400_000);
  const [charge] = await tx
    .insert(charges)
    .values({
      bookingId,
      instrumentId: pricing.booking.instrumentId,
      customerOrganizationId: pricing.booking.organizationId,
      providerOrganizationId: pricing.providerOrganizationId,
      customerClass: pricing.customerClass,
      kind,
      amountFen: quote.totalFen,
      platformFeeFen: fee,
      lines: quote.lines,
      dueOn: shanghaiDate(due),
      createdAt: now,
    })
    .returning();
  // Vouchers the company holds pay their share first; it owes only the rest.
  const split = await voucherSplitFor(tx, charge!);
  if (split.voucherFen > 0) await tx.update(charges).set({ voucherFen: split.voucherFen }).where(eq(charges.id, charge!.id));
  charge!.voucherFen = split.voucherFen;
  await postLedgerTransaction(tx, {
    kind: "charge",
    memo: charge!.reference,
    chargeId: charge!.id,
    at: now,
    entries: [
      { account: receivable(charge!), amountFen: charge!.amountFen - split.voucherFen },
      ...split.shares.map((share) => ({ account: voucherReceivable(share.programmeId), amountFen: share.fen })),
      { account: { kind: "provider_payable", organizationId: charge!.providerOrganizationId }, amountFen: -(charge!.amountFen - fee) },
      { account: { kind: "platform_fee_revenue" }, amountFen: -fee },
    ],
  });
  await recordAudit(tx, {
    actorUserId: null,
    organizationId: charge!.providerOrganizationId,
    action: "charge.create",
    entityType: "charge",
    entityId: charge!.id,
    after: { reference: charge!.reference, kind, amountFen: charge!.amountFen, voucherFen: split.voucherFen, platformFeeFen: fee },
    at: now,
  });
  return drawFromDeposit(tx, charge!, now);
}

/** A charge is paid from the customer's prepaid balance with its provider before anything else. */
export async function drawFromDeposit(tx: Tx, charge: Charge, now: Date): Promise<Charge> {
  // The prepaid account is a liability to the customer: its balance is negative (a credit).
  const available = -(await accountBalance(tx, prepaid(charge)));
  const amountFen = Math.min(available, outstandingFen(charge));
  if (amountFen <= 0) return charge;
  const result = await applyPayment(tx, charge, { method: "prepaid", amountFen, receivedOn: shanghaiDate(now), bankReference: null, actorUserId: null }, now);
  return result.charge;
}

export interface PaymentInput {
  chargeId: string;
  method: PaymentMethod;
  /** Positive integer fen. */
  amountFen: number;
  /** Local date (YYYY-MM-DD) the money arrived. */
  receivedOn: string;
  /** The bank's transaction reference (offline transfers; unique per provider). */
  bankReference: string | null;
  actorUserId: string | null;
  /** The organisation acting: a payment is refused unless the charge belongs to it (as provider or customer). */
  actingOrganizationId: string;
}

export type PaymentRefusal = "not_found" | "invalid_amount" | "exceeds_outstanding" | "duplicate_bank_reference" | "bank_reference_required";

export type PaymentResult = { ok: true; payment: typeof payments.$inferSelect; charge: Charge } | { ok: false; reason: PaymentRefusal };

const isPositiveFen = (amount: number) => Number.isSafeInteger(amount) && amount > 0;

/** Locks the charge for a money command when it belongs to the acting organisation. */
async function chargeFor(tx: Tx, chargeId: string, actingOrganizationId: string): Promise<Charge | null> {
  if (!/^[0-9a-f-]{36}$/i.test(chargeId)) return null;
  const [charge] = await tx.select().from(charges).where(eq(charges.id, chargeId)).for("update");
  if (!charge) return null;
  const mine = charge.providerOrganizationId === actingOrganizationId || charge.customerOrganizationId === actingOrganizationId;
  return mine ? charge : null;
}

/**
 * Records money received against a charge: an offline transfer the lab or institution finance saw
 * arrive, a Stripe payment, or a draw on the deposit. Partial payments are fine; paying more than
 * is outstanding, a bank reference seen before, or another organisation's charge is refused and
 * changes nothing.
 */
export async function recordPayment(tx: Tx, input: PaymentInput, now: Date): Promise<PaymentResult> {
  if (!isPositiveFen(input.amountFen)) return { ok: false, reason: "invalid_amount" };
  const bankReference = input.bankReference?.trim() || null;
  if (input.method === "offline" && !bankReference) return { ok: false, reason: "bank_reference_required" };
  const charge = await chargeFor(tx, input.chargeId, input.actingOrganizationId);
  if (!charge) return { ok: false, reason: "not_found" };
  if (input.amountFen > outstandingFen(charge)) return { ok: false, reason: "exceeds_outstanding" };
  if (bankReference) {
    const [seen] = await tx
      .select({ id: payments.id })
      .from(payments)
      .where(and(eq(payments.providerOrganizationId, charge.providerOrganizationId), eq(payments.bankReference, bankReference)));
    if (seen) return { ok: false, reason: "duplicate_bank_reference" };
  }
  if (input.method === "prepaid" && -(await accountBalance(tx, prepaid(charge))) < input.amountFen) return { ok: false, reason: "exceeds_outstanding" };
  return { ok: true, ...(await applyPayment(tx, charge, { ...input, bankReference }, now)) };
}

async function applyPayment(
  tx: Tx,
  charge: Charge,
  input: Pick<PaymentInput, "method" | "amountFen" | "receivedOn" | "bankReference" | "actorUserId">,
  now: Date,
) {
  const txn = await postLedgerTransaction(tx, {
    kind: `payment.${input.method}`,
    memo: input.bankReference ?? charge.reference,
    chargeId: charge.id,
    at: now,
    entries: [
      { account: cashAccount(charge, input.method), amountFen: input.amountFen },
      { account: receivable(charge), amountFen: -input.amountFen },
    ],
  });
  const [payment] = await tx
    .insert(payments)
    .values({
      chargeId: charge.id,
      providerOrganizationId: charge.providerOrganizationId,
      method: input.method,
      amountFen: input.amountFen,
      receivedOn: input.receivedOn,
      bankReference: input.bankReference,
      ledgerTransactionId: txn.id,
      recordedBy: input.actorUserId,
      createdAt: now,
    })
    .returning();
  const paidFen = charge.paidFen + input.amountFen;
  const [updated] = await tx
    .update(charges)
    .set({ paidFen, status: statusOf({ ...charge, paidFen }) })
    .where(eq(charges.id, charge.id))
    .returning();
  await recordAudit(tx, {
    actorUserId: input.actorUserId,
    organizationId: charge.providerOrganizationId,
    action: "payment.record",
    entityType: "charge",
    entityId: charge.id,
    before: { paidFen: charge.paidFen, status: charge.status },
    after: { paidFen, status: updated!.status, method: input.method, amountFen: input.amountFen, bankReference: input.bankReference },
    at: now,
  });
  return { payment: payment!, charge: updated! };
}

export interface RefundInput {
  chargeId: string;
  paymentId: string;
  amountFen: number;
  reason: string;
  actorUserId: string | null;
  /** Only the provider institution refunds its charges. */
  actingOrganizationId: string;
}

export type RefundResult =
  | { ok: true; refund: typeof refunds.$inferSelect; charge: Charge }
  | { ok: false; reason: "not_found" | "invalid_amount" | "exceeds_paid" | "reason_required" };

/**
 * Gives money back against one payment, never more than that payment less its earlier refunds.
 * A refund lowers what the charge earned: the provider's payable and the platform's fee go down
 * by the refunded share, and the money leaves the account it came in through.
 */
export async function recordRefund(tx: Tx, input: RefundInput, now: Date): Promise<RefundResult> {
  if (!isPositiveFen(input.amountFen)) return { ok: false, reason: "invalid_amount" };
  const reason = input.reason.trim();
  if (!reason) return { ok: false, reason: "reason_required" };
  const charge = await chargeFor(tx, input.chargeId, input.actingOrganizationId);
  if (!charge || charge.providerOrganizationId !== input.actingOrganizationId || !/^[0-9a-f-]{36}$/i.test(input.paymentId)) {
    return { ok: false, reason: "not_found" };
  }
  const [payment] = await tx.select().from(payments).where(and(eq(payments.id, input.paymentId), eq(payments.chargeId, charge.id)));
  if (!payment) return { ok: false, reason: "not_found" };
  const [{ refunded }] = await tx
    .select({ refunded: sql<string>`coalesce(sum(${refunds.amountFen}), 0)` })
    .from(refunds)
    .where(eq(refunds.paymentId, payment.id));
  if (input.amountFen > payment.amountFen - Number(refunded)) return { ok: false, reason: "exceeds_paid" };
  const bands = await feeBands(tx);
  const earnedBefore = charge.amountFen - charge.refundedFen;
  const feeBack = platformFee(earnedBefore, bands, charge.customerClass) - platformFee(earnedBefore - input.amountFen, bands, charge.customerClass);
  const txn = await postLedgerTransaction(tx, {
    kind: `refund.${payment.method}`,
    memo: reason,
    chargeId: charge.id,
    at: now,
    entries: [
      { account: { kind: "provider_payable", organizationId: charge.providerOrganizationId }, amountFen: input.amountFen - feeBack },
      { account: { kind: "platform_fee_revenue" }, amountFen: feeBack },
      { account: cashAccount(charge, payment.method), amountFen: -input.amountFen },
    ],
  });
  const [refund] = await tx
    .insert(refunds)
    .values({ chargeId: charge.id, paymentId: payment.id, amountFen: input.amountFen, reason, ledgerTransactionId: txn.id, recordedBy: input.actorUserId, createdAt: now })
    .returning();
  const refundedFen = charge.refundedFen + input.amountFen;
  const [updated] = await tx
    .update(charges)
    .set({ refundedFen, status: statusOf({ ...charge, refundedFen }) })
    .where(eq(charges.id, charge.id))
    .returning();
  await recordAudit(tx, {
    actorUserId: input.actorUserId,
    organizationId: charge.providerOrganizationId,
    action: "refund.record",
    entityType: "charge",
    entityId: charge.id,
    before: { refundedFen: charge.refundedFen, status: charge.status },
    after: { refundedFen, status: updated!.status, amountFen: input.amountFen, paymentId: payment.id, reason },
    at: now,
  });
  return { ok: true, refund: refund!, charge: updated! };
}
