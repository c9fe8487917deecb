import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { bookings, instruments, users } from "../../db/schema";
import { randomUUID } from "node:crypto";
import { requestSlot } from "../../app/booking/bookings.server";
import { requestSampleJob } from "../../app/booking/sample-jobs.server";
import { approve, bookingHistory, cancel, checkIn } from "../../app/booking/transitions.server";
import type { Database } from "../../app/lib/db.server";
import { jobHandlers } from "../../app/lib/job-handlers.server";
import { at, bookableInstrument, demoCustomer, MONDAY_0800, newUsers } from "../support/booking";
import { deliverQueued, writeQueuedBookingMessages } from "../support/accounts";
import { useTestDatabase } from "../support/db";
import { bookingJobs, deliveredAbout, parseInvite } from "../support/mail";

// The sweeps look at every booking: this file gets a database of its own.
let d: Database;
let organizationId: string;
let staffId: string;
const now = MONDAY_0800;
const later = (minutes: number, from = now) => new Date(from.getTime() + minutes * 60_000);
/** Runs a clock job; the booking messages queued before it are written first, as the worker does within a second. */
const run = async (queue: string, when: Date) => {
  await writeQueuedBookingMessages(d);
  await jobHandlers[queue]!({ now: when.toISOString() });
};

beforeAll(async () => {
  d = await useTestDatabase({ isolated: true });
  organizationId = (await demoCustomer(d)).organizationId;
  [staffId] = await newUsers(d, 1);
});

async function customer() {
  const [userId] = await newUsers(d, 1);
  const [row] = await d.db.select({ email: users.email }).from(users).where(eq(users.id, userId!));
  return { userId: userId!, email: row!.email };
}

async function request(userId: string, instrumentId: string, start: string, end: string) {
  const result = await requestSlot({ instrumentId, userId, organizationId, start: at(start), end: at(end), purpose: "TEM" }, now);
  if (!result.ok) throw new Error(result.reason);
  return result.booking;
}

const statusOf = async (id: string) => (await d.db.select({ s: bookings.status }).from(bookings).where(eq(bookings.id, id)))[0]!.s;

describe("request expiry", () => {
  it("expires a request unanswered for the instrument's request_expiry_hours, as the system, once", async () => {
    const instrumentId = await bookableInstrument(d, { settings: { requestExpiryHours: 2 } });
    const who = await customer();
    const booking = await request(who.userId, instrumentId, "2026-03-04 09:00", "2026-03-04 10:00");
    await run("expire-booking-requests", later(119));
    expect(await statusOf(booking.id)).toBe("requested");
    await run("expire-booking-requests", later(120));
    await run("expire-booking-requests", later(121));
    expect(await statusOf(booking.id)).toBe("expired");
    const history = await bookingHistory(booking.id);
    expect(history.map((e) => [e.toStatus, e.actorUserId])).toEqual([
      ["requested", who.userId],
      ["expired", null],
    ]);
    const [mail] = await deliveredAbout(d, who.email, booking.reference);
    expect(mail!.subject).toContain("预约申请已过期");
    expect(parseInvite(mail!.attachments[0]!.content).method).toBe("CANCEL");
    expect(await bookingJobs(d, who.email, booking.reference)).toHaveLength(1);
  });

  it("expires a request still unanswered when its time begins", async () => {
    const instrumentId = await bookableInstrument(d, { settings: { requestExpiryHours: 720 } });
    const who = await customer();
    const booking = await request(who.userId, instrumentId, "2026-03-03 09:00", "2026-03-03 10:00");
    await run("expire-booking-requests", later(-1, at("2026-03-03 09:00")));
    expect(await statusOf(booking.id)).toBe("requested");
    await run("expire-booking-requests", at("2026-03-03 09:00"));
    expect(await statusOf(booking.id)).toBe("expired");
  });

  it("expires a sample job the lab did not accept in time", async () => {
    const instrumentId = await bookableInstrument(d, { settings: { requestExpiryHours: 2 } });
    await d.db.update(instruments).set({ serviceModes: ["sample_submission"] }).where(eq(instruments.id, instrumentId));
    const who = await customer();
    const job = await requestSampleJob(
      {
        instrumentId,
        userId: who.userId,
        organizationId,
        requestKey: randomUUID(),
        purpose: "涂层成分分析",
        projectReference: "",
        remains: "return",
        samples: [{ name: "涂层试样", count: 1, matrix: "", hazards: [], hazardNote: "", requiredTests: "EDS" }],
      },
      now,
    );
    if (!job.ok) throw new Error(job.reason);
    await run("expire-booking-requests", later(119));
    expect(await statusOf(job.bookingId)).toBe("requested");
    await run("expire-booking-requests", later(121));
    expect(await statusOf(job.bookingId)).toBe("expired");
    expect((await bookingHistory(job.bookingId)).map((e) => [e.toStatus, e.actorUserId])).toEqual([
      ["requested", who.userId],
      ["expired", null],
    ]);
  });

  it("leaves answered requests alone", async () => {
    const instrumentId = await bookableInstrument(d, { settings: { requestExpiryHours: 1 } });
    const who = await customer();
    const booking = await request(who.userId, instrumentId, "2026-03-05 09:00", "2026-03-05 10:00");
    await approve({ bookingId: booking.id, actorUserId: staffId }, later(30));
    await run("expire-booking-requests", later(600));
    expect(await statusOf(booking.id)).toBe("confirmed");
  });
});

