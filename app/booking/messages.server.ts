// What a booking event tells whom (DESIGN.md §9): emails in each recipient's language, with the
// booking's calendar invite. The event's transaction queues one `booking-message` job, so the
// messages go out only if it commits; the worker reads the facts and writes the emails (decision 160).
import { createHash, randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { bookingInvites, bookings, instruments, memberships, users } from "../../db/schema";
import { bookingStatuses, type BookingStatus } from "../../db/schema/booking-vocabulary";
import type BookingMessage from "../../emails/booking-message";
import { bookingMessageKinds, type BookingMessageKind } from "../../emails/booking-message";
import { builtOnce, getDb, pipelined, type Tx } from "~/lib/db.server";
import { isLocale, type Locale } from "~/lib/i18n";
import { createQueues, enqueue } from "~/lib/jobs.server";
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
export const prepareBookingMessages = () => createQueues(["send-email", "booking-message"]);

const nextSequenceQuery = builtOnce((tx) =>
  tx
    .insert(bookingInvites)
    .values({ bookingId: sql.placeholder("bookingId"), sequence: 0 })
    .onConflictDoUpdate({ target: bookingInvites.bookingId, set: { sequence: sql`${bookingInvites.sequence} + 1` } })
    .returning({ sequence: bookingInvites.sequence }),
);

/** The invite's SEQUENCE for this event: 0 for the booking's first, one more for each later. */
async function nextSequence(tx: Tx, bookingId: string): Promise<number> {
  const [row] = await nextSequenceQuery(tx, { bookingId });
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
  message: { kind: BookingMessageKind; audience: Audience; reason: string; invite: boolean; at: Date; messageId?: string },
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
    messageId: message.messageId,
  });
}

/** One event's messages, as its transaction queues them for the worker. */
const messageJobSchema = z.object({
  eventId: z.string().uuid(),
  bookingId: z.string().uuid(),
  kind: z.enum(bookingMessageKinds),
  to: z.array(z.enum(["customer", "lab"])),
  invite: z.boolean(),
  reason: z.string(),
  /** Who acted: a cancellation by anyone but the booker is the lab withdrawing the booking. */
  actorUserId: z.string().uuid().nullable().default(null),
  at: z.string().datetime({ offset: true }),
  /** The booking's state and invite SEQUENCE as the event left them, whatever came after. */
  status: z.enum(bookingStatuses),
  sequence: z.number().int(),
});

/** The same id for the same event and reader each time the job runs, so a rerun delivers nothing twice. */
function messageIdOf(eventId: string, audience: Audience, email: string) {
  const h = createHash("sha256").update(`${eventId}:${audience}:${email}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * The `booking-message` job: reads the booking's facts and the lab's staff, then queues each
 * reader's email with its invite. Names, times and addresses are read now; the status and invite
 * sequence are the event's.
 */
export async function writeBookingMessages(data: unknown): Promise<void> {
  const job = messageJobSchema.parse(data);
  const db = await getDb();
  const [[facts], staff] = await Promise.all([
    bookingFacts(db, eq(bookings.id, job.bookingId)),
    job.to.includes("lab") ? labStaffOf(db, job.bookingId) : Promise.resolve([]),
  ]);
  // Nothing to write about a booking that is no longer there.
  if (!facts) return;
  const b: BookingFacts = { ...facts, status: job.status, sequence: job.sequence };
  const customer: Recipient = { name: b.customer.name, email: b.customer.email, locale: isLocale(b.customer.locale) ? b.customer.locale : "zh-CN" };
  const at = new Date(job.at);
  const kind = job.kind === "cancelled" && job.actorUserId !== null && job.actorUserId !== b.customer.id ? "withdrawn" : job.kind;
  await db.transaction((tx) =>
    pipelined(
      job.to.flatMap((audience) =>
        (audience === "customer" ? [customer] : labRecipients(staff, b)).map((recipient) =>
          queueBookingMessage(tx, b, recipient, { kind, audience, reason: job.reason, invite: job.invite, at, messageId: messageIdOf(job.eventId, audience, recipient.email) }),
        ),
      ),
    ),
  );
}

/**
 * Reacts to one booking event: the invite sequence, one job for the worker to write the emails,
 * and the waitlist when time is freed. Reading the facts and rendering invites would hold the
 * event's transaction (and the instrument's summary row it locks) a while longer; the job does
 * not.
 */
export async function bookingMessages(tx: Tx, fact: BookingEventFact): Promise<void> {
  if (fact.kind !== "slot") return;
  const notice = noticeFor(fact.fromStatus, fact.toStatus);
  const freed = freesTime.has(fact.toStatus);
  const queue = (sequence: number) =>
    notice
      ? enqueue(tx, "booking-message", {
          eventId: randomUUID(),
          bookingId: fact.bookingId,
          kind: notice.kind,
          to: notice.to,
          invite: notice.invite,
          reason: fact.reason ?? "",
          actorUserId: fact.actorUserId,
          at: fact.at.toISOString(),
          status: fact.toStatus,
          sequence,
        } satisfies z.input<typeof messageJobSchema>)
      : Promise.resolve();
  // A new booking's invite starts at SEQUENCE 0, so its job goes out right behind the row that
  // records it instead of waiting for the answer.
  const created = fact.fromStatus === null;
  const [sequence, [b]] = await pipelined([
    nextSequence(tx, fact.bookingId),
    freed ? bookingFacts(tx, eq(bookings.id, fact.bookingId)) : Promise.resolve([]),
    created ? queue(0) : Promise.resolve(),
  ]);
  if (!created) await queue(sequence);
  if (freed && b) await notifyWaitlist(tx, b.instrumentId, b.period, fact.at);
}
