// Sample jobs (送样检测): the customer's request and the lab's steps, each one function in one
// transaction through the shared transition runner, so every state change is a booking event.
import { and, eq, sql } from "drizzle-orm";
import { bookings, instruments, labs, sampleJobSamples, sampleJobs, usageRecords } from "../../db/schema";
import { zonedInstant } from "~/availability/free-intervals";
import { getDb, type Tx } from "~/lib/db.server";
import { recordAudit } from "~/trust/audit.server";
import { recordBookingEvent } from "./events.server";
import { effectiveMinutes, type SampleJobForm } from "./sample-form";
import { canRecordTime, sampleJobReasonRequired, sampleStep, type SampleJobTransition } from "./sample-states";
import { applyTransition, type Machine, type TransitionInput, type TransitionResult } from "./transitions.server";

const machine: Machine<SampleJobTransition> = { kind: "sample_job", step: sampleStep, reasonRequired: sampleJobReasonRequired };

export type RequestSampleJobResult = { ok: true; bookingId: string; reference: string; created: boolean } | { ok: false; reason: "instrument_unavailable" };

function uniqueViolation(error: unknown): boolean {
  for (let e: any = error; e; e = e.cause) if (e.code === "23505") return true;
  return false;
}

async function jobByRequestKey(tx: Tx, requestKey: string) {
  const [row] = await tx
    .select({ bookingId: bookings.id, reference: bookings.reference })
    .from(sampleJobs)
    .innerJoin(bookings, eq(bookings.id, sampleJobs.bookingId))
    .where(eq(sampleJobs.requestKey, requestKey))
    .limit(1);
  return row ?? null;
}

/**
 * Files a sample job on a published instrument that takes samples. One transaction; the form's
 * request key makes a resubmission return the job it already made.
 */
export async function requestSampleJob(
  request: SampleJobForm & { instrumentId: string; userId: string; organizationId: string },
  now: Date,
): Promise<RequestSampleJobResult> {
  const db = await getDb();
  try {
    return await db.transaction(async (tx): Promise<RequestSampleJobResult> => {
      const existing = await jobByRequestKey(tx, request.requestKey);
      if (existing) return { ok: true, ...existing, created: false };
      const [instrument] = await tx
        .select({ id: instruments.id })
        .from(instruments)
        .where(
          and(
            eq(instruments.id, request.instrumentId),
            eq(instruments.status, "published"),
            sql`'sample_submission' = any(${instruments.serviceModes})`,
          ),
        );
      if (!instrument) return { ok: false, reason: "instrument_unavailable" };
      const [booking] = await tx
        .insert(bookings)
        .values({
          instrumentId: request.instrumentId,
          organizationId: request.organizationId,
          userId: request.userId,
          kind: "sample_job",
          status: "requested",
          purpose: request.purpose,
          projectReference: request.projectReference,
          serviceMode: "sample_submission",
          createdAt: now,
          updatedAt: now,
        })
        .returning({ id: bookings.id, reference: bookings.reference });
      await tx.insert(sampleJobs).values({ bookingId: booking!.id, requestKey: request.requestKey, remains: request.remains });
      await tx.insert(sampleJobSamples).values(request.samples.map((s, i) => ({ ...s, bookingId: booking!.id, position: i + 1 })));
      await recordBookingEvent(tx, { bookingId: booking!.id, kind: "sample_job", actorUserId: request.userId, fromStatus: null, toStatus: "requested", at: now });
      return { ok: true, bookingId: booking!.id, reference: booking!.reference, created: true };
    });
  } catch (error) {
    // The same form sent twice at once: the request key lets one in; answer with it.
    if (!uniqueViolation(error)) throw error;
    const existing = await jobByRequestKey(db, request.requestKey);
    if (!existing) throw error;
    return { ok: true, ...existing, created: false };
  }
}

/** Lab staff take the job on. */
export const acceptSampleJob = (input: TransitionInput, now: Date) => applyTransition(machine, "accept", input, now);
/** Lab staff decline the job; the reason is required and shown to the customer. */
export const rejectSampleJob = (input: TransitionInput & { reason: string }, now: Date) => applyTransition(machine, "reject", input, now);
/** The customer (or the lab) withdraws the job before the samples arrive. */
export const cancelSampleJob = (input: TransitionInput, now: Date) => applyTransition(machine, "cancel", input, now);
/** The system closes a request the lab did not answer in time. */
export const expireSampleJob = (input: Omit<TransitionInput, "actorUserId">, now: Date) => applyTransition(machine, "expire", { ...input, actorUserId: null }, now);
/** Lab staff start measuring the received samples. */
export const startTesting = (input: TransitionInput, now: Date) => applyTransition(machine, "startTesting", input, now);
/** The customer has the report: the job is done on the lab's side (settlement follows). */
export const completeSampleJob = (input: TransitionInput, now: Date) => applyTransition(machine, "complete", input, now);

