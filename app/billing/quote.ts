// Pricing (DESIGN.md §7): one pure function turns a rate, the instrument's policy and what was
// (or is expected to be) used into integer fen with every line explained. The same function makes
// the quote frozen at request time and the final amount at completion, so the two agree whenever
// the usage equals the booking.
import type { RateTier } from "../../db/schema/billing";
import type { CustomerClass, RateUnit } from "../../db/schema/billing-vocabulary";

export type { RateTier };

export interface RateTerms {
  unit: RateUnit;
  tiers: RateTier[];
  minimumChargeFen: number;
  setupFeeFen: number;
  roundingMinutes: number;
  discountPercent: number;
}

export interface BillingPolicyTerms {
  freeCancellationHours: number;
  cancellationFeePercent: number;
  noShowFeePercent: number;
  lateStartGraceMinutes: number;
}

export const defaultBillingPolicy: BillingPolicyTerms = {
  freeCancellationHours: 24,
  cancellationFeePercent: 50,
  noShowFeePercent: 100,
  lateStartGraceMinutes: 30,
};

/** What was used: minutes on the instrument, samples measured, minutes the start was late. */
export interface UsageFacts {
  minutes: number;
  samples: number;
  lateStartMinutes: number;
}

export type QuoteLineKind = "base" | "tier" | "late" | "minimum" | "setup" | "discount" | "cancellation" | "no_show" | "voucher";

export interface QuoteLine {
  kind: QuoteLineKind;
  /** Minutes for time rates, samples or sessions otherwise; a percentage for discount and fee lines. */
  quantity: number;
  quantityUnit: "minute" | "sample" | "session" | "percent" | "fen";
  /** Price of one rate unit (per hour, half hour, sample, session), or the base a percentage applies to. */
  unitPriceFen: number;
  per: RateUnit | null;
  /** Negative only for discount and voucher lines. */
  amountFen: number;
}

export interface Quote {
  customerClass: CustomerClass;
  unit: RateUnit;
  lines: QuoteLine[];
  totalFen: number;
}

const minutesPerUnit: Partial<Record<RateUnit, number>> = { hour: 60, half_hour: 30 };

export const isTimeUnit = (unit: RateUnit) => unit in minutesPerUnit;

/** price × quantity / unitSize, rounded half up, all in integers. */
const prorate = (priceFen: number, quantity: number, unitSize: number) =>
  Math.floor((priceFen * quantity * 2 + unitSize) / (2 * unitSize));

const percentOf = (amountFen: number, percent: number) => Math.floor((amountFen * percent) / 100);

const roundUp = (value: number, step: number) => (step > 0 ? Math.ceil(value / step) * step : value);

/** Quantity in the line's own unit (minutes, samples, sessions) and the size of one rate unit in it. */
function measure(rate: RateTerms, usage: UsageFacts): { quantity: number; unitSize: number; quantityUnit: QuoteLine["quantityUnit"] } {
  const size = minutesPerUnit[rate.unit];
  if (size) return { quantity: roundUp(Math.max(0, usage.minutes), rate.roundingMinutes), unitSize: size, quantityUnit: "minute" };
  if (rate.unit === "sample") return { quantity: Math.max(0, usage.samples), unitSize: 1, quantityUnit: "sample" };
  return { quantity: 1, unitSize: 1, quantityUnit: "session" };
}

