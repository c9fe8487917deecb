// Complaints (投诉): a customer organisation files one about its booking, its charge or a lab,
// with evidence; the lab answers in the thread; a platform admin resolves it with a reason.
// Every step is one transaction that writes the change, its audit entry and its emails.
import { randomUUID } from "node:crypto";
import { and, asc, desc, eq, inArray, ne, sql, type SQL } from "drizzle-orm";
import { bookings, charges, complaintAttachments, complaintMessages, complaints, instruments, labs, memberships, organizations, users } from "../../db/schema";
import { siteOrigin } from "~/booking/calendar-entries.server";
import { getDb, type Tx } from "~/lib/db.server";
import { prepareEmailQueue, queueEmail } from "~/lib/mail.server";
import { documentType } from "~/lib/pdf";
import { storage } from "~/lib/storage.server";
import type { FieldErrors } from "~/lib/validation";
import type { Actor } from "./audit";
import { recordAudit } from "./audit.server";
import {
  ATTACHMENT_MAX_BYTES,
  attachmentExtension,
  attachmentMessages,
  attachmentProblem,
  MAX_ATTACHMENTS,
  responseFigures,
  type ComplaintForm,
  type ComplaintSide,
  type ComplaintStatus,
  type ComplaintSubject,
  type InboxFilter,
  type ResolutionForm,
} from "./complaint";

export const complaintPath = (id: string) => `/complaints/${id}`;
const isUuid = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);

export interface ComplaintSubjectRow {
  kind: ComplaintSubject;
  id: string;
  /** The complaining organisation: the booking's or charge's customer, or the filer's own for a lab. */
  organizationId: string;
  labId: string;
  labNameZh: string;
  labNameEn: string;
  /** The booking's or charge's reference; the lab's name for a lab. */
  reference: string;
  bookingId: string | null;
  chargeId: string | null;
}

/**
 * What a complaint would be about, if the filer may complain about it: a booking or charge of one
 * of their organisations, or any lab. Another company's booking or charge is null, like an unknown id.
 */
export async function complaintSubject(kind: ComplaintSubject, id: string, organizationIds: string[]): Promise<ComplaintSubjectRow | null> {
  if (!isUuid(id) || organizationIds.length === 0) return null;
  const db = await getDb();
  const labColumns = { labId: labs.id, labNameZh: labs.nameZh, labNameEn: labs.nameEn };
  if (kind === "booking") {
    const [row] = await db
      .select({ ...labColumns, organizationId: bookings.organizationId, reference: bookings.reference })
      .from(bookings)
      .innerJoin(instruments, eq(instruments.id, bookings.instrumentId))
      .innerJoin(labs, eq(labs.id, instruments.labId))
      .where(and(eq(bookings.id, id), inArray(bookings.organizationId, organizationIds)));
    return row ? { ...row, kind, id, bookingId: id, chargeId: null } : null;
  }
  if (kind === "charge") {
    const [row] = await db
      .select({ ...labColumns, organizationId: charges.customerOrganizationId, reference: charges.reference })
      .from(charges)
      .leftJoin(bookings, eq(bookings.id, charges.bookingId))
      .innerJoin(instruments, sql`${instruments.id} = coalesce(${charges.instrumentId}, ${bookings.instrumentId})`)
      .innerJoin(labs, eq(labs.id, instruments.labId))
      .where(and(eq(charges.id, id), inArray(charges.customerOrganizationId, organizationIds)));
    return row ? { ...row, kind, id, bookingId: null, chargeId: id } : null;
  }
  const [row] = await db.select(labColumns).from(labs).where(eq(labs.id, id));
  return row ? { ...row, kind, id, organizationId: organizationIds[0]!, reference: row.labNameZh, bookingId: null, chargeId: null } : null;
}

type Upload = { bytes: Uint8Array; fileName: string; contentType: keyof typeof attachmentExtension };

