CREATE TABLE "stripe_checkouts" (
	"id" text PRIMARY KEY NOT NULL,
	"charge_id" uuid NOT NULL,
	"amount_fen" bigint NOT NULL,
	"application_fee_fen" bigint NOT NULL,
	"destination_account_id" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"payment_intent_id" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"paid_at" timestamp with time zone,
	CONSTRAINT "stripe_checkouts_status_check" CHECK (status in ('open', 'paid', 'failed', 'expired')),
	CONSTRAINT "stripe_checkouts_amounts_check" CHECK (amount_fen > 0 and application_fee_fen >= 0 and application_fee_fen <= amount_fen)
);
--> statement-breakpoint
CREATE TABLE "stripe_events" (
	"id" text PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"payload" jsonb NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"outcome" text DEFAULT '' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "stripe_refunds" (
	"id" text PRIMARY KEY NOT NULL,
	"checkout_id" text NOT NULL,
	"amount_fen" bigint NOT NULL,
	"reason" text DEFAULT '' NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stripe_refunds_amount_check" CHECK (amount_fen > 0)
);
--> statement-breakpoint
CREATE TABLE "voucher_claims" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"programme_id" uuid NOT NULL,
	"grant_id" uuid NOT NULL,
	"charge_id" uuid NOT NULL,
	"booking_id" uuid NOT NULL,
	"organization_id" uuid NOT NULL,
	"provider_organization_id" uuid NOT NULL,
	"service_date" date NOT NULL,
	"charge_total_fen" bigint NOT NULL,
	"voucher_fen" bigint NOT NULL,
	"company_fen" bigint NOT NULL,
	"status" text DEFAULT 'claimed' NOT NULL,
	"reimbursed_at" timestamp with time zone,
	"reimbursed_by" uuid,
	"reimbursement_reference" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "voucher_claims_programme_charge_key" UNIQUE("programme_id","charge_id"),
	CONSTRAINT "voucher_claims_status_check" CHECK (status in ('claimed', 'reimbursed')),
	CONSTRAINT "voucher_claims_amounts_check" CHECK (voucher_fen > 0 and company_fen >= 0 and charge_total_fen >= voucher_fen),
	CONSTRAINT "voucher_claims_reimbursed_check" CHECK ((status = 'reimbursed') = (reimbursed_at is not null))
);
--> statement-breakpoint
CREATE TABLE "voucher_grants" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"programme_id" uuid NOT NULL,
	"organization_id" uuid NOT NULL,
	"status" text DEFAULT 'applied' NOT NULL,
	"requested_fen" bigint NOT NULL,
	"approved_fen" bigint,
	"drawn_fen" bigint DEFAULT 0 NOT NULL,
	"purpose" text DEFAULT '' NOT NULL,
	"applied_by" uuid,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"decision_note" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "voucher_grants_status_check" CHECK (status in ('applied', 'approved', 'rejected')),
	CONSTRAINT "voucher_grants_requested_check" CHECK (requested_fen > 0),
	CONSTRAINT "voucher_grants_approved_check" CHECK ((status = 'approved') = (approved_fen is not null) and (approved_fen is null or approved_fen > 0)),
	CONSTRAINT "voucher_grants_drawn_check" CHECK (drawn_fen >= 0 and drawn_fen <= coalesce(approved_fen, 0))
);
--> statement-breakpoint
CREATE TABLE "voucher_programmes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"issuer_organization_id" uuid NOT NULL,
	"name_zh" text NOT NULL,
	"name_en" text NOT NULL,
	"coverage_percent" integer NOT NULL,
	"per_claim_cap_fen" bigint,
	"yearly_cap_fen" bigint,
	"eligible_customer_classes" text[] NOT NULL,
	"eligible_category_codes" text[] DEFAULT '{}' NOT NULL,
	"excluded_service_modes" text[] DEFAULT '{}' NOT NULL,
	"valid_from" date NOT NULL,
	"valid_until" date NOT NULL,
	"stacking_order" integer NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "voucher_programmes_coverage_check" CHECK (coverage_percent between 1 and 100),
	CONSTRAINT "voucher_programmes_caps_check" CHECK ((per_claim_cap_fen is null or per_claim_cap_fen > 0) and (yearly_cap_fen is null or yearly_cap_fen > 0)),
	CONSTRAINT "voucher_programmes_validity_check" CHECK (valid_until >= valid_from),
	CONSTRAINT "voucher_programmes_classes_check" CHECK (eligible_customer_classes <@ array['internal','academic','enterprise','sme']::text[]),
	CONSTRAINT "voucher_programmes_classes_nonempty" CHECK (cardinality(eligible_customer_classes) > 0),
	CONSTRAINT "voucher_programmes_services_check" CHECK (excluded_service_modes <@ array['self_operated','staff_operated','sample_submission','remote']::text[])
);
--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "stripe_account_id" text;--> statement-breakpoint
ALTER TABLE "stripe_checkouts" ADD CONSTRAINT "stripe_checkouts_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stripe_refunds" ADD CONSTRAINT "stripe_refunds_checkout_id_stripe_checkouts_id_fk" FOREIGN KEY ("checkout_id") REFERENCES "public"."stripe_checkouts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stripe_refunds" ADD CONSTRAINT "stripe_refunds_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voucher_claims" ADD CONSTRAINT "voucher_claims_programme_id_voucher_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."voucher_programmes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voucher_claims" ADD CONSTRAINT "voucher_claims_grant_id_voucher_grants_id_fk" FOREIGN KEY ("grant_id") REFERENCES "public"."voucher_grants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voucher_claims" ADD CONSTRAINT "voucher_claims_booking_id_bookings_id_fk" FOREIGN KEY ("booking_id") REFERENCES "public"."bookings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voucher_claims" ADD CONSTRAINT "voucher_claims_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voucher_claims" ADD CONSTRAINT "voucher_claims_provider_organization_id_organizations_id_fk" FOREIGN KEY ("provider_organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voucher_claims" ADD CONSTRAINT "voucher_claims_reimbursed_by_users_id_fk" FOREIGN KEY ("reimbursed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voucher_grants" ADD CONSTRAINT "voucher_grants_programme_id_voucher_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."voucher_programmes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voucher_grants" ADD CONSTRAINT "voucher_grants_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voucher_grants" ADD CONSTRAINT "voucher_grants_applied_by_users_id_fk" FOREIGN KEY ("applied_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voucher_grants" ADD CONSTRAINT "voucher_grants_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voucher_programmes" ADD CONSTRAINT "voucher_programmes_issuer_organization_id_organizations_id_fk" FOREIGN KEY ("issuer_organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voucher_programmes" ADD CONSTRAINT "voucher_programmes_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "stripe_checkouts_charge_idx" ON "stripe_checkouts" USING btree ("charge_id");--> statement-breakpoint
CREATE UNIQUE INDEX "stripe_checkouts_payment_intent_key" ON "stripe_checkouts" USING btree ("payment_intent_id");--> statement-breakpoint
CREATE INDEX "stripe_refunds_checkout_idx" ON "stripe_refunds" USING btree ("checkout_id");--> statement-breakpoint
CREATE INDEX "voucher_claims_programme_date_idx" ON "voucher_claims" USING btree ("programme_id","service_date");--> statement-breakpoint
CREATE INDEX "voucher_claims_org_date_idx" ON "voucher_claims" USING btree ("organization_id","programme_id","service_date");--> statement-breakpoint
CREATE INDEX "voucher_grants_org_idx" ON "voucher_grants" USING btree ("organization_id");--> statement-breakpoint
CREATE UNIQUE INDEX "voucher_grants_live_key" ON "voucher_grants" USING btree ("programme_id","organization_id") WHERE status <> 'rejected';--> statement-breakpoint
CREATE INDEX "voucher_programmes_issuer_idx" ON "voucher_programmes" USING btree ("issuer_organization_id");