CREATE TABLE "category_ratings" (
	"category_code" text PRIMARY KEY NOT NULL,
	"rated_annual_hours" integer NOT NULL,
	CONSTRAINT "category_ratings_hours_check" CHECK (rated_annual_hours between 1 and 8784)
);
--> statement-breakpoint
CREATE TABLE "instrument_ratings" (
	"instrument_id" uuid PRIMARY KEY NOT NULL,
	"rated_annual_hours" integer NOT NULL,
	CONSTRAINT "instrument_ratings_hours_check" CHECK (rated_annual_hours between 1 and 8784)
);
--> statement-breakpoint
CREATE TABLE "reporting_settings" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"rated_annual_hours" integer DEFAULT 1400 NOT NULL,
	"threshold_percent" integer DEFAULT 50 NOT NULL,
	"grade_method" text DEFAULT 'rated_capped' NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reporting_settings_singleton" CHECK (id = 1),
	CONSTRAINT "reporting_settings_rated_check" CHECK (rated_annual_hours between 1 and 8784),
	CONSTRAINT "reporting_settings_threshold_check" CHECK (threshold_percent between 0 and 100),
	CONSTRAINT "reporting_settings_method_check" CHECK (grade_method in ('rated_capped', 'available_capped'))
);
--> statement-breakpoint
CREATE TABLE "sharing_reports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"year" integer NOT NULL,
	"entries" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"reasons" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sharing_reports_org_year_key" UNIQUE("organization_id","year"),
	CONSTRAINT "sharing_reports_year_check" CHECK (year between 2000 and 2100)
);
--> statement-breakpoint
CREATE TABLE "summary_refreshes" (
	"id" serial PRIMARY KEY NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone NOT NULL,
	"instruments" integer NOT NULL,
	"requested_by" uuid
);
--> statement-breakpoint
CREATE TABLE "usage_summaries" (
	"instrument_id" uuid NOT NULL,
	"month" date NOT NULL,
	"available_minutes" integer DEFAULT 0 NOT NULL,
	"booked_minutes" integer DEFAULT 0 NOT NULL,
	"effective_minutes" integer DEFAULT 0 NOT NULL,
	"external_minutes" integer DEFAULT 0 NOT NULL,
	"overtime_minutes" integer DEFAULT 0 NOT NULL,
	"visits" integer DEFAULT 0 NOT NULL,
	"external_visits" integer DEFAULT 0 NOT NULL,
	"sample_jobs" integer DEFAULT 0 NOT NULL,
	"samples" integer DEFAULT 0 NOT NULL,
	"requests" integer DEFAULT 0 NOT NULL,
	"no_shows" integer DEFAULT 0 NOT NULL,
	"cancellations" integer DEFAULT 0 NOT NULL,
	"lead_minutes" integer[] DEFAULT '{}' NOT NULL,
	"turnaround_minutes" integer[] DEFAULT '{}' NOT NULL,
	"refreshed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "usage_summaries_instrument_id_month_pk" PRIMARY KEY("instrument_id","month"),
	CONSTRAINT "usage_summaries_minutes_check" CHECK (available_minutes >= 0 and booked_minutes >= 0 and effective_minutes >= 0 and external_minutes between 0 and effective_minutes and overtime_minutes between 0 and effective_minutes)
);
--> statement-breakpoint
CREATE TABLE "usage_summary_customers" (
	"instrument_id" uuid NOT NULL,
	"month" date NOT NULL,
	"user_id" uuid NOT NULL,
	"organization_id" uuid NOT NULL,
	"external" boolean NOT NULL,
	"visits" integer NOT NULL,
	"effective_minutes" integer NOT NULL,
	CONSTRAINT "usage_summary_customers_instrument_id_month_user_id_organization_id_pk" PRIMARY KEY("instrument_id","month","user_id","organization_id")
);
--> statement-breakpoint
CREATE TABLE "usage_summary_dirty" (
	"instrument_id" uuid PRIMARY KEY NOT NULL,
	"marked_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "category_ratings" ADD CONSTRAINT "category_ratings_category_code_categories_code_fk" FOREIGN KEY ("category_code") REFERENCES "public"."categories"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "instrument_ratings" ADD CONSTRAINT "instrument_ratings_instrument_id_instruments_id_fk" FOREIGN KEY ("instrument_id") REFERENCES "public"."instruments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reporting_settings" ADD CONSTRAINT "reporting_settings_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sharing_reports" ADD CONSTRAINT "sharing_reports_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sharing_reports" ADD CONSTRAINT "sharing_reports_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "summary_refreshes" ADD CONSTRAINT "summary_refreshes_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "usage_summaries" ADD CONSTRAINT "usage_summaries_instrument_id_instruments_id_fk" FOREIGN KEY ("instrument_id") REFERENCES "public"."instruments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "usage_summary_customers" ADD CONSTRAINT "usage_summary_customers_instrument_id_instruments_id_fk" FOREIGN KEY ("instrument_id") REFERENCES "public"."instruments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "usage_summary_dirty" ADD CONSTRAINT "usage_summary_dirty_instrument_id_instruments_id_fk" FOREIGN KEY ("instrument_id") REFERENCES "public"."instruments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "usage_summaries_month_idx" ON "usage_summaries" USING btree ("month");--> statement-breakpoint
CREATE INDEX "usage_summary_customers_month_idx" ON "usage_summary_customers" USING btree ("month");