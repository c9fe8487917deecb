// Card and wallet payments through Stripe Checkout (DESIGN.md §7): a Checkout session in CNY with
// card, Alipay and WeChat Pay, as a Connect destination charge (the provider's connected account
// receives the payment, the platform keeps its fee); the webhook settles it; finance refunds
// through Stripe. Every event is stored by id before it is applied, so a replay changes nothing.
import { and, eq, sql } from "drizzle-orm";
import type Stripe from "stripe";
import { charges, organizations, payments, stripeCheckouts, stripeEvents, stripeRefunds } from "../../db/schema";
import { getDb, type Tx } from "~/lib/db.server";
import { stripeClient } from "~/lib/stripe.server";
import { recordAudit } from "~/trust/audit.server";
import { outstandingFen, recordPayment, recordRefund } from "./charges.server";
import { shanghaiDate } from "./vouchers.server";

export type CheckoutRefusal = "not_found" | "nothing_due" | "provider_not_connected";

/**
 * The platform's fee on a Stripe payment: the charge's fee in proportion to the part of the
 * charge this payment covers (the voucher part's fee is kept when the issuer reimburses).
 */
export function applicationFeeFor(charge: { amountFen: number; platformFeeFen: number }, payingFen: number): number {
  if (charge.amountFen <= 0) return 0;
  return Math.floor((charge.platformFeeFen * payingFen) / charge.amountFen);
}

/** Opens a Checkout session for what the customer still owes on its charge; returns Stripe's page. */
export async function startCheckout(input: {
  chargeId: string;
  customerOrganizationId: string;
  actorUserId: string;
  origin: string;
}): Promise<{ ok: true; url: string } | { ok: false; reason: CheckoutRefusal }> {
  const db = await getDb();
  if (!/^[0-9a-f-]{36}$/i.test(input.chargeId)) return { ok: false, reason: "not_found" };
  const [row] = await db
    .select({ charge: charges, destination: organizations.stripeAccountId })
    .from(charges)
    .innerJoin(organizations, eq(organizations.id, charges.providerOrganizationId))
    .where(and(eq(charges.id, input.chargeId), eq(charges.customerOrganizationId, input.customerOrganizationId)));
  if (!row) return { ok: false, reason: "not_found" };
  const due = outstandingFen(row.charge);
  if (due <= 0) return { ok: false, reason: "nothing_due" };
  if (!row.destination) return { ok: false, reason: "provider_not_connected" };
  const fee = applicationFeeFor(row.charge, due);
  const back = `${input.origin}/charges/${row.charge.id}`;
  const session = await stripeClient().checkout.sessions.create({
    mode: "payment",
    currency: "cny",
    // Stripe offers the methods the account has enabled that are also in this list.
    allowed_payment_method_types: ["card", "alipay", "wechat_pay"],
    payment_method_options: { wechat_pay: { client: "web" } },
    line_items: [{ quantity: 1, price_data: { currency: "cny", unit_amount: due, product_data: { name: row.charge.reference } } }],
    client_reference_id: row.charge.id,
    metadata: { chargeId: row.charge.id },
    payment_intent_data: {
      application_fee_amount: fee,
      transfer_data: { destination: row.destination },
      metadata: { chargeId: row.charge.id },
    },
    success_url: `${back}?checkout=success`,
    cancel_url: `${back}?checkout=cancelled`,
  });
  await db.insert(stripeCheckouts).values({
    id: session.id,
    chargeId: row.charge.id,
    amountFen: due,
    applicationFeeFen: fee,
    destinationAccountId: row.destination,
    createdBy: input.actorUserId,
  });
  return { ok: true, url: session.url! };
}

// ── Webhook ────────────────────────────────────────────────────────────────────────────────

/**
 * Stores a verified event by id and applies it, in one transaction. A replayed event finds its
 * row and changes nothing; an event that arrives before the one it depends on (a refund before
 * the payment) is kept as pending and applied when the payment is recorded.
 */
export async function receiveStripeEvent(event: Stripe.Event, now: Date): Promise<string> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [stored] = await tx
      .insert(stripeEvents)
      .values({ id: event.id, type: event.type, payload: event as unknown as Record<string, unknown>, receivedAt: now })
      .onConflictDoNothing()
      .returning({ id: stripeEvents.id });
    if (!stored) return "duplicate";
    const outcome = await applyEvent(tx, event, now);
    await tx.update(stripeEvents).set({ outcome }).where(eq(stripeEvents.id, event.id));
    return outcome;
  });
}