/** Every attachment is judged before anything is stored: one bad file refuses the whole filing. */
async function readAttachments(files: Blob[]): Promise<{ ok: true; uploads: Upload[] } | { ok: false; error: string }> {
  const given = files.filter((f) => f.size > 0);
  if (given.length > MAX_ATTACHMENTS) return { ok: false, error: attachmentMessages.too_many };
  const uploads: Upload[] = [];
  for (const file of given) {
    // The size is known before reading, so an oversized file is never read.
    const head = file.size > ATTACHMENT_MAX_BYTES ? new Uint8Array() : new Uint8Array(await file.slice(0, 16).arrayBuffer());
    const problem = attachmentProblem(file.size, head);
    if (problem) return { ok: false, error: attachmentMessages[problem] };
    const bytes = new Uint8Array(await file.arrayBuffer());
    const name = file instanceof File ? (file.name.split(/[\\/]/).pop() ?? "").slice(0, 200) : "";
    const contentType = documentType(bytes)!;
    uploads.push({ bytes, contentType, fileName: name || `attachment.${attachmentExtension[contentType]}` });
  }
  return { ok: true, uploads };
}

interface Recipient {
  email: string;
  locale: string;
  name: string;
}

/** The lab's contact address and its staff. */
async function labRecipients(tx: Tx, labId: string): Promise<Recipient[]> {
  const [lab] = await tx.select({ contactEmail: labs.contactEmail, nameZh: labs.nameZh }).from(labs).where(eq(labs.id, labId));
  const staff = await tx
    .select({ email: users.email, locale: users.locale, name: users.displayName })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.role, "lab_staff"), eq(memberships.labId, labId)));
  const byEmail = new Map<string, Recipient>();
  if (lab?.contactEmail) byEmail.set(lab.contactEmail.toLowerCase(), { email: lab.contactEmail, locale: "zh-CN", name: lab.nameZh });
  for (const s of staff) byEmail.set(s.email.toLowerCase(), s);
  return [...byEmail.values()];
}

async function filerRecipient(tx: Tx, userId: string): Promise<Recipient[]> {
  return tx.select({ email: users.email, locale: users.locale, name: users.displayName }).from(users).where(eq(users.id, userId));
}

/** The facts every email of a complaint carries, read in one statement. */
async function mailFacts(tx: Tx, complaintId: string) {
  const [row] = await tx
    .select({
      id: complaints.id,
      labId: complaints.labId,
      filedBy: complaints.filedBy,
      subjectKind: complaints.subjectKind,
      status: complaints.status,
      firstResponseAt: complaints.firstResponseAt,
      labNameZh: labs.nameZh,
      labNameEn: labs.nameEn,
      labOrganizationId: labs.organizationId,
      reference: sql<string>`coalesce(${bookings.reference}, ${charges.reference}, ${labs.nameZh})`,
    })
    .from(complaints)
    .innerJoin(labs, eq(labs.id, complaints.labId))
    .leftJoin(bookings, eq(bookings.id, complaints.bookingId))
    .leftJoin(charges, eq(charges.id, complaints.chargeId))
    .where(eq(complaints.id, complaintId))
    .for("update", { of: complaints });
  return row ?? null;
}

type MailFacts = NonNullable<Awaited<ReturnType<typeof mailFacts>>>;

async function mailStep(tx: Tx, to: Recipient[], facts: MailFacts, step: { kind: "filed" | "message" | "resolved"; text: string; resolution?: ResolutionForm["resolution"] }) {
  for (const r of to) {
    const english = r.locale === "en";
    await queueEmail(tx, {
      to: r.email,
      locale: r.locale,
      template: "complaint-update",
      props: {
        name: r.name,
        kind: step.kind,
        subjectKind: facts.subjectKind,
        reference: facts.subjectKind === "lab" && english ? facts.labNameEn : facts.reference,
        lab: english ? facts.labNameEn : facts.labNameZh,
        text: step.text,
        resolution: step.resolution ?? null,
        url: `${siteOrigin()}${complaintPath(facts.id)}`,
      },
    });
  }
}

export type FileOutcome = { ok: true; id: string } | { ok: false; errors: FieldErrors };

/**
 * Files a complaint. Refused at the field, with nothing written or stored: a subject that is not
 * the filer's organisation's (or unknown), an unusable attachment.
 */
