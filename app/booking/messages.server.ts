// What a booking event tells whom (DESIGN.md §9): emails in each recipient's language, with the
// booking's calendar invite, queued in the transaction of the event so they go out only if it commits.
import { and, eq, sql } from "drizzle-orm";
import { bookingInvites, bookings, instruments, memberships, users } from "../../db/schema";
import type { BookingStatus } from "../../db/schema/booking-vocabulary";
import type BookingMessage from "../../emails/booking-message";
import type { BookingMessageKind } from "../../emails/booking-message";
import { pipelined, type Tx } from "~/lib/db.server";
import { isLocale, type Locale } from "~/lib/i18n";
import { createQueues } from "~/lib/jobs.server";
import { queueEmail } from "~/lib/mail.server";
import { bookingFacts, describeBooking, inviteFor, type BookingFacts } from "./calendar-entries.server";
import type { BookingEventFact } from "./events.server";
import { isLive } from "./states";
import { notifyWaitlist } from "./waitlist.server";

type Audience = "customer" | "lab";
interface Notice {
  kind: BookingMessageKind;
  to: Audience[];
  invite: boolean;
}

/**
 * Who hears about an event. The lab answers requests, so it is told of new requests, cancellations,
 * expiries and changes; the customer of every decision about their booking. Check-in, check-out
 * and no-show are recorded on site and tell nobody.
 */
export function noticeFor(from: BookingStatus | null, to: BookingStatus): Notice | null {
  if (from === null) {
    if (to === "requested") return { kind: "requested", to: ["lab"], invite: true };
    // Booked without approval: the customer's confirmation.
    if (to === "confirmed") return { kind: "approved", to: ["customer"], invite: true };
    return null;
  }
  if (from === to) return isLive(to) ? { kind: "changed", to: ["customer", "lab"], invite: true } : null;
  if (to === "confirmed" && from === "requested") return { kind: "approved", to: ["customer"], invite: true };
  if (to === "rejected") return { kind: "rejected", to: ["customer"], invite: true };
  if (to === "cancelled") return { kind: "cancelled", to: ["customer", "lab"], invite: true };
  // The lab's calendar may hold the request's tentative entry: the withdrawal reaches it too.
  if (to === "expired") return { kind: "expired", to: ["customer", "lab"], invite: true };
  return null;
}

/** Ends that give the time back before it is used (a no-show's time has already passed). */
const freesTime: ReadonlySet<BookingStatus> = new Set(["cancelled", "rejected", "expired"]);

/** Queues that booking events send to. Call before opening the transaction (see prepareEmailQueue). */
export const prepareBookingMessages = () => createQueues(["send-email"]);

/** The invite's SEQUENCE for this event: 0 for the booking's first, one more for each later. */
async function nextSequence(tx: Tx, bookingId: string): Promise<number> {
  const [row] = await tx
    .insert(bookingInvites)
    .values({ bookingId, sequence: 0 })
    .onConflictDoUpdate({ target: bookingInvites.bookingId, set: { sequence: sql`${bookingInvites.sequence} + 1` } })
    .returning({ sequence: bookingInvites.sequence });
  return row!.sequence;
}

interface Recipient {
  name: string;
  email: string;
  locale: Locale;
}

/** The staff of the lab that runs the booking's instrument (read by booking, so it can be sent with the booking's facts). */
async function labStaffOf(tx: Tx, bookingId: string) {
  return tx
    .selectDistinct({ name: users.displayName, email: users.email, locale: users.locale })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(
      and(
        eq(memberships.role, "lab_staff"),
        eq(memberships.labId, sql`(select ${instruments.labId} from ${instruments} join ${bookings} on ${bookings.instrumentId} = ${instruments.id} where ${bookings.id} = ${bookingId})`),
      ),
    );
}

/** The lab's staff, else (a lab without staff accounts) its contact address. */
function labRecipients(staff: Awaited<ReturnType<typeof labStaffOf>>, b: BookingFacts): Recipient[] {
  if (staff.length > 0) return staff.map((s) => ({ ...s, locale: isLocale(s.locale) ? s.locale : "zh-CN" }));
  return b.lab.contactEmail ? [{ name: b.lab.nameZh, email: b.lab.contactEmail, locale: "zh-CN" }] : [];
}

type MessageProps = Omit<Parameters<typeof BookingMessage>[0], "t" | "locale">;

/** Queues one booking message to one reader, with the booking's invite when asked. */
export async function queueBookingMessage(
  tx: Tx,
  b: BookingFacts,
  recipient: Recipient,
  message: { kind: BookingMessageKind; audience: Audience; reason: string; invite: boolean; at: Date },
) {
  const facts = describeBooking(b, recipient.locale, message.audience);
  const props: MessageProps = {
    ...facts,
    kind: message.kind,
    audience: message.audience,
    name: recipient.name,
    reason: message.reason,
    invite: message.invite,
  };
  const invite = message.invite ? await inviteFor(b, recipient.locale, message.audience, message.at) : null;
  await queueEmail(tx, {
    to: recipient.email,
    locale: recipient.locale,
    template: "booking-message",
    props,
    attachments: invite ? [{ filename: invite.filename, contentType: invite.contentType, content: invite.content }] : [],
  });
}

/**
 * Reacts to one booking event: invite sequence, emails, and the waitlist when time is freed. The
 * reads are sent together behind the sequence's upsert (pipelined, so the facts carry the new
 * sequence), and so are the messages.
 */
export async function bookingMessages(tx: Tx, fact: BookingEventFact): Promise<void> {
  const notice = noticeFor(fact.fromStatus, fact.toStatus);
  const freed = freesTime.has(fact.toStatus);
  if (!notice && !freed) return void (await nextSequence(tx, fact.bookingId));
  const [, [b], staff] = await pipelined([
    nextSequence(tx, fact.bookingId),
    bookingFacts(tx, eq(bookings.id, fact.bookingId)),
    notice?.to.includes("lab") ? labStaffOf(tx, fact.bookingId) : Promise.resolve([]),
  ]);
  if (!b) return;
  if (notice) {
    const customer: Recipient = { name: b.customer.name, email: b.customer.email, locale: isLocale(b.customer.locale) ? b.customer.locale : "zh-CN" };
    const reason = fact.reason ?? "";
    await pipelined(
      notice.to.flatMap((audience) =>
        (audience === "customer" ? [customer] : labRecipients(staff, b)).map((recipient) =>
          queueBookingMessage(tx, b, recipient, { kind: notice.kind, audience, reason, invite: notice.invite, at: fact.at }),
        ),
      ),
    );
  }
  if (freed) await notifyWaitlist(tx, b.instrumentId, b.period, fact.at);
}
