/** Billing vocabularies, free of any database import so the browser and pure modules can use them. */
export { customerClasses, type CustomerClass } from "./vocabulary";

/** What one rate prices: time (per hour or half hour), a sample, or a whole session. */
export const rateUnits = ["hour", "half_hour", "sample", "session"] as const;
export type RateUnit = (typeof rateUnits)[number];

/** The accounts every money movement is posted to (DESIGN.md §7). */
export const ledgerAccountKinds = [
  "customer_receivable",
  "provider_payable",
  "voucher_receivable",
  "platform_fee_revenue",
  "stripe_clearing",
  "bank",
  "prepaid_balance",
] as const;
export type LedgerAccountKind = (typeof ledgerAccountKinds)[number];

/** What a charge is for: finished use, a cancellation inside the fee window, or a no-show. */
export const chargeKinds = ["usage", "cancellation", "no_show"] as const;
export type ChargeKind = (typeof chargeKinds)[number];

export const chargeStatuses = ["open", "partially_paid", "paid", "partially_refunded", "refunded"] as const;
export type ChargeStatus = (typeof chargeStatuses)[number];

export const paymentMethods = ["offline", "stripe", "prepaid"] as const;
export type PaymentMethod = (typeof paymentMethods)[number];

export const fapiaoStatuses = ["requested", "issued"] as const;
export type FapiaoStatus = (typeof fapiaoStatuses)[number];
