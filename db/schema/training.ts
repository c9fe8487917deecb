import { sql } from "drizzle-orm";
import { check, date, index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./accounts";
import { instruments } from "./catalogue";

/**
 * A training record (培训/资质): lab staff certify that a user may operate an instrument, from
 * `trained_on` through `expires_on` (dates in the lab's zone). Renewal adds a new row, so the
 * history stays; a revoked row never counts again.
 */
export const qualifications = pgTable(
  "qualifications",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    instrumentId: uuid("instrument_id")
      .notNull()
      .references(() => instruments.id, { onDelete: "cascade" }),
    trainedOn: date("trained_on", { mode: "string" }).notNull(),
    expiresOn: date("expires_on", { mode: "string" }).notNull(),
    /** Who gave the training, as the lab writes it (a staff member or an outside trainer). */
    trainer: text("trainer").notNull().default(""),
    note: text("note").notNull().default(""),
    recordedBy: uuid("recorded_by").references(() => users.id, { onDelete: "set null" }),
    recordedAt: timestamp("recorded_at", { withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    revokedBy: uuid("revoked_by").references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [
    index("qualifications_user_instrument_idx").on(t.userId, t.instrumentId),
    index("qualifications_instrument_idx").on(t.instrumentId, t.recordedAt),
    check("qualifications_dates_check", sql`expires_on >= trained_on`),
  ],
);
