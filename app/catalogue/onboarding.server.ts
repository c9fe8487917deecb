import { randomBytes, randomUUID } from "node:crypto";
import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import {
  memberships,
  organizations,
  providerApplicationEvents,
  providerApplications,
  users,
  type ApplicationStatus,
} from "../../db/schema";
import { getDb, type Tx } from "~/lib/db.server";
import { env } from "~/lib/env.server";
import { prepareEmailQueue, queueEmail } from "~/lib/mail.server";
import { readPdfUpload } from "~/lib/pdf";
import { storage } from "~/lib/storage.server";
import type { FieldErrors } from "~/lib/validation";
import type { Actor } from "~/trust/audit";
import { recordAudit } from "~/trust/audit.server";
import {
  decide,
  LETTER_MAX_BYTES,
  letterMessages,
  organizationTypeOf,
  slugOf,
  type ApplicationInput,
  type DecisionInput,
} from "./onboarding";

export type Outcome<T = object> = ({ ok: true } & T) | { ok: false; errors: FieldErrors };

// The row keeps the letter's storage key; it is served only through the letter route's check.
const letterKey = (applicationId: string) => `applications/${applicationId}.pdf`;

/** Emailed links point at PUBLIC_URL when it is set (behind a proxy the request origin may be internal). */
export const linkBase = (origin: string) => (env().PUBLIC_URL ?? origin).replace(/\/+$/, "");

function uniqueViolation(error: unknown): boolean {
  for (let e: any = error; e; e = e.cause) if (e.code === "23505") return true;
  return false;
}

const pendingExists: FieldErrors = { creditCode: "onboarding:validation.pendingExists" };

/**
 * Files an application with its letter. A credit code that is already an accepted provider, or
 * that has an undecided application, is refused at the field; nothing is written then.
 */
export async function submitApplication(
  applicantUserId: string,
  input: ApplicationInput,
  letter: Blob | null,
): Promise<Outcome<{ id: string }>> {
  const upload = await readPdfUpload(letter, LETTER_MAX_BYTES);
  if (!upload.ok) return { ok: false, errors: { letter: letterMessages[upload.problem] } };
  const { bytes, fileName } = upload;
  const db = await getDb();
  const [[org], [open]] = await Promise.all([
    db.select().from(organizations).where(eq(organizations.creditCode, input.creditCode)).limit(1),
    db
      .select({ id: providerApplications.id })
      .from(providerApplications)
      .where(and(eq(providerApplications.creditCode, input.creditCode), eq(providerApplications.status, "submitted")))
      .limit(1),
  ]);
  if (org?.providerStatus === "accepted") return { ok: false, errors: { creditCode: "onboarding:validation.alreadyProvider" } };
  if (open) return { ok: false, errors: pendingExists };

  const id = randomUUID();
  const key = letterKey(id);
  await storage().save(key, bytes);
  try {
    await db.transaction(async (tx) => {
      await tx.insert(providerApplications).values({
        id,
        ...input,
        organizationId: org?.id ?? null,
        applicantUserId,
        letterFileKey: key,
        letterFileName: fileName.slice(0, 200) || "letter.pdf",
      });
      await tx.insert(providerApplicationEvents).values({ applicationId: id, actorUserId: applicantUserId, action: "submitted" });
      if (org) await tx.update(organizations).set({ providerStatus: "applied" }).where(eq(organizations.id, org.id));
    });
  } catch (error) {
    await storage().remove(key);
    // Two applications for one code racing: the partial unique index lets one through.
    if (uniqueViolation(error)) return { ok: false, errors: pendingExists };
    throw error;
  }
  return { ok: true, id };
}

const applicationColumns = {
  id: providerApplications.id,
  nameZh: providerApplications.nameZh,
  nameEn: providerApplications.nameEn,
  type: providerApplications.type,
  creditCode: providerApplications.creditCode,
  regionCode: providerApplications.regionCode,
  status: providerApplications.status,
  decisionReason: providerApplications.decisionReason,
  decidedAt: providerApplications.decidedAt,
  createdAt: providerApplications.createdAt,
  organizationId: providerApplications.organizationId,
  applicantName: users.displayName,
  applicantEmail: users.email,
};

