// Verified organisations: an organisation's admin submits its credit code and licence scan; a
// platform admin verifies or rejects it with a reason (emailed, audit-logged).
import { randomUUID } from "node:crypto";
import { and, desc, eq, ne, sql, type SQL } from "drizzle-orm";
import { bookings, organizations, organizationVerifications, platformSettings, users } from "../../db/schema";
import { siteOrigin } from "~/booking/calendar-entries.server";
import { builtOnce, getDb, type Tx } from "~/lib/db.server";
import { prepareEmailQueue, queueEmail } from "~/lib/mail.server";
import { storage } from "~/lib/storage.server";
import type { FieldErrors } from "~/lib/validation";
import type { Actor } from "./audit";
import { recordAudit } from "./audit.server";
import {
  LICENCE_MAX_BYTES,
  licenceProblem,
  licenceType,
  verificationPath,
  verificationSettingsFrom,
  type FirstBookingStanding,
  type VerificationDecision,
  type VerificationSettings,
} from "./verification";

const SETTINGS_KEY = "verification";
const extension = { "application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg" } as const;

/** An organisation's verification state and its requests, newest first. */
export async function verificationPage(organizationId: string) {
  const db = await getDb();
  const [organization] = await db
    .select({ id: organizations.id, nameZh: organizations.nameZh, nameEn: organizations.nameEn, type: organizations.type, creditCode: organizations.creditCode, verifiedAt: organizations.verifiedAt })
    .from(organizations)
    .where(eq(organizations.id, organizationId));
  if (!organization) return null;
  const requests = await db
    .select({
      id: organizationVerifications.id,
      creditCode: organizationVerifications.creditCode,
      status: organizationVerifications.status,
      submittedAt: organizationVerifications.submittedAt,
      decidedAt: organizationVerifications.decidedAt,
      reason: organizationVerifications.reason,
    })
    .from(organizationVerifications)
    .where(eq(organizationVerifications.organizationId, organizationId))
    .orderBy(desc(organizationVerifications.submittedAt));
  return { organization, requests };
}

export type Outcome = { ok: true } | { ok: false; errors: FieldErrors };

/**
 * Files a verification request. Refused at the field, with nothing written: an unusable scan, a
 * request already waiting, an organisation already verified, a code another organisation holds.
 */
export async function submitVerification(organizationId: string, creditCode: string, licence: Blob | null, actor: Actor): Promise<Outcome> {
  const size = licence?.size ?? 0;
  const bytes = licence && size > 0 && size <= LICENCE_MAX_BYTES ? new Uint8Array(await licence.arrayBuffer()) : null;
  const problem = licenceProblem(size, bytes);
  if (problem || !bytes) return { ok: false, errors: { licence: problem ?? "verification:validation.licenceRequired" } };
  const type = licenceType(bytes)!;
  const db = await getDb();
  const [[organization], [holder], [open]] = await Promise.all([
    db.select({ verifiedAt: organizations.verifiedAt }).from(organizations).where(eq(organizations.id, organizationId)),
    db.select({ id: organizations.id }).from(organizations).where(and(eq(organizations.creditCode, creditCode), ne(organizations.id, organizationId))),
    db.select({ id: organizationVerifications.id }).from(organizationVerifications).where(and(eq(organizationVerifications.organizationId, organizationId), eq(organizationVerifications.status, "submitted"))),
  ]);
  if (!organization) return { ok: false, errors: { _form: "validation.invalid" } };
  if (organization.verifiedAt) return { ok: false, errors: { _form: "verification:validation.alreadyVerified" } };
  if (open) return { ok: false, errors: { _form: "verification:validation.pending" } };
  if (holder) return { ok: false, errors: { creditCode: "verification:validation.creditCodeTaken" } };

  const id = randomUUID();
  const key = `verifications/${id}.${extension[type]}`;
  await storage().save(key, bytes);
  const fileName = licence instanceof File ? (licence.name.split(/[\\/]/).pop() ?? "").slice(0, 200) : "";
  try {
    await db.transaction(async (tx) => {
      const row = { id, organizationId, creditCode, licenceFileKey: key, licenceFileName: fileName || `licence.${extension[type]}`, licenceContentType: type, submittedBy: actor.userId };
      await tx.insert(organizationVerifications).values(row);
      await recordAudit(tx, { actorUserId: actor.userId, organizationId, action: "verification.submit", entityType: "organization", entityId: organizationId, before: null, after: { creditCode, licenceFileName: row.licenceFileName }, ip: actor.ip });
    });
  } catch (error) {
    await storage().remove(key);
    // Two admins of one organisation submitting at once: the partial unique index lets one through.
    for (let e: any = error; e; e = e.cause) if (e.code === "23505") return { ok: false, errors: { _form: "verification:validation.pending" } };
    throw error;
  }
  return { ok: true };
}

