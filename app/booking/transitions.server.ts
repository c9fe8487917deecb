// The booking transitions after a request (DESIGN.md §6): one function each, one transaction
// each, each writing exactly one booking_events row when it changes something. Repeating a
// transition that already happened is a no-op; one that doesn't apply changes nothing.
import { and, desc, eq } from "drizzle-orm";
import { z } from "zod";
import { bookingEvents, bookings, usageRecords } from "../../db/schema";
import type { BookingKind, BookingStatus } from "../../db/schema/booking-vocabulary";
import { getDb, type Tx } from "~/lib/db.server";
import { recordBookingEvent } from "./events.server";
import { prepareBookingMessages } from "./messages.server";
import { reasonRequired, step, type Step, type Transition } from "./states";
import { lateStartMinutes, type UsageInput } from "./usage";

export interface TransitionInput {
  bookingId: string;
  /** Null when the system acts (expiry, no-show job). */
  actorUserId: string | null;
  reason?: string | null;
  /** The client's address when a person acts (for the audit log). */
  ip?: string | null;
}

export type TransitionResult =
  | { ok: true; status: BookingStatus; changed: boolean }
  | { ok: false; reason: "not_found" | "invalid_transition" | "reason_required" };

/** One kind's state machine: its step function and the transitions that must say why. */
export interface Machine<T extends string> {
  kind: BookingKind;
  step: (current: BookingStatus, transition: T) => Step;
  reasonRequired: ReadonlySet<T>;
}

/**
 * What a transition writes besides the status, in its transaction, after the step is known to
 * change something; it may refuse (before writing) with a reason of its own.
 */
export type TransitionEffect<R extends string> = (tx: Tx, bookingId: string) => Promise<{ ok: false; reason: R } | void>;

export async function applyTransition<T extends string, R extends string = never>(
  machine: Machine<T>,
  transition: T,
  input: TransitionInput,
  now: Date,
  effect?: TransitionEffect<R>,
): Promise<TransitionResult | { ok: false; reason: R }> {
  if (!z.string().uuid().safeParse(input.bookingId).success) return { ok: false, reason: "not_found" };
  const reason = input.reason?.trim() || null;
  if (machine.reasonRequired.has(transition) && !reason) return { ok: false, reason: "reason_required" };
  await prepareBookingMessages();
  const db = await getDb();
  return db.transaction(async (tx) => {
    // The row lock orders concurrent transitions of one booking: the second sees the first's result.
    const [booking] = await tx
      .select({ status: bookings.status, kind: bookings.kind })
      .from(bookings)
      .where(eq(bookings.id, input.bookingId))
      .for("update");
    if (!booking) return { ok: false, reason: "not_found" } as const;
    // A slot command never moves a sample job, nor the other way round.
    if (booking.kind !== machine.kind) return { ok: false, reason: "invalid_transition" } as const;
    const next = machine.step(booking.status, transition);
    if (!next.ok) return next;
    if (!next.changed) return { ok: true, status: next.to, changed: false } as const;
    const refusal = effect ? await effect(tx, input.bookingId) : undefined;
    if (refusal) return refusal;
    await tx.update(bookings).set({ status: next.to, updatedAt: now }).where(eq(bookings.id, input.bookingId));
    await recordBookingEvent(tx, {
      bookingId: input.bookingId,
      kind: booking.kind,
      actorUserId: input.actorUserId,
      fromStatus: booking.status,
      toStatus: next.to,
      reason,
      at: now,
      ip: input.ip,
    });
    return { ok: true, status: next.to, changed: true } as const;
  });
}

const slots: Machine<Transition> = { kind: "slot", step, reasonRequired };
const apply = (transition: Transition, input: TransitionInput, now: Date): Promise<TransitionResult> => applyTransition(slots, transition, input, now);

/** Lab staff accept a request. */
export const approve = (input: TransitionInput, now: Date) => apply("approve", input, now);
/** Lab staff refuse a request; the reason is required and shown to the customer. */
export const reject = (input: TransitionInput & { reason: string }, now: Date) => apply("reject", input, now);
/** The customer or the lab withdraws a requested or confirmed booking. */
export const cancel = (input: TransitionInput, now: Date) => apply("cancel", input, now);
/** The system closes a request the lab did not answer in time. */
export const expire = (input: Omit<TransitionInput, "actorUserId">, now: Date) => apply("expire", { ...input, actorUserId: null }, now);
export const checkIn = (input: TransitionInput, now: Date) => apply("checkIn", input, now);
/**
 * Completes a booking in use; the usage record is required and written in the same transaction,
 * before the event, so the reactions to `completed` (charges) read it. Its late start is measured
 * from the check-in event against the booked start.
 */
export const checkOut = (input: TransitionInput & { usage: UsageInput }, now: Date): Promise<TransitionResult> =>
  applyTransition(slots, "checkOut", input, now, async (tx, bookingId) => {
    const [booking] = await tx
      .select({ instrumentId: bookings.instrumentId, organizationId: bookings.organizationId, userId: bookings.userId, period: bookings.period })
      .from(bookings)
      .where(eq(bookings.id, bookingId));
    const [checkedIn] = await tx
      .select({ at: bookingEvents.at })
      .from(bookingEvents)
      .where(and(eq(bookingEvents.bookingId, bookingId), eq(bookingEvents.toStatus, "in_use")))
      .orderBy(desc(bookingEvents.at))
      .limit(1);
    await tx.insert(usageRecords).values({
      bookingId,
      instrumentId: booking!.instrumentId,
      organizationId: booking!.organizationId,
      userId: booking!.userId,
      ...input.usage,
      lateStartMinutes: booking!.period && checkedIn ? lateStartMinutes(booking!.period.start, checkedIn.at) : 0,
      recordedBy: input.actorUserId,
      recordedAt: now,
    });
  });
export const markNoShow = (input: TransitionInput, now: Date) => apply("markNoShow", input, now);

/** A booking's events, oldest first (audit view and tests). */
export async function bookingHistory(bookingId: string) {
  const db = await getDb();
  return db
    .select()
    .from(bookingEvents)
    .where(eq(bookingEvents.bookingId, bookingId))
    .orderBy(bookingEvents.at);
}
