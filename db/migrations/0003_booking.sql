CREATE SEQUENCE "public"."booking_reference_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "availability_rules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"instrument_id" uuid NOT NULL,
	"weekday" integer NOT NULL,
	"start_minute" integer NOT NULL,
	"end_minute" integer NOT NULL,
	CONSTRAINT "availability_rules_weekday_check" CHECK (weekday between 1 and 7),
	CONSTRAINT "availability_rules_start_check" CHECK (start_minute between 0 and 1439),
	CONSTRAINT "availability_rules_end_check" CHECK (end_minute between 1 and 1440 and end_minute > start_minute)
);
--> statement-breakpoint
CREATE TABLE "booking_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"booking_id" uuid NOT NULL,
	"actor_user_id" uuid,
	"from_status" text,
	"to_status" text NOT NULL,
	"reason" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "booking_settings" (
	"instrument_id" uuid PRIMARY KEY NOT NULL,
	"slot_minutes" integer DEFAULT 30 NOT NULL,
	"min_notice_minutes" integer DEFAULT 120 NOT NULL,
	"max_advance_days" integer DEFAULT 60 NOT NULL,
	"min_length_minutes" integer DEFAULT 30 NOT NULL,
	"max_length_minutes" integer DEFAULT 480 NOT NULL,
	"buffer_minutes" integer DEFAULT 0 NOT NULL,
	"approval_mode" text DEFAULT 'always' NOT NULL,
	"weekly_quota_minutes" integer,
	"observe_chinese_holidays" boolean DEFAULT true NOT NULL,
	"request_expiry_hours" integer DEFAULT 48 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "booking_settings_approval_mode_check" CHECK (approval_mode in ('always', 'qualified', 'never')),
	CONSTRAINT "booking_settings_slot_check" CHECK (slot_minutes between 5 and 1440),
	CONSTRAINT "booking_settings_notice_check" CHECK (min_notice_minutes >= 0),
	CONSTRAINT "booking_settings_advance_check" CHECK (max_advance_days between 1 and 730),
	CONSTRAINT "booking_settings_length_check" CHECK (min_length_minutes > 0 and max_length_minutes >= min_length_minutes),
	CONSTRAINT "booking_settings_buffer_check" CHECK (buffer_minutes >= 0),
	CONSTRAINT "booking_settings_quota_check" CHECK (weekly_quota_minutes is null or weekly_quota_minutes > 0),
	CONSTRAINT "booking_settings_expiry_check" CHECK (request_expiry_hours > 0)
);
--> statement-breakpoint
CREATE TABLE "bookings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"reference" text DEFAULT 'BK-' || to_char(now() at time zone 'Asia/Shanghai', 'YYYY') || '-' || lpad(nextval('booking_reference_seq')::text, 6, '0') NOT NULL,
	"instrument_id" uuid NOT NULL,
	"organization_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"status" text NOT NULL,
	"period" "tstzrange",
	"purpose" text DEFAULT '' NOT NULL,
	"project_reference" text DEFAULT '' NOT NULL,
	"service_mode" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bookings_reference_unique" UNIQUE("reference"),
	CONSTRAINT "bookings_kind_check" CHECK (kind in ('slot', 'sample_job')),
	CONSTRAINT "bookings_status_check" CHECK (status in ('requested', 'confirmed', 'in_use', 'completed', 'rejected', 'cancelled', 'expired', 'no_show')),
	CONSTRAINT "bookings_service_mode_check" CHECK (service_mode is null or service_mode in ('self_operated', 'staff_operated', 'sample_submission', 'remote')),
	CONSTRAINT "bookings_slot_period_check" CHECK (kind <> 'slot' or (period is not null and lower(period) is not null and upper(period) is not null and upper(period) > lower(period)))
);
--> statement-breakpoint
CREATE TABLE "closures" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"instrument_id" uuid NOT NULL,
	"period" "tstzrange" NOT NULL,
	"kind" text NOT NULL,
	"reason" text DEFAULT '' NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "closures_kind_check" CHECK (kind in ('maintenance', 'internal', 'holiday', 'other')),
	CONSTRAINT "closures_period_check" CHECK (lower(period) is not null and upper(period) is not null and upper(period) > lower(period))
);
--> statement-breakpoint
ALTER TABLE "availability_rules" ADD CONSTRAINT "availability_rules_instrument_id_instruments_id_fk" FOREIGN KEY ("instrument_id") REFERENCES "public"."instruments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "booking_events" ADD CONSTRAINT "booking_events_booking_id_bookings_id_fk" FOREIGN KEY ("booking_id") REFERENCES "public"."bookings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "booking_events" ADD CONSTRAINT "booking_events_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "booking_settings" ADD CONSTRAINT "booking_settings_instrument_id_instruments_id_fk" FOREIGN KEY ("instrument_id") REFERENCES "public"."instruments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_instrument_id_instruments_id_fk" FOREIGN KEY ("instrument_id") REFERENCES "public"."instruments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "closures" ADD CONSTRAINT "closures_instrument_id_instruments_id_fk" FOREIGN KEY ("instrument_id") REFERENCES "public"."instruments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "closures" ADD CONSTRAINT "closures_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "availability_rules_instrument_idx" ON "availability_rules" USING btree ("instrument_id","weekday");--> statement-breakpoint
CREATE INDEX "booking_events_booking_idx" ON "booking_events" USING btree ("booking_id","at");--> statement-breakpoint
CREATE INDEX "bookings_instrument_idx" ON "bookings" USING btree ("instrument_id");--> statement-breakpoint
CREATE INDEX "bookings_user_idx" ON "bookings" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "bookings_org_idx" ON "bookings" USING btree ("organization_id");--> statement-breakpoint
CREATE INDEX "bookings_requested_idx" ON "bookings" USING btree ("instrument_id","created_at") WHERE status = 'requested';--> statement-breakpoint
CREATE INDEX "closures_instrument_period_idx" ON "closures" USING gist ("instrument_id","period");