/** A wall-clock "YYYY-MM-DDTHH:mm" of the lab's zone as an instant. */
export function labInstant(wallClock: string, zone: string): Date {
  const [date, time] = wallClock.split("T");
  const [year, month, day] = date!.split("-").map(Number);
  const [hour, minute] = time!.split(":").map(Number);
  return zonedInstant({ year: year!, month: month!, day: day! }, hour! * 60 + minute!, zone);
}

/** A few minutes of clock difference between staff devices and the server are not "the future". */
const CLOCK_SKEW_MS = 5 * 60_000;

async function jobTimes(tx: Tx, bookingId: string) {
  const [row] = await tx
    .select({ createdAt: bookings.createdAt, zone: labs.timeZone, labOrganizationId: labs.organizationId, instrumentId: bookings.instrumentId, organizationId: bookings.organizationId, userId: bookings.userId })
    .from(bookings)
    .innerJoin(instruments, eq(instruments.id, bookings.instrumentId))
    .innerJoin(labs, eq(labs.id, instruments.labId))
    .where(eq(bookings.id, bookingId));
  return row!;
}

export type ReceiveResult = TransitionResult | { ok: false; reason: "received_at_invalid" };

/** Lab staff note that the samples arrived: when (lab wall-clock time) and in what condition. */
export function receiveSamples(input: TransitionInput & { receivedAt: string; condition: string }, now: Date): Promise<ReceiveResult> {
  return applyTransition(machine, "receiveSamples", input, now, async (tx, bookingId) => {
    const job = await jobTimes(tx, bookingId);
    const receivedAt = labInstant(input.receivedAt, job.zone);
    if (receivedAt.getTime() > now.getTime() + CLOCK_SKEW_MS || receivedAt.getTime() < job.createdAt.getTime() - CLOCK_SKEW_MS)
      return { ok: false, reason: "received_at_invalid" as const };
    await tx.update(sampleJobs).set({ samplesReceivedAt: receivedAt, receivedCondition: input.condition.trim() }).where(eq(sampleJobs.bookingId, bookingId));
  });
}

export type IssueResult = TransitionResult | { ok: false; reason: "report_missing" };

export interface InstrumentTime {
  startedAt: string;
  preparationMinutes: number;
  measurementMinutes: number;
  postProcessingMinutes: number;
  samplesCount: number;
  note: string;
}

export type RecordTimeResult =
  | { ok: true; usageRecordId: string; effectiveMinutes: number }
  | { ok: false; reason: "not_found" | "invalid_transition" | "started_at_invalid" };

/**
 * Writes the job's usage record (使用记录) from the instrument time lab staff enter; entering it
 * again replaces the figures, so the job has one record whatever the number of submits.
 */
export async function recordSampleJobTime(input: { bookingId: string; actorUserId: string } & InstrumentTime, now: Date): Promise<RecordTimeResult> {
  const db = await getDb();
  return db.transaction(async (tx): Promise<RecordTimeResult> => {
    const [booking] = await tx.select({ status: bookings.status, kind: bookings.kind }).from(bookings).where(eq(bookings.id, input.bookingId)).for("update");
    if (!booking) return { ok: false, reason: "not_found" };
    if (booking.kind !== "sample_job" || !canRecordTime(booking.status)) return { ok: false, reason: "invalid_transition" };
    const job = await jobTimes(tx, input.bookingId);
    const startedAt = labInstant(input.startedAt, job.zone);
    const total = effectiveMinutes(input);
    const endedAt = new Date(startedAt.getTime() + total * 60_000);
    if (endedAt.getTime() > now.getTime() + CLOCK_SKEW_MS || startedAt.getTime() < job.createdAt.getTime() - CLOCK_SKEW_MS)
      return { ok: false, reason: "started_at_invalid" };
    const figures = {
      operatorUserId: input.actorUserId,
      startedAt,
      endedAt,
      preparationMinutes: input.preparationMinutes,
      measurementMinutes: input.measurementMinutes,
      postProcessingMinutes: input.postProcessingMinutes,
      samplesCount: input.samplesCount,
      note: input.note,
      recordedBy: input.actorUserId,
      recordedAt: now,
    };
    const [before] = await tx.select().from(usageRecords).where(eq(usageRecords.bookingId, input.bookingId));
    const [record] = await tx
      .insert(usageRecords)
      .values({ bookingId: input.bookingId, instrumentId: job.instrumentId, organizationId: job.organizationId, userId: job.userId, ...figures })
      .onConflictDoUpdate({ target: usageRecords.bookingId, set: figures })
      .returning();
    await recordAudit(tx, {
      actorUserId: input.actorUserId,
      organizationId: job.labOrganizationId,
      action: before ? "usage.update" : "usage.record",
      entityType: "usage_record",
      entityId: record!.id,
      before: before ?? null,
      after: record,
      at: now,
    });
    return { ok: true, usageRecordId: record!.id, effectiveMinutes: total };
  });
}
