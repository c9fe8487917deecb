import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { charges, ledgerTransactions, payments, refunds, stripeCheckouts, stripeEvents } from "../../db/schema";
import { applicationFeeFor, refundThroughStripe, startCheckout } from "../../app/billing/stripe.server";
import type { Database } from "../../app/lib/db.server";
import { action as webhook } from "../../app/routes/stripe.webhook";
import { unbalancedTransactions } from "../support/billing";
import { newUsers } from "../support/booking";
import { useTestDatabase } from "../support/db";
import { arrayParam, startStripeFake, type FakeSession } from "../support/stripe-fake";
import { completedBooking, newCompany, organizationIdOf } from "../support/vouchers";

// The real SDK talks to a local stand-in; the environment is read once, so it is set before anything runs.
const fake = await startStripeFake();
process.env.STRIPE_SECRET_KEY = "sk_test_openlab";
process.env.STRIPE_WEBHOOK_SECRET = fake.secret;
process.env.STRIPE_API_BASE = fake.url;

let d: Database;
let staffId: string;
let financeId: string;
let zju: string;

beforeAll(async () => {
  d = await useTestDatabase();
  [staffId, financeId] = await newUsers(d, 2);
  zju = await organizationIdOf(d, "zju");
});
afterAll(() => fake.close());