/** The price of a use: tiers, late start, minimum charge, setup fee, discount. */
export function priceUsage(customerClass: CustomerClass, rate: RateTerms, policy: BillingPolicyTerms, usage: UsageFacts): Quote {
  const lines: QuoteLine[] = [];
  const { quantity, unitSize, quantityUnit } = measure(rate, usage);
  let counted = 0;
  rate.tiers.forEach((tier, i) => {
    const bound = tier.upToUnits === null || i === rate.tiers.length - 1 ? Infinity : tier.upToUnits * unitSize;
    const portion = Math.max(0, Math.min(quantity, bound) - counted);
    if (portion === 0) return;
    counted += portion;
    lines.push({
      kind: i === 0 ? "base" : "tier",
      quantity: portion,
      quantityUnit,
      unitPriceFen: tier.unitPriceFen,
      per: rate.unit,
      amountFen: prorate(tier.unitPriceFen, portion, unitSize),
    });
  });
  const firstPrice = rate.tiers[0]?.unitPriceFen ?? 0;
  if (isTimeUnit(rate.unit) && usage.lateStartMinutes > policy.lateStartGraceMinutes) {
    const late = roundUp(usage.lateStartMinutes, 60);
    lines.push({ kind: "late", quantity: late, quantityUnit: "minute", unitPriceFen: firstPrice, per: rate.unit, amountFen: prorate(firstPrice, late, unitSize) });
  }
  const used = sum(lines);
  if (used < rate.minimumChargeFen) {
    const top = rate.minimumChargeFen - used;
    lines.push({ kind: "minimum", quantity: rate.minimumChargeFen, quantityUnit: "fen", unitPriceFen: rate.minimumChargeFen, per: null, amountFen: top });
  }
  if (rate.setupFeeFen > 0) {
    lines.push({ kind: "setup", quantity: 1, quantityUnit: "session", unitPriceFen: rate.setupFeeFen, per: "session", amountFen: rate.setupFeeFen });
  }
  const gross = sum(lines);
  const discount = percentOf(gross, rate.discountPercent);
  if (discount > 0) {
    lines.push({ kind: "discount", quantity: rate.discountPercent, quantityUnit: "percent", unitPriceFen: gross, per: null, amountFen: -discount });
  }
  return { customerClass, unit: rate.unit, lines, totalFen: sum(lines) };
}

const sum = (lines: QuoteLine[]) => lines.reduce((total, line) => total + line.amountFen, 0);

/** What a booking is expected to use: its booked minutes, one sample, on time. */
export const bookedUsage = (start: Date, end: Date): UsageFacts => ({
  minutes: Math.round((end.getTime() - start.getTime()) / 60_000),
  samples: 1,
  lateStartMinutes: 0,
});

/** A percentage of the frozen quote, as one explained line. */
function feeOn(quote: Quote, kind: "cancellation" | "no_show", percent: number): Quote {
  const amountFen = percentOf(quote.totalFen, percent);
  return {
    customerClass: quote.customerClass,
    unit: quote.unit,
    lines: amountFen > 0 ? [{ kind, quantity: percent, quantityUnit: "percent", unitPriceFen: quote.totalFen, per: null, amountFen }] : [],
    totalFen: amountFen,
  };
}

/** Cancelling inside the policy's window costs a percentage of the quote; before it, nothing. */
export function cancellationFee(quote: Quote, policy: BillingPolicyTerms, startsAt: Date, cancelledAt: Date): Quote {
  const hoursBefore = (startsAt.getTime() - cancelledAt.getTime()) / 3_600_000;
  return feeOn(quote, "cancellation", hoursBefore >= policy.freeCancellationHours ? 0 : policy.cancellationFeePercent);
}

/** What cancelling a confirmed booking at `now` costs, and until when it costs nothing. */
export function cancellationTerms(quote: Quote, policy: BillingPolicyTerms, startsAt: Date, now: Date): { feeFen: number; freeUntil: Date; percent: number } {
  return {
    feeFen: cancellationFee(quote, policy, startsAt, now).totalFen,
    freeUntil: new Date(startsAt.getTime() - policy.freeCancellationHours * 3_600_000),
    percent: policy.cancellationFeePercent,
  };
}

export const noShowFee = (quote: Quote, policy: BillingPolicyTerms): Quote => feeOn(quote, "no_show", policy.noShowFeePercent);

/** One band of the platform's fee: the part of a charge from `fromFen` to the next band pays `rateBasisPoints` ‱. */
export interface FeeBand {
  fromFen: number;
  rateBasisPoints: number;
}

/** The platform's fee on a charge, by marginal bands (so a larger charge never pays a smaller fee); internal use is free. */
export function platformFee(amountFen: number, bands: FeeBand[], customerClass: CustomerClass): number {
  if (customerClass === "internal") return 0;
  const sorted = [...bands].sort((a, b) => a.fromFen - b.fromFen);
  // Summed in fen × basis points, divided once, so no fraction of a fen is ever carried.
  let feeTimes10k = 0;
  sorted.forEach((band, i) => {
    const upper = sorted[i + 1]?.fromFen ?? Infinity;
    feeTimes10k += Math.max(0, Math.min(amountFen, upper) - band.fromFen) * band.rateBasisPoints;
  });
  return Math.min(amountFen, Math.floor((feeTimes10k + 5_000) / 10_000));
}
