// Accreditations of labs and instruments: lab staff add and remove them with their certificate;
// everyone sees the ones valid today; a daily job warns the lab before one expires.
import { randomUUID } from "node:crypto";
import { and, asc, eq, gte, inArray, isNull, lte, or, sql } from "drizzle-orm";
import { accreditations, accreditationWarnings, instruments, labs, memberships, users } from "../../db/schema";
import { siteOrigin } from "~/booking/calendar-entries.server";
import { todayIn } from "~/catalogue/manage.server";
import { getDb } from "~/lib/db.server";
import { prepareEmailQueue, queueEmail } from "~/lib/mail.server";
import { readPdfUpload } from "~/lib/pdf";
import { storage } from "~/lib/storage.server";
import { parseForm, type FieldErrors } from "~/lib/validation";
import { CERTIFICATE_MAX_BYTES, certificateMessages, dueWarning, expiryWarningDays } from "./accreditation";
import { accreditationFormSchema, type AccreditationForm } from "./accreditation-form";
import type { Actor } from "./audit";
import { recordAudit } from "./audit.server";

const certificateKey = (id: string) => `accreditations/${id}.pdf`;

const listed = {
  id: accreditations.id,
  labId: accreditations.labId,
  instrumentId: accreditations.instrumentId,
  kind: accreditations.kind,
  certificateNumber: accreditations.certificateNumber,
  issuer: accreditations.issuer,
  scope: accreditations.scope,
  validFrom: accreditations.validFrom,
  validTo: accreditations.validTo,
};
export type AccreditationRow = { id: string; labId: string; instrumentId: string | null; kind: string; certificateNumber: string; issuer: string; scope: string; validFrom: string; validTo: string };

/** The lab, its today and its accreditations (of the lab, or of one of its instruments), for lab staff. */
export async function accreditationsPage(labId: string, instrumentId: string | null, now: Date) {
  const db = await getDb();
  const [lab] = await db.select({ id: labs.id, nameZh: labs.nameZh, nameEn: labs.nameEn, timeZone: labs.timeZone }).from(labs).where(eq(labs.id, labId));
  if (!lab) return null;
  const [instrument] = instrumentId
    ? await db
        .select({ id: instruments.id, nameZh: instruments.nameZh, nameEn: instruments.nameEn })
        .from(instruments)
        .where(and(eq(instruments.id, instrumentId), eq(instruments.labId, labId)))
    : [null];
  if (instrumentId && !instrument) return null;
  const rows = await db
    .select({ ...listed, instrumentNameZh: instruments.nameZh, instrumentNameEn: instruments.nameEn })
    .from(accreditations)
    .leftJoin(instruments, eq(instruments.id, accreditations.instrumentId))
    .where(and(eq(accreditations.labId, labId), instrumentId ? eq(accreditations.instrumentId, instrumentId) : undefined))
    .orderBy(asc(accreditations.validTo), asc(accreditations.certificateNumber));
  const labInstruments = instrumentId
    ? null
    : await db.select({ id: instruments.id, nameZh: instruments.nameZh, nameEn: instruments.nameEn }).from(instruments).where(eq(instruments.labId, labId)).orderBy(asc(instruments.nameZh));
  return { lab, instrument: instrument ?? null, instruments: labInstruments, today: todayIn(lab.timeZone, now), accreditations: rows };
}

export type Outcome<T = object> = ({ ok: true } & T) | { ok: false; errors: FieldErrors };

/**
 * Adds an accreditation with its certificate PDF to the lab (or to one of the lab's instruments).
 * The certificate is judged by its bytes; an instrument of another lab is refused; nothing is
 * written on refusal.
 */