async function applyEvent(tx: Tx, event: Stripe.Event, now: Date): Promise<string> {
  switch (event.type) {
    case "checkout.session.completed":
      // Cards and most wallets are paid at completion; otherwise async_payment_succeeded follows.
      return event.data.object.payment_status === "paid" ? markPaid(tx, event.data.object, now) : "awaiting payment";
    case "checkout.session.async_payment_succeeded":
      return markPaid(tx, event.data.object, now);
    case "checkout.session.async_payment_failed":
      return markFailed(tx, event.data.object);
    case "charge.refunded":
      return applyRefunded(tx, event.data.object, now);
    default:
      return "ignored";
  }
}

const paymentIntentId = (value: string | { id: string } | null | undefined) => (typeof value === "string" ? value : (value?.id ?? null));

async function lockCheckout(tx: Tx, sessionId: string) {
  const [checkout] = await tx.select().from(stripeCheckouts).where(eq(stripeCheckouts.id, sessionId)).for("update");
  return checkout;
}

async function markPaid(tx: Tx, session: Stripe.Checkout.Session, now: Date): Promise<string> {
  const checkout = await lockCheckout(tx, session.id);
  if (!checkout) return "unknown session";
  if (checkout.status === "paid") return "already paid";
  const intent = paymentIntentId(session.payment_intent);
  const [charge] = await tx.select().from(charges).where(eq(charges.id, checkout.chargeId));
  if (!charge) return "unknown charge";
  const paid = await recordPayment(
    tx,
    {
      chargeId: charge.id,
      method: "stripe",
      amountFen: session.amount_total ?? checkout.amountFen,
      receivedOn: shanghaiDate(now),
      // The payment intent identifies the money at Stripe as a bank reference does offline.
      bankReference: intent ?? session.id,
      actorUserId: null,
      actingOrganizationId: charge.customerOrganizationId,
    },
    now,
  );
  await tx.update(stripeCheckouts).set({ status: "paid", paymentIntentId: intent, paidAt: now }).where(eq(stripeCheckouts.id, checkout.id));
  if (!paid.ok) return `paid at Stripe, not recorded: ${paid.reason}`;
  // Refund events that arrived before this payment wait for it.
  const pending = await tx
    .select({ payload: stripeEvents.payload })
    .from(stripeEvents)
    .where(and(eq(stripeEvents.outcome, "pending payment"), sql`${stripeEvents.payload}->'data'->'object'->>'payment_intent' = ${intent}`));
  for (const { payload } of pending) {
    const event = payload as unknown as Stripe.ChargeRefundedEvent;
    const outcome = await applyRefunded(tx, event.data.object, now);
    await tx.update(stripeEvents).set({ outcome }).where(eq(stripeEvents.id, event.id));
  }
  return "paid";
}

async function markFailed(tx: Tx, session: Stripe.Checkout.Session): Promise<string> {
  const checkout = await lockCheckout(tx, session.id);
  if (!checkout) return "unknown session";
  if (checkout.status !== "open") return `already ${checkout.status}`;
  await tx.update(stripeCheckouts).set({ status: "failed" }).where(eq(stripeCheckouts.id, checkout.id));
  return "failed";
}

/**
 * `amount_refunded` is the running total at Stripe, so the refund to record is what it adds to
 * the refunds already recorded (those made from our pages are recorded when made). Events read
 * late or out of order then never record a refund twice.
 */
async function applyRefunded(tx: Tx, stripeCharge: Stripe.Charge, now: Date): Promise<string> {
  const intent = paymentIntentId(stripeCharge.payment_intent);
  if (!intent) return "ignored: no payment intent";
  const [checkout] = await tx.select().from(stripeCheckouts).where(eq(stripeCheckouts.paymentIntentId, intent)).for("update");
  if (!checkout) return "pending payment";
  const [{ recorded }] = await tx
    .select({ recorded: sql<string>`coalesce(sum(${stripeRefunds.amountFen}), 0)` })
    .from(stripeRefunds)
    .where(eq(stripeRefunds.checkoutId, checkout.id));
  const added = stripeCharge.amount_refunded - Number(recorded);
  if (added <= 0) return "already recorded";
  const refundId = `${stripeCharge.id}:${stripeCharge.amount_refunded}`;
  const outcome = await recordStripeRefund(tx, checkout, { id: refundId, amountFen: added, reason: "Stripe", actorUserId: null }, now);
  return outcome.ok ? "refunded" : `refund not recorded: ${outcome.reason}`;
}

