import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { bookings, users } from "../../db/schema";
import { requestSlot } from "../../app/booking/bookings.server";
import { recordBookingEvent } from "../../app/booking/events.server";
import { approve, cancel, reject } from "../../app/booking/transitions.server";
import { customerInvite } from "../../app/booking/calendar-entries.server";
import type { Database } from "../../app/lib/db.server";
import { jobHandlers } from "../../app/lib/job-handlers.server";
import { at, bookableInstrument, demoCustomer, MONDAY_0800, newUsers } from "../support/booking";
import { useTestDatabase } from "../support/db";
import { bookingJobs, deliveredAbout, parseInvite } from "../support/mail";

let d: Database;
let organizationId: string;
let staffId: string;
const STAFF = "staff@zju.openlab.test";
const now = MONDAY_0800;

beforeAll(async () => {
  d = await useTestDatabase();
  organizationId = (await demoCustomer(d)).organizationId;
  [staffId] = await newUsers(d, 1);
});

/** A customer of their own (so their mailbox holds only this test's mail) in the given language. */
async function customer(locale: "zh-CN" | "en") {
  const [userId] = await newUsers(d, 1);
  const [row] = await d.db.update(users).set({ locale }).where(eq(users.id, userId!)).returning({ email: users.email });
  return { userId: userId!, email: row!.email };
}

async function request(userId: string, instrumentId: string, start = "2026-03-03 09:00", end = "2026-03-03 10:00") {
  const result = await requestSlot({ instrumentId, userId, organizationId, start: at(start), end: at(end), purpose: "SEM 形貌观察" }, now);
  if (!result.ok) throw new Error(result.reason);
  return result.booking;
}

const invite = (row: { attachments: { content: string; contentType: string; filename: string }[] }) => {
  expect(row.attachments).toHaveLength(1);
  return { ...row.attachments[0]!, ...parseInvite(row.attachments[0]!.content) };
};

