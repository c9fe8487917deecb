CREATE SEQUENCE "public"."charge_reference_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "billing_policies" (
	"instrument_id" uuid PRIMARY KEY NOT NULL,
	"free_cancellation_hours" integer DEFAULT 24 NOT NULL,
	"cancellation_fee_percent" integer DEFAULT 50 NOT NULL,
	"no_show_fee_percent" integer DEFAULT 100 NOT NULL,
	"late_start_grace_minutes" integer DEFAULT 30 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "billing_policies_hours_check" CHECK (free_cancellation_hours between 0 and 720),
	CONSTRAINT "billing_policies_percent_check" CHECK (cancellation_fee_percent between 0 and 100 and no_show_fee_percent between 0 and 100),
	CONSTRAINT "billing_policies_grace_check" CHECK (late_start_grace_minutes between 0 and 480)
);
--> statement-breakpoint
CREATE TABLE "booking_quotes" (
	"booking_id" uuid PRIMARY KEY NOT NULL,
	"customer_class" text NOT NULL,
	"quote" jsonb NOT NULL,
	"total_fen" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "booking_quotes_customer_class_check" CHECK (customer_class in ('internal', 'academic', 'enterprise', 'sme')),
	CONSTRAINT "booking_quotes_total_check" CHECK (total_fen >= 0)
);
--> statement-breakpoint
CREATE TABLE "charges" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"reference" text DEFAULT 'CH-' || to_char(now() at time zone 'Asia/Shanghai', 'YYYY') || '-' || lpad(nextval('charge_reference_seq')::text, 6, '0') NOT NULL,
	"booking_id" uuid,
	"instrument_id" uuid,
	"customer_organization_id" uuid NOT NULL,
	"provider_organization_id" uuid NOT NULL,
	"customer_class" text NOT NULL,
	"kind" text NOT NULL,
	"currency" text DEFAULT 'CNY' NOT NULL,
	"amount_fen" bigint NOT NULL,
	"voucher_fen" bigint DEFAULT 0 NOT NULL,
	"platform_fee_fen" bigint DEFAULT 0 NOT NULL,
	"lines" jsonb NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"paid_fen" bigint DEFAULT 0 NOT NULL,
	"refunded_fen" bigint DEFAULT 0 NOT NULL,
	"due_on" date NOT NULL,
	"last_reminder_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "charges_reference_unique" UNIQUE("reference"),
	CONSTRAINT "charges_booking_id_unique" UNIQUE("booking_id"),
	CONSTRAINT "charges_customer_class_check" CHECK (customer_class in ('internal', 'academic', 'enterprise', 'sme')),
	CONSTRAINT "charges_kind_check" CHECK (kind in ('usage', 'cancellation', 'no_show')),
	CONSTRAINT "charges_status_check" CHECK (status in ('open', 'partially_paid', 'paid', 'partially_refunded', 'refunded')),
	CONSTRAINT "charges_amounts_check" CHECK (amount_fen >= 0 and voucher_fen between 0 and amount_fen and platform_fee_fen between 0 and amount_fen and paid_fen >= 0 and refunded_fen between 0 and paid_fen and paid_fen <= amount_fen - voucher_fen)
);
--> statement-breakpoint
CREATE TABLE "deposits" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"customer_organization_id" uuid NOT NULL,
	"provider_organization_id" uuid NOT NULL,
	"amount_fen" bigint NOT NULL,
	"received_on" date NOT NULL,
	"bank_reference" text NOT NULL,
	"ledger_transaction_id" uuid NOT NULL,
	"recorded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "deposits_bank_reference_key" UNIQUE("provider_organization_id","bank_reference"),
	CONSTRAINT "deposits_amount_check" CHECK (amount_fen > 0)
);
--> statement-breakpoint
CREATE TABLE "fapiao_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"charge_id" uuid NOT NULL,
	"title" text NOT NULL,
	"tax_id" text NOT NULL,
	"address" text DEFAULT '' NOT NULL,
	"phone" text DEFAULT '' NOT NULL,
	"bank_name" text DEFAULT '' NOT NULL,
	"bank_account" text DEFAULT '' NOT NULL,
	"status" text DEFAULT 'requested' NOT NULL,
	"invoice_number" text,
	"requested_by" uuid,
	"issued_by" uuid,
	"issued_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "fapiao_requests_charge_id_unique" UNIQUE("charge_id"),
	CONSTRAINT "fapiao_requests_status_check" CHECK (status in ('requested', 'issued')),
	CONSTRAINT "fapiao_requests_issued_check" CHECK ((status = 'issued') = (invoice_number is not null))
);
--> statement-breakpoint
CREATE TABLE "ledger_accounts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"organization_id" uuid,
	"counterparty_id" uuid,
	"programme_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ledger_accounts_key" UNIQUE NULLS NOT DISTINCT("kind","organization_id","counterparty_id","programme_id"),
	CONSTRAINT "ledger_accounts_kind_check" CHECK (kind in ('customer_receivable', 'provider_payable', 'voucher_receivable', 'platform_fee_revenue', 'stripe_clearing', 'bank', 'prepaid_balance'))
);
--> statement-breakpoint
CREATE TABLE "ledger_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"transaction_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"amount_fen" bigint NOT NULL,
	CONSTRAINT "ledger_entries_amount_check" CHECK (amount_fen <> 0)
);
--> statement-breakpoint
CREATE TABLE "ledger_transactions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"memo" text DEFAULT '' NOT NULL,
	"charge_id" uuid,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "payments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"charge_id" uuid NOT NULL,
	"provider_organization_id" uuid NOT NULL,
	"method" text NOT NULL,
	"amount_fen" bigint NOT NULL,
	"received_on" date NOT NULL,
	"bank_reference" text,
	"ledger_transaction_id" uuid NOT NULL,
	"recorded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payments_bank_reference_key" UNIQUE("provider_organization_id","bank_reference"),
	CONSTRAINT "payments_method_check" CHECK (method in ('offline', 'stripe', 'prepaid')),
	CONSTRAINT "payments_amount_check" CHECK (amount_fen > 0),
	CONSTRAINT "payments_offline_reference_check" CHECK (method <> 'offline' or bank_reference is not null)
);
--> statement-breakpoint
CREATE TABLE "platform_fee_bands" (
	"from_fen" bigint PRIMARY KEY NOT NULL,
	"rate_basis_points" integer NOT NULL,
	CONSTRAINT "platform_fee_bands_check" CHECK (from_fen >= 0 and rate_basis_points between 0 and 10000)
);
--> statement-breakpoint
CREATE TABLE "provider_bank_accounts" (
	"organization_id" uuid PRIMARY KEY NOT NULL,
	"account_name" text NOT NULL,
	"bank_name" text NOT NULL,
	"account_number" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"instrument_id" uuid NOT NULL,
	"customer_class" text NOT NULL,
	"unit" text NOT NULL,
	"tiers" jsonb NOT NULL,
	"minimum_charge_fen" bigint DEFAULT 0 NOT NULL,
	"setup_fee_fen" bigint DEFAULT 0 NOT NULL,
	"rounding_minutes" integer DEFAULT 0 NOT NULL,
	"discount_percent" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rates_instrument_class_key" UNIQUE("instrument_id","customer_class"),
	CONSTRAINT "rates_customer_class_check" CHECK (customer_class in ('internal', 'academic', 'enterprise', 'sme')),
	CONSTRAINT "rates_unit_check" CHECK (unit in ('hour', 'half_hour', 'sample', 'session')),
	CONSTRAINT "rates_tiers_check" CHECK (jsonb_typeof(tiers) = 'array' and jsonb_array_length(tiers) between 1 and 10),
	CONSTRAINT "rates_amounts_check" CHECK (minimum_charge_fen >= 0 and setup_fee_fen >= 0),
	CONSTRAINT "rates_rounding_check" CHECK (rounding_minutes between 0 and 240),
	CONSTRAINT "rates_discount_check" CHECK (discount_percent between 0 and 100)
);
--> statement-breakpoint
CREATE TABLE "refunds" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"charge_id" uuid NOT NULL,
	"payment_id" uuid NOT NULL,
	"amount_fen" bigint NOT NULL,
	"reason" text NOT NULL,
	"ledger_transaction_id" uuid NOT NULL,
	"recorded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "refunds_amount_check" CHECK (amount_fen > 0)
);
--> statement-breakpoint
ALTER TABLE "billing_policies" ADD CONSTRAINT "billing_policies_instrument_id_instruments_id_fk" FOREIGN KEY ("instrument_id") REFERENCES "public"."instruments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "booking_quotes" ADD CONSTRAINT "booking_quotes_booking_id_bookings_id_fk" FOREIGN KEY ("booking_id") REFERENCES "public"."bookings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "charges" ADD CONSTRAINT "charges_booking_id_bookings_id_fk" FOREIGN KEY ("booking_id") REFERENCES "public"."bookings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "charges" ADD CONSTRAINT "charges_instrument_id_instruments_id_fk" FOREIGN KEY ("instrument_id") REFERENCES "public"."instruments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "charges" ADD CONSTRAINT "charges_customer_organization_id_organizations_id_fk" FOREIGN KEY ("customer_organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "charges" ADD CONSTRAINT "charges_provider_organization_id_organizations_id_fk" FOREIGN KEY ("provider_organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deposits" ADD CONSTRAINT "deposits_customer_organization_id_organizations_id_fk" FOREIGN KEY ("customer_organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deposits" ADD CONSTRAINT "deposits_provider_organization_id_organizations_id_fk" FOREIGN KEY ("provider_organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deposits" ADD CONSTRAINT "deposits_ledger_transaction_id_ledger_transactions_id_fk" FOREIGN KEY ("ledger_transaction_id") REFERENCES "public"."ledger_transactions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deposits" ADD CONSTRAINT "deposits_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fapiao_requests" ADD CONSTRAINT "fapiao_requests_charge_id_charges_id_fk" FOREIGN KEY ("charge_id") REFERENCES "public"."charges"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fapiao_requests" ADD CONSTRAINT "fapiao_requests_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fapiao_requests" ADD CONSTRAINT "fapiao_requests_issued_by_users_id_fk" FOREIGN KEY ("issued_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_accounts" ADD CONSTRAINT "ledger_accounts_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_accounts" ADD CONSTRAINT "ledger_accounts_counterparty_id_organizations_id_fk" FOREIGN KEY ("counterparty_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_transaction_id_ledger_transactions_id_fk" FOREIGN KEY ("transaction_id") REFERENCES "public"."ledger_transactions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_account_id_ledger_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."ledger_accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_transactions" ADD CONSTRAINT "ledger_transactions_charge_id_charges_id_fk" FOREIGN KEY ("charge_id") REFERENCES "public"."charges"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_charge_id_charges_id_fk" FOREIGN KEY ("charge_id") REFERENCES "public"."charges"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_provider_organization_id_organizations_id_fk" FOREIGN KEY ("provider_organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_ledger_transaction_id_ledger_transactions_id_fk" FOREIGN KEY ("ledger_transaction_id") REFERENCES "public"."ledger_transactions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provider_bank_accounts" ADD CONSTRAINT "provider_bank_accounts_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rates" ADD CONSTRAINT "rates_instrument_id_instruments_id_fk" FOREIGN KEY ("instrument_id") REFERENCES "public"."instruments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_charge_id_charges_id_fk" FOREIGN KEY ("charge_id") REFERENCES "public"."charges"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_payment_id_payments_id_fk" FOREIGN KEY ("payment_id") REFERENCES "public"."payments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_ledger_transaction_id_ledger_transactions_id_fk" FOREIGN KEY ("ledger_transaction_id") REFERENCES "public"."ledger_transactions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "charges_customer_idx" ON "charges" USING btree ("customer_organization_id","created_at");--> statement-breakpoint
CREATE INDEX "charges_provider_idx" ON "charges" USING btree ("provider_organization_id","created_at");--> statement-breakpoint
CREATE INDEX "ledger_entries_transaction_idx" ON "ledger_entries" USING btree ("transaction_id");--> statement-breakpoint
CREATE INDEX "ledger_entries_account_idx" ON "ledger_entries" USING btree ("account_id");--> statement-breakpoint
CREATE INDEX "ledger_transactions_charge_idx" ON "ledger_transactions" USING btree ("charge_id");--> statement-breakpoint
CREATE INDEX "ledger_transactions_at_idx" ON "ledger_transactions" USING btree ("at");--> statement-breakpoint
CREATE INDEX "payments_charge_idx" ON "payments" USING btree ("charge_id");--> statement-breakpoint
CREATE INDEX "refunds_charge_idx" ON "refunds" USING btree ("charge_id");