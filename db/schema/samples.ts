import { sql } from "drizzle-orm";
import { check, integer, pgTable, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { inList } from "./accounts";
import { bookings } from "./booking";
import { sampleHazards, sampleRemains, type SampleHazard, type SampleRemains } from "./booking-vocabulary";

/**
 * What a sample job (送样检测) adds to its booking row: how the remains are handled, when and in
 * what condition the samples arrived, and the report. Turnaround is report_issued_at minus
 * samples_received_at.
 */
export const sampleJobs = pgTable(
  "sample_jobs",
  {
    bookingId: uuid("booking_id")
      .primaryKey()
      .references(() => bookings.id),
    /** Chosen when the form is shown: a resubmitted form finds the job it already made. */
    requestKey: uuid("request_key").notNull().unique(),
    remains: text("remains").$type<SampleRemains>().notNull(),
    samplesReceivedAt: timestamp("samples_received_at", { withTimezone: true }),
    receivedCondition: text("received_condition").notNull().default(""),
    /** Storage key chosen by the app (never from user input); served only through the report route's check. */
    reportFileKey: text("report_file_key"),
    /** The uploaded file's own name, shown to staff; downloads use a name made from the reference. */
    reportFileName: text("report_file_name"),
    reportSizeBytes: integer("report_size_bytes"),
    reportUploadedAt: timestamp("report_uploaded_at", { withTimezone: true }),
    reportIssuedAt: timestamp("report_issued_at", { withTimezone: true }),
  },
  (t) => [
    check("sample_jobs_remains_check", inList("remains", sampleRemains)),
    check(
      "sample_jobs_report_check",
      sql`(report_file_key is null) = (report_uploaded_at is null) and (report_file_key is null) = (report_size_bytes is null)`,
    ),
    check(
      "sample_jobs_issued_check",
      sql`report_issued_at is null or (report_file_key is not null and samples_received_at is not null and report_issued_at >= samples_received_at)`,
    ),
  ],
);

/** One line of a sample job's sample list: what, how many, in what matrix, how dangerous, which tests. */
export const sampleJobSamples = pgTable(
  "sample_job_samples",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    bookingId: uuid("booking_id")
      .notNull()
      .references(() => sampleJobs.bookingId),
    position: integer("position").notNull(),
    name: text("name").notNull(),
    count: integer("count").notNull(),
    /** 基质: what the analyte sits in (soil, serum, polymer film …). */
    matrix: text("matrix").notNull().default(""),
    hazards: text("hazards").array().$type<SampleHazard[]>().notNull().default(sql`'{}'::text[]`),
    hazardNote: text("hazard_note").notNull().default(""),
    requiredTests: text("required_tests").notNull(),
  },
  (t) => [
    // Also the index that finds a job's lines.
    unique("sample_job_samples_position_key").on(t.bookingId, t.position),
    check("sample_job_samples_count_check", sql`count between 1 and 100000`),
    check("sample_job_samples_position_check", sql`position >= 1`),
    check("sample_job_samples_name_check", sql`length(trim(name)) > 0`),
    check(
      "sample_job_samples_hazards_check",
      sql.raw(`hazards <@ array[${sampleHazards.map((h) => `'${h}'`).join(", ")}]::text[]`),
    ),
  ],
);