/** The platform admins' list: waiting requests first (oldest first), then the latest decisions. */
export async function verificationQueue() {
  const db = await getDb();
  const columns = {
    id: organizationVerifications.id,
    organizationId: organizations.id,
    organizationSlug: organizations.slug,
    nameZh: organizations.nameZh,
    nameEn: organizations.nameEn,
    type: organizations.type,
    creditCode: organizationVerifications.creditCode,
    status: organizationVerifications.status,
    submittedAt: organizationVerifications.submittedAt,
    decidedAt: organizationVerifications.decidedAt,
    reason: organizationVerifications.reason,
    submitterName: users.displayName,
    submitterEmail: users.email,
    licenceContentType: organizationVerifications.licenceContentType,
  };
  const base = () =>
    db
      .select(columns)
      .from(organizationVerifications)
      .innerJoin(organizations, eq(organizations.id, organizationVerifications.organizationId))
      .innerJoin(users, eq(users.id, organizationVerifications.submittedBy));
  const [waiting, decided] = await Promise.all([
    base().where(eq(organizationVerifications.status, "submitted")).orderBy(organizationVerifications.submittedAt),
    base().where(ne(organizationVerifications.status, "submitted")).orderBy(desc(organizationVerifications.decidedAt)).limit(30),
  ]);
  return { waiting, decided, settings: await verificationSettings(db) };
}

/**
 * Verifies or rejects a waiting request: the organisation takes the code and its verified date,
 * the submitter is emailed, the decision is audited — one transaction. A request already decided
 * (or unknown) changes nothing.
 */
export async function decideVerification(id: string, decision: VerificationDecision, actor: Actor, now = new Date()): Promise<Outcome> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return { ok: false, errors: { _form: "verification:validation.decided" } };
  await prepareEmailQueue();
  const db = await getDb();
  try {
    return await db.transaction(async (tx): Promise<Outcome> => {
      const verified = decision.decision === "verify";
      const [request] = await tx
        .update(organizationVerifications)
        .set({ status: verified ? "verified" : "rejected", decidedBy: actor.userId, decidedAt: now, reason: decision.reason || null })
        .where(and(eq(organizationVerifications.id, id), eq(organizationVerifications.status, "submitted")))
        .returning();
      if (!request) return { ok: false, errors: { _form: "verification:validation.decided" } };
      const [before] = await tx.select().from(organizations).where(eq(organizations.id, request.organizationId));
      if (verified) await tx.update(organizations).set({ verifiedAt: now, creditCode: request.creditCode }).where(eq(organizations.id, request.organizationId));
      await recordAudit(tx, {
        actorUserId: actor.userId,
        organizationId: request.organizationId,
        action: verified ? "verification.verify" : "verification.reject",
        entityType: "organization",
        entityId: request.organizationId,
        before: { creditCode: before.creditCode, verifiedAt: before.verifiedAt },
        after: verified ? { creditCode: request.creditCode, verifiedAt: now } : { reason: decision.reason },
        ip: actor.ip,
        at: now,
      });
      const [submitter] = await tx.select({ email: users.email, locale: users.locale, name: users.displayName }).from(users).where(eq(users.id, request.submittedBy));
      await queueEmail(tx, {
        to: submitter.email,
        locale: submitter.locale,
        template: "verification-decision",
        props: { name: submitter.name, organization: submitter.locale === "en" ? before.nameEn : before.nameZh, verified, reason: decision.reason, url: `${siteOrigin()}${verificationPath(request.organizationId)}` },
      });
      return { ok: true };
    });
  } catch (error) {
    for (let e: any = error; e; e = e.cause) if (e.code === "23505") return { ok: false, errors: { _form: "verification:validation.creditCodeTaken" } };
    throw error;
  }
}

/** A request's licence scan, for the platform admins who decide it. */
export async function readLicence(id: string): Promise<{ bytes: Uint8Array<ArrayBuffer>; contentType: string } | null> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const db = await getDb();
  const [row] = await db
    .select({ key: organizationVerifications.licenceFileKey, contentType: organizationVerifications.licenceContentType })
    .from(organizationVerifications)
    .where(eq(organizationVerifications.id, id));
  if (!row) return null;
  const bytes = await storage().read(row.key);
  return bytes ? { bytes, contentType: row.contentType } : null;
}

const settingsQuery = builtOnce((db) => db.select({ value: platformSettings.value }).from(platformSettings).where(eq(platformSettings.key, SETTINGS_KEY)));

export async function verificationSettings(tx?: Tx): Promise<VerificationSettings> {
  const [row] = await settingsQuery(tx ?? (await getDb()), {});
  return verificationSettingsFrom(row?.value);
}

export async function saveVerificationSettings(settings: VerificationSettings, actor: Actor): Promise<void> {
  const db = await getDb();
  const now = new Date();
  await db.transaction(async (tx) => {
    const before = await verificationSettings(tx);
    await tx
      .insert(platformSettings)
      .values({ key: SETTINGS_KEY, value: settings, updatedAt: now, updatedBy: actor.userId })
      .onConflictDoUpdate({ target: platformSettings.key, set: { value: settings, updatedAt: now, updatedBy: actor.userId } });
    await recordAudit(tx, { actorUserId: actor.userId, organizationId: null, action: "setting.update", entityType: "setting", entityId: SETTINGS_KEY, before, after: settings, ip: actor.ip, at: now });
  });
}

/**
 * The platform's rule and the organisation's standing under it as one JSON subselect, so a route
 * reads it with the instrument it is booking instead of in statements of its own. Null for an
 * unknown organisation.
 */
export const firstBookingStanding = (organizationId: SQL) => sql<FirstBookingStanding | null>`(
  select json_build_object(
    'settings', (select s.value from ${platformSettings} s where s.key = ${SETTINGS_KEY}),
    'verifiedAt', o.verified_at,
    'booked', exists (select 1 from ${bookings} b where b.organization_id = o.id))
  from ${organizations} o where o.id = ${organizationId})`;