export async function fileComplaint(input: ComplaintForm, files: Blob[], organizationIds: string[], actor: Actor, now = new Date()): Promise<FileOutcome> {
  const subject = await complaintSubject(input.subjectKind, input.subjectId, organizationIds);
  if (!subject) return { ok: false, errors: { subjectId: "complaints:validation.notYours" } };
  const read = await readAttachments(files);
  if (!read.ok) return { ok: false, errors: { attachments: read.error } };
  const id = randomUUID();
  const stored = read.uploads.map((u) => ({ ...u, id: randomUUID() }));
  const keys = stored.map((u) => `complaints/${id}/${u.id}.${attachmentExtension[u.contentType]}`);
  for (const [i, u] of stored.entries()) await storage().save(keys[i]!, u.bytes);
  await prepareEmailQueue();
  const db = await getDb();
  try {
    await db.transaction(async (tx) => {
      const row = {
        id,
        organizationId: subject.organizationId,
        filedBy: actor.userId,
        labId: subject.labId,
        subjectKind: subject.kind,
        bookingId: subject.bookingId,
        chargeId: subject.chargeId,
        body: input.body,
        filedAt: now,
      };
      await tx.insert(complaints).values(row);
      if (stored.length)
        await tx
          .insert(complaintAttachments)
          .values(stored.map((u, i) => ({ id: u.id, complaintId: id, fileKey: keys[i]!, fileName: u.fileName, contentType: u.contentType, sizeBytes: u.bytes.length })));
      const facts = (await mailFacts(tx, id))!;
      await recordAudit(tx, {
        actorUserId: actor.userId,
        organizationId: facts.labOrganizationId,
        action: "complaint.create",
        entityType: "complaint",
        entityId: id,
        before: null,
        after: { ...row, attachments: stored.map((u) => u.fileName) },
        ip: actor.ip,
        at: now,
      });
      await mailStep(tx, await labRecipients(tx, subject.labId), facts, { kind: "filed", text: input.body });
    });
  } catch (error) {
    await Promise.all(keys.map((k) => storage().remove(k)));
    throw error;
  }
  return { ok: true, id };
}

export type StepOutcome = { ok: true } | { ok: false; errors: FieldErrors };

/**
 * A step on a complaint still open: the complaint is locked and its facts handed to `step`, all in
 * one transaction with the mail queue ready. An unknown or resolved complaint changes nothing.
 */
async function unresolvedStep(complaintId: string, step: (tx: Tx, facts: MailFacts) => Promise<void>): Promise<StepOutcome> {
  await prepareEmailQueue();
  const db = await getDb();
  return db.transaction(async (tx): Promise<StepOutcome> => {
    const facts = await mailFacts(tx, complaintId);
    if (!facts) return { ok: false, errors: { _form: "complaints:validation.notFound" } };
    if (facts.status === "resolved") return { ok: false, errors: { _form: "complaints:validation.resolved" } };
    await step(tx, facts);
    return { ok: true };
  });
}

/**
 * A message in the thread, from the customer's side or the lab's. The lab's first one is its
 * response: it stamps the response time and moves the complaint to "responded". A resolved
 * complaint takes no more messages.
 */
export function postComplaintMessage(complaintId: string, side: ComplaintSide, body: string, actor: Actor, now = new Date()): Promise<StepOutcome> {
  return unresolvedStep(complaintId, async (tx, facts) => {
    const [message] = await tx.insert(complaintMessages).values({ complaintId, authorUserId: actor.userId, side, body, createdAt: now }).returning({ id: complaintMessages.id });
    const firstResponse = side === "lab" && facts.firstResponseAt === null;
    if (firstResponse) await tx.update(complaints).set({ firstResponseAt: now, status: "responded" }).where(eq(complaints.id, complaintId));
    await recordAudit(tx, {
      actorUserId: actor.userId,
      organizationId: facts.labOrganizationId,
      action: side === "lab" ? "complaint.respond" : "complaint.message",
      entityType: "complaint",
      entityId: complaintId,
      before: firstResponse ? { status: facts.status } : null,
      after: { messageId: message!.id, side, body, ...(firstResponse ? { status: "responded", firstResponseAt: now } : {}) },
      ip: actor.ip,
      at: now,
    });
    const to = side === "lab" ? await filerRecipient(tx, facts.filedBy) : await labRecipients(tx, facts.labId);
    await mailStep(tx, to, facts, { kind: "message", text: body });
  });
}

