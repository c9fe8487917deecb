// Training records (培训/资质) as lab staff keep them: record, revoke, list per instrument, and a
// user's standing on an instrument as the booking form and instrument page show it.
import { and, desc, eq, isNull, sql, type AnyColumn, type SQL } from "drizzle-orm";
import { z } from "zod";
import { instruments, labs, qualifications, users } from "../../db/schema";
import { localDateOf } from "~/availability/free-intervals";
import { builtOnce, getDb, type Tx } from "~/lib/db.server";
import { recordAudit } from "~/trust/audit.server";
import { qualificationOn, type QualificationRecord, type QualificationState } from "./qualification";

const isoDay = /^\d{4}-\d{2}-\d{2}$/;
const realDay = (s: string) => isoDay.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);

/** The form lab staff fill in; messages are training: / common i18n keys. */
export const qualificationFormSchema = z
  .object({
    email: z.string({ message: "validation.required" }).trim().toLowerCase().email("training:validation.email"),
    trainedOn: z.string({ message: "validation.required" }).refine(realDay, "training:validation.date"),
    expiresOn: z.string({ message: "validation.required" }).refine(realDay, "training:validation.date"),
    trainer: z.string().trim().max(120, "validation.tooBig").optional().default(""),
    note: z.string().trim().max(500, "validation.tooBig").optional().default(""),
  })
  .refine((f) => f.expiresOn >= f.trainedOn, { path: ["expiresOn"], message: "training:validation.expiresBeforeTrained" });
export type QualificationForm = z.infer<typeof qualificationFormSchema>;

/**
 * A user's training records on an instrument as a JSON array, for a query that reads them with
 * other things in one statement (revoked ones included: they decide nothing).
 */
export const qualificationRecordsJson = (userId: SQL, instrumentId: SQL | AnyColumn) => sql<QualificationRecord[]>`(
  select coalesce(json_agg(json_build_object('trainedOn', q.trained_on, 'expiresOn', q.expires_on, 'revokedAt', q.revoked_at)), '[]')
  from ${qualifications} q where q.user_id = ${userId} and q.instrument_id = ${instrumentId})`;

/** The instrument's lab (contact and zone) with the user's records on the instrument, in one statement. */
const standingQuery = builtOnce((db) =>
  db
    .select({
      nameZh: labs.nameZh,
      nameEn: labs.nameEn,
      contactName: labs.contactName,
      contactPhone: labs.contactPhone,
      contactEmail: labs.contactEmail,
      zone: labs.timeZone,
      records: qualificationRecordsJson(sql`${sql.placeholder("userId")}::uuid`, instruments.id),
    })
    .from(instruments)
    .innerJoin(labs, eq(labs.id, instruments.labId))
    .where(eq(instruments.id, sql.placeholder("instrumentId"))),
);

export interface Standing {
  qualification: QualificationState;
  /** The lab to contact for (re)training. */
  lab: { nameZh: string; nameEn: string; contactName: string | null; contactPhone: string | null; contactEmail: string | null };
}

/** The user's standing on the instrument today (the lab's date), with the lab's contact for renewal. */
export async function qualificationStanding(userId: string, instrumentId: string, now: Date): Promise<Standing | null> {
  const [row] = await standingQuery(await getDb(), { userId, instrumentId });
  if (!row) return null;
  const { zone, records, ...contact } = row;
  return { qualification: qualificationOn(records, dayOf(now, zone)), lab: contact };
}

/** The lab's calendar date of an instant, YYYY-MM-DD. */
export function dayOf(at: Date, zone: string): string {
  const d = localDateOf(at, zone);
  return `${d.year}-${String(d.month).padStart(2, "0")}-${String(d.day).padStart(2, "0")}`;
}

export type RecordState = "valid" | "expired" | "revoked" | "future";

/**
 * The training page of an instrument: its name, lab, and records (unrevoked first, latest expiry
 * first; bounded: 500) with each record's state today in the lab's zone. Null for an unknown id.
 */
