import { sql } from "drizzle-orm";
import { bigint, check, date, index, integer, jsonb, pgTable, text, timestamp, unique, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { inList, organizations, users } from "./accounts";
import { bookings } from "./booking";
import { customerClasses, type CustomerClass } from "./billing-vocabulary";
import { serviceModes, type ServiceMode } from "./vocabulary";

export const voucherGrantStatuses = ["applied", "approved", "rejected"] as const;
export type VoucherGrantStatus = (typeof voucherGrantStatuses)[number];

export const voucherClaimStatuses = ["claimed", "reimbursed"] as const;
export type VoucherClaimStatus = (typeof voucherClaimStatuses)[number];

const arrayWithin = (column: string, values: readonly string[]) =>
  sql.raw(`${column} <@ array[${values.map((v) => `'${v}'`).join(",")}]::text[]`);

/**
 * An innovation-voucher programme (科技创新券) run by a government body: it pays `coveragePercent`
 * of an eligible charge, up to a cap per claim and per company and calendar year. Programmes a
 * company holds together apply in ascending `stackingOrder`.
 */
export const voucherProgrammes = pgTable(
  "voucher_programmes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    issuerOrganizationId: uuid("issuer_organization_id")
      .notNull()
      .references(() => organizations.id),
    nameZh: text("name_zh").notNull(),
    nameEn: text("name_en").notNull(),
    coveragePercent: integer("coverage_percent").notNull(),
    /** Null: no cap per claim. */
    perClaimCapFen: bigint("per_claim_cap_fen", { mode: "number" }),
    /** Null: no yearly cap per company (the grant's amount still limits). */
    yearlyCapFen: bigint("yearly_cap_fen", { mode: "number" }),
    eligibleCustomerClasses: text("eligible_customer_classes").array().$type<CustomerClass[]>().notNull(),
    /** Category codes of the national classification; a code covers its sub-categories. Empty: every category. */
    eligibleCategoryCodes: text("eligible_category_codes").array().notNull().default(sql`'{}'`),
    excludedServiceModes: text("excluded_service_modes").array().$type<ServiceMode[]>().notNull().default(sql`'{}'`),
    /** Inclusive calendar dates (Asia/Shanghai) on which the service must take place. */
    validFrom: date("valid_from").notNull(),
    validUntil: date("valid_until").notNull(),
    stackingOrder: integer("stacking_order").notNull(),
    createdBy: uuid("created_by").references(() => users.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("voucher_programmes_issuer_idx").on(t.issuerOrganizationId),
    check("voucher_programmes_coverage_check", sql`coverage_percent between 1 and 100`),
    check("voucher_programmes_caps_check", sql`(per_claim_cap_fen is null or per_claim_cap_fen > 0) and (yearly_cap_fen is null or yearly_cap_fen > 0)`),
    check("voucher_programmes_validity_check", sql`valid_until >= valid_from`),
    check("voucher_programmes_classes_check", arrayWithin("eligible_customer_classes", customerClasses)),
    check("voucher_programmes_classes_nonempty", sql`cardinality(eligible_customer_classes) > 0`),
    check("voucher_programmes_services_check", arrayWithin("excluded_service_modes", serviceModes)),
  ],
);

/**
 * A company's grant under a programme: it applies, the issuer approves an amount, and claims
 * draw it down. `drawnFen` never exceeds the approved amount (checked here as a backstop to the
 * row lock taken by the split).
 */
export const voucherGrants = pgTable(
  "voucher_grants",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    programmeId: uuid("programme_id")
      .notNull()
      .references(() => voucherProgrammes.id),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id),
    status: text("status").$type<VoucherGrantStatus>().notNull().default("applied"),
    requestedFen: bigint("requested_fen", { mode: "number" }).notNull(),
    approvedFen: bigint("approved_fen", { mode: "number" }),
    drawnFen: bigint("drawn_fen", { mode: "number" }).notNull().default(0),
    purpose: text("purpose").notNull().default(""),
    appliedBy: uuid("applied_by").references(() => users.id),
    decidedBy: uuid("decided_by").references(() => users.id),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    decisionNote: text("decision_note").notNull().default(""),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("voucher_grants_org_idx").on(t.organizationId),
    // One open or approved grant per company and programme; a rejected one may be followed by a new application.
    uniqueIndex("voucher_grants_live_key").on(t.programmeId, t.organizationId).where(sql`status <> 'rejected'`),
    check("voucher_grants_status_check", inList("status", voucherGrantStatuses)),
    check("voucher_grants_requested_check", sql`requested_fen > 0`),
    check("voucher_grants_approved_check", sql`(status = 'approved') = (approved_fen is not null) and (approved_fen is null or approved_fen > 0)`),
    check("voucher_grants_drawn_check", sql`drawn_fen >= 0 and drawn_fen <= coalesce(approved_fen, 0)`),
  ],
);