/** The review queue: undecided first (oldest first, as they wait), then the decided, newest first. */
export async function listApplications(filter: { status?: ApplicationStatus } = {}) {
  const db = await getDb();
  return db
    .select(applicationColumns)
    .from(providerApplications)
    .innerJoin(users, eq(users.id, providerApplications.applicantUserId))
    .where(filter.status ? eq(providerApplications.status, filter.status) : undefined)
    .orderBy(
      sql`(${providerApplications.status} = 'submitted') desc`,
      sql`case when ${providerApplications.status} = 'submitted' then ${providerApplications.createdAt} end asc`,
      desc(providerApplications.createdAt),
    )
    .limit(200);
}

async function eventsOf(applicationIds: string[]) {
  if (applicationIds.length === 0) return [];
  const db = await getDb();
  return db
    .select({
      id: providerApplicationEvents.id,
      applicationId: providerApplicationEvents.applicationId,
      action: providerApplicationEvents.action,
      note: providerApplicationEvents.note,
      createdAt: providerApplicationEvents.createdAt,
      actorName: users.displayName,
    })
    .from(providerApplicationEvents)
    .leftJoin(users, eq(users.id, providerApplicationEvents.actorUserId))
    .where(inArray(providerApplicationEvents.applicationId, applicationIds))
    .orderBy(asc(providerApplicationEvents.createdAt));
}

/** Applications with their history, two queries whatever their number. */
async function withEvents<T extends { id: string }>(applications: T[]) {
  const events = await eventsOf(applications.map((a) => a.id));
  return applications.map((a) => ({ ...a, events: events.filter((e) => e.applicationId === a.id) }));
}

/** What the applicant sees at /apply. */
export async function applicationsOfApplicant(userId: string) {
  const db = await getDb();
  const rows = await db
    .select(applicationColumns)
    .from(providerApplications)
    .innerJoin(users, eq(users.id, providerApplications.applicantUserId))
    .where(eq(providerApplications.applicantUserId, userId))
    .orderBy(desc(providerApplications.createdAt));
  return withEvents(rows);
}

/** An institution's own application history, shown to its admins. */
export async function applicationsOfOrganization(organizationId: string) {
  const db = await getDb();
  const rows = await db
    .select(applicationColumns)
    .from(providerApplications)
    .innerJoin(users, eq(users.id, providerApplications.applicantUserId))
    .where(eq(providerApplications.organizationId, organizationId))
    .orderBy(desc(providerApplications.createdAt));
  return withEvents(rows);
}

/** One application for review, with the organisation that already holds its credit code, if any. */
export async function getApplication(id: string) {
  const db = await getDb();
  const [row] = await db
    .select({ application: providerApplications, applicantName: users.displayName, applicantEmail: users.email })
    .from(providerApplications)
    .innerJoin(users, eq(users.id, providerApplications.applicantUserId))
    .where(eq(providerApplications.id, id))
    .limit(1);
  if (!row) return null;
  const [[existing], events] = await Promise.all([
    db
      .select({ id: organizations.id, slug: organizations.slug, nameZh: organizations.nameZh, nameEn: organizations.nameEn, providerStatus: organizations.providerStatus })
      .from(organizations)
      .where(eq(organizations.creditCode, row.application.creditCode))
      .limit(1),
    eventsOf([id]),
  ]);
  return { ...row.application, applicantName: row.applicantName, applicantEmail: row.applicantEmail, existingOrganization: existing ?? null, events };
}

/** The stored letter, for the routes that check who may read it. */
export async function readLetter(id: string): Promise<{ bytes: Uint8Array<ArrayBuffer>; fileName: string } | null> {
  const db = await getDb();
  const [row] = await db
    .select({ key: providerApplications.letterFileKey, fileName: providerApplications.letterFileName })
    .from(providerApplications)
    .where(eq(providerApplications.id, id))
    .limit(1);
  if (!row) return null;
  const bytes = await storage().read(row.key);
  return bytes ? { bytes, fileName: row.fileName } : null;
}

/** Creates the provider organisation, or turns the one holding the credit code into an accepted provider. */
async function acceptOrganization(tx: Tx, application: typeof providerApplications.$inferSelect, now: Date): Promise<string> {
  const fields = {
    nameZh: application.nameZh,
    nameEn: application.nameEn,
    type: organizationTypeOf[application.type],
    regionCode: application.regionCode,
    address: application.address,
    providerStatus: "accepted",
    verifiedAt: now,
  };
  const [existing] = await tx
    .select({ id: organizations.id })
    .from(organizations)
    .where(eq(organizations.creditCode, application.creditCode))
    .for("update")
    .limit(1);
  if (existing) {
    await tx.update(organizations).set(fields).where(eq(organizations.id, existing.id));
    return existing.id;
  }
  const [created] = await tx
    .insert(organizations)
    .values({ ...fields, creditCode: application.creditCode, slug: slugOf(application.nameEn, randomBytes(3).toString("hex")) })
    .returning({ id: organizations.id });
  return created.id;
}

/**
 * Approves or rejects a submitted application in one transaction: the status, the organisation and
 * the applicant's institution-admin membership (on approval), the event, and the email to the applicant.
 */
export async function decideApplication(
  id: string,
  admin: Actor,
  input: DecisionInput,
  origin: string,
): Promise<Outcome<{ status: ApplicationStatus }> | { ok: false; notFound: true }> {
  const db = await getDb();
  await prepareEmailQueue();
  return db.transaction(async (tx) => {
    const [application] = await tx.select().from(providerApplications).where(eq(providerApplications.id, id)).for("update").limit(1);
    if (!application) return { ok: false as const, notFound: true as const };
    const next = decide(application.status, input.decision);
    if (!next.ok) return { ok: false as const, errors: { _form: next.error } };

    const now = new Date();
    let organizationId = application.organizationId;
    if (next.status === "approved") {
      organizationId = await acceptOrganization(tx, application, now);
      await tx
        .insert(memberships)
        .values({ userId: application.applicantUserId, organizationId, role: "institution_admin" })
        .onConflictDoNothing();
      await recordAudit(tx, {
        actorUserId: admin.userId,
        organizationId,
        action: "role.grant",
        entityType: "user",
        entityId: application.applicantUserId,
        after: { role: "institution_admin", applicationId: id },
        ip: admin.ip,
        at: now,
      });
    } else if (organizationId) {
      await tx
        .update(organizations)
        .set({ providerStatus: "rejected" })
        .where(and(eq(organizations.id, organizationId), eq(organizations.providerStatus, "applied")));
    }
    await tx
      .update(providerApplications)
      .set({ status: next.status, organizationId, decisionReason: input.reason ?? null, decidedBy: admin.userId, decidedAt: now })
      .where(eq(providerApplications.id, id));
    await tx.insert(providerApplicationEvents).values({ applicationId: id, actorUserId: admin.userId, action: next.status, note: input.reason ?? null });
    await recordAudit(tx, {
      actorUserId: admin.userId,
      organizationId,
      action: next.status === "approved" ? "application.approve" : "application.reject",
      entityType: "provider_application",
      entityId: id,
      before: { status: application.status },
      after: { status: next.status, reason: input.reason ?? null },
      ip: admin.ip,
      at: now,
    });

    const [applicant] = await tx.select().from(users).where(eq(users.id, application.applicantUserId));
    const url = next.status === "approved" && organizationId ? `/manage/institutions/${organizationId}` : "/apply";
    await queueEmail(tx, {
      to: applicant.email,
      locale: applicant.locale,
      template: "application-decision",
      props: {
        name: applicant.displayName,
        organization: applicant.locale === "en" ? application.nameEn : application.nameZh,
        approved: next.status === "approved",
        reason: input.reason ?? "",
        url: `${linkBase(origin)}${url}`,
      },
    });
    return { ok: true as const, status: next.status };
  });
}
