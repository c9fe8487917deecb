import { index, inet, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { organizations, users } from "./accounts";

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
