import { sql } from "drizzle-orm";
import {
  bigint,
  check,
  date,
  index,
  integer,
  jsonb,
  pgSequence,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from "drizzle-orm/pg-core";
import { inList, organizations, users } from "./accounts";
import { bookings } from "./booking";
import {
  chargeKinds,
  chargeStatuses,
  customerClasses,
  fapiaoStatuses,
  ledgerAccountKinds,
  paymentMethods,
  rateUnits,
  type ChargeKind,
  type ChargeStatus,
  type CustomerClass,
  type FapiaoStatus,
  type LedgerAccountKind,
  type PaymentMethod,
  type RateUnit,
} from "./billing-vocabulary";
import { instruments } from "./catalogue";

const fen = (name: string) => bigint(name, { mode: "number" });

/** One step of a tiered rate: units up to `upToUnits` (cumulative; null = the rest) cost `unitPriceFen` each. */
export interface RateTier {
  upToUnits: number | null;
  unitPriceFen: number;
}

/** 收费标准: the price of an instrument for one customer class. */
export const rates = pgTable(
  "rates",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    instrumentId: uuid("instrument_id")
      .notNull()
      .references(() => instruments.id, { onDelete: "cascade" }),
    customerClass: text("customer_class").$type<CustomerClass>().notNull(),
    unit: text("unit").$type<RateUnit>().notNull(),
    /** At least one tier; the last one is open-ended. */
    tiers: jsonb("tiers").$type<RateTier[]>().notNull(),
    minimumChargeFen: fen("minimum_charge_fen").notNull().default(0),
    setupFeeFen: fen("setup_fee_fen").notNull().default(0),
    /** Used time is rounded up to a multiple of this many minutes (0 = to the minute). */
    roundingMinutes: integer("rounding_minutes").notNull().default(0),
    discountPercent: integer("discount_percent").notNull().default(0),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("rates_instrument_class_key").on(t.instrumentId, t.customerClass),
    check("rates_customer_class_check", inList("customer_class", customerClasses)),
    check("rates_unit_check", inList("unit", rateUnits)),
    check("rates_tiers_check", sql`jsonb_typeof(tiers) = 'array' and jsonb_array_length(tiers) between 1 and 10`),
    check("rates_amounts_check", sql`minimum_charge_fen >= 0 and setup_fee_fen >= 0`),
    check("rates_rounding_check", sql`rounding_minutes between 0 and 240`),
    check("rates_discount_check", sql`discount_percent between 0 and 100`),
  ],
);

/** An instrument's cancellation, no-show and late-start rules; a missing row means the defaults. */
export const billingPolicies = pgTable(
  "billing_policies",
  {
    instrumentId: uuid("instrument_id")
      .primaryKey()
      .references(() => instruments.id, { onDelete: "cascade" }),
    freeCancellationHours: integer("free_cancellation_hours").notNull().default(24),
    cancellationFeePercent: integer("cancellation_fee_percent").notNull().default(50),
    noShowFeePercent: integer("no_show_fee_percent").notNull().default(100),
    /** Starting later than this is billed: the late time, rounded up to full hours. */
    lateStartGraceMinutes: integer("late_start_grace_minutes").notNull().default(30),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("billing_policies_hours_check", sql`free_cancellation_hours between 0 and 720`),
    check("billing_policies_percent_check", sql`cancellation_fee_percent between 0 and 100 and no_show_fee_percent between 0 and 100`),
    check("billing_policies_grace_check", sql`late_start_grace_minutes between 0 and 480`),
  ],
);

/** The quote frozen on a booking when it was requested (DESIGN.md §7). */
export const bookingQuotes = pgTable(
  "booking_quotes",
  {
    bookingId: uuid("booking_id")
      .primaryKey()
      .references(() => bookings.id),
    customerClass: text("customer_class").$type<CustomerClass>().notNull(),
    /** The rate and policy as they stood, and the explained lines (app/billing/quote.ts). */
    quote: jsonb("quote").notNull(),
    totalFen: fen("total_fen").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("booking_quotes_customer_class_check", inList("customer_class", customerClasses)),
    check("booking_quotes_total_check", sql`total_fen >= 0`),
  ],
);

/**
 * The platform's fee, by marginal bands of a charge's amount: the part of the amount from
 * `from_fen` up to the next band's start pays `rate_basis_points` / 10 000.
 */
export const platformFeeBands = pgTable(
  "platform_fee_bands",
  {
    fromFen: fen("from_fen").primaryKey(),
    rateBasisPoints: integer("rate_basis_points").notNull(),
  },
  (t) => [check("platform_fee_bands_check", sql`from_fen >= 0 and rate_basis_points between 0 and 10000`)],
);

