CREATE TABLE "email_tokens" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"purpose" text NOT NULL,
	"token_hash" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "email_tokens_token_hash_unique" UNIQUE("token_hash"),
	CONSTRAINT "email_tokens_purpose_check" CHECK (purpose in ('verify_email', 'reset_password'))
);
--> statement-breakpoint
CREATE TABLE "labs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"organization_id" uuid NOT NULL,
	"name_zh" text NOT NULL,
	"name_en" text NOT NULL,
	"address" text,
	"time_zone" text DEFAULT 'Asia/Shanghai' NOT NULL,
	"contact_name" text,
	"contact_phone" text,
	"contact_email" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "labs_slug_unique" UNIQUE("slug")
);
--> statement-breakpoint
CREATE TABLE "memberships" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"organization_id" uuid NOT NULL,
	"role" text NOT NULL,
	"lab_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "memberships_user_org_role_key" UNIQUE NULLS NOT DISTINCT("user_id","organization_id","role","lab_id"),
	CONSTRAINT "memberships_role_check" CHECK (role in ('customer', 'org_admin', 'lab_staff', 'institution_admin')),
	CONSTRAINT "memberships_lab_staff_has_lab" CHECK ((role = 'lab_staff') = (lab_id is not null))
);
--> statement-breakpoint
CREATE TABLE "organizations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"name_zh" text NOT NULL,
	"name_en" text NOT NULL,
	"type" text NOT NULL,
	"credit_code" text,
	"is_sme" boolean DEFAULT false NOT NULL,
	"region_code" text,
	"address" text,
	"website" text,
	"provider_status" text DEFAULT 'none' NOT NULL,
	"verified_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "organizations_slug_unique" UNIQUE("slug"),
	CONSTRAINT "organizations_credit_code_unique" UNIQUE("credit_code"),
	CONSTRAINT "organizations_type_check" CHECK (type in ('university', 'institute', 'national_centre', 'enterprise', 'government')),
	CONSTRAINT "organizations_provider_status_check" CHECK (provider_status in ('none', 'applied', 'accepted', 'rejected')),
	CONSTRAINT "organizations_credit_code_format" CHECK (credit_code ~ '^[0-9A-HJ-NPQRTUWXY]{18}$')
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"password_hash" text NOT NULL,
	"display_name" text NOT NULL,
	"locale" text DEFAULT 'zh-CN' NOT NULL,
	"email_verified_at" timestamp with time zone,
	"is_platform_admin" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_locale_check" CHECK (locale in ('zh-CN', 'en'))
);
--> statement-breakpoint
CREATE TABLE "categories" (
	"code" text PRIMARY KEY NOT NULL,
	"parent_code" text,
	"name_zh" text NOT NULL,
	"name_en" text NOT NULL,
	"level" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "instruments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"lab_id" uuid NOT NULL,
	"organization_id" uuid NOT NULL,
	"name_zh" text NOT NULL,
	"name_en" text NOT NULL,
	"model" text DEFAULT '' NOT NULL,
	"manufacturer" text DEFAULT '' NOT NULL,
	"country_of_origin" text DEFAULT '' NOT NULL,
	"category_code" text NOT NULL,
	"original_value_fen" bigint DEFAULT 0 NOT NULL,
	"purchase_date" date,
	"commissioning_date" date,
	"funding_source" text DEFAULT '' NOT NULL,
	"specifications" text DEFAULT '' NOT NULL,
	"main_functions" text DEFAULT '' NOT NULL,
	"service_content" text DEFAULT '' NOT NULL,
	"sample_requirements" text DEFAULT '' NOT NULL,
	"service_modes" text[] DEFAULT '{}' NOT NULL,
	"fee_text" text DEFAULT '' NOT NULL,
	"operating_status" text DEFAULT 'normal' NOT NULL,
	"share_mode" text DEFAULT 'external' NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"suspension_reason" text,
	"photos" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"search_vector" "tsvector",
	"search_text" text DEFAULT '' NOT NULL,
	"published_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "instruments_slug_unique" UNIQUE("slug"),
	CONSTRAINT "instruments_status_check" CHECK (status in ('draft', 'published', 'suspended', 'retired')),
	CONSTRAINT "instruments_operating_status_check" CHECK (operating_status in ('normal', 'standby', 'remote_service', 'occasional_fault', 'frequent_fault', 'awaiting_repair', 'awaiting_disposal')),
	CONSTRAINT "instruments_share_mode_check" CHECK (share_mode in ('internal', 'external')),
	CONSTRAINT "instruments_service_modes_check" CHECK (service_modes <@ array['self_operated','staff_operated','sample_submission','remote']::text[]),
	CONSTRAINT "instruments_original_value_check" CHECK (original_value_fen >= 0)
);
--> statement-breakpoint
CREATE TABLE "search_synonyms" (
	"term" text NOT NULL,
	"expansion" text NOT NULL,
	CONSTRAINT "search_synonyms_term_expansion_pk" PRIMARY KEY("term","expansion")
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"to_address" text NOT NULL,
	"subject" text NOT NULL,
	"html" text NOT NULL,
	"text" text NOT NULL,
	"template" text NOT NULL,
	"locale" text NOT NULL,
	"transport" text DEFAULT 'outbox' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "email_tokens" ADD CONSTRAINT "email_tokens_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "labs" ADD CONSTRAINT "labs_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_lab_id_labs_id_fk" FOREIGN KEY ("lab_id") REFERENCES "public"."labs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "instruments" ADD CONSTRAINT "instruments_lab_id_labs_id_fk" FOREIGN KEY ("lab_id") REFERENCES "public"."labs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "instruments" ADD CONSTRAINT "instruments_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "instruments" ADD CONSTRAINT "instruments_category_code_categories_code_fk" FOREIGN KEY ("category_code") REFERENCES "public"."categories"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "labs_org_idx" ON "labs" USING btree ("organization_id");--> statement-breakpoint
CREATE INDEX "memberships_org_idx" ON "memberships" USING btree ("organization_id");--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_key" ON "users" USING btree (lower("email"));--> statement-breakpoint
CREATE INDEX "instruments_lab_idx" ON "instruments" USING btree ("lab_id");--> statement-breakpoint
CREATE INDEX "instruments_org_idx" ON "instruments" USING btree ("organization_id");--> statement-breakpoint
CREATE INDEX "instruments_category_idx" ON "instruments" USING btree ("category_code");--> statement-breakpoint
CREATE INDEX "instruments_status_idx" ON "instruments" USING btree ("status");--> statement-breakpoint
CREATE INDEX "instruments_search_idx" ON "instruments" USING gin ("search_vector");--> statement-breakpoint
CREATE INDEX "instruments_trgm_idx" ON "instruments" USING gin ("search_text" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "outbox_to_idx" ON "outbox" USING btree ("to_address");--> statement-breakpoint
CREATE INDEX "outbox_created_idx" ON "outbox" USING btree ("created_at");