export async function addAccreditation(
  labId: string,
  instrumentId: string | null,
  input: AccreditationForm,
  certificate: Blob | null,
  actor: Actor,
): Promise<Outcome<{ id: string }>> {
  const upload = await readPdfUpload(certificate, CERTIFICATE_MAX_BYTES);
  if (!upload.ok) return { ok: false, errors: { certificate: certificateMessages[upload.problem] } };
  const db = await getDb();
  const [lab] = await db.select({ organizationId: labs.organizationId }).from(labs).where(eq(labs.id, labId));
  if (!lab) return { ok: false, errors: { _form: "accreditation:validation.notYours" } };
  if (instrumentId) {
    const [own] = await db.select({ id: instruments.id }).from(instruments).where(and(eq(instruments.id, instrumentId), eq(instruments.labId, labId)));
    if (!own) return { ok: false, errors: { _form: "accreditation:validation.notYours" } };
  }
  const id = randomUUID();
  const key = certificateKey(id);
  await storage().save(key, upload.bytes);
  const row = { id, labId, instrumentId, ...input, certificateFileKey: key, certificateFileName: upload.fileName.slice(0, 200) || "certificate.pdf", createdBy: actor.userId };
  try {
    await db.transaction(async (tx) => {
      await tx.insert(accreditations).values(row);
      const { certificateFileKey: _key, ...after } = row;
      await recordAudit(tx, { actorUserId: actor.userId, organizationId: lab.organizationId, action: "accreditation.create", entityType: "accreditation", entityId: id, before: null, after, ip: actor.ip });
    });
  } catch (error) {
    await storage().remove(key);
    throw error;
  }
  return { ok: true, id };
}

/** Removes one of the lab's accreditations; another lab's id (or another instrument's) removes nothing. */
export async function removeAccreditation(labId: string, instrumentId: string | null, id: string, actor: Actor): Promise<boolean> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return false;
  const db = await getDb();
  const removed = await db.transaction(async (tx) => {
    const [row] = await tx
      .delete(accreditations)
      .where(and(eq(accreditations.id, id), eq(accreditations.labId, labId), instrumentId ? eq(accreditations.instrumentId, instrumentId) : undefined))
      .returning();
    if (!row) return null;
    const [lab] = await tx.select({ organizationId: labs.organizationId }).from(labs).where(eq(labs.id, labId));
    const { certificateFileKey: _key, createdAt: _at, ...before } = row;
    await recordAudit(tx, { actorUserId: actor.userId, organizationId: lab?.organizationId ?? null, action: "accreditation.delete", entityType: "accreditation", entityId: id, before, after: null, ip: actor.ip });
    return row;
  });
  if (removed) await storage().remove(removed.certificateFileKey);
  return removed !== null;
}

const textFields = ["kind", "instrumentId", "certificateNumber", "issuer", "scope", "validFrom", "validTo"];
export type FormOutcome = { ok: true; notice: string } | { ok: false; errors: FieldErrors; values: Record<string, string> };

/**
 * One submit of the accreditations page: add (with its certificate) or remove. `instrumentId` is
 * the page's instrument; on the lab's page the form names the instrument (or the whole lab).
 */
export async function accreditationFormAction(form: FormData, labId: string, instrumentId: string | null, actor: Actor): Promise<FormOutcome> {
  const values = Object.fromEntries(textFields.map((k) => [k, String(form.get(k) ?? "").slice(0, 2000)]));
  const intent = form.get("intent");
  if (intent === "remove") {
    const removed = await removeAccreditation(labId, instrumentId, String(form.get("accreditationId") ?? ""), actor);
    return removed ? { ok: true, notice: "manage.removed" } : { ok: false, errors: { _form: "accreditation:validation.notYours" }, values };
  }
  if (intent !== "add") return { ok: false, errors: { _form: "validation.invalid" }, values };
  const parsed = parseForm(accreditationFormSchema, form);
  if (!parsed.ok) return { ok: false, errors: parsed.errors, values };
  const target = instrumentId ?? (values.instrumentId || null);
  if (target !== null && !/^[0-9a-f-]{36}$/i.test(target)) return { ok: false, errors: { instrumentId: "accreditation:validation.notYours" }, values };
  const file = form.get("certificate");
  const result = await addAccreditation(labId, target, parsed.data, file instanceof File ? file : null, actor);
  return result.ok ? { ok: true, notice: "manage.added" } : { ok: false, errors: result.errors, values };
}

/** The certificate of an accreditation: a public document, served to anyone. */
export async function readCertificate(id: string): Promise<{ bytes: Uint8Array<ArrayBuffer>; fileName: string } | null> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const db = await getDb();
  const [row] = await db
    .select({ key: accreditations.certificateFileKey, fileName: accreditations.certificateFileName })
    .from(accreditations)
    .where(eq(accreditations.id, id));
  if (!row) return null;
  const bytes = await storage().read(row.key);
  return bytes ? { bytes, fileName: row.fileName } : null;
}

