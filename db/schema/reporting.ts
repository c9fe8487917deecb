import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  unique,
  uuid,
} from "drizzle-orm/pg-core";
import { inList, organizations, users } from "./accounts";
import { categories, instruments } from "./catalogue";
import { gradeMethods, type GradeMethod } from "./reporting-vocabulary";

/** Platform-wide reporting policy: one row (id = 1); a missing row means the defaults. */
export const reportingSettings = pgTable(
  "reporting_settings",
  {
    id: integer("id").primaryKey().default(1),
    /** Rated annual hours (额定机时) of an instrument unless its category or itself is rated lower. */
    ratedAnnualHours: integer("rated_annual_hours").notNull().default(1400),
    /** Instruments whose utilisation against rated hours is below this percentage are flagged. */
    thresholdPercent: integer("threshold_percent").notNull().default(50),
    /** Which score the grade bands (优秀/良好/合格/较差) are applied to. */
    gradeMethod: text("grade_method").$type<GradeMethod>().notNull().default("rated_capped"),
    updatedBy: uuid("updated_by").references(() => users.id, { onDelete: "set null" }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  () => [
    check("reporting_settings_singleton", sql`id = 1`),
    check("reporting_settings_rated_check", sql`rated_annual_hours between 1 and 8784`),
    check("reporting_settings_threshold_check", sql`threshold_percent between 0 and 100`),
    check("reporting_settings_method_check", inList("grade_method", gradeMethods)),
  ],
);

/** A lower rating for a whole category (e.g. special-purpose instruments, 800 h). */
export const categoryRatings = pgTable(
  "category_ratings",
  {
    categoryCode: text("category_code")
      .primaryKey()
      .references(() => categories.code),
    ratedAnnualHours: integer("rated_annual_hours").notNull(),
  },
  () => [check("category_ratings_hours_check", sql`rated_annual_hours between 1 and 8784`)],
);

/** A rating for one instrument; wins over its category's and the platform's. */
export const instrumentRatings = pgTable(
  "instrument_ratings",
  {
    instrumentId: uuid("instrument_id")
      .primaryKey()
      .references(() => instruments.id, { onDelete: "cascade" }),
    ratedAnnualHours: integer("rated_annual_hours").notNull(),
  },
  () => [check("instrument_ratings_hours_check", sql`rated_annual_hours between 1 and 8784`)],
);

/**
 * Figures of one instrument in one calendar month of its lab's zone, rebuilt by the refresh job
 * from usage records, bookings and opening hours. Every report reads these, never the raw rows.
 */
export const usageSummaries = pgTable(
  "usage_summaries",
  {
    instrumentId: uuid("instrument_id")
      .notNull()
      .references(() => instruments.id, { onDelete: "cascade" }),
    /** First day of the month in the lab's zone. */
    month: date("month").notNull(),
    availableMinutes: integer("available_minutes").notNull().default(0),
    bookedMinutes: integer("booked_minutes").notNull().default(0),
    effectiveMinutes: integer("effective_minutes").notNull().default(0),
    externalMinutes: integer("external_minutes").notNull().default(0),
    /** Effective minutes recorded outside the available hours (evenings, closures). */
    overtimeMinutes: integer("overtime_minutes").notNull().default(0),
    visits: integer("visits").notNull().default(0),
    externalVisits: integer("external_visits").notNull().default(0),
    sampleJobs: integer("sample_jobs").notNull().default(0),
    samples: integer("samples").notNull().default(0),
    /** Bookings requested in the month, and how many of them ended as no-shows or cancellations. */
    requests: integer("requests").notNull().default(0),
    noShows: integer("no_shows").notNull().default(0),
    cancellations: integer("cancellations").notNull().default(0),
    /** Minutes from request to confirmation, one per confirmed booking (medians do not add up). */
    leadMinutes: integer("lead_minutes").array().notNull().default(sql`'{}'`),
    /** Minutes from request to the recorded use of each sample job. */
    turnaroundMinutes: integer("turnaround_minutes").array().notNull().default(sql`'{}'`),
    refreshedAt: timestamp("refreshed_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.instrumentId, t.month] }),
    index("usage_summaries_month_idx").on(t.month),
    check(
      "usage_summaries_minutes_check",
      sql`available_minutes >= 0 and booked_minutes >= 0 and effective_minutes >= 0 and external_minutes between 0 and effective_minutes and overtime_minutes between 0 and effective_minutes`,
    ),
  ],
);

/** Who an instrument served in a month: distinct people, organisations and SMEs roll up from here. */
export const usageSummaryCustomers = pgTable(
  "usage_summary_customers",
  {
    instrumentId: uuid("instrument_id")
      .notNull()
      .references(() => instruments.id, { onDelete: "cascade" }),
    month: date("month").notNull(),
    userId: uuid("user_id").notNull(),
    organizationId: uuid("organization_id").notNull(),
    external: boolean("external").notNull(),
    visits: integer("visits").notNull(),
    effectiveMinutes: integer("effective_minutes").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.instrumentId, t.month, t.userId, t.organizationId] }),
    index("usage_summary_customers_month_idx").on(t.month),
  ],
);

/** Instruments whose summaries are stale; filled by triggers on the source tables (the summary-triggers migration). */
export const usageSummaryDirty = pgTable("usage_summary_dirty", {
  instrumentId: uuid("instrument_id")
    .primaryKey()
    .references(() => instruments.id, { onDelete: "cascade" }),
  markedAt: timestamp("marked_at", { withTimezone: true }).notNull().defaultNow(),
});

/** One run of the summary refresh; the latest finished run is the "as of" every report shows. */
export const summaryRefreshes = pgTable("summary_refreshes", {
  id: serial("id").primaryKey(),
  startedAt: timestamp("started_at", { withTimezone: true }).notNull(),
  finishedAt: timestamp("finished_at", { withTimezone: true }).notNull(),
  instruments: integer("instruments").notNull(),
  requestedBy: uuid("requested_by").references(() => users.id, { onDelete: "set null" }),
});

/**
 * The annual sharing-evaluation report of an institution: what the platform cannot know, entered
 * by the institution admin (free fields by section, reasons for instruments below the threshold).
 * The figures themselves are always computed afresh from the summaries.
 */
export const sharingReports = pgTable(
  "sharing_reports",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id),
    year: integer("year").notNull(),
    entries: jsonb("entries").$type<Record<string, string>>().notNull().default(sql`'{}'::jsonb`),
    /** instrument id → why it was used below the threshold */
    reasons: jsonb("reasons").$type<Record<string, string>>().notNull().default(sql`'{}'::jsonb`),
    updatedBy: uuid("updated_by").references(() => users.id, { onDelete: "set null" }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("sharing_reports_org_year_key").on(t.organizationId, t.year),
    check("sharing_reports_year_check", sql`year between 2000 and 2100`),
  ],
);
