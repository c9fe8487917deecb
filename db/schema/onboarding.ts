import { sql } from "drizzle-orm";
import { check, index, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { inList, labs, organizations, users } from "./accounts";
import {
  applicationEventActions,
  applicationStatuses,
  providerApplicationTypes,
  type ApplicationEventAction,
  type ApplicationStatus,
  type MembershipRole,
  type ProviderApplicationType,
} from "./vocabulary";

/**
 * An institution's request to join as a provider (入驻申请). The organisation row is created or
 * updated only when a platform admin approves; `organization_id` points at an existing organisation
 * with the same credit code from the start, or at the one approval creates.
 */
export const providerApplications = pgTable(
  "provider_applications",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organizationId: uuid("organization_id").references(() => organizations.id, { onDelete: "set null" }),
    applicantUserId: uuid("applicant_user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    nameZh: text("name_zh").notNull(),
    nameEn: text("name_en").notNull(),
    type: text("type").$type<ProviderApplicationType>().notNull(),
    creditCode: text("credit_code").notNull(),
    regionCode: text("region_code").notNull(),
    address: text("address").notNull(),
    contactName: text("contact_name").notNull(),
    contactPhone: text("contact_phone").notNull(),
    contactEmail: text("contact_email").notNull(),
    /** Where the authorisation letter (PDF) is stored, relative to the uploads root. */
    letterFileKey: text("letter_file_key").notNull(),
    letterFileName: text("letter_file_name").notNull(),
    status: text("status").$type<ApplicationStatus>().notNull().default("submitted"),
    decisionReason: text("decision_reason"),
    decidedBy: uuid("decided_by").references(() => users.id, { onDelete: "set null" }),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("provider_applications_status_check", inList("status", applicationStatuses)),
    check("provider_applications_type_check", inList("type", providerApplicationTypes)),
    check("provider_applications_credit_code_format", sql`credit_code ~ '^[0-9A-HJ-NPQRTUWXY]{18}$'`),
    check("provider_applications_region_code_format", sql`region_code ~ '^[0-9]{6}$'`),
    // A decision has its time and, for a rejection, its reason.
    check(
      "provider_applications_decision_check",
      sql`(status = 'submitted') = (decided_at is null) and (status <> 'rejected' or coalesce(decision_reason, '') <> '')`,
    ),
    // One open application per credit code: a second one waits until the first is decided.
    uniqueIndex("provider_applications_open_code_key").on(t.creditCode).where(sql`status = 'submitted'`),
    index("provider_applications_applicant_idx").on(t.applicantUserId),
    index("provider_applications_org_idx").on(t.organizationId),
    index("provider_applications_status_idx").on(t.status, t.createdAt),
  ],
);

/** Append-only history of an application: who did what, when. */
export const providerApplicationEvents = pgTable(
  "provider_application_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    applicationId: uuid("application_id")
      .notNull()
      .references(() => providerApplications.id, { onDelete: "cascade" }),
    actorUserId: uuid("actor_user_id").references(() => users.id, { onDelete: "set null" }),
    action: text("action").$type<ApplicationEventAction>().notNull(),
    note: text("note"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("provider_application_events_action_check", inList("action", applicationEventActions)),
    index("provider_application_events_application_idx").on(t.applicationId, t.createdAt),
  ],
);

/**
 * Emailed invitations to join an organisation: as lab staff of one of its labs, or as a customer
 * of a customer organisation. Only the SHA-256 of the token is stored.
 */
export const invitationRoles = ["lab_staff", "customer"] as const satisfies readonly MembershipRole[];
export type InvitationRole = (typeof invitationRoles)[number];
export const invitations = pgTable(
  "invitations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    role: text("role").$type<InvitationRole>().notNull(),
    labId: uuid("lab_id").references(() => labs.id, { onDelete: "cascade" }),
    email: text("email").notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    invitedBy: uuid("invited_by").references(() => users.id, { onDelete: "set null" }),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    acceptedAt: timestamp("accepted_at", { withTimezone: true }),
    acceptedUserId: uuid("accepted_user_id").references(() => users.id, { onDelete: "set null" }),
    /** Set when the inviter takes the invitation back; its link then says so. */
    withdrawnAt: timestamp("withdrawn_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("invitations_lab_idx").on(t.labId),
    index("invitations_organization_idx").on(t.organizationId),
    check("invitations_role_check", inList("role", invitationRoles)),
    check("invitations_lab_check", sql`(role = 'lab_staff') = (lab_id is not null)`),
    check("invitations_accepted_check", sql`accepted_user_id is null or accepted_at is not null`),
    check("invitations_withdrawn_check", sql`withdrawn_at is null or accepted_at is null`),
  ],
);
