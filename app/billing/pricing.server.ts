// What pricing needs from the database for one booking: the customer's class, the instrument's rate
// for it and its policy, the frozen quote, and what was actually used.
import { and, desc, eq, sql } from "drizzle-orm";
import {
  billingPolicies,
  bookingEvents,
  bookingQuotes,
  bookings,
  instruments,
  labs,
  organizations,
  platformFeeBands,
  rates,
  usageRecords,
} from "../../db/schema";
import { builtOnce, type Tx } from "~/lib/db.server";
import type { CustomerClass } from "../../db/schema/billing-vocabulary";
import { customerClassOf } from "./customer-class";
import { bookedUsage, defaultBillingPolicy, priceUsage, type BillingPolicyTerms, type FeeBand, type Quote, type RateTerms, type UsageFacts } from "./quote";
import { previewVoucherSplit, type NamedSplit } from "./vouchers.server";
import { dateTimeFormat } from "~/lib/intl";

/** A calendar day (YYYY-MM-DD) in a lab's time zone. */
export const dayIn = (instant: Date, timeZone: string) => dateTimeFormat("en-CA", { timeZone }).format(instant);

/**
 * What prices a use, read with the instrument and the customer organisation in one statement: the
 * instrument's facts with every class's rate (a handful of rows; the customer's class is known
 * only from the same row) and its policy as JSON.
 */
const pricingFields = {
  providerOrganizationId: instruments.organizationId,
  categoryCode: instruments.categoryCode,
  timeZone: labs.timeZone,
  customer: { id: organizations.id, type: organizations.type, isSme: organizations.isSme },
  rates: sql<(RateTerms & { customerClass: CustomerClass })[]>`(
    select coalesce(json_agg(json_build_object('customerClass', r.customer_class, 'unit', r.unit, 'tiers', r.tiers,
      'minimumChargeFen', r.minimum_charge_fen, 'setupFeeFen', r.setup_fee_fen, 'roundingMinutes', r.rounding_minutes,
      'discountPercent', r.discount_percent)), '[]')
    from ${rates} r where r.instrument_id = ${instruments.id})`,
  policy: sql<BillingPolicyTerms | null>`(
    select json_build_object('freeCancellationHours', p.free_cancellation_hours, 'cancellationFeePercent', p.cancellation_fee_percent,
      'noShowFeePercent', p.no_show_fee_percent, 'lateStartGraceMinutes', p.late_start_grace_minutes)
    from ${billingPolicies} p where p.instrument_id = ${instruments.id})`,
};

const byIds = builtOnce((tx) =>
  tx
    .select(pricingFields)
    .from(instruments)
    .innerJoin(labs, eq(labs.id, instruments.labId))
    .innerJoin(organizations, eq(organizations.id, sql.placeholder("organizationId")))
    .where(eq(instruments.id, sql.placeholder("instrumentId"))),
);

/** The booking itself with what prices it. */
const byBooking = builtOnce((tx) =>
  tx
    .select({ booking: bookings, ...pricingFields })
    .from(bookings)
    .innerJoin(instruments, eq(instruments.id, bookings.instrumentId))
    .innerJoin(labs, eq(labs.id, instruments.labId))
    .innerJoin(organizations, eq(organizations.id, bookings.organizationId))
    .where(eq(bookings.id, sql.placeholder("bookingId"))),
);

type PricingRow = Awaited<ReturnType<typeof byIds>>[number];

function pricingOf(row: PricingRow) {
  const customerClass = customerClassOf(row.customer, row.providerOrganizationId);
  const { customer: _customer, rates: classRates, policy, ...facts } = row;
  return { ...facts, customerClass, rate: classRates.find((r) => r.customerClass === customerClass) ?? null, policy: policy ?? defaultBillingPolicy };
}

/**
 * What prices a use of an instrument by an organisation: the customer's class, the instrument's
 * rate for it (null when it has none) and policy (defaults when unset), and what the voucher split
 * needs (category, the lab's zone).
 */
export async function pricingContext(tx: Tx, instrumentId: string, customerOrganizationId: string) {
  const [row] = await byIds(tx, { instrumentId, organizationId: customerOrganizationId });
  return row ? pricingOf(row) : null;
}

