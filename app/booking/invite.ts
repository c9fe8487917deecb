// Calendar entries of a booking, made with ical-generator: the invite that travels with booking
// emails and the events of the private feeds. Pure: the caller passes the texts and the clock.
import ical, {
  ICalAttendeeRole,
  ICalAttendeeStatus,
  ICalCalendarMethod,
  ICalEventBusyStatus,
  ICalEventStatus,
  type ICalCalendar,
} from "ical-generator";
import type { BookingStatus } from "../../db/schema/booking-vocabulary";

export interface InviteBooking {
  id: string;
  status: BookingStatus;
  /** Revision of the invite: 0 when made, +1 on every later booking event. */
  sequence: number;
  period: { start: Date; end: Date };
  summary: string;
  description: string;
  location: string;
  url: string;
  customer: { name: string; email: string };
}

export interface Organizer {
  name: string;
  email: string;
}

/** States in which the booking no longer holds the time: the invite withdraws the event. */
const withdrawn: ReadonlySet<BookingStatus> = new Set(["rejected", "cancelled", "expired"]);

/** One UID per booking for its whole life, so every update replaces the same calendar entry. */
export const inviteUid = (bookingId: string) => `booking-${bookingId}@openlab`;

export const inviteMethod = (status: BookingStatus) =>
  withdrawn.has(status) ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST;

function eventStatus(status: BookingStatus): ICalEventStatus {
  if (withdrawn.has(status) || status === "no_show") return ICalEventStatus.CANCELLED;
  return status === "requested" ? ICalEventStatus.TENTATIVE : ICalEventStatus.CONFIRMED;
}

/** Adds the booking as an event to a calendar (an invite or a feed). */
export function addBookingEvent(calendar: ICalCalendar, booking: InviteBooking, organizer: Organizer, stamp: Date) {
  calendar.createEvent({
    id: inviteUid(booking.id),
    sequence: booking.sequence,
    stamp,
    start: booking.period.start,
    end: booking.period.end,
    summary: booking.summary,
    description: booking.description,
    location: booking.location,
    url: booking.url,
    status: eventStatus(booking.status),
    busystatus: booking.status === "requested" ? ICalEventBusyStatus.TENTATIVE : ICalEventBusyStatus.BUSY,
    organizer,
    attendees: [
      {
        name: booking.customer.name,
        email: booking.customer.email,
        role: ICalAttendeeRole.REQ,
        // The lab decides the booking; the customer asked for it, so they have accepted it.
        status: ICalAttendeeStatus.ACCEPTED,
      },
    ],
  });
}

export interface Invite {
  method: ICalCalendarMethod;
  filename: string;
  /** `text/calendar; method=…`: Outlook, Google and Apple treat the attachment as an invite only with it. */
  contentType: string;
  content: string;
}

/** The .ics invite for the booking's current state: REQUEST while it holds the time, CANCEL after. */
export function bookingInvite(booking: InviteBooking, reference: string, organizer: Organizer, stamp: Date): Invite {
  const method = inviteMethod(booking.status);
  const calendar = ical({ prodId: { company: "OpenLab", product: "booking-invite", language: "ZH" }, method });
  addBookingEvent(calendar, booking, organizer, stamp);
  return {
    method,
    filename: `${reference}.ics`,
    contentType: `text/calendar; charset=utf-8; method=${method}`,
    content: calendar.toString(),
  };
}