export async function trainingPage(instrumentId: string, now: Date) {
  const db = await getDb();
  const [head] = await db
    .select({
      instrument: { id: instruments.id, nameZh: instruments.nameZh, nameEn: instruments.nameEn },
      lab: { id: labs.id, nameZh: labs.nameZh, nameEn: labs.nameEn, timeZone: labs.timeZone },
    })
    .from(instruments)
    .innerJoin(labs, eq(labs.id, instruments.labId))
    .where(eq(instruments.id, instrumentId))
    .limit(1);
  if (!head) return null;
  const rows = await db
    .select({
      id: qualifications.id,
      trainedOn: qualifications.trainedOn,
      expiresOn: qualifications.expiresOn,
      trainer: qualifications.trainer,
      note: qualifications.note,
      revokedAt: qualifications.revokedAt,
      userName: users.displayName,
      userEmail: users.email,
    })
    .from(qualifications)
    .innerJoin(users, eq(users.id, qualifications.userId))
    .where(eq(qualifications.instrumentId, instrumentId))
    .orderBy(sql`${qualifications.revokedAt} is not null`, desc(qualifications.expiresOn), desc(qualifications.recordedAt))
    .limit(500);
  const today = dayOf(now, head.lab.timeZone);
  const stateOf = (r: (typeof rows)[number]): RecordState =>
    r.revokedAt ? "revoked" : r.trainedOn > today ? "future" : r.expiresOn < today ? "expired" : "valid";
  return { ...head, records: rows.map((r) => ({ ...r, revokedAt: r.revokedAt?.toISOString() ?? null, state: stateOf(r) })) };
}

/** The instrument's owning organisation, whose admins read the audit entry. */
async function ownerOf(tx: Tx, instrumentId: string): Promise<string | null> {
  const [row] = await tx.select({ organizationId: instruments.organizationId }).from(instruments).where(eq(instruments.id, instrumentId)).limit(1);
  return row?.organizationId ?? null;
}

export type RecordQualificationResult = { ok: true; id: string } | { ok: false; reason: "unknown_user" };

/** Records a training; the user is found by email (an unknown address changes nothing). */
export async function recordQualification(instrumentId: string, form: QualificationForm, actorUserId: string, now: Date): Promise<RecordQualificationResult> {
  const db = await getDb();
  return db.transaction(async (tx): Promise<RecordQualificationResult> => {
    const [user] = await tx.select({ id: users.id }).from(users).where(eq(sql`lower(${users.email})`, form.email)).limit(1);
    if (!user) return { ok: false, reason: "unknown_user" };
    const [row] = await tx
      .insert(qualifications)
      .values({ userId: user.id, instrumentId, trainedOn: form.trainedOn, expiresOn: form.expiresOn, trainer: form.trainer, note: form.note, recordedBy: actorUserId, recordedAt: now })
      .returning({ id: qualifications.id });
    await recordAudit(tx, {
      actorUserId,
      organizationId: await ownerOf(tx, instrumentId),
      action: "qualification.record",
      entityType: "qualification",
      entityId: row!.id,
      after: { instrumentId, userId: user.id, trainedOn: form.trainedOn, expiresOn: form.expiresOn, trainer: form.trainer },
      at: now,
    });
    return { ok: true, id: row!.id };
  });
}

/** Revokes one of the instrument's records; false when the id is not the instrument's or already revoked. */
export async function revokeQualification(instrumentId: string, qualificationId: string, actorUserId: string, now: Date): Promise<boolean> {
  if (!z.string().uuid().safeParse(qualificationId).success) return false;
  const db = await getDb();
  return db.transaction(async (tx) => {
    const revoked = await tx
      .update(qualifications)
      .set({ revokedAt: now, revokedBy: actorUserId })
      .where(and(eq(qualifications.id, qualificationId), eq(qualifications.instrumentId, instrumentId), isNull(qualifications.revokedAt)))
      .returning({ id: qualifications.id });
    if (revoked.length === 0) return false;
    await recordAudit(tx, {
      actorUserId,
      organizationId: await ownerOf(tx, instrumentId),
      action: "qualification.revoke",
      entityType: "qualification",
      entityId: qualificationId,
      after: { revokedAt: now.toISOString() },
      at: now,
    });
    return true;
  });
}
