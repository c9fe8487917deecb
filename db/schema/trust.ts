import { sql } from "drizzle-orm";
import { check, index, inet, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { labs, organizations, users } from "./accounts";
import { bookings } from "./booking";
import { instruments } from "./catalogue";
import { reviewRatings, type ReviewRating } from "./trust-vocabulary";

export { reviewRatings, type ReviewRating } from "./trust-vocabulary";

/**
 * Every change to instruments, rates, bookings, money, roles and settings, and every admin
 * decision, written in the same transaction as the change. Append-only, enforced by triggers.
 */
export const auditLog = pgTable(
  "audit_log",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    /** Null when the system acted (a job). */
    actorUserId: uuid("actor_user_id").references(() => users.id),
    /** The institution (or customer organisation) the object belongs to; scopes who may read the entry. */
    organizationId: uuid("organization_id").references(() => organizations.id),
    /** Dotted verb, e.g. `instrument.update`, `rate.create`, `booking.approve`, `role.grant`. */
    action: text("action").notNull(),
    entityType: text("entity_type").notNull(),
    entityId: text("entity_id").notNull(),
    before: jsonb("before"),
    after: jsonb("after"),
    ip: inet("ip"),
  },
  (t) => [
    index("audit_log_org_at_idx").on(t.organizationId, t.at),
    index("audit_log_entity_idx").on(t.entityType, t.entityId),
    index("audit_log_at_idx").on(t.at),
  ],
);

/**
 * Platform-wide policy values (credit thresholds, verification rule …), one row per key. Absent
 * keys take the defaults in app/trust/settings.ts, so a fresh database needs no rows.
 */
export const platformSettings = pgTable("platform_settings", {
  key: text("key").primaryKey(),
  value: jsonb("value").notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  updatedBy: uuid("updated_by").references(() => users.id),
});

export const creditBlockRules = ["no_shows", "late_cancellations"] as const;
export type CreditBlockRule = (typeof creditBlockRules)[number];

/**
 * A customer blocked from booking by a credit rule (信用档案), until a platform admin lifts it
 * with a reason. At most one open block per user.
 */
export const creditBlocks = pgTable(
  "credit_blocks",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    /** The customer organisation the user booked for when the rule tripped. */
    organizationId: uuid("organization_id").references(() => organizations.id),
    rule: text("rule").$type<CreditBlockRule>().notNull(),
    /** How many counted events tripped it, and the limit then in force. */
    count: integer("count").notNull(),
    threshold: integer("threshold").notNull(),
    blockedAt: timestamp("blocked_at", { withTimezone: true }).notNull().defaultNow(),
    liftedAt: timestamp("lifted_at", { withTimezone: true }),
    liftedBy: uuid("lifted_by").references(() => users.id),
    liftReason: text("lift_reason"),
  },
  (t) => [
    check("credit_blocks_rule_check", sql.raw(`rule in (${creditBlockRules.map((r) => `'${r}'`).join(", ")})`)),
    check("credit_blocks_lift_check", sql`(lifted_at is null) = (lift_reason is null) and (lifted_at is null) = (lifted_by is null)`),
    check("credit_blocks_count_check", sql`count >= threshold and threshold > 0`),
    uniqueIndex("credit_blocks_one_open_idx").on(t.userId).where(sql`lifted_at is null`),
    index("credit_blocks_org_idx").on(t.organizationId),
  ],
);

/**
 * A customer's rating of a completed booking (非常满意 … 极差), one per booking; the lab may reply
 * once; a platform admin may hide it with a reason.
 */
export const reviews = pgTable(
  "reviews",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    bookingId: uuid("booking_id")
      .notNull()
      .references(() => bookings.id),
    instrumentId: uuid("instrument_id")
      .notNull()
      .references(() => instruments.id),
    labId: uuid("lab_id")
      .notNull()
      .references(() => labs.id),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    rating: text("rating").$type<ReviewRating>().notNull(),
    comment: text("comment").notNull().default(""),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    reply: text("reply"),
    repliedAt: timestamp("replied_at", { withTimezone: true }),
    repliedBy: uuid("replied_by").references(() => users.id),
    hiddenAt: timestamp("hidden_at", { withTimezone: true }),
    hiddenBy: uuid("hidden_by").references(() => users.id),
    hiddenReason: text("hidden_reason"),
  },
  (t) => [
    uniqueIndex("reviews_booking_idx").on(t.bookingId),
    index("reviews_instrument_idx").on(t.instrumentId),
    index("reviews_lab_idx").on(t.labId),
    check("reviews_rating_check", sql.raw(`rating in (${reviewRatings.map((r) => `'${r}'`).join(", ")})`)),
    check("reviews_comment_length_check", sql`char_length(comment) <= 2000 and (reply is null or char_length(reply) <= 2000)`),
    check("reviews_reply_check", sql`(reply is null) = (replied_at is null)`),
    check("reviews_hidden_check", sql`(hidden_at is null) = (hidden_reason is null)`),
  ],
);