/** Today on the lab's wall clock, in SQL: validity is judged by the lab's date. */
const labToday = (now: Date) => sql`(${now.toISOString()}::timestamptz at time zone ${labs.timeZone})::date`;

/** Accreditations valid today: of the lab, and (with an instrument) of that instrument. */
export async function shownAccreditations(labId: string, instrumentId: string | null, now: Date): Promise<AccreditationRow[]> {
  const db = await getDb();
  const today = labToday(now);
  return db
    .select(listed)
    .from(accreditations)
    .innerJoin(labs, eq(labs.id, accreditations.labId))
    .where(
      and(
        eq(accreditations.labId, labId),
        instrumentId ? or(isNull(accreditations.instrumentId), eq(accreditations.instrumentId, instrumentId)) : isNull(accreditations.instrumentId),
        lte(accreditations.validFrom, today),
        gte(accreditations.validTo, today),
      ),
    )
    .orderBy(asc(accreditations.kind), asc(accreditations.certificateNumber));
}

/**
 * The daily warning job: each accreditation within 60 or 30 days of its last day gets that
 * warning once, mailed to the lab's contact and staff. The warning row is claimed (inserted) in
 * the transaction that queues the mail, so a second run or instance sends nothing.
 */
export async function sendExpiryWarnings(now: Date): Promise<number> {
  const db = await getDb();
  const horizon = Math.max(...expiryWarningDays);
  const due = await db
    .select({
      id: accreditations.id,
      labId: labs.id,
      kind: accreditations.kind,
      certificateNumber: accreditations.certificateNumber,
      validTo: accreditations.validTo,
      zone: labs.timeZone,
      labNameZh: labs.nameZh,
      labNameEn: labs.nameEn,
      contactEmail: labs.contactEmail,
      instrumentNameZh: instruments.nameZh,
      instrumentNameEn: instruments.nameEn,
      sent: sql<number[]>`coalesce((select array_agg(w.days_before) from accreditation_warnings w where w.accreditation_id = ${accreditations.id}), '{}')`,
    })
    .from(accreditations)
    .innerJoin(labs, eq(labs.id, accreditations.labId))
    .leftJoin(instruments, eq(instruments.id, accreditations.instrumentId))
    .where(and(gte(accreditations.validTo, labToday(now)), lte(accreditations.validTo, sql`${labToday(now)} + ${horizon}::int`)));
  const todo = due.flatMap((a) => {
    const days = dueWarning(a.validTo, todayIn(a.zone, now), (a.sent ?? []).map(Number));
    return days === null ? [] : [{ ...a, days }];
  });
  if (todo.length === 0) return 0;
  const staff = await db
    .select({ labId: memberships.labId, email: users.email, locale: users.locale, name: users.displayName })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.role, "lab_staff"), inArray(memberships.labId, [...new Set(todo.map((a) => a.labId))])));
  await prepareEmailQueue();
  let sent = 0;
  for (const a of todo) {
    const recipients = new Map<string, { locale: string; name: string }>();
    if (a.contactEmail) recipients.set(a.contactEmail.toLowerCase(), { locale: "zh-CN", name: a.labNameZh });
    for (const s of staff) if (s.labId === a.labId) recipients.set(s.email.toLowerCase(), { locale: s.locale, name: s.name });
    const claimed = await db.transaction(async (tx) => {
      const [row] = await tx.insert(accreditationWarnings).values({ accreditationId: a.id, daysBefore: a.days, sentAt: now }).onConflictDoNothing().returning();
      if (!row) return false;
      for (const [to, r] of recipients) {
        await queueEmail(tx, {
          to,
          locale: r.locale,
          template: "accreditation-expiry",
          props: {
            name: r.name,
            lab: r.locale === "en" ? a.labNameEn : a.labNameZh,
            instrument: (r.locale === "en" ? a.instrumentNameEn : a.instrumentNameZh) ?? "",
            kind: a.kind,
            certificateNumber: a.certificateNumber,
            validTo: a.validTo,
            days: a.days,
            url: `${siteOrigin()}/manage/labs/${a.labId}/accreditations`,
          },
        });
      }
      return true;
    });
    if (claimed) sent++;
  }
  return sent;
}
