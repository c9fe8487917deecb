// Requesting a slot: validated by the pure engine against rules, closures, live bookings and
// settings read in the same transaction; the exclusion constraint is the final judge, and losing
// to it is an ordinary answer with alternatives, never an error page.
import { and, eq, inArray, sql } from "drizzle-orm";
import { bookings, formatPeriod, instruments } from "../../db/schema";
import { liveBookingStatuses, type BookingStatus } from "../../db/schema/booking-vocabulary";
import type { ServiceMode } from "../../db/schema/vocabulary";
import { freeIntervals } from "~/availability/free-intervals";
import { availabilityInputs, type AvailabilityInputs } from "~/availability/inputs.server";
import { fitsRequest, offeredSlots, type FitResult } from "~/availability/slots";
import type { Interval } from "~/availability/types";
import { getDb, type Tx } from "~/lib/db.server";
import { recordBookingEvent } from "./events.server";

const DAY_MS = 86_400_000;

export interface SlotRequest {
  instrumentId: string;
  userId: string;
  /** The customer organisation the booking is for. */
  organizationId: string;
  start: Date;
  end: Date;
  purpose: string;
  projectReference?: string;
  serviceMode?: ServiceMode | null;
  /** The client's address (for the audit log). */
  ip?: string | null;
}

export interface BookingSummary {
  id: string;
  reference: string;
  status: BookingStatus;
  period: Interval;
}

export type RequestRefusal = Extract<FitResult, { ok: false }>["reason"] | "instrument_unavailable";

export type RequestSlotResult =
  | { ok: true; booking: BookingSummary; created: boolean }
  | { ok: false; reason: RequestRefusal }
  | { ok: false; reason: "slot_taken"; alternatives: Interval[] };

/** Postgres' exclusion_violation, whichever driver (postgres.js, PGlite) and wrapper (drizzle) raised it. */
function isExclusionViolation(error: unknown): boolean {
  for (let e: any = error; e; e = e.cause) if (e.code === "23P01") return true;
  return false;
}

/** Free time around the request, wide enough to offer alternatives on nearby days. */
const windowAround = (request: Interval): Interval => ({
  start: new Date(request.start.getTime() - 7 * DAY_MS),
  end: new Date(request.end.getTime() + 14 * DAY_MS),
});

function freeOf(inputs: AvailabilityInputs, window: Interval, now: Date, withBusy: boolean) {
  return freeIntervals({
    rules: inputs.rules,
    closures: inputs.closures,
    busy: withBusy ? inputs.busy : [],
    window,
    zone: inputs.zone,
    holidays: { observeChineseHolidays: inputs.settings.observeChineseHolidays },
    settings: inputs.settings,
    now,
  });
}

/** The next three slots of the requested length from its start on, else the latest before it. */
function alternativesFor(inputs: AvailabilityInputs, request: Interval, now: Date): Interval[] {
  const minutes = (request.end.getTime() - request.start.getTime()) / 60_000;
  const slots = offeredSlots(freeOf(inputs, windowAround(request), now, true), inputs.settings, inputs.zone, minutes);
  const after = slots.filter((s) => s.start.getTime() >= request.start.getTime());
  const before = slots.filter((s) => s.start.getTime() < request.start.getTime());
  const fromBefore = Math.max(0, 3 - after.length);
  return [...before.slice(Math.max(0, before.length - fromBefore)), ...after.slice(0, 3)];
}

/** The same user's identical live booking: a repeated submit returns it instead of a conflict. */
async function sameLiveBooking(tx: Tx, request: SlotRequest): Promise<BookingSummary | null> {
  const [row] = await tx
    .select({ id: bookings.id, reference: bookings.reference, status: bookings.status, period: bookings.period })
    .from(bookings)
    .where(
      and(
        eq(bookings.instrumentId, request.instrumentId),
        eq(bookings.userId, request.userId),
        inArray(bookings.status, [...liveBookingStatuses]),
        sql`${bookings.period} = ${formatPeriod(request)}::tstzrange`,
      ),
    )
    .limit(1);
  return row ? { ...row, period: row.period! } : null;
}

type Attempt = RequestSlotResult | { ok: false; reason: "conflict" };

async function attempt(request: SlotRequest, now: Date): Promise<Attempt> {
  // A reversed or invalid period is not a range Postgres can hold: refuse it before any query.
  if (!(request.end.getTime() > request.start.getTime())) return { ok: false, reason: "too_short" };
  const db = await getDb();
  try {
    return await db.transaction(async (tx): Promise<Attempt> => {
      const inputs = (await availabilityInputs(tx, [request.instrumentId], windowAround(request))).get(request.instrumentId);
      if (!inputs || inputs.status !== "published") return { ok: false, reason: "instrument_unavailable" };
      const existing = await sameLiveBooking(tx, request);
      if (existing) return { ok: true, booking: existing, created: false };
      const fit = fitsRequest(freeOf(inputs, windowAround(request), now, true), request, inputs.settings, { now, zone: inputs.zone });
      if (!fit.ok) {
        // Free but for live bookings and their buffers: someone else holds the time.
        const open = fitsRequest(freeOf(inputs, windowAround(request), now, false), request, inputs.settings, { now, zone: inputs.zone });
        return open.ok ? { ok: false, reason: "conflict" } : fit;
      }
      const status: BookingStatus = inputs.settings.approvalMode === "never" ? "confirmed" : "requested";
      const [booking] = await tx
        .insert(bookings)
        .values({
          instrumentId: request.instrumentId,
          organizationId: request.organizationId,
          userId: request.userId,
          kind: "slot",
          status,
          period: { start: request.start, end: request.end },
          purpose: request.purpose,
          projectReference: request.projectReference ?? "",
          serviceMode: request.serviceMode ?? null,
          createdAt: now,
          updatedAt: now,
        })
        .returning({ id: bookings.id, reference: bookings.reference, status: bookings.status, period: bookings.period });
      await recordBookingEvent(tx, { bookingId: booking!.id, actorUserId: request.userId, fromStatus: null, toStatus: status, at: now, ip: request.ip });
      return { ok: true, booking: { ...booking!, period: booking!.period! }, created: true };
    });
  } catch (error) {
    if (isExclusionViolation(error)) return { ok: false, reason: "conflict" };
    throw error;
  }
}

/**
 * Asks for (or, when the instrument needs no approval, books) a slot. One transaction; a
 * repeated identical request returns the booking it made. Losing a race answers `slot_taken`
 * with the nearest free alternatives, read after the winner committed.
 */
export async function requestSlot(request: SlotRequest, now: Date): Promise<RequestSlotResult> {
  const result = await attempt(request, now);
  if (result.ok || result.reason !== "conflict") return result;
  const db = await getDb();
  const existing = await sameLiveBooking(db, request);
  if (existing) return { ok: true, booking: existing, created: false };
  const inputs = (await availabilityInputs(db, [request.instrumentId], windowAround(request))).get(request.instrumentId)!;
  return { ok: false, reason: "slot_taken", alternatives: alternativesFor(inputs, request, now) };
}

/** Who a booking concerns, so a route can authorise before any command: null for a bad or unknown id. */
export async function bookingScope(bookingId: string) {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(bookingId)) return null;
  const db = await getDb();
  const [row] = await db
    .select({ labId: instruments.labId, instrumentId: bookings.instrumentId, organizationId: bookings.organizationId, userId: bookings.userId })
    .from(bookings)
    .innerJoin(instruments, eq(instruments.id, bookings.instrumentId))
    .where(eq(bookings.id, bookingId))
    .limit(1);
  return row ?? null;
}
