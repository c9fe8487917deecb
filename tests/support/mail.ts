import ical from "node-ical";
import type { Database } from "../../app/lib/db.server";
import { deliverQueued, emailJobs } from "./accounts";

/** Booking emails queued to an address about one booking reference (or, for waitlist, instrument). */
export async function bookingJobs(d: Database, to: string, reference?: string) {
  const jobs = (await emailJobs(d, to)).filter((j) => j.template === "booking-message");
  return reference ? jobs.filter((j) => j.props.reference === reference) : jobs;
}

/** Delivers what is queued to `to` and returns the outbox rows about one booking reference. */
export async function deliveredAbout(d: Database, to: string, reference: string) {
  const rows = await deliverQueued(d, to);
  return rows.filter((r) => r.template === "booking-message" && r.subject.includes(reference));
}

/** The one event and the calendar of an .ics text, parsed by node-ical. */
export function parseInvite(text: string) {
  const parsed = ical.sync.parseICS(text);
  const events = Object.values(parsed).filter((c) => c?.type === "VEVENT") as ical.VEvent[];
  const calendar = parsed.vcalendar as unknown as { method?: string };
  return { events, event: events[0]!, method: calendar?.method };
}