/** Sends an event through the webhook route as Stripe would: the raw body and its signature. */
async function deliver(event: object, signature?: string) {
  const signed = fake.sign(event);
  const request = new Request("http://localhost/stripe/webhook", {
    method: "POST",
    headers: { "content-type": "application/json", "stripe-signature": signature ?? signed.signature },
    body: signed.body,
  });
  try {
    return await webhook({ request, params: {}, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

/** A completed booking of a large company (no vouchers), and a Checkout session opened for it. */
async function openCheckout() {
  const company = await newCompany(d, { sme: false });
  const charge = await (await completedBooking(d, company, staffId)).complete();
  const started = await startCheckout({ chargeId: charge.id, customerOrganizationId: company.organizationId, actorUserId: company.userId, origin: "http://localhost" });
  if (!started.ok) throw new Error(started.reason);
  const session = [...fake.sessions.values()].find((s) => started.url.endsWith(s.id))!;
  return { company, charge, session };
}

const chargeRow = async (id: string) => (await d.db.select().from(charges).where(eq(charges.id, id)))[0]!;
const paymentsOf = (chargeId: string) => d.db.select().from(payments).where(eq(payments.chargeId, chargeId));
const refundsOf = (chargeId: string) => d.db.select().from(refunds).where(eq(refunds.chargeId, chargeId));

function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let x = seed;
  for (let i = out.length - 1; i > 0; i--) {
    x = (x * 1_103_515_245 + 12_345) % 2_147_483_648;
    const j = x % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe("Stripe Checkout", () => {
  it("opens a session in CNY with card, Alipay and WeChat Pay as a destination charge keeping the platform fee", async () => {
    const { charge, session } = await openCheckout();
    const p = session.params;
    expect(p.get("mode")).toBe("payment");
    expect(p.get("line_items[0][price_data][currency]")).toBe("cny");
    expect(Number(p.get("line_items[0][price_data][unit_amount]"))).toBe(charge.amountFen);
    expect(arrayParam(p, "allowed_payment_method_types")).toEqual(["card", "alipay", "wechat_pay"]);
    expect(p.get("payment_method_options[wechat_pay][client]")).toBe("web");
    expect(p.get("payment_intent_data[transfer_data][destination]")).toBe("acct_1OpenLabZjuDemo0");
    expect(charge.platformFeeFen).toBeGreaterThan(0);
    expect(Number(p.get("payment_intent_data[application_fee_amount]"))).toBe(applicationFeeFor(charge, charge.amountFen));
    const [row] = await d.db.select().from(stripeCheckouts).where(eq(stripeCheckouts.id, session.id));
    expect(row).toMatchObject({ chargeId: charge.id, amountFen: charge.amountFen, status: "open" });
  });

  it("refuses another organisation's charge", async () => {
    const { charge } = await openCheckout();
    const stranger = await newCompany(d);
    expect(await startCheckout({ chargeId: charge.id, customerOrganizationId: stranger.organizationId, actorUserId: stranger.userId, origin: "http://x" })).toEqual({
      ok: false,
      reason: "not_found",
    });
  });
});

describe("the webhook", () => {
  it("answers 400 to a bad or missing signature and stores nothing", async () => {
    const { session, charge } = await openCheckout();
    const event = fake.paidEvent(session);
    const forged = await deliver(event, "t=1,v1=deadbeef");
    expect(forged.status).toBe(400);
    const unsigned = await deliver(event, "");
    expect(unsigned.status).toBe(400);
    expect(await d.db.select().from(stripeEvents).where(eq(stripeEvents.id, event.id))).toHaveLength(0);
    expect((await chargeRow(charge.id)).paidFen).toBe(0);
  });

  it("applies each event exactly once when every event is replayed 100 times in any order", async () => {
    const { session, charge } = await openCheckout();
    const refundFen = 10_000;
    const events = [
      fake.paidEvent(session, "checkout.session.completed"),
      fake.paidEvent(session, "checkout.session.async_payment_succeeded"),
      fake.refundedEvent(session, refundFen),
    ];
    const deliveries = shuffled(events.flatMap((e) => Array.from({ length: 100 }, () => e)), 7);
    // The refund arrives first, before Stripe says the payment succeeded.
    const first = await deliver(events[2]!);
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ outcome: "pending payment" });
    const answers = [];
    for (let i = 0; i < deliveries.length; i += 25) answers.push(...(await Promise.all(deliveries.slice(i, i + 25).map((e) => deliver(e)))));
    expect(answers.every((a) => a.status === 200)).toBe(true);

    const after = await chargeRow(charge.id);
    expect(after.paidFen).toBe(charge.amountFen);
    expect(after.refundedFen).toBe(refundFen);
    expect(await paymentsOf(charge.id)).toHaveLength(1);
    expect((await refundsOf(charge.id)).map((r) => r.amountFen)).toEqual([refundFen]);
    const stored = await d.db.select().from(stripeEvents).where(eq(stripeEvents.id, events[2]!.id));
    expect(stored[0]!.outcome).toBe("refunded");
    const txns = await d.db.select().from(ledgerTransactions).where(eq(ledgerTransactions.chargeId, charge.id));
    expect(txns.map((t) => t.kind).sort()).toEqual(["charge", "payment.stripe", "refund.stripe"]);
    expect(await unbalancedTransactions(d)).toBe(0);
  });

  it("marks a failed asynchronous payment and leaves the charge open", async () => {
    const { session, charge } = await openCheckout();
    const failed = fake.event("checkout.session.async_payment_failed", { id: session.id, object: "checkout.session", payment_status: "unpaid" });
    expect((await deliver(failed)).status).toBe(200);
    const [row] = await d.db.select().from(stripeCheckouts).where(eq(stripeCheckouts.id, session.id));
    expect(row!.status).toBe("failed");
    expect((await chargeRow(charge.id)).paidFen).toBe(0);
  });
});

describe("refunds through Stripe", () => {
  async function paid(): Promise<{ session: FakeSession; chargeId: string }> {
    const { session, charge } = await openCheckout();
    expect((await deliver(fake.paidEvent(session))).status).toBe(200);
    return { session, chargeId: charge.id };
  }

  it("refunds no more than was paid, at Stripe first, and the refund event that follows changes nothing", async () => {
    const { session, chargeId } = await paid();
    const charge = await chargeRow(chargeId);
    const refundsAtStripe = fake.refunds.length;
    const tooMuch = await refundThroughStripe({ checkoutId: session.id, providerOrganizationId: zju, amountFen: charge.amountFen + 1, reason: "退机时", actorUserId: financeId });
    expect(tooMuch).toEqual({ ok: false, reason: "exceeds_paid" });
    expect(await refundThroughStripe({ checkoutId: session.id, providerOrganizationId: zju, amountFen: -5, reason: "x", actorUserId: financeId })).toEqual({
      ok: false,
      reason: "invalid_amount",
    });
    const other = await organizationIdOf(d, "iccas");
    expect(await refundThroughStripe({ checkoutId: session.id, providerOrganizationId: other, amountFen: 100, reason: "x", actorUserId: financeId })).toEqual({
      ok: false,
      reason: "not_found",
    });
    expect(fake.refunds.length).toBe(refundsAtStripe);

    expect(await refundThroughStripe({ checkoutId: session.id, providerOrganizationId: zju, amountFen: 20_000, reason: "部分退款", actorUserId: financeId })).toEqual({ ok: true });
    expect(fake.refunds.length).toBe(refundsAtStripe + 1);
    const sent = fake.refunds.at(-1)!.params;
    expect(sent.get("payment_intent")).toBe(session.paymentIntent);
    expect(sent.get("amount")).toBe("20000");
    for (let i = 0; i < 3; i++) expect((await deliver(fake.refundedEvent(session, 20_000))).status).toBe(200);
    expect((await chargeRow(chargeId)).refundedFen).toBe(20_000);
    expect(await refundsOf(chargeId)).toHaveLength(1);

    const rest = charge.amountFen - 20_000;
    expect(await refundThroughStripe({ checkoutId: session.id, providerOrganizationId: zju, amountFen: rest + 1, reason: "x", actorUserId: financeId })).toEqual({
      ok: false,
      reason: "exceeds_paid",
    });
    expect(await refundThroughStripe({ checkoutId: session.id, providerOrganizationId: zju, amountFen: rest, reason: "全部退款", actorUserId: financeId })).toEqual({ ok: true });
    const after = await chargeRow(chargeId);
    expect(after.refundedFen).toBe(charge.amountFen);
    expect(after.status).toBe("refunded");
    expect(await d.db.select().from(payments).where(and(eq(payments.chargeId, chargeId), eq(payments.method, "stripe")))).toHaveLength(1);
    expect(await unbalancedTransactions(d)).toBe(0);
  });
});
