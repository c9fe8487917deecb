CREATE TABLE "lab_invitations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"lab_id" uuid NOT NULL,
	"email" text NOT NULL,
	"token_hash" text NOT NULL,
	"invited_by" uuid,
	"expires_at" timestamp with time zone NOT NULL,
	"accepted_at" timestamp with time zone,
	"accepted_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "lab_invitations_token_hash_unique" UNIQUE("token_hash"),
	CONSTRAINT "lab_invitations_accepted_check" CHECK (accepted_user_id is null or accepted_at is not null)
);
--> statement-breakpoint
CREATE TABLE "provider_application_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"application_id" uuid NOT NULL,
	"actor_user_id" uuid,
	"action" text NOT NULL,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "provider_application_events_action_check" CHECK (action in ('submitted', 'approved', 'rejected'))
);
--> statement-breakpoint
CREATE TABLE "provider_applications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid,
	"applicant_user_id" uuid NOT NULL,
	"name_zh" text NOT NULL,
	"name_en" text NOT NULL,
	"type" text NOT NULL,
	"credit_code" text NOT NULL,
	"region_code" text NOT NULL,
	"address" text NOT NULL,
	"contact_name" text NOT NULL,
	"contact_phone" text NOT NULL,
	"contact_email" text NOT NULL,
	"letter_file_key" text NOT NULL,
	"letter_file_name" text NOT NULL,
	"status" text DEFAULT 'submitted' NOT NULL,
	"decision_reason" text,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "provider_applications_status_check" CHECK (status in ('submitted', 'approved', 'rejected')),
	CONSTRAINT "provider_applications_type_check" CHECK (type in ('university', 'institute', 'national_centre', 'enterprise_lab')),
	CONSTRAINT "provider_applications_credit_code_format" CHECK (credit_code ~ '^[0-9A-HJ-NPQRTUWXY]{18}$'),
	CONSTRAINT "provider_applications_region_code_format" CHECK (region_code ~ '^[0-9]{6}$'),
	CONSTRAINT "provider_applications_decision_check" CHECK ((status = 'submitted') = (decided_at is null) and (status <> 'rejected' or coalesce(decision_reason, '') <> ''))
);
--> statement-breakpoint
ALTER TABLE "lab_invitations" ADD CONSTRAINT "lab_invitations_lab_id_labs_id_fk" FOREIGN KEY ("lab_id") REFERENCES "public"."labs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lab_invitations" ADD CONSTRAINT "lab_invitations_invited_by_users_id_fk" FOREIGN KEY ("invited_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lab_invitations" ADD CONSTRAINT "lab_invitations_accepted_user_id_users_id_fk" FOREIGN KEY ("accepted_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provider_application_events" ADD CONSTRAINT "provider_application_events_application_id_provider_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."provider_applications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provider_application_events" ADD CONSTRAINT "provider_application_events_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provider_applications" ADD CONSTRAINT "provider_applications_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provider_applications" ADD CONSTRAINT "provider_applications_applicant_user_id_users_id_fk" FOREIGN KEY ("applicant_user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provider_applications" ADD CONSTRAINT "provider_applications_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "lab_invitations_lab_idx" ON "lab_invitations" USING btree ("lab_id");--> statement-breakpoint
CREATE INDEX "provider_application_events_application_idx" ON "provider_application_events" USING btree ("application_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "provider_applications_open_code_key" ON "provider_applications" USING btree ("credit_code") WHERE status = 'submitted';--> statement-breakpoint
CREATE INDEX "provider_applications_applicant_idx" ON "provider_applications" USING btree ("applicant_user_id");--> statement-breakpoint
CREATE INDEX "provider_applications_org_idx" ON "provider_applications" USING btree ("organization_id");--> statement-breakpoint
CREATE INDEX "provider_applications_status_idx" ON "provider_applications" USING btree ("status","created_at");