// Every booking state change goes through recordBookingEvent: it writes the booking_events row and
// lets the other areas react in the same transaction (mail, calendar invites, charges, audit), so
// a change and its consequences commit or roll back together.
import { sql } from "drizzle-orm";
import { bookingEvents } from "../../db/schema";
import type { BookingKind, BookingStatus } from "../../db/schema/booking-vocabulary";
import { builtOnce, pipelined, type Tx } from "~/lib/db.server";
import { auditBookingEvent } from "~/trust/audit.server";
import { billBookingEvent } from "~/billing/booking-events.server";
import { applyCreditRules } from "~/trust/credit.server";
import { bookingMessages } from "./messages.server";

export interface BookingEventFact {
  bookingId: string;
  /** A sample job holds no slot: it has no calendar invite, booking message or waitlist. */
  kind: BookingKind;
  /** Null when the system acted (expiry, no-show job). */
  actorUserId: string | null;
  /** Null for the event that created the booking. */
  fromStatus: BookingStatus | null;
  toStatus: BookingStatus;
  reason?: string | null;
  at: Date;
  /** The client's address when a person acted (for the audit log). */
  ip?: string | null;
}

const insertEventQuery = builtOnce((tx) =>
  tx.insert(bookingEvents).values({
    bookingId: sql.placeholder("bookingId"),
    actorUserId: sql.placeholder("actorUserId"),
    fromStatus: sql.placeholder("fromStatus"),
    toStatus: sql.placeholder("toStatus"),
    reason: sql.placeholder("reason"),
    at: sql.placeholder("at"),
  }),
);

/**
 * The reactions are independent of one another, so they are sent together (pipelined): the event
 * row goes first, so a reaction that counts events (credit rules) sees it.
 */
export async function recordBookingEvent(tx: Tx, fact: BookingEventFact): Promise<void> {
  await pipelined([
    // Called first, so it is sent before the reactions below.
    insertEventQuery(tx, {
      bookingId: fact.bookingId,
      actorUserId: fact.actorUserId,
      fromStatus: fact.fromStatus,
      toStatus: fact.toStatus,
      reason: fact.reason ?? null,
      at: fact.at,
    }),
    auditBookingEvent(tx, fact),
    billBookingEvent(tx, fact),
    applyCreditRules(tx, fact),
    bookingMessages(tx, fact),
  ]);
}
