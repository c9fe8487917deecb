// 收费标准: the rates editor's queries and commands, the public fee schedules, and the quote a
// customer sees before requesting a booking.
import { and, asc, eq, inArray } from "drizzle-orm";
import { billingPolicies, instruments, labs, rates } from "../../db/schema";
import { customerClasses, type CustomerClass } from "../../db/schema/billing-vocabulary";
import type { ServiceMode } from "../../db/schema/vocabulary";
import { getDb, type Tx } from "~/lib/db.server";
import { changedFields, type Actor } from "~/trust/audit";
import { recordAudit } from "~/trust/audit.server";
import { dayIn, frozenQuote, pricingContext, type FrozenQuote } from "./pricing.server";
import { bookedUsage, defaultBillingPolicy, priceUsage, type BillingPolicyTerms, type RateTerms } from "./quote";
import type { PolicyForm, RateForm } from "./rate-form";
import { previewVoucherSplit } from "./vouchers.server";

type RateRow = typeof rates.$inferSelect;

const termsOf = (r: RateRow): RateTerms & { customerClass: CustomerClass } => ({
  customerClass: r.customerClass,
  unit: r.unit,
  tiers: r.tiers,
  minimumChargeFen: r.minimumChargeFen,
  setupFeeFen: r.setupFeeFen,
  roundingMinutes: r.roundingMinutes,
  discountPercent: r.discountPercent,
});

const byClass = (a: { customerClass: CustomerClass }, b: { customerClass: CustomerClass }) =>
  customerClasses.indexOf(a.customerClass) - customerClasses.indexOf(b.customerClass);

const policyTerms = (row: typeof billingPolicies.$inferSelect | undefined): BillingPolicyTerms =>
  row
    ? {
        freeCancellationHours: row.freeCancellationHours,
        cancellationFeePercent: row.cancellationFeePercent,
        noShowFeePercent: row.noShowFeePercent,
        lateStartGraceMinutes: row.lateStartGraceMinutes,
      }
    : defaultBillingPolicy;

/** The rates and policy of some instruments, keyed by instrument id (two queries whatever the count). */
async function schedulesOf(tx: Tx, instrumentIds: string[]) {
  if (instrumentIds.length === 0) return new Map<string, { rates: ReturnType<typeof termsOf>[]; policy: BillingPolicyTerms }>();
  const [rateRows, policyRows] = await Promise.all([
    tx.select().from(rates).where(inArray(rates.instrumentId, instrumentIds)),
    tx.select().from(billingPolicies).where(inArray(billingPolicies.instrumentId, instrumentIds)),
  ]);
  return new Map(
    instrumentIds.map((id) => [
      id,
      {
        rates: rateRows.filter((r) => r.instrumentId === id).map(termsOf).sort(byClass),
        policy: policyTerms(policyRows.find((p) => p.instrumentId === id)),
      },
    ]),
  );
}

export type FeeSchedule = { rates: ReturnType<typeof termsOf>[]; policy: BillingPolicyTerms };

// ── The editor (lab staff) ────────────────────────────────────────────────────────────────────

export async function ratesPage(instrumentId: string) {
  const db = await getDb();
  const [head] = await db
    .select({
      instrument: { id: instruments.id, slug: instruments.slug, nameZh: instruments.nameZh, nameEn: instruments.nameEn, status: instruments.status },
      lab: { id: labs.id, nameZh: labs.nameZh, nameEn: labs.nameEn },
    })
    .from(instruments)
    .innerJoin(labs, eq(labs.id, instruments.labId))
    .where(eq(instruments.id, instrumentId))
    .limit(1);
  if (!head) return null;
  return { ...head, ...(await schedulesOf(db, [instrumentId])).get(instrumentId)! };
}

/** An audit entry about an instrument's fees, filed under its institution. */
async function auditFees(tx: Tx, instrumentId: string, actor: Actor, action: string, entityId: string, change: { before: unknown; after: unknown }) {
  const [owner] = await tx.select({ organizationId: instruments.organizationId }).from(instruments).where(eq(instruments.id, instrumentId));
  await recordAudit(tx, { actorUserId: actor.userId, organizationId: owner?.organizationId ?? null, action, entityType: "rate", entityId, ...change, ip: actor.ip });
}

/** Audit values of a rate: plain fields, tiers as text, so the log's diff reads per field. */
const auditValues = (r: RateTerms) => ({
  unit: r.unit,
  tiers: r.tiers.map((t) => `${t.upToUnits ?? "∞"}:${t.unitPriceFen}`).join(" "),
  minimumChargeFen: r.minimumChargeFen,
  setupFeeFen: r.setupFeeFen,
  roundingMinutes: r.roundingMinutes,
  discountPercent: r.discountPercent,
});