async function recordStripeRefund(
  tx: Tx,
  checkout: typeof stripeCheckouts.$inferSelect,
  refund: { id: string; amountFen: number; reason: string; actorUserId: string | null },
  now: Date,
) {
  const [charge] = await tx.select().from(charges).where(eq(charges.id, checkout.chargeId));
  const [payment] = await tx
    .select({ id: payments.id })
    .from(payments)
    .where(and(eq(payments.chargeId, checkout.chargeId), eq(payments.method, "stripe"), eq(payments.bankReference, checkout.paymentIntentId ?? checkout.id)));
  if (!charge || !payment) return { ok: false as const, reason: "not_found" };
  const result = await recordRefund(
    tx,
    { chargeId: charge.id, paymentId: payment.id, amountFen: refund.amountFen, reason: refund.reason, actorUserId: refund.actorUserId, actingOrganizationId: charge.providerOrganizationId },
    now,
  );
  if (!result.ok) return result;
  await tx.insert(stripeRefunds).values({ id: refund.id, checkoutId: checkout.id, amountFen: refund.amountFen, reason: refund.reason, createdBy: refund.actorUserId, createdAt: now });
  return result;
}

// ── Refunds from our pages ─────────────────────────────────────────────────────────────────

export type StripeRefundRefusal = "not_found" | "invalid_amount" | "exceeds_paid" | "reason_required";

/**
 * Finance staff of the provider refund (part of) a Stripe payment: never more than was paid less
 * earlier refunds. The checkout stays locked while Stripe is asked, so the `charge.refunded` event
 * that follows waits, then finds the refund recorded; if Stripe refuses, nothing is recorded.
 */
export async function refundThroughStripe(input: {
  checkoutId: string;
  providerOrganizationId: string;
  amountFen: number;
  reason: string;
  actorUserId: string;
}): Promise<{ ok: true } | { ok: false; reason: StripeRefundRefusal }> {
  if (!Number.isSafeInteger(input.amountFen) || input.amountFen <= 0) return { ok: false, reason: "invalid_amount" };
  const reason = input.reason.trim();
  if (!reason) return { ok: false, reason: "reason_required" };
  const db = await getDb();
  const now = new Date();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ checkout: stripeCheckouts, provider: charges.providerOrganizationId })
      .from(stripeCheckouts)
      .innerJoin(charges, eq(charges.id, stripeCheckouts.chargeId))
      .where(eq(stripeCheckouts.id, input.checkoutId))
      .for("update", { of: stripeCheckouts });
    if (!row || row.provider !== input.providerOrganizationId || row.checkout.status !== "paid" || !row.checkout.paymentIntentId) {
      return { ok: false as const, reason: "not_found" as const };
    }
    const [{ refunded }] = await tx
      .select({ refunded: sql<string>`coalesce(sum(${stripeRefunds.amountFen}), 0)` })
      .from(stripeRefunds)
      .where(eq(stripeRefunds.checkoutId, row.checkout.id));
    if (input.amountFen > row.checkout.amountFen - Number(refunded)) return { ok: false as const, reason: "exceeds_paid" as const };
    const refund = await stripeClient().refunds.create({
      payment_intent: row.checkout.paymentIntentId,
      amount: input.amountFen,
      // The connected account gives back its share and the platform its fee, in proportion.
      reverse_transfer: true,
      refund_application_fee: true,
      metadata: { chargeId: row.checkout.chargeId },
    });
    const recorded = await recordStripeRefund(tx, row.checkout, { id: refund.id, amountFen: input.amountFen, reason, actorUserId: input.actorUserId }, now);
    if (!recorded.ok) throw new Error(`Stripe refund ${refund.id} could not be recorded: ${recorded.reason}`);
    await recordAudit(tx, {
      actorUserId: input.actorUserId,
      organizationId: input.providerOrganizationId,
      action: "refund.stripe",
      entityType: "charge",
      entityId: row.checkout.chargeId,
      after: { refundId: refund.id, amountFen: input.amountFen, reason },
      at: now,
    });
    return { ok: true as const };
  });
}