/**
 * One programme's share of one charge (报销申领): what the issuer owes the platform for that
 * service. The row keeps the facts the issuer's paperwork asks for as they were when the charge
 * was made.
 */
export const voucherClaims = pgTable(
  "voucher_claims",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    programmeId: uuid("programme_id")
      .notNull()
      .references(() => voucherProgrammes.id),
    grantId: uuid("grant_id")
      .notNull()
      .references(() => voucherGrants.id),
    chargeId: uuid("charge_id").notNull(),
    bookingId: uuid("booking_id")
      .notNull()
      .references(() => bookings.id),
    /** The company served. */
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id),
    providerOrganizationId: uuid("provider_organization_id")
      .notNull()
      .references(() => organizations.id),
    serviceDate: date("service_date").notNull(),
    chargeTotalFen: bigint("charge_total_fen", { mode: "number" }).notNull(),
    voucherFen: bigint("voucher_fen", { mode: "number" }).notNull(),
    companyFen: bigint("company_fen", { mode: "number" }).notNull(),
    status: text("status").$type<VoucherClaimStatus>().notNull().default("claimed"),
    reimbursedAt: timestamp("reimbursed_at", { withTimezone: true }),
    reimbursedBy: uuid("reimbursed_by").references(() => users.id),
    reimbursementReference: text("reimbursement_reference"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("voucher_claims_programme_charge_key").on(t.programmeId, t.chargeId),
    index("voucher_claims_programme_date_idx").on(t.programmeId, t.serviceDate),
    index("voucher_claims_org_date_idx").on(t.organizationId, t.programmeId, t.serviceDate),
    check("voucher_claims_status_check", inList("status", voucherClaimStatuses)),
    check("voucher_claims_amounts_check", sql`voucher_fen > 0 and company_fen >= 0 and charge_total_fen >= voucher_fen`),
    check("voucher_claims_reimbursed_check", sql`(status = 'reimbursed') = (reimbursed_at is not null)`),
  ],
);

/**
 * Every Stripe webhook event, stored by its id before it is applied: a replay finds the row and
 * changes nothing.
 */
export const stripeEvents = pgTable("stripe_events", {
  id: text("id").primaryKey(),
  type: text("type").notNull(),
  payload: jsonb("payload").notNull(),
  receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
  /** What applying it did (`paid`, `refunded`, `ignored: …`), for the finance pages and support. */
  outcome: text("outcome").notNull().default(""),
});

export const stripeCheckoutStatuses = ["open", "paid", "failed", "expired"] as const;
export type StripeCheckoutStatus = (typeof stripeCheckoutStatuses)[number];

/** A Checkout session opened for (part of) a charge, with what the platform keeps of it. */
export const stripeCheckouts = pgTable(
  "stripe_checkouts",
  {
    id: text("id").primaryKey(),
    chargeId: uuid("charge_id").notNull(),
    amountFen: bigint("amount_fen", { mode: "number" }).notNull(),
    applicationFeeFen: bigint("application_fee_fen", { mode: "number" }).notNull(),
    destinationAccountId: text("destination_account_id").notNull(),
    status: text("status").$type<StripeCheckoutStatus>().notNull().default("open"),
    paymentIntentId: text("payment_intent_id"),
    createdBy: uuid("created_by").references(() => users.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    paidAt: timestamp("paid_at", { withTimezone: true }),
  },
  (t) => [
    index("stripe_checkouts_charge_idx").on(t.chargeId),
    uniqueIndex("stripe_checkouts_payment_intent_key").on(t.paymentIntentId),
    check("stripe_checkouts_status_check", inList("status", stripeCheckoutStatuses)),
    check("stripe_checkouts_amounts_check", sql`amount_fen > 0 and application_fee_fen >= 0 and application_fee_fen <= amount_fen`),
  ],
);

/** Refunds made through Stripe, by Stripe's refund id: a refund reported twice is recorded once. */
export const stripeRefunds = pgTable(
  "stripe_refunds",
  {
    id: text("id").primaryKey(),
    checkoutId: text("checkout_id")
      .notNull()
      .references(() => stripeCheckouts.id),
    amountFen: bigint("amount_fen", { mode: "number" }).notNull(),
    reason: text("reason").notNull().default(""),
    createdBy: uuid("created_by").references(() => users.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("stripe_refunds_checkout_idx").on(t.checkoutId), check("stripe_refunds_amount_check", sql`amount_fen > 0`)],
);
