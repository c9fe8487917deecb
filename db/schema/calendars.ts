import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { labs, users } from "./accounts";
import { bookings, tstzrange } from "./booking";
import { instruments } from "./catalogue";

/**
 * The calendar invite of a booking: its SEQUENCE (0 at creation, +1 on every later event, so
 * calendar apps apply each update over the previous one) and the start the 24-hour reminder was
 * sent for (a moved booking is due a new reminder).
 */
export const bookingInvites = pgTable(
  "booking_invites",
  {
    bookingId: uuid("booking_id")
      .primaryKey()
      .references(() => bookings.id, { onDelete: "cascade" }),
    sequence: integer("sequence").notNull().default(0),
    remindedFor: timestamp("reminded_for", { withTimezone: true }),
  },
  (t) => [check("booking_invites_sequence_check", sql`${t.sequence} >= 0`)],
);

/**
 * Secret calendar subscription URLs: a user's own bookings (lab_id null) or, for lab staff, one
 * lab's bookings. Only the SHA-256 of the token is kept; regenerating deletes the row, so the old
 * URL stops working at once.
 */
export const calendarFeedTokens = pgTable(
  "calendar_feed_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tokenHash: text("token_hash").notNull().unique(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    labId: uuid("lab_id").references(() => labs.id, { onDelete: "cascade" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique("calendar_feed_tokens_owner_key").on(t.userId, t.labId).nullsNotDistinct()],
);

/** "Tell me if this window frees up": one user waiting for a busy window on an instrument. */
export const waitlistEntries = pgTable(
  "waitlist_entries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    instrumentId: uuid("instrument_id")
      .notNull()
      .references(() => instruments.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    period: tstzrange("period").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    /** Set when the opening email was queued: each entry is told once. */
    notifiedAt: timestamp("notified_at", { withTimezone: true }),
  },
  (t) => [
    unique("waitlist_entries_user_window_key").on(t.instrumentId, t.userId, t.period),
    index("waitlist_entries_waiting_idx").using("gist", t.instrumentId, t.period).where(sql`notified_at is null`),
    check("waitlist_entries_period_check", sql`lower(period) is not null and upper(period) is not null and upper(period) > lower(period)`),
  ],
);
