// Reading sample jobs: one job with its lines, receipt, instrument time and report (customer and
// lab pages) and the lab's open jobs.
import { and, asc, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { bookings, instruments, labs, organizations, sampleJobSamples, sampleJobs, usageRecords, users } from "../../db/schema";
import { getDb } from "~/lib/db.server";
import { openSampleJobStatuses, turnaroundMinutes } from "./sample-states";

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** A sample job with everything its pages show; null for a bad or unknown id, or a slot booking. */
export async function sampleJobDetail(bookingId: string) {
  if (!z.string().uuid().safeParse(bookingId).success) return null;
  const db = await getDb();
  const [[job], lines, [usage]] = await Promise.all([
    db
      .select({
        id: bookings.id,
        reference: bookings.reference,
        status: bookings.status,
        purpose: bookings.purpose,
        projectReference: bookings.projectReference,
        userId: bookings.userId,
        organizationId: bookings.organizationId,
        createdAt: bookings.createdAt,
        remains: sampleJobs.remains,
        samplesReceivedAt: sampleJobs.samplesReceivedAt,
        receivedCondition: sampleJobs.receivedCondition,
        reportFileName: sampleJobs.reportFileName,
        reportSizeBytes: sampleJobs.reportSizeBytes,
        reportUploadedAt: sampleJobs.reportUploadedAt,
        reportIssuedAt: sampleJobs.reportIssuedAt,
        instrument: { slug: instruments.slug, nameZh: instruments.nameZh, nameEn: instruments.nameEn, model: instruments.model },
        labId: labs.id,
        zone: labs.timeZone,
        customerName: users.displayName,
        customerEmail: users.email,
        organizationNameZh: organizations.nameZh,
        organizationNameEn: organizations.nameEn,
      })
      .from(sampleJobs)
      .innerJoin(bookings, eq(bookings.id, sampleJobs.bookingId))
      .innerJoin(instruments, eq(instruments.id, bookings.instrumentId))
      .innerJoin(labs, eq(labs.id, instruments.labId))
      .innerJoin(users, eq(users.id, bookings.userId))
      .innerJoin(organizations, eq(organizations.id, bookings.organizationId))
      .where(eq(sampleJobs.bookingId, bookingId)),
    db
      .select({
        position: sampleJobSamples.position,
        name: sampleJobSamples.name,
        count: sampleJobSamples.count,
        matrix: sampleJobSamples.matrix,
        hazards: sampleJobSamples.hazards,
        hazardNote: sampleJobSamples.hazardNote,
        requiredTests: sampleJobSamples.requiredTests,
      })
      .from(sampleJobSamples)
      .where(eq(sampleJobSamples.bookingId, bookingId))
      .orderBy(asc(sampleJobSamples.position)),
    db
      .select({
        startedAt: usageRecords.startedAt,
        preparationMinutes: usageRecords.preparationMinutes,
        measurementMinutes: usageRecords.measurementMinutes,
        postProcessingMinutes: usageRecords.postProcessingMinutes,
        samplesCount: usageRecords.samplesCount,
        note: usageRecords.note,
      })
      .from(usageRecords)
      .where(eq(usageRecords.bookingId, bookingId)),
  ]);
  if (!job) return null;
  return {
    ...job,
    createdAt: job.createdAt.toISOString(),
    samplesReceivedAt: iso(job.samplesReceivedAt),
    reportUploadedAt: iso(job.reportUploadedAt),
    reportIssuedAt: iso(job.reportIssuedAt),
    turnaroundMinutes: turnaroundMinutes(job.samplesReceivedAt, job.reportIssuedAt),
    lines,
    usage: usage ? { ...usage, startedAt: usage.startedAt.toISOString() } : null,
  };
}

export type SampleJobView = NonNullable<Awaited<ReturnType<typeof sampleJobDetail>>>;

/** The lab's sample jobs still in its hands (requested … report issued), oldest first; one statement. */
export async function labSampleJobs(labId: string) {
  const db = await getDb();
  const rows = await db
    .select({
      id: bookings.id,
      reference: bookings.reference,
      status: bookings.status,
      createdAt: bookings.createdAt,
      samplesReceivedAt: sampleJobs.samplesReceivedAt,
      instrumentNameZh: instruments.nameZh,
      instrumentNameEn: instruments.nameEn,
      organizationNameZh: organizations.nameZh,
      organizationNameEn: organizations.nameEn,
      organizationVerifiedAt: organizations.verifiedAt,
      userName: users.displayName,
    })
    .from(sampleJobs)
    .innerJoin(bookings, eq(bookings.id, sampleJobs.bookingId))
    .innerJoin(instruments, eq(instruments.id, bookings.instrumentId))
    .innerJoin(organizations, eq(organizations.id, bookings.organizationId))
    .innerJoin(users, eq(users.id, bookings.userId))
    .where(and(eq(instruments.labId, labId), inArray(bookings.status, [...openSampleJobStatuses])))
    .orderBy(asc(bookings.createdAt), asc(bookings.reference))
    .limit(500);
  return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString(), samplesReceivedAt: iso(r.samplesReceivedAt) }));
}
