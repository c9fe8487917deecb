import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  customType,
  index,
  integer,
  pgSequence,
  pgTable,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";
import { inList, organizations, users } from "./accounts";
import {
  approvalModes,
  bookingKinds,
  bookingStatuses,
  closureKinds,
  sampleJobStatuses,
  slotStatuses,
  type ApprovalMode,
  type BookingKind,
  type BookingStatus,
  type ClosureKind,
} from "./booking-vocabulary";
import { instruments } from "./catalogue";
import { serviceModes, type ServiceMode } from "./vocabulary";

/** A half-open time range `[start,end)` as a Postgres tstzrange. */
export interface Period {
  start: Date;
  end: Date;
}

// Postgres prints a bound as `2026-03-02 08:30:00+08` (offset may lack minutes); ISO needs `T` and `+08:00`.
function parseBound(text: string): Date {
  const iso = text.replace(/^"|"$/g, "").replace(" ", "T").replace(/([+-]\d{2})$/, "$1:00");
  return new Date(iso);
}

export function parsePeriod(value: string): Period {
  const [lower, upper] = value.slice(1, -1).split(",");
  return { start: parseBound(lower!), end: parseBound(upper!) };
}

export const formatPeriod = (p: Period) => `[${p.start.toISOString()},${p.end.toISOString()})`;

export const tstzrange = customType<{ data: Period; driverData: string }>({
  dataType: () => "tstzrange",
  toDriver: formatPeriod,
  fromDriver: (value) => parsePeriod(value),
});

const quoted = (values: readonly string[]) => values.map((v) => `'${v}'`).join(", ");

/** A range with both bounds and a positive length. */
const bothBounds = (column: string) =>
  sql.raw(`lower(${column}) is not null and upper(${column}) is not null and upper(${column}) > lower(${column})`);

/** Weekly opening hours (开放时间): minutes after local midnight in the lab's time zone. */
export const availabilityRules = pgTable(
  "availability_rules",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    instrumentId: uuid("instrument_id")
      .notNull()
      .references(() => instruments.id, { onDelete: "cascade" }),
    weekday: integer("weekday").notNull(),
    startMinute: integer("start_minute").notNull(),
    endMinute: integer("end_minute").notNull(),
  },
  (t) => [
    index("availability_rules_instrument_idx").on(t.instrumentId, t.weekday),
    check("availability_rules_weekday_check", sql`weekday between 1 and 7`),
    check("availability_rules_start_check", sql`start_minute between 0 and 1439`),
    check("availability_rules_end_check", sql`end_minute between 1 and 1440 and end_minute > start_minute`),
  ],
);

/** Periods an instrument can't be booked (停机/不开放时段). */
export const closures = pgTable(
  "closures",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    instrumentId: uuid("instrument_id")
      .notNull()
      .references(() => instruments.id, { onDelete: "cascade" }),
    period: tstzrange("period").notNull(),
    kind: text("kind").$type<ClosureKind>().notNull(),
    reason: text("reason").notNull().default(""),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("closures_instrument_period_idx").using("gist", t.instrumentId, t.period),
    check("closures_kind_check", inList("kind", closureKinds)),
    check("closures_period_check", bothBounds("period")),
  ],
);

/** How an instrument is booked; a missing row means the defaults below. */
export const bookingSettings = pgTable(
  "booking_settings",
  {
    instrumentId: uuid("instrument_id")
      .primaryKey()
      .references(() => instruments.id, { onDelete: "cascade" }),
    slotMinutes: integer("slot_minutes").notNull().default(30),
    minNoticeMinutes: integer("min_notice_minutes").notNull().default(120),
    maxAdvanceDays: integer("max_advance_days").notNull().default(60),
    minLengthMinutes: integer("min_length_minutes").notNull().default(30),
    maxLengthMinutes: integer("max_length_minutes").notNull().default(480),
    bufferMinutes: integer("buffer_minutes").notNull().default(0),
    approvalMode: text("approval_mode").$type<ApprovalMode>().notNull().default("always"),
    weeklyQuotaMinutes: integer("weekly_quota_minutes"),
    observeChineseHolidays: boolean("observe_chinese_holidays").notNull().default(true),
    requestExpiryHours: integer("request_expiry_hours").notNull().default(48),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("booking_settings_approval_mode_check", inList("approval_mode", approvalModes)),
    check("booking_settings_slot_check", sql`slot_minutes between 5 and 1440`),
    check("booking_settings_notice_check", sql`min_notice_minutes >= 0`),
    check("booking_settings_advance_check", sql`max_advance_days between 1 and 730`),
    check("booking_settings_length_check", sql`min_length_minutes > 0 and max_length_minutes >= min_length_minutes`),
    check("booking_settings_buffer_check", sql`buffer_minutes >= 0`),
    check("booking_settings_quota_check", sql`weekly_quota_minutes is null or weekly_quota_minutes > 0`),
    check("booking_settings_expiry_check", sql`request_expiry_hours > 0`),
  ],
);

/**
 * Each instrument's free time (opening hours minus closures minus live bookings widened by the
 * buffer) over the coming weeks, so the directory's free-window filter reads one row per
 * instrument instead of rebuilding free time (decisions 044, 110). Triggers add one to `changes`
 * whenever its rules, closures, bookings, settings or lab zone change; a refresh stores the
 * `changes` it read as `seen`. The spans are used only when `seen = changes` and `covers` holds
 * the search horizon. No foreign key: a cascade deleting an instrument's bookings still fires the
 * triggers.
 */
