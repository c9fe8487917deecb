CREATE TABLE "sample_job_samples" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"booking_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"name" text NOT NULL,
	"count" integer NOT NULL,
	"matrix" text DEFAULT '' NOT NULL,
	"hazards" text[] DEFAULT '{}'::text[] NOT NULL,
	"hazard_note" text DEFAULT '' NOT NULL,
	"required_tests" text NOT NULL,
	CONSTRAINT "sample_job_samples_position_key" UNIQUE("booking_id","position"),
	CONSTRAINT "sample_job_samples_count_check" CHECK (count between 1 and 100000),
	CONSTRAINT "sample_job_samples_position_check" CHECK (position >= 1),
	CONSTRAINT "sample_job_samples_name_check" CHECK (length(trim(name)) > 0),
	CONSTRAINT "sample_job_samples_hazards_check" CHECK (hazards <@ array['flammable', 'corrosive', 'toxic', 'oxidizing', 'explosive', 'radioactive', 'biohazard', 'nanomaterial', 'air_sensitive', 'other']::text[])
);
--> statement-breakpoint
CREATE TABLE "sample_jobs" (
	"booking_id" uuid PRIMARY KEY NOT NULL,
	"request_key" uuid NOT NULL,
	"remains" text NOT NULL,
	"samples_received_at" timestamp with time zone,
	"received_condition" text DEFAULT '' NOT NULL,
	"report_file_key" text,
	"report_file_name" text,
	"report_size_bytes" integer,
	"report_uploaded_at" timestamp with time zone,
	"report_issued_at" timestamp with time zone,
	CONSTRAINT "sample_jobs_request_key_unique" UNIQUE("request_key"),
	CONSTRAINT "sample_jobs_remains_check" CHECK (remains in ('return', 'dispose')),
	CONSTRAINT "sample_jobs_report_check" CHECK ((report_file_key is null) = (report_uploaded_at is null) and (report_file_key is null) = (report_size_bytes is null)),
	CONSTRAINT "sample_jobs_issued_check" CHECK (report_issued_at is null or (report_file_key is not null and samples_received_at is not null and report_issued_at >= samples_received_at))
);
--> statement-breakpoint
ALTER TABLE "bookings" DROP CONSTRAINT "bookings_status_check";--> statement-breakpoint
ALTER TABLE "sample_job_samples" ADD CONSTRAINT "sample_job_samples_booking_id_sample_jobs_booking_id_fk" FOREIGN KEY ("booking_id") REFERENCES "public"."sample_jobs"("booking_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sample_jobs" ADD CONSTRAINT "sample_jobs_booking_id_bookings_id_fk" FOREIGN KEY ("booking_id") REFERENCES "public"."bookings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_kind_status_check" CHECK ((kind = 'slot' and status in ('requested', 'confirmed', 'in_use', 'completed', 'rejected', 'cancelled', 'expired', 'no_show')) or (kind = 'sample_job' and status in ('requested', 'accepted', 'samples_received', 'in_testing', 'report_issued', 'completed', 'rejected', 'cancelled', 'expired')));--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_status_check" CHECK (status in ('requested', 'confirmed', 'in_use', 'completed', 'rejected', 'cancelled', 'expired', 'no_show', 'accepted', 'samples_received', 'in_testing', 'report_issued'));