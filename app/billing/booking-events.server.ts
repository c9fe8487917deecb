// How billing reacts to a booking event (called from recordBookingEvent, same transaction): a new
// booking gets its quote frozen; completion, cancellation and no-show may create a charge.
import type { BookingEventFact } from "~/booking/events.server";
import type { Tx } from "~/lib/db.server";
import { createChargeForBooking } from "./charges.server";
import { freezeQuote } from "./pricing.server";

export async function billBookingEvent(tx: Tx, fact: BookingEventFact): Promise<void> {
  if (fact.fromStatus === null) await freezeQuote(tx, fact.bookingId);
  if (fact.toStatus === "completed" || fact.toStatus === "cancelled" || fact.toStatus === "no_show") {
    await createChargeForBooking(tx, fact.bookingId, fact.at);
  }
}