/** A platform admin's decision, with its reason; the filer and the lab are told. Decided once. */
export function resolveComplaint(complaintId: string, form: ResolutionForm, actor: Actor, now = new Date()): Promise<StepOutcome> {
  return unresolvedStep(complaintId, async (tx, facts) => {
    await tx
      .update(complaints)
      .set({ status: "resolved", resolution: form.resolution, resolutionReason: form.reason, resolvedAt: now, resolvedBy: actor.userId })
      .where(eq(complaints.id, complaintId));
    await recordAudit(tx, {
      actorUserId: actor.userId,
      organizationId: facts.labOrganizationId,
      action: "complaint.resolve",
      entityType: "complaint",
      entityId: complaintId,
      before: { status: facts.status },
      after: { status: "resolved", resolution: form.resolution, reason: form.reason },
      ip: actor.ip,
      at: now,
    });
    const to = [...(await filerRecipient(tx, facts.filedBy)), ...(await labRecipients(tx, facts.labId))];
    await mailStep(tx, to, facts, { kind: "resolved", text: form.reason, resolution: form.resolution });
  });
}

/** Who a complaint belongs to, for the authorization check; null for an unknown id. */
export async function complaintOwners(id: string) {
  if (!isUuid(id)) return null;
  const db = await getDb();
  const [row] = await db
    .select({ organizationId: complaints.organizationId, labId: complaints.labId, labOrganizationId: labs.organizationId })
    .from(complaints)
    .innerJoin(labs, eq(labs.id, complaints.labId))
    .where(eq(complaints.id, id));
  return row ?? null;
}

const listed = {
  id: complaints.id,
  subjectKind: complaints.subjectKind,
  status: complaints.status,
  resolution: complaints.resolution,
  filedAt: complaints.filedAt,
  firstResponseAt: complaints.firstResponseAt,
  resolvedAt: complaints.resolvedAt,
  body: complaints.body,
  labId: complaints.labId,
  labNameZh: labs.nameZh,
  labNameEn: labs.nameEn,
  organizationNameZh: organizations.nameZh,
  organizationNameEn: organizations.nameEn,
  reference: sql<string | null>`coalesce(${bookings.reference}, ${charges.reference})`,
};

function listQuery(where: SQL | undefined, order: "newest" | "oldest" = "newest", limit = 200) {
  return getDb().then((db) =>
    db
      .select(listed)
      .from(complaints)
      .innerJoin(labs, eq(labs.id, complaints.labId))
      .innerJoin(organizations, eq(organizations.id, complaints.organizationId))
      .leftJoin(bookings, eq(bookings.id, complaints.bookingId))
      .leftJoin(charges, eq(charges.id, complaints.chargeId))
      .where(where)
      .orderBy(order === "oldest" ? asc(complaints.filedAt) : desc(complaints.filedAt))
      .limit(limit),
  );
}

/** "My complaints": those of the viewer's customer organisations, newest first. */
export function complaintsOfOrganizations(organizationIds: string[]) {
  if (organizationIds.length === 0) return Promise.resolve([]);
  return listQuery(inArray(complaints.organizationId, organizationIds));
}

/** Per-lab figures over the given complaints' rows. */
async function figuresFor(where: SQL | undefined) {
  const db = await getDb();
  const rows = await db
    .select({ labId: complaints.labId, filedAt: complaints.filedAt, firstResponseAt: complaints.firstResponseAt, status: complaints.status, resolution: complaints.resolution })
    .from(complaints)
    .where(where);
  return responseFigures(rows);
}

/** The lab's complaints (unresolved first, then newest) and its own response-time figures. */
export async function complaintsOfLab(labId: string) {
  const where = eq(complaints.labId, labId);
  const [rows, figures] = await Promise.all([listQuery(where), figuresFor(where)]);
  const sorted = [...rows].sort((a, b) => Number(a.status === "resolved") - Number(b.status === "resolved"));
  return { complaints: sorted, figures: figures[0] ?? null };
}

