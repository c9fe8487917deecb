import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";




const inList = (column: string, values: readonly string[]) =>
  sql.raw(`${column} in (${values.map((v) => `'${v}'`).join(", ")})`);

import { membershipRoles, organizationTypes, providerStatuses, type MembershipRole, type OrganizationType } from "./vocabulary";

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    email: text("email").notNull(),
    passwordHash: text("password_hash").notNull(),
    displayName: text("display_name").notNull(),
    locale: text("locale").notNull().default("zh-CN"),
    emailVerifiedAt: timestamp("email_verified_at", { withTimezone: true }),
    isPlatformAdmin: boolean("is_platform_admin").notNull().default(false),
    /** Sessions carry the value they were signed in under; raising it ends every other session. */
    sessionEpoch: integer("session_epoch").notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("users_email_key").on(sql`lower(${t.email})`),
    check("users_locale_check", inList("locale", ["zh-CN", "en"])),
  ],
);

export const organizations = pgTable(
  "organizations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    slug: text("slug").notNull().unique(),
    nameZh: text("name_zh").notNull(),
    nameEn: text("name_en").notNull(),
    type: text("type").$type<OrganizationType>().notNull(),
    creditCode: text("credit_code").unique(),
    isSme: boolean("is_sme").notNull().default(false),
    regionCode: text("region_code"),
    address: text("address"),
    website: text("website"),
    providerStatus: text("provider_status").notNull().default("none"),
    verifiedAt: timestamp("verified_at", { withTimezone: true }),
    /** The provider's Stripe Connect account (acct_…): destination of its card and wallet payments. */
    stripeAccountId: text("stripe_account_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("organizations_type_check", inList("type", organizationTypes)),
    check("organizations_provider_status_check", inList("provider_status", providerStatuses)),
    check("organizations_credit_code_format", sql`credit_code ~ '^[0-9A-HJ-NPQRTUWXY]{18}$'`),
  ],
);

/** A unit of a provider organisation that runs instruments (实验室 / 平台). */
export const labs = pgTable(
  "labs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    slug: text("slug").notNull().unique(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    nameZh: text("name_zh").notNull(),
    nameEn: text("name_en").notNull(),
    address: text("address"),
    timeZone: text("time_zone").notNull().default("Asia/Shanghai"),
    contactName: text("contact_name"),
    contactPhone: text("contact_phone"),
    contactEmail: text("contact_email"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("labs_org_idx").on(t.organizationId)],
);

export const memberships = pgTable(
  "memberships",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    role: text("role").$type<MembershipRole>().notNull(),
    /** Set for lab staff: the lab they run. */
    labId: uuid("lab_id").references(() => labs.id, { onDelete: "cascade" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("memberships_user_org_role_key")
      .on(t.userId, t.organizationId, t.role, t.labId)
      .nullsNotDistinct(),
    index("memberships_org_idx").on(t.organizationId),
    check("memberships_role_check", inList("role", membershipRoles)),
    check("memberships_lab_staff_has_lab", sql`(role = 'lab_staff') = (lab_id is not null)`),
  ],
);

export const emailTokenPurposes = ["verify_email", "reset_password", "change_email"] as const;

/** Single-use links sent by email; only the SHA-256 of the token is stored. */
export const emailTokens = pgTable(
  "email_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    purpose: text("purpose").notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    /** The address a change_email link confirms (and only such a link has one). */
    email: text("email"),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("email_tokens_purpose_check", inList("purpose", emailTokenPurposes)),
    check("email_tokens_email_check", sql`(purpose = 'change_email') = (email is not null)`),
  ],
);

export { inList };