/** Where customers send offline transfers (对公转账) for a provider institution. */
export const providerBankAccounts = pgTable("provider_bank_accounts", {
  organizationId: uuid("organization_id")
    .primaryKey()
    .references(() => organizations.id, { onDelete: "cascade" }),
  accountName: text("account_name").notNull(),
  bankName: text("bank_name").notNull(),
  accountNumber: text("account_number").notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * A ledger account. Organisation-scoped kinds carry the organisation (customer receivable: the
 * customer; provider payable and bank: the provider institution; prepaid balance: the customer,
 * with the provider it deposited with as counterparty); voucher receivables carry the programme.
 */
export const ledgerAccounts = pgTable(
  "ledger_accounts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    kind: text("kind").$type<LedgerAccountKind>().notNull(),
    organizationId: uuid("organization_id").references(() => organizations.id),
    counterpartyId: uuid("counterparty_id").references(() => organizations.id),
    programmeId: uuid("programme_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("ledger_accounts_key").on(t.kind, t.organizationId, t.counterpartyId, t.programmeId).nullsNotDistinct(),
    check("ledger_accounts_kind_check", inList("kind", ledgerAccountKinds)),
  ],
);

/** Numbers the charge references CH-<year>-<000123>, also the offline transfer's reference code. */
export const chargeReferenceSeq = pgSequence("charge_reference_seq", { startWith: 1 });

/** Money owed by a customer organisation for one booking (completion, late cancellation, no-show). */
export const charges = pgTable(
  "charges",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    reference: text("reference")
      .notNull()
      .unique()
      .default(
        sql`'CH-' || to_char(now() at time zone 'Asia/Shanghai', 'YYYY') || '-' || lpad(nextval('charge_reference_seq')::text, 6, '0')`,
      ),
    bookingId: uuid("booking_id")
      .unique()
      .references(() => bookings.id),
    instrumentId: uuid("instrument_id").references(() => instruments.id),
    customerOrganizationId: uuid("customer_organization_id")
      .notNull()
      .references(() => organizations.id),
    /** The instrument's institution, which is paid. */
    providerOrganizationId: uuid("provider_organization_id")
      .notNull()
      .references(() => organizations.id),
    customerClass: text("customer_class").$type<CustomerClass>().notNull(),
    kind: text("kind").$type<ChargeKind>().notNull(),
    currency: text("currency").notNull().default("CNY"),
    amountFen: fen("amount_fen").notNull(),
    /** The part voucher programmes pay; the customer owes amount − voucher. */
    voucherFen: fen("voucher_fen").notNull().default(0),
    platformFeeFen: fen("platform_fee_fen").notNull().default(0),
    /** Explained lines (app/billing/quote.ts QuoteLine[]). */
    lines: jsonb("lines").notNull(),
    status: text("status").$type<ChargeStatus>().notNull().default("open"),
    paidFen: fen("paid_fen").notNull().default(0),
    refundedFen: fen("refunded_fen").notNull().default(0),
    dueOn: date("due_on").notNull(),
    lastReminderAt: timestamp("last_reminder_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("charges_customer_idx").on(t.customerOrganizationId, t.createdAt),
    index("charges_provider_idx").on(t.providerOrganizationId, t.createdAt),
    check("charges_customer_class_check", inList("customer_class", customerClasses)),
    check("charges_kind_check", inList("kind", chargeKinds)),
    check("charges_status_check", inList("status", chargeStatuses)),
    check(
      "charges_amounts_check",
      sql`amount_fen >= 0 and voucher_fen between 0 and amount_fen and platform_fee_fen between 0 and amount_fen and paid_fen >= 0 and refunded_fen between 0 and paid_fen and paid_fen <= amount_fen - voucher_fen`,
    ),
  ],
);

/**
 * An overdue reminder sent for a charge: one row per reminder step (days past due), claimed in the
 * transaction that queues the emails, so a second run or instance sends nothing twice.
 */
export const chargeReminders = pgTable(
  "charge_reminders",
  {
    chargeId: uuid("charge_id")
      .notNull()
      .references(() => charges.id),
    daysOverdue: integer("days_overdue").notNull(),
    sentAt: timestamp("sent_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.chargeId, t.daysOverdue] }), check("charge_reminders_days_check", sql`days_overdue > 0`)],
);

/** One money movement in the ledger; its entries sum to zero (enforced at commit). Append-only. */
export const ledgerTransactions = pgTable(
  "ledger_transactions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    kind: text("kind").notNull(),
    memo: text("memo").notNull().default(""),
    chargeId: uuid("charge_id").references(() => charges.id),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("ledger_transactions_charge_idx").on(t.chargeId), index("ledger_transactions_at_idx").on(t.at)],
);

/** Debits positive, credits negative. Append-only. */
export const ledgerEntries = pgTable(
  "ledger_entries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    transactionId: uuid("transaction_id")
      .notNull()
      .references(() => ledgerTransactions.id),
    accountId: uuid("account_id")
      .notNull()
      .references(() => ledgerAccounts.id),
    amountFen: fen("amount_fen").notNull(),
  },
  (t) => [
    index("ledger_entries_transaction_idx").on(t.transactionId),
    index("ledger_entries_account_idx").on(t.accountId),
    check("ledger_entries_amount_check", sql`amount_fen <> 0`),
  ],
);

/** Money received against a charge. Offline transfers carry the bank's reference, unique per provider. */
export const payments = pgTable(
  "payments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    chargeId: uuid("charge_id")
      .notNull()
      .references(() => charges.id),
    providerOrganizationId: uuid("provider_organization_id")
      .notNull()
      .references(() => organizations.id),
    method: text("method").$type<PaymentMethod>().notNull(),
    amountFen: fen("amount_fen").notNull(),
    receivedOn: date("received_on").notNull(),
    bankReference: text("bank_reference"),
    ledgerTransactionId: uuid("ledger_transaction_id")
      .notNull()
      .references(() => ledgerTransactions.id),
    recordedBy: uuid("recorded_by").references(() => users.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("payments_charge_idx").on(t.chargeId),
    unique("payments_bank_reference_key").on(t.providerOrganizationId, t.bankReference),
    check("payments_method_check", inList("method", paymentMethods)),
    check("payments_amount_check", sql`amount_fen > 0`),
    check("payments_offline_reference_check", sql`method <> 'offline' or bank_reference is not null`),
  ],
);

/** Money given back against one payment; never more than that payment. */
export const refunds = pgTable(
  "refunds",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    chargeId: uuid("charge_id")
      .notNull()
      .references(() => charges.id),
    paymentId: uuid("payment_id")
      .notNull()
      .references(() => payments.id),
    amountFen: fen("amount_fen").notNull(),
    reason: text("reason").notNull(),
    ledgerTransactionId: uuid("ledger_transaction_id")
      .notNull()
      .references(() => ledgerTransactions.id),
    recordedBy: uuid("recorded_by").references(() => users.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("refunds_charge_idx").on(t.chargeId), check("refunds_amount_check", sql`amount_fen > 0`)],
);

/** A customer organisation's deposit with a provider institution (prepaid balance). */
export const deposits = pgTable(
  "deposits",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    customerOrganizationId: uuid("customer_organization_id")
      .notNull()
      .references(() => organizations.id),
    providerOrganizationId: uuid("provider_organization_id")
      .notNull()
      .references(() => organizations.id),
    amountFen: fen("amount_fen").notNull(),
    receivedOn: date("received_on").notNull(),
    bankReference: text("bank_reference").notNull(),
    ledgerTransactionId: uuid("ledger_transaction_id")
      .notNull()
      .references(() => ledgerTransactions.id),
    recordedBy: uuid("recorded_by").references(() => users.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("deposits_bank_reference_key").on(t.providerOrganizationId, t.bankReference),
    check("deposits_amount_check", sql`amount_fen > 0`),
  ],
);

/** 发票申请: the customer asks for a fapiao for a charge; finance records its number when issued. */
export const fapiaoRequests = pgTable(
  "fapiao_requests",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    chargeId: uuid("charge_id")
      .notNull()
      .unique()
      .references(() => charges.id),
    title: text("title").notNull(),
    taxId: text("tax_id").notNull(),
    address: text("address").notNull().default(""),
    phone: text("phone").notNull().default(""),
    bankName: text("bank_name").notNull().default(""),
    bankAccount: text("bank_account").notNull().default(""),
    status: text("status").$type<FapiaoStatus>().notNull().default("requested"),
    invoiceNumber: text("invoice_number"),
    requestedBy: uuid("requested_by").references(() => users.id),
    issuedBy: uuid("issued_by").references(() => users.id),
    issuedAt: timestamp("issued_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("fapiao_requests_status_check", inList("status", fapiaoStatuses)),
    check("fapiao_requests_issued_check", sql`(status = 'issued') = (invoice_number is not null)`),
  ],
);