/** The platform admins' inbox: filtered, newest or oldest first, with every lab's figures. */
export async function complaintInbox(filter: InboxFilter) {
  const status: SQL | undefined =
    filter.status === "unresolved" ? ne(complaints.status, "resolved") : filter.status ? eq(complaints.status, filter.status as ComplaintStatus) : undefined;
  const where = and(status, filter.labId ? eq(complaints.labId, filter.labId) : undefined, filter.subjectKind ? eq(complaints.subjectKind, filter.subjectKind) : undefined);
  const db = await getDb();
  const [rows, figures, labOptions] = await Promise.all([
    listQuery(where, filter.order ?? "newest", 500),
    figuresFor(undefined),
    db.selectDistinct({ id: labs.id, nameZh: labs.nameZh, nameEn: labs.nameEn }).from(complaints).innerJoin(labs, eq(labs.id, complaints.labId)).orderBy(labs.nameZh),
  ]);
  const names = new Map(labOptions.map((l) => [l.id, l]));
  return { complaints: rows, labs: labOptions, figures: figures.map((f) => ({ ...f, lab: names.get(f.labId)! })).sort((a, b) => b.unresolved - a.unresolved || b.filed - a.filed) };
}

/** One complaint with its subject, thread and attachments. */
export async function complaintDetail(id: string) {
  if (!isUuid(id)) return null;
  const [complaint] = await listQuery(eq(complaints.id, id), "newest", 1);
  if (!complaint) return null;
  const db = await getDb();
  const [[facts], messages, attachments] = await Promise.all([
    db
      .select({
        bookingId: complaints.bookingId,
        chargeId: complaints.chargeId,
        resolutionReason: complaints.resolutionReason,
        filerName: users.displayName,
        labSlug: labs.slug,
        resolverName: sql<string | null>`(select display_name from users r where r.id = ${complaints.resolvedBy})`,
      })
      .from(complaints)
      .innerJoin(users, eq(users.id, complaints.filedBy))
      .innerJoin(labs, eq(labs.id, complaints.labId))
      .where(eq(complaints.id, id)),
    db
      .select({ id: complaintMessages.id, side: complaintMessages.side, body: complaintMessages.body, createdAt: complaintMessages.createdAt, authorName: users.displayName })
      .from(complaintMessages)
      .innerJoin(users, eq(users.id, complaintMessages.authorUserId))
      .where(eq(complaintMessages.complaintId, id))
      .orderBy(asc(complaintMessages.createdAt)),
    db
      .select({ id: complaintAttachments.id, fileName: complaintAttachments.fileName, contentType: complaintAttachments.contentType, sizeBytes: complaintAttachments.sizeBytes })
      .from(complaintAttachments)
      .where(eq(complaintAttachments.complaintId, id))
      .orderBy(asc(complaintAttachments.fileName)),
  ]);
  return { complaint: { ...complaint, ...facts! }, messages, attachments };
}

/** One attachment of one complaint; another complaint's attachment id finds nothing. */
export async function readComplaintAttachment(complaintId: string, attachmentId: string) {
  if (!isUuid(complaintId) || !isUuid(attachmentId)) return null;
  const db = await getDb();
  const [row] = await db
    .select({ key: complaintAttachments.fileKey, fileName: complaintAttachments.fileName, contentType: complaintAttachments.contentType })
    .from(complaintAttachments)
    .where(and(eq(complaintAttachments.id, attachmentId), eq(complaintAttachments.complaintId, complaintId)));
  if (!row) return null;
  const bytes = await storage().read(row.key);
  return bytes ? { bytes, fileName: row.fileName, contentType: row.contentType } : null;
}

/** Upheld complaints against a lab resolved since a date: a line of the provider's credit record. */
export async function upheldComplaintsOfLab(labId: string, since: Date): Promise<number> {
  const db = await getDb();
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(complaints)
    .where(and(eq(complaints.labId, labId), eq(complaints.resolution, "upheld"), sql`${complaints.resolvedAt} >= ${since.toISOString()}::timestamptz`));
  return row?.n ?? 0;
}