/** Creates or replaces the instrument's rate for one customer class. */
export async function saveRate(instrumentId: string, form: RateForm, actor: Actor, now: Date): Promise<void> {
  const db = await getDb();
  await db.transaction(async (tx) => {
    const [old] = await tx
      .select()
      .from(rates)
      .where(and(eq(rates.instrumentId, instrumentId), eq(rates.customerClass, form.customerClass)))
      .for("update");
    const values = { ...form.terms, updatedAt: now };
    const [saved] = await tx
      .insert(rates)
      .values({ instrumentId, customerClass: form.customerClass, ...values })
      .onConflictDoUpdate({ target: [rates.instrumentId, rates.customerClass], set: values })
      .returning({ id: rates.id });
    const after = { customerClass: form.customerClass, ...auditValues(form.terms) };
    const change = old ? changedFields({ customerClass: old.customerClass, ...auditValues(old) }, after) : { before: null, after };
    if (change) await auditFees(tx, instrumentId, actor, old ? "rate.update" : "rate.create", saved!.id, change);
  });
}

/** Removes the rate of one customer class; false when there was none. */
export async function removeRate(instrumentId: string, customerClass: CustomerClass, actor: Actor): Promise<boolean> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [old] = await tx
      .delete(rates)
      .where(and(eq(rates.instrumentId, instrumentId), eq(rates.customerClass, customerClass)))
      .returning();
    if (!old) return false;
    await auditFees(tx, instrumentId, actor, "rate.delete", old.id, { before: { customerClass, ...auditValues(old) }, after: null });
    return true;
  });
}

export async function savePolicy(instrumentId: string, form: PolicyForm, actor: Actor, now: Date): Promise<void> {
  const db = await getDb();
  await db.transaction(async (tx) => {
    const [old] = await tx.select().from(billingPolicies).where(eq(billingPolicies.instrumentId, instrumentId)).for("update");
    const values = { ...form, updatedAt: now };
    await tx.insert(billingPolicies).values({ instrumentId, ...values }).onConflictDoUpdate({ target: billingPolicies.instrumentId, set: values });
    const change = changedFields({ ...policyTerms(old) }, { ...form });
    if (change) await auditFees(tx, instrumentId, actor, "billing_policy.update", instrumentId, change);
  });
}

// ── Public fee schedules ──────────────────────────────────────────────────────────────────────

/** The fee schedule of an instrument the caller may already see (its id from the catalogue page). */
export async function instrumentFees(instrumentId: string): Promise<FeeSchedule> {
  const db = await getDb();
  return (await schedulesOf(db, [instrumentId])).get(instrumentId)!;
}

/** Every public instrument of a lab with its fee schedule. */
export async function labFees(labId: string) {
  const db = await getDb();
  const rows = await db
    .select({ id: instruments.id, slug: instruments.slug, nameZh: instruments.nameZh, nameEn: instruments.nameEn, model: instruments.model })
    .from(instruments)
    .where(and(eq(instruments.labId, labId), eq(instruments.status, "published")))
    .orderBy(asc(instruments.nameZh));
  const schedules = await schedulesOf(db, rows.map((r) => r.id));
  return rows.map((r) => ({ ...r, schedule: schedules.get(r.id)! }));
}

// ── Quotes for customers ──────────────────────────────────────────────────────────────────────

export interface QuoteRequest {
  organizationId: string;
  instrumentId: string;
  start: Date;
  end: Date;
  serviceMode: ServiceMode | null;
}

/**
 * What a slot would cost the customer's organisation, with the voucher split it may expect; the
 * same pure quote that is frozen when the request is sent. Null when the instrument has no rate
 * for the customer's class.
 */
export async function quoteForSlot(request: QuoteRequest) {
  const db = await getDb();
  const context = await pricingContext(db, request.instrumentId, request.organizationId);
  if (!context) return null;
  const { customerClass, rate, policy } = context;
  if (!rate) return { customerClass, quote: null };
  const quote = priceUsage(customerClass, rate, policy, bookedUsage(request.start, request.end));
  const voucher = await previewVoucherSplit(db, {
    organizationId: request.organizationId,
    amountFen: quote.totalFen,
    customerClass,
    categoryCode: context.categoryCode,
    serviceMode: request.serviceMode,
    serviceDate: dayIn(request.start, context.timeZone),
  });
  return { customerClass, quote: { quote, rate, policy, voucher } satisfies FrozenQuote };
}

/** The quote frozen on a booking when it was requested, or null (no rate, or a sample job). */
export async function bookingQuote(bookingId: string): Promise<FrozenQuote | null> {
  return frozenQuote(await getDb(), bookingId);
}