describe("booking emails", () => {
  it("tells the lab's staff of a new request, with a tentative invite (sequence 0)", async () => {
    const instrumentId = await bookableInstrument(d);
    const who = await customer("zh-CN");
    const booking = await request(who.userId, instrumentId);
    const queued = await bookingJobs(d, STAFF, booking.reference);
    expect(queued).toHaveLength(1);
    expect(queued[0]).toMatchObject({ locale: "zh-CN", props: { kind: "requested", audience: "lab" } });
    // The customer is not mailed for their own request.
    expect(await bookingJobs(d, who.email, booking.reference)).toEqual([]);

    const [mail] = await deliveredAbout(d, STAFF, booking.reference);
    expect(mail!.subject).toBe(`新的预约申请 ${booking.reference} · 预约测试扫描电镜`);
    expect(mail!.html).toContain("预约者0");
    expect(mail!.html).toContain(`/manage/labs/`);
    const ics = invite(mail!);
    expect(ics.contentType).toBe("text/calendar; charset=utf-8; method=REQUEST");
    expect(ics.filename).toBe(`${booking.reference}.ics`);
    expect(ics.method).toBe("REQUEST");
    expect(ics.event.uid).toBe(`booking-${booking.id}@openlab`);
    expect(ics.event.sequence).toBe(0);
    expect(ics.event.status).toBe("TENTATIVE");
    expect(new Date(ics.event.start).toISOString()).toBe(at("2026-03-03 09:00").toISOString());
    expect(new Date(ics.event.end!).toISOString()).toBe(at("2026-03-03 10:00").toISOString());
  });

  it("delivers an event's messages once, however often its job runs", async () => {
    const instrumentId = await bookableInstrument(d);
    const who = await customer("zh-CN");
    const booking = await request(who.userId, instrumentId);
    const { rows } = await d.executeSql("select data from pgboss.job where name = 'booking-message' and data->>'bookingId' = $1", [booking.id]);
    expect(rows).toHaveLength(1);
    // A worker that dies before pg-boss marks the job done runs it again.
    await jobHandlers["booking-message"]!(rows[0].data);
    await jobHandlers["booking-message"]!(rows[0].data);
    expect(await deliveredAbout(d, STAFF, booking.reference)).toHaveLength(1);
  });

  it("sends the decision in the customer's language; the same UID with a higher SEQUENCE each time", async () => {
    const instrumentId = await bookableInstrument(d);
    const who = await customer("en");
    const booking = await request(who.userId, instrumentId);
    expect(await approve({ bookingId: booking.id, actorUserId: staffId }, new Date(now.getTime() + 60_000))).toMatchObject({ changed: true });
    expect(await cancel({ bookingId: booking.id, actorUserId: who.userId, reason: "sample not ready" }, new Date(now.getTime() + 120_000))).toMatchObject({ changed: true });

    const mails = await deliveredAbout(d, who.email, booking.reference);
    expect(mails.map((m) => m.subject)).toEqual([
      `Booking confirmed ${booking.reference} · Booking test SEM`,
      `Booking cancelled ${booking.reference} · Booking test SEM`,
    ]);
    expect(mails.every((m) => m.locale === "en")).toBe(true);
    const [approved, cancelled] = mails.map(invite);
    expect(approved!.method).toBe("REQUEST");
    expect(approved!.event.status).toBe("CONFIRMED");
    expect(cancelled!.method).toBe("CANCEL");
    expect(cancelled!.contentType).toBe("text/calendar; charset=utf-8; method=CANCEL");
    expect(cancelled!.event.status).toBe("CANCELLED");
    expect(cancelled!.event.uid).toBe(approved!.event.uid);
    expect([approved!.event.sequence, cancelled!.event.sequence]).toEqual([1, 2]);
    expect(cancelled!.event.attendee).toMatchObject({ val: expect.stringMatching(new RegExp(who.email, "i")) });
    expect(mails[1]!.html).toContain("sample not ready");

    // Both sides hear of a cancellation.
    const lab = await bookingJobs(d, STAFF, booking.reference);
    expect(lab.map((j) => j.props.kind)).toEqual(["requested", "cancelled"]);
  });

  it("gives a rejection's reason and withdraws the invite", async () => {
    const instrumentId = await bookableInstrument(d);
    const who = await customer("zh-CN");
    const booking = await request(who.userId, instrumentId);
    await reject({ bookingId: booking.id, actorUserId: staffId, reason: "该时段仪器需校准" }, new Date(now.getTime() + 60_000));
    const [mail] = await deliveredAbout(d, who.email, booking.reference);
    expect(mail!.subject).toBe(`预约未获批准 ${booking.reference} · 预约测试扫描电镜`);
    expect(mail!.html).toContain("该时段仪器需校准");
    expect(mail!.text).toContain("原因：该时段仪器需校准");
    const ics = invite(mail!);
    expect(ics.method).toBe("CANCEL");
    expect(ics.event.sequence).toBe(1);
  });

  it("tells the customer when the lab, not they, cancelled, with the reason and a CANCEL invite", async () => {
    const instrumentId = await bookableInstrument(d);
    const who = await customer("zh-CN");
    const booking = await request(who.userId, instrumentId);
    await approve({ bookingId: booking.id, actorUserId: staffId }, new Date(now.getTime() + 60_000));
    await cancel({ bookingId: booking.id, actorUserId: staffId, reason: "电镜真空故障，等待维修" }, new Date(now.getTime() + 120_000));
    const [, mail] = await deliveredAbout(d, who.email, booking.reference);
    expect(mail!.subject).toBe(`实验室取消了您的预约 ${booking.reference} · 预约测试扫描电镜`);
    expect(mail!.text).toContain("原因：电镜真空故障，等待维修");
    expect(mail!.text).toContain("不会向您收取取消费");
    expect(invite(mail!).method).toBe("CANCEL");
    expect((await bookingJobs(d, STAFF, booking.reference)).map((j) => j.props.kind)).toEqual(["requested", "withdrawn"]);
  });

  it("mails both sides an updated invite when a live booking changes", async () => {
    const instrumentId = await bookableInstrument(d, { settings: { approvalMode: "never" } });
    const who = await customer("zh-CN");
    const booking = await request(who.userId, instrumentId);
    const moved = { start: at("2026-03-03 14:00"), end: at("2026-03-03 15:00") };
    await d.db.transaction(async (tx) => {
      await tx.update(bookings).set({ period: moved }).where(eq(bookings.id, booking.id));
      await recordBookingEvent(tx, { bookingId: booking.id, kind: "slot", actorUserId: staffId, fromStatus: "confirmed", toStatus: "confirmed", reason: "仪器维护，改到下午", at: now });
    });
    const mails = await deliveredAbout(d, who.email, booking.reference);
    expect(mails.map((m) => m.subject)).toEqual([
      `预约已确认 ${booking.reference} · 预约测试扫描电镜`,
      `预约有变更 ${booking.reference} · 预约测试扫描电镜`,
    ]);
    const changed = invite(mails[1]!);
    expect(changed.method).toBe("REQUEST");
    expect(changed.event.sequence).toBe(1);
    expect(new Date(changed.event.start).toISOString()).toBe(moved.start.toISOString());
    expect((await bookingJobs(d, STAFF, booking.reference)).map((j) => j.props.kind)).toEqual(["changed"]);
  });

  it("queues in the event's transaction: a rolled-back change sends nothing", async () => {
    const instrumentId = await bookableInstrument(d, { settings: { approvalMode: "never" } });
    const who = await customer("zh-CN");
    const booking = await request(who.userId, instrumentId);
    const before = (await bookingJobs(d, who.email)).length;
    await expect(
      d.db.transaction(async (tx) => {
        await recordBookingEvent(tx, { bookingId: booking.id, kind: "slot", actorUserId: staffId, fromStatus: "confirmed", toStatus: "confirmed", at: now });
        throw new Error("the change fails");
      }),
    ).rejects.toThrow("the change fails");
    expect(await bookingJobs(d, who.email)).toHaveLength(before);
  });

  it("offers the customer their own invite for download, and nobody else", async () => {
    const instrumentId = await bookableInstrument(d);
    const who = await customer("zh-CN");
    const other = await customer("zh-CN");
    const booking = await request(who.userId, instrumentId);
    await approve({ bookingId: booking.id, actorUserId: staffId }, now);
    const own = await customerInvite(booking.id, who.userId, now);
    expect(own).not.toBeNull();
    const ics = parseInvite(own!.content);
    expect(ics.method).toBe("REQUEST");
    expect(ics.event.uid).toBe(`booking-${booking.id}@openlab`);
    expect(ics.event.sequence).toBe(1);
    expect(await customerInvite(booking.id, other.userId, now)).toBeNull();
  });
});
