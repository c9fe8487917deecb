// What the check-out form needs: the booking as booked and as checked in, and who may be named as
// its operator (the customer, or any staff member of the lab). One statement each.
import { and, desc, eq } from "drizzle-orm";
import { bookingEvents, bookings, instruments, labs, memberships, usageRecords, users } from "../../db/schema";
import { getDb } from "~/lib/db.server";

export async function checkOutPage(bookingId: string, labId: string) {
  const db = await getDb();
  const [booking] = await db
    .select({
      id: bookings.id,
      reference: bookings.reference,
      status: bookings.status,
      period: bookings.period,
      serviceMode: bookings.serviceMode,
      userId: bookings.userId,
      userName: users.displayName,
      instrument: { nameZh: instruments.nameZh, nameEn: instruments.nameEn },
      lab: { id: labs.id, nameZh: labs.nameZh, nameEn: labs.nameEn, timeZone: labs.timeZone },
    })
    .from(bookings)
    .innerJoin(instruments, eq(instruments.id, bookings.instrumentId))
    .innerJoin(labs, eq(labs.id, instruments.labId))
    .innerJoin(users, eq(users.id, bookings.userId))
    .where(and(eq(bookings.id, bookingId), eq(instruments.labId, labId)))
    .limit(1);
  if (!booking) return null;
  const [[checkedIn], staff, [record]] = await Promise.all([
    db
      .select({ at: bookingEvents.at })
      .from(bookingEvents)
      .where(and(eq(bookingEvents.bookingId, bookingId), eq(bookingEvents.toStatus, "in_use")))
      .orderBy(desc(bookingEvents.at))
      .limit(1),
    db
      .select({ id: users.id, displayName: users.displayName })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.labId, labId), eq(memberships.role, "lab_staff")))
      .orderBy(users.displayName),
    db.select().from(usageRecords).where(eq(usageRecords.bookingId, bookingId)).limit(1),
  ]);
  const operators = [{ id: booking.userId, displayName: booking.userName, customer: true }, ...staff.filter((s) => s.id !== booking.userId).map((s) => ({ ...s, customer: false }))];
  return { booking, checkedInAt: checkedIn?.at ?? null, operators, record: record ?? null };
}

/** The usage record of a finished booking, for its customer and for the reports (null before check-out). */
export async function usageRecordOf(bookingId: string) {
  const db = await getDb();
  const [record] = await db
    .select({
      startedAt: usageRecords.startedAt,
      endedAt: usageRecords.endedAt,
      preparationMinutes: usageRecords.preparationMinutes,
      measurementMinutes: usageRecords.measurementMinutes,
      postProcessingMinutes: usageRecords.postProcessingMinutes,
      idleMinutes: usageRecords.idleMinutes,
      lateStartMinutes: usageRecords.lateStartMinutes,
      samplesCount: usageRecords.samplesCount,
      operatorName: users.displayName,
    })
    .from(usageRecords)
    .leftJoin(users, eq(users.id, usageRecords.operatorUserId))
    .where(eq(usageRecords.bookingId, bookingId))
    .limit(1);
  return record ? { ...record, startedAt: record.startedAt.toISOString(), endedAt: record.endedAt.toISOString() } : null;
}
