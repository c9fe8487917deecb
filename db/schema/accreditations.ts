import { sql } from "drizzle-orm";
import { check, date, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { labs, organizations, users } from "./accounts";
import { instruments } from "./catalogue";
import { accreditationKinds, expiryWarningDays, type AccreditationKind } from "./trust-vocabulary";

export { accreditationKinds, expiryWarningDays, type AccreditationKind } from "./trust-vocabulary";

const inList = (column: string, values: readonly (string | number)[]) =>
  sql.raw(`${column} in (${values.map((v) => (typeof v === "number" ? String(v) : `'${v}'`)).join(", ")})`);

/**
 * A lab's (or one of its instruments') accreditation (CMA, CNAS, ISO/IEC 17025 …) with its
 * certificate. Shown while today lies within valid_from..valid_to; nothing has to hide it later.
 */
export const accreditations = pgTable(
  "accreditations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    labId: uuid("lab_id")
      .notNull()
      .references(() => labs.id, { onDelete: "cascade" }),
    /** Null: the accreditation covers the whole lab. */
    instrumentId: uuid("instrument_id").references(() => instruments.id, { onDelete: "cascade" }),
    kind: text("kind").$type<AccreditationKind>().notNull(),
    certificateNumber: text("certificate_number").notNull(),
    issuer: text("issuer").notNull(),
    scope: text("scope").notNull().default(""),
    validFrom: date("valid_from", { mode: "string" }).notNull(),
    validTo: date("valid_to", { mode: "string" }).notNull(),
    certificateFileKey: text("certificate_file_key").notNull(),
    certificateFileName: text("certificate_file_name").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    createdBy: uuid("created_by").references(() => users.id),
  },
  (t) => [
    check("accreditations_kind_check", inList("kind", accreditationKinds)),
    check("accreditations_valid_check", sql`valid_to >= valid_from`),
    check("accreditations_text_check", sql`char_length(certificate_number) between 1 and 80 and char_length(issuer) between 1 and 200 and char_length(scope) <= 2000`),
    index("accreditations_lab_idx").on(t.labId),
    index("accreditations_instrument_idx").on(t.instrumentId),
    index("accreditations_valid_to_idx").on(t.validTo),
  ],
);

/** Each expiry warning is sent once: the job claims the (accreditation, days) row before it mails. */
export const accreditationWarnings = pgTable(
  "accreditation_warnings",
  {
    accreditationId: uuid("accreditation_id")
      .notNull()
      .references(() => accreditations.id, { onDelete: "cascade" }),
    daysBefore: integer("days_before").notNull(),
    sentAt: timestamp("sent_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.accreditationId, t.daysBefore] }), check("accreditation_warnings_days_check", inList("days_before", expiryWarningDays))],
);

export const verificationStatuses = ["submitted", "verified", "rejected"] as const;
export type VerificationStatus = (typeof verificationStatuses)[number];

/**
 * An organisation's request to be verified: its unified social credit code and business-licence
 * scan, decided by a platform admin. Verifying sets organizations.verified_at and credit_code.
 */
export const organizationVerifications = pgTable(
  "organization_verifications",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    creditCode: text("credit_code").notNull(),
    licenceFileKey: text("licence_file_key").notNull(),
    licenceFileName: text("licence_file_name").notNull(),
    licenceContentType: text("licence_content_type").notNull(),
    status: text("status").$type<VerificationStatus>().notNull().default("submitted"),
    submittedBy: uuid("submitted_by")
      .notNull()
      .references(() => users.id),
    submittedAt: timestamp("submitted_at", { withTimezone: true }).notNull().defaultNow(),
    decidedBy: uuid("decided_by").references(() => users.id),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    reason: text("reason"),
  },
  (t) => [
    check("organization_verifications_status_check", inList("status", verificationStatuses)),
    check("organization_verifications_credit_code_check", sql`credit_code ~ '^[0-9A-HJ-NPQRTUWXY]{18}$'`),
    check("organization_verifications_decision_check", sql`(status = 'submitted') = (decided_at is null) and (status <> 'rejected' or char_length(reason) > 0)`),
    check("organization_verifications_content_type_check", inList("licence_content_type", ["application/pdf", "image/png", "image/jpeg"])),
    uniqueIndex("organization_verifications_one_open_idx").on(t.organizationId).where(sql`status = 'submitted'`),
    index("organization_verifications_org_idx").on(t.organizationId, t.submittedAt),
  ],
);