describe("no-show", () => {
  it("marks a confirmed booking nobody checked in to 30 minutes after its start, as the system", async () => {
    const instrumentId = await bookableInstrument(d, { settings: { approvalMode: "never" } });
    const who = await customer();
    const missed = await request(who.userId, instrumentId, "2026-03-03 09:00", "2026-03-03 11:00");
    const present = await request(who.userId, instrumentId, "2026-03-03 14:00", "2026-03-03 15:00");
    await checkIn({ bookingId: present.id, actorUserId: staffId }, at("2026-03-03 14:05"));
    await run("mark-booking-no-shows", later(29, at("2026-03-03 09:00")));
    expect(await statusOf(missed.id)).toBe("confirmed");
    await run("mark-booking-no-shows", later(30, at("2026-03-03 09:00")));
    await run("mark-booking-no-shows", at("2026-03-03 16:00"));
    expect(await statusOf(missed.id)).toBe("no_show");
    expect(await statusOf(present.id)).toBe("in_use");
    const history = await bookingHistory(missed.id);
    expect(history.map((e) => [e.toStatus, e.actorUserId])).toEqual([
      ["confirmed", who.userId],
      ["no_show", null],
    ]);
  });
});

describe("reminders", () => {
  it("reminds the customer once, within 24 hours of the start, even when runs overlap", async () => {
    const instrumentId = await bookableInstrument(d, { settings: { approvalMode: "never" } });
    const who = await customer();
    const booking = await request(who.userId, instrumentId, "2026-03-03 09:00", "2026-03-03 10:00");
    const reminders = async () => (await bookingJobs(d, who.email, booking.reference)).filter((j) => j.props.kind === "reminder");
    await run("send-booking-reminders", later(-1, at("2026-03-02 09:00")));
    expect(await reminders()).toHaveLength(0);
    await Promise.all([run("send-booking-reminders", at("2026-03-02 09:00")), run("send-booking-reminders", at("2026-03-02 09:00"))]);
    await run("send-booking-reminders", at("2026-03-02 18:00"));
    expect(await reminders()).toHaveLength(1);
    const [mail] = (await deliverQueued(d, who.email)).filter((m) => m.subject.startsWith("预约提醒"));
    expect(mail!.subject).toBe("预约提醒：预约测试扫描电镜 · 2026年3月3日星期二 09:00–10:00 (Asia/Shanghai)");
    expect(mail!.html).toContain(booking.reference);
  });

  it("reminds a moved booking again and a cancelled one never", async () => {
    const instrumentId = await bookableInstrument(d, { settings: { approvalMode: "never" } });
    const who = await customer();
    const moved = await request(who.userId, instrumentId, "2026-03-03 09:00", "2026-03-03 10:00");
    const dropped = await request(who.userId, instrumentId, "2026-03-03 14:00", "2026-03-03 15:00");
    await cancel({ bookingId: dropped.id, actorUserId: who.userId }, at("2026-03-02 08:00"));
    await run("send-booking-reminders", at("2026-03-02 10:00"));
    await d.db.update(bookings).set({ period: { start: at("2026-03-03 10:00"), end: at("2026-03-03 11:00") } }).where(eq(bookings.id, moved.id));
    await run("send-booking-reminders", at("2026-03-02 11:00"));
    const kinds = async (reference: string) => (await bookingJobs(d, who.email, reference)).map((j) => j.props.kind);
    expect(await kinds(moved.reference)).toEqual(["approved", "reminder", "reminder"]);
    expect(await kinds(dropped.reference)).toEqual(["approved", "cancelled"]);
  });
});
