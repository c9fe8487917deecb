CREATE TABLE "accreditation_warnings" (
	"accreditation_id" uuid NOT NULL,
	"days_before" integer NOT NULL,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "accreditation_warnings_accreditation_id_days_before_pk" PRIMARY KEY("accreditation_id","days_before"),
	CONSTRAINT "accreditation_warnings_days_check" CHECK (days_before in (60, 30))
);
--> statement-breakpoint
CREATE TABLE "accreditations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"lab_id" uuid NOT NULL,
	"instrument_id" uuid,
	"kind" text NOT NULL,
	"certificate_number" text NOT NULL,
	"issuer" text NOT NULL,
	"scope" text DEFAULT '' NOT NULL,
	"valid_from" date NOT NULL,
	"valid_to" date NOT NULL,
	"certificate_file_key" text NOT NULL,
	"certificate_file_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	CONSTRAINT "accreditations_kind_check" CHECK (kind in ('cnas', 'cma', 'iso17025', 'other')),
	CONSTRAINT "accreditations_valid_check" CHECK (valid_to >= valid_from),
	CONSTRAINT "accreditations_text_check" CHECK (char_length(certificate_number) between 1 and 80 and char_length(issuer) between 1 and 200 and char_length(scope) <= 2000)
);
--> statement-breakpoint
CREATE TABLE "organization_verifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"credit_code" text NOT NULL,
	"licence_file_key" text NOT NULL,
	"licence_file_name" text NOT NULL,
	"licence_content_type" text NOT NULL,
	"status" text DEFAULT 'submitted' NOT NULL,
	"submitted_by" uuid NOT NULL,
	"submitted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"reason" text,
	CONSTRAINT "organization_verifications_status_check" CHECK (status in ('submitted', 'verified', 'rejected')),
	CONSTRAINT "organization_verifications_credit_code_check" CHECK (credit_code ~ '^[0-9A-HJ-NPQRTUWXY]{18}$'),
	CONSTRAINT "organization_verifications_decision_check" CHECK ((status = 'submitted') = (decided_at is null) and (status <> 'rejected' or char_length(reason) > 0)),
	CONSTRAINT "organization_verifications_content_type_check" CHECK (licence_content_type in ('application/pdf', 'image/png', 'image/jpeg'))
);
--> statement-breakpoint
ALTER TABLE "accreditation_warnings" ADD CONSTRAINT "accreditation_warnings_accreditation_id_accreditations_id_fk" FOREIGN KEY ("accreditation_id") REFERENCES "public"."accreditations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accreditations" ADD CONSTRAINT "accreditations_lab_id_labs_id_fk" FOREIGN KEY ("lab_id") REFERENCES "public"."labs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accreditations" ADD CONSTRAINT "accreditations_instrument_id_instruments_id_fk" FOREIGN KEY ("instrument_id") REFERENCES "public"."instruments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accreditations" ADD CONSTRAINT "accreditations_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organization_verifications" ADD CONSTRAINT "organization_verifications_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organization_verifications" ADD CONSTRAINT "organization_verifications_submitted_by_users_id_fk" FOREIGN KEY ("submitted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organization_verifications" ADD CONSTRAINT "organization_verifications_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "accreditations_lab_idx" ON "accreditations" USING btree ("lab_id");--> statement-breakpoint
CREATE INDEX "accreditations_instrument_idx" ON "accreditations" USING btree ("instrument_id");--> statement-breakpoint
CREATE INDEX "accreditations_valid_to_idx" ON "accreditations" USING btree ("valid_to");--> statement-breakpoint
CREATE UNIQUE INDEX "organization_verifications_one_open_idx" ON "organization_verifications" USING btree ("organization_id") WHERE status = 'submitted';--> statement-breakpoint
CREATE INDEX "organization_verifications_org_idx" ON "organization_verifications" USING btree ("organization_id","submitted_at");