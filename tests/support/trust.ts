import { requestSlot } from "../../app/booking/bookings.server";
import { approve, checkIn, checkOut } from "../../app/booking/transitions.server";
import type { Database } from "../../app/lib/db.server";
import { at, bookableInstrument, measuredUsage, MONDAY_0800 } from "./booking";

/**
 * A slot on a fresh instrument of the demo lab, requested by the customer, approved, checked in
 * and out by `staffId` through the booking commands: a completed booking ready to be reviewed.
 */
export async function completedSlot(d: Database, customer: { userId: string; organizationId: string }, staffId: string) {
  const instrumentId = await bookableInstrument(d);
  const start = "2026-03-03 09:00";
  const end = "2026-03-03 11:00";
  const requested = await requestSlot({ instrumentId, ...customer, start: at(start), end: at(end), purpose: "形貌观察" }, MONDAY_0800);
  if (!requested.ok) throw new Error(requested.reason);
  const bookingId = requested.booking.id;
  await approve({ bookingId, actorUserId: staffId }, MONDAY_0800);
  await checkIn({ bookingId, actorUserId: staffId }, at(start));
  await checkOut({ bookingId, actorUserId: staffId, usage: measuredUsage(at(start), at(end), staffId) }, at(end));
  return { bookingId, instrumentId };
}