/** A booking with its pricing context, read in one statement. */
export async function bookingPricing(tx: Tx, bookingId: string) {
  const [row] = await byBooking(tx, { bookingId });
  if (!row) return null;
  const { booking, ...pricing } = row;
  return { booking, ...pricingOf(pricing) };
}

export type BookingPricing = NonNullable<Awaited<ReturnType<typeof bookingPricing>>>;

/** The quote a booking gets at request time, or null when the instrument has no rate for the customer's class. */
export function quoteFor(pricing: BookingPricing): Quote | null {
  const { booking, rate } = pricing;
  if (!rate || !booking.period) return null;
  return priceUsage(pricing.customerClass, rate, pricing.policy, bookedUsage(booking.period.start, booking.period.end));
}

export interface FrozenQuote {
  quote: Quote;
  rate: RateTerms;
  policy: BillingPolicyTerms;
  /** The innovation-voucher split expected when the quote was made (quotes frozen before it was kept have none). */
  voucher?: NamedSplit;
}

/** Freezes the quote on a newly requested booking; a booking keeps its first quote. */
export async function freezeQuote(tx: Tx, bookingId: string): Promise<void> {
  const pricing = await bookingPricing(tx, bookingId);
  const quote = pricing && quoteFor(pricing);
  if (!pricing || !quote) return;
  const { unit, tiers, minimumChargeFen, setupFeeFen, roundingMinutes, discountPercent } = pricing.rate!;
  const { booking } = pricing;
  const voucher = await previewVoucherSplit(tx, {
    organizationId: booking.organizationId,
    amountFen: quote.totalFen,
    customerClass: pricing.customerClass,
    categoryCode: pricing.categoryCode,
    serviceMode: booking.serviceMode,
    serviceDate: dayIn(booking.period?.start ?? booking.createdAt, pricing.timeZone),
  });
  const frozen: FrozenQuote = {
    quote,
    rate: { unit, tiers, minimumChargeFen, setupFeeFen, roundingMinutes, discountPercent },
    policy: pricing.policy,
    voucher,
  };
  await tx
    .insert(bookingQuotes)
    .values({ bookingId, customerClass: quote.customerClass, quote: frozen, totalFen: quote.totalFen })
    .onConflictDoNothing();
}

export async function frozenQuote(tx: Tx, bookingId: string): Promise<FrozenQuote | null> {
  const [row] = await tx.select({ quote: bookingQuotes.quote }).from(bookingQuotes).where(eq(bookingQuotes.bookingId, bookingId));
  return (row?.quote as FrozenQuote | undefined) ?? null;
}

/**
 * What a completed booking used: the usage record when lab staff wrote one, else the check-in
 * and check-out times. Billed time is the time the customer held the instrument.
 */
export async function usageOf(tx: Tx, booking: BookingPricing["booking"], completedAt: Date): Promise<UsageFacts> {
  const [record] = await tx.select().from(usageRecords).where(eq(usageRecords.bookingId, booking.id));
  if (record) {
    return {
      minutes: Math.round((record.endedAt.getTime() - record.startedAt.getTime()) / 60_000),
      samples: record.samplesCount,
      lateStartMinutes: record.lateStartMinutes,
    };
  }
  const [checkIn] = await tx
    .select({ at: bookingEvents.at })
    .from(bookingEvents)
    .where(and(eq(bookingEvents.bookingId, booking.id), eq(bookingEvents.toStatus, "in_use")))
    .orderBy(desc(bookingEvents.at))
    .limit(1);
  const start = checkIn?.at ?? booking.period?.start ?? completedAt;
  const late = booking.period ? Math.max(0, Math.round((start.getTime() - booking.period.start.getTime()) / 60_000)) : 0;
  return { minutes: Math.max(0, Math.round((completedAt.getTime() - start.getTime()) / 60_000)), samples: 1, lateStartMinutes: late };
}

export async function feeBands(tx: Tx): Promise<FeeBand[]> {
  return tx.select().from(platformFeeBands);
}
