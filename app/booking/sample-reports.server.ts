// A sample job's report: the PDF lab staff upload while testing, its issue to the customer (with
// the "report ready" email in the same transaction) and reading it back for the download route.
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { bookings, instruments, sampleJobs, users } from "../../db/schema";
import { linkBase } from "~/catalogue/onboarding.server";
import { getDb } from "~/lib/db.server";
import { prepareEmailQueue, queueEmail } from "~/lib/mail.server";
import { readPdfUpload, type PdfProblem } from "~/lib/pdf";
import { storage } from "~/lib/storage.server";
import { recordAudit } from "~/trust/audit.server";
import { REPORT_MAX_BYTES } from "./sample-form";
import { canUploadReport, sampleJobReasonRequired, sampleStep, type SampleJobTransition } from "./sample-states";
import { applyTransition, type Machine, type TransitionInput, type TransitionResult } from "./transitions.server";

const machine: Machine<SampleJobTransition> = { kind: "sample_job", step: sampleStep, reasonRequired: sampleJobReasonRequired };

// Chosen by the app from the booking id and a fresh uuid: nothing a user sends ends up in the path.
const reportKey = (bookingId: string) => `sample-reports/${bookingId}/${randomUUID()}.pdf`;

export type UploadReportResult =
  | { ok: true }
  | { ok: false; reason: "not_found" | "invalid_transition" }
  | { ok: false; reason: PdfProblem };

/**
 * Stores the report PDF of a job being tested (judged by its bytes and size), replacing an earlier
 * upload. The file is written first and removed again when the job can't take it.
 */
export async function uploadReport(input: { bookingId: string; actorUserId: string; file: Blob | null }, now: Date): Promise<UploadReportResult> {
  const upload = await readPdfUpload(input.file, REPORT_MAX_BYTES);
  if (!upload.ok) return { ok: false, reason: upload.problem };
  const key = reportKey(input.bookingId);
  await storage().save(key, upload.bytes);
  const db = await getDb();
  let result: UploadReportResult & { replaced?: string | null };
  try {
    result = await db.transaction(async (tx) => {
      const [job] = await tx
        .select({ status: bookings.status, kind: bookings.kind, previousKey: sampleJobs.reportFileKey, labOrganizationId: instruments.organizationId })
        .from(bookings)
        .innerJoin(sampleJobs, eq(sampleJobs.bookingId, bookings.id))
        .innerJoin(instruments, eq(instruments.id, bookings.instrumentId))
        .where(eq(bookings.id, input.bookingId))
        .for("update", { of: bookings });
      if (!job) return { ok: false, reason: "not_found" } as const;
      if (!canUploadReport(job.status)) return { ok: false, reason: "invalid_transition" } as const;
      const file = { reportFileKey: key, reportFileName: upload.fileName.slice(0, 200) || "report.pdf", reportSizeBytes: upload.bytes.length, reportUploadedAt: now };
      await tx.update(sampleJobs).set(file).where(eq(sampleJobs.bookingId, input.bookingId));
      await recordAudit(tx, {
        actorUserId: input.actorUserId,
        organizationId: job.labOrganizationId,
        action: "sample_report.upload",
        entityType: "booking",
        entityId: input.bookingId,
        before: job.previousKey ? { reportFileKey: job.previousKey } : null,
        after: file,
        at: now,
      });
      return { ok: true, replaced: job.previousKey } as const;
    });
  } catch (error) {
    await storage().remove(key);
    throw error;
  }
  if (!result.ok) {
    await storage().remove(key);
    return result;
  }
  if (result.replaced) await storage().remove(result.replaced);
  return { ok: true };
}

export type IssueReportResult = TransitionResult | { ok: false; reason: "report_missing" };

/**
 * Issues the uploaded report: the job moves to report_issued, the turnaround clock stops, and the
 * customer's "report ready" email is queued in the same transaction. `origin` makes the email's link.
 */
export async function issueReport(input: TransitionInput & { origin: string }, now: Date): Promise<IssueReportResult> {
  await prepareEmailQueue();
  return applyTransition(machine, "issueReport", input, now, async (tx, bookingId) => {
    const [job] = await tx
      .select({
        reportFileKey: sampleJobs.reportFileKey,
        samplesReceivedAt: sampleJobs.samplesReceivedAt,
        reference: bookings.reference,
        instrumentNameZh: instruments.nameZh,
        instrumentNameEn: instruments.nameEn,
        email: users.email,
        name: users.displayName,
        locale: users.locale,
      })
      .from(sampleJobs)
      .innerJoin(bookings, eq(bookings.id, sampleJobs.bookingId))
      .innerJoin(instruments, eq(instruments.id, bookings.instrumentId))
      .innerJoin(users, eq(users.id, bookings.userId))
      .where(eq(sampleJobs.bookingId, bookingId));
    if (!job?.reportFileKey) return { ok: false, reason: "report_missing" as const };
    // A receipt time entered a few minutes ahead of the server clock must not make turnaround negative.
    const issuedAt = new Date(Math.max(now.getTime(), job.samplesReceivedAt?.getTime() ?? 0));
    await tx.update(sampleJobs).set({ reportIssuedAt: issuedAt }).where(eq(sampleJobs.bookingId, bookingId));
    await queueEmail(tx, {
      to: job.email,
      locale: job.locale,
      template: "sample-report-ready",
      props: {
        name: job.name,
        reference: job.reference,
        instrument: job.locale === "en" ? job.instrumentNameEn : job.instrumentNameZh,
        url: `${linkBase(input.origin)}/bookings/${bookingId}`,
      },
    });
  });
}

/**
 * The report's bytes and the download name made from the reference (never the uploaded name);
 * `issuedOnly` hides a report the lab has not issued yet. Null when there is nothing to serve.
 */
export async function readReport(bookingId: string, options: { issuedOnly: boolean }) {
  const db = await getDb();
  const [job] = await db
    .select({ key: sampleJobs.reportFileKey, issuedAt: sampleJobs.reportIssuedAt, reference: bookings.reference })
    .from(sampleJobs)
    .innerJoin(bookings, eq(bookings.id, sampleJobs.bookingId))
    .where(eq(sampleJobs.bookingId, bookingId));
  if (!job?.key || (options.issuedOnly && !job.issuedAt)) return null;
  const bytes = await storage().read(job.key);
  return bytes ? { bytes, fileName: `${job.reference}-report.pdf` } : null;
}