export const freeTimeSummaries = pgTable("free_time_summaries", {
  instrumentId: uuid("instrument_id").primaryKey(),
  changes: bigint("changes", { mode: "number" }).notNull().default(0),
  seen: bigint("seen", { mode: "number" }),
  covers: tstzrange("covers"),
  /** The free spans in order, as parallel arrays: disjoint and sorted, so a binary search (`width_bucket`) finds those meeting a horizon. */
  spanStarts: timestamp("span_starts", { withTimezone: true }).array(),
  spanEnds: timestamp("span_ends", { withTimezone: true }).array(),
  /** Per span, the minutes from its first start on the slot grid to its end: the longest booking it could hold. */
  spanFits: integer("span_fits").array(),
  /** The largest of `span_fits` (0 when none): no span can hold a longer booking. */
  longestMinutes: integer("longest_minutes"),
  refreshedAt: timestamp("refreshed_at", { withTimezone: true }),
});

/** Numbers the human-readable booking references BK-<year>-<000123>. */
export const bookingReferenceSeq = pgSequence("booking_reference_seq", { startWith: 1 });

/** A claim on an instrument: a time slot (机时预约) or a sample job (送样检测, details in sample_jobs). */
export const bookings = pgTable(
  "bookings",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    reference: text("reference")
      .notNull()
      .unique()
      .default(
        sql`'BK-' || to_char(now() at time zone 'Asia/Shanghai', 'YYYY') || '-' || lpad(nextval('booking_reference_seq')::text, 6, '0')`,
      ),
    instrumentId: uuid("instrument_id")
      .notNull()
      .references(() => instruments.id),
    /** The customer organisation the booking is made for. */
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    kind: text("kind").$type<BookingKind>().notNull(),
    status: text("status").$type<BookingStatus>().notNull(),
    period: tstzrange("period"),
    purpose: text("purpose").notNull().default(""),
    projectReference: text("project_reference").notNull().default(""),
    serviceMode: text("service_mode").$type<ServiceMode>(),
    /** Shared by the occurrences of one recurring request ("weekly for N weeks"); null for a single booking. */
    seriesId: uuid("series_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("bookings_instrument_idx").on(t.instrumentId),
    index("bookings_user_idx").on(t.userId, t.createdAt),
    index("bookings_org_idx").on(t.organizationId),
    index("bookings_series_idx").on(t.seriesId).where(sql`series_id is not null`),
    index("bookings_requested_idx").on(t.instrumentId, t.createdAt).where(sql`status = 'requested'`),
    check("bookings_kind_check", inList("kind", bookingKinds)),
    check("bookings_status_check", inList("status", bookingStatuses)),
    check(
      "bookings_service_mode_check",
      sql.raw(`service_mode is null or service_mode in (${quoted(serviceModes)})`),
    ),
    // Each kind moves through its own states: a slot is never "in testing", a sample job never "in use".
    check(
      "bookings_kind_status_check",
      sql.raw(`(kind = 'slot' and status in (${quoted(slotStatuses)})) or (kind = 'sample_job' and status in (${quoted(sampleJobStatuses)}))`),
    ),
    check("bookings_slot_period_check", sql`kind <> 'slot' or (period is not null and ${bothBounds("period")})`),
  ],
);

/** Every transition of a booking (who, when, from, to, why); append-only, enforced by a trigger. */
export const bookingEvents = pgTable(
  "booking_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    bookingId: uuid("booking_id")
      .notNull()
      .references(() => bookings.id),
    /** Null when the system acted (expiry, no-show job). */
    actorUserId: uuid("actor_user_id").references(() => users.id),
    /** Null for the event that created the booking. */
    fromStatus: text("from_status").$type<BookingStatus>(),
    toStatus: text("to_status").$type<BookingStatus>().notNull(),
    reason: text("reason"),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("booking_events_booking_idx").on(t.bookingId, t.at)],
);

/**
 * What actually happened on the instrument (使用记录), written by lab staff at check-out or when a
 * sample job's instrument time is recorded. Effective hours (有效工作机时) are preparation +
 * measurement + post-processing; idle running is recorded but never counts.
 */
export const usageRecords = pgTable(
  "usage_records",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    bookingId: uuid("booking_id")
      .notNull()
      .unique()
      .references(() => bookings.id),
    instrumentId: uuid("instrument_id")
      .notNull()
      .references(() => instruments.id),
    /** The customer organisation served; external service hours compare it with the instrument's owner. */
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id),
    /** The customer user served. */
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    /** Who ran the instrument: the customer (self-operated) or a staff operator. */
    operatorUserId: uuid("operator_user_id").references(() => users.id),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull(),
    endedAt: timestamp("ended_at", { withTimezone: true }).notNull(),
    preparationMinutes: integer("preparation_minutes").notNull().default(0),
    measurementMinutes: integer("measurement_minutes").notNull().default(0),
    postProcessingMinutes: integer("post_processing_minutes").notNull().default(0),
    idleMinutes: integer("idle_minutes").notNull().default(0),
    /** Minutes after the booked start that use began (0 when on time or for sample jobs). */
    lateStartMinutes: integer("late_start_minutes").notNull().default(0),
    samplesCount: integer("samples_count").notNull().default(0),
    note: text("note").notNull().default(""),
    recordedBy: uuid("recorded_by").references(() => users.id),
    recordedAt: timestamp("recorded_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("usage_records_instrument_started_idx").on(t.instrumentId, t.startedAt),
    index("usage_records_org_idx").on(t.organizationId, t.startedAt),
    check("usage_records_period_check", sql`ended_at > started_at`),
    check(
      "usage_records_minutes_check",
      sql`preparation_minutes >= 0 and measurement_minutes >= 0 and post_processing_minutes >= 0 and idle_minutes >= 0 and late_start_minutes >= 0 and samples_count >= 0`,
    ),
  ],
);
