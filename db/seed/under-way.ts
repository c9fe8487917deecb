// Work under way in the demo: two slot requests waiting for the lab's answer, a confirmed booking,
// last week's session that was checked in and never checked out, and a sample job whose samples
// have arrived, all made through the commands a user's clicks run
// (events, frozen quotes, calendar invites and mail jobs included). Without them `npm start`
// opens on an empty approval queue and a customer with nothing to cancel or check in.
import { randomUUID } from "node:crypto";
import { and, asc, eq } from "drizzle-orm";
import { localDateOf } from "../../app/availability/free-intervals";
import { requestSlot } from "../../app/booking/bookings.server";
import { acceptSampleJob, labInstant, receiveSamples, requestSampleJob } from "../../app/booking/sample-jobs.server";
import { approve, checkIn } from "../../app/booking/transitions.server";
import { wallClock } from "../../app/booking/usage";
import { instrumentsWeek } from "../../app/booking/week.server";
import type { Db } from "../../app/lib/db.server";
import { instruments, labs, memberships, users } from "../schema";

const DAY = 86_400_000;
/** A demo booking's length: what a session on an electron microscope usually takes. */
const LENGTH_MINUTES = 120;

/** A demo user and the organisation they book for. */
async function member(db: Db, email: string) {
  const [row] = await db
    .select({ userId: users.id, organizationId: memberships.organizationId })
    .from(users)
    .innerJoin(memberships, eq(memberships.userId, users.id))
    .where(eq(users.email, email))
    .limit(1);
  if (!row) throw new Error(`demo user ${email} is missing`);
  return row;
}

type Slot = { instrumentId: string; start: Date; end: Date };

/** Two hours from a free span's start, or as much of it as there is in whole slots; null when not one slot. */
function sessionIn(instrumentId: string, span: { start: string; end: string }, slotMinutes: number): Slot | null {
  const minutes = Math.min(LENGTH_MINUTES, Math.floor((Date.parse(span.end) - Date.parse(span.start)) / 60_000 / slotMinutes) * slotMinutes);
  return minutes > 0 ? { instrumentId, start: new Date(span.start), end: new Date(Date.parse(span.start) + minutes * 60_000) } : null;
}

/**
 * Two hours on each instrument from next week on, from the first free time of the week's i-th
 * open day for the i-th instrument, so the queue shows different days. A week that public
 * holidays close is passed over.
 */
async function nextSlots(instrumentIds: string[], now: Date): Promise<Slot[]> {
  const found = new Map<string, Slot>();
  for (let weeks = 1; weeks <= 8 && found.size < instrumentIds.length; weeks++) {
    const week = localDateOf(new Date(now.getTime() + weeks * 7 * DAY), "Asia/Shanghai");
    for (const grid of await instrumentsWeek(instrumentIds, week, now)) {
      const i = instrumentIds.indexOf(grid.instrumentId);
      const days = grid.days.filter((d) => d.free.length > 0);
      const day = days[Math.min(i, days.length - 1)];
      const span = day?.free[0];
      const slot = span && sessionIn(grid.instrumentId, span, grid.slotMinutes);
      if (slot && !found.has(grid.instrumentId)) found.set(grid.instrumentId, slot);
    }
  }
  if (found.size < instrumentIds.length) throw new Error("the demo lab offers no free time in the next eight weeks");
  return instrumentIds.map((id) => found.get(id)!);
}

/**
 * Two hours on the instrument on the last open day of the latest of the past three weeks that had
 * one, as that week looked a week before it; null when all three were closed (Spring Festival).
 * The yearly usage history (usage.ts) stops eight days back, so last week's time is free.
 */
async function recentSlot(instrumentId: string, now: Date): Promise<{ slot: Slot; bookedAt: Date } | null> {
  for (let weeks = 1; weeks <= 3; weeks++) {
    const bookedAt = new Date(now.getTime() - (weeks + 1) * 7 * DAY);
    const [grid] = await instrumentsWeek([instrumentId], localDateOf(new Date(now.getTime() - weeks * 7 * DAY), "Asia/Shanghai"), bookedAt);
    const span = grid?.days.filter((d) => d.free.length > 0).at(-1)?.free[0];
    const slot = grid && span && sessionIn(instrumentId, span, grid.slotMinutes);
    if (slot) return { slot, bookedAt };
  }
  return null;
}

export async function seedDemoUnderWay(db: Db, now: Date): Promise<void> {
  const [customer, otherCustomer, staff] = await Promise.all([
    member(db, "customer@weina.openlab.test"),
    member(db, "customer@huadong.openlab.test"),
    member(db, "staff@zju.openlab.test"),
  ]);
  const lab = await db
    .select({ id: instruments.id, serviceModes: instruments.serviceModes, zone: labs.timeZone })
    .from(instruments)
    .innerJoin(labs, eq(labs.id, instruments.labId))
    .where(and(eq(labs.slug, "zju-emlab"), eq(instruments.status, "published"), eq(instruments.operatingStatus, "normal")))
    .orderBy(asc(instruments.slug));
  const bookable = lab.slice(0, 3).map((i) => i.id);
  const [confirmedSlot, waitingSlot, otherSlot] = await nextSlots(bookable, now);
  const slot = async (who: typeof customer, at: Slot, purpose: string, projectReference: string, bookedAt = now) => {
    const answer = await requestSlot({ ...at, ...who, purpose, projectReference, serviceMode: null }, bookedAt);
    if (!answer.ok) throw new Error(`demo booking refused: ${answer.reason}`);
    return answer.booking.id;
  };
  const confirmed = await slot(customer, confirmedSlot!, "纳米颗粒形貌与粒径统计", "ZJ-2026-0412");
  await approve({ bookingId: confirmed, actorUserId: staff.userId }, now);
  await slot(customer, waitingSlot!, "锂电正极材料截面观察", "");
  await slot(otherCustomer, otherSlot!, "催化剂载体孔结构表征", "NSFC-22178001");

  const past = await recentSlot(bookable[0]!, now);
  if (past) {
    const unfinished = await slot(otherCustomer, past.slot, "高分子薄膜断面形貌", "", past.bookedAt);
    await approve({ bookingId: unfinished, actorUserId: staff.userId }, past.bookedAt);
    await checkIn({ bookingId: unfinished, actorUserId: staff.userId }, new Date(past.slot.start.getTime() + 5 * 60_000));
  }

  // A sample job asked for two days ago in the morning, accepted that afternoon, its samples received yesterday.
  const samples = lab.find((i) => i.serviceModes.includes("sample_submission"));
  if (!samples) return;
  const dayAt = (daysAgo: number, time: string) => labInstant(`${wallClock(new Date(now.getTime() - daysAgo * DAY), samples.zone).slice(0, 10)}T${time}`, samples.zone);
  const job = await requestSampleJob(
    {
      requestKey: randomUUID(),
      purpose: "涂层截面厚度与元素分布",
      projectReference: "",
      remains: "return",
      samples: [{ name: "镀层钢片", count: 3, matrix: "金属", hazards: [], hazardNote: "", requiredTests: "截面 SEM 形貌、EDS 面扫" }],
      instrumentId: samples.id,
      ...customer,
    },
    dayAt(2, "10:00"),
  );
  if (!job.ok) throw new Error(`demo sample job refused: ${job.reason}`);
  await acceptSampleJob({ bookingId: job.bookingId, actorUserId: staff.userId }, dayAt(2, "14:00"));
  const received = dayAt(1, "10:30");
  await receiveSamples({ bookingId: job.bookingId, actorUserId: staff.userId, receivedAt: wallClock(received, samples.zone), condition: "包装完好，样品无破损" }, received);
}
