// One demo complaint (投诉), answered by the lab and waiting for the platform's decision, so the
// customer's list, the lab's list and the admin inbox show something on a fresh start.
import { and, desc, eq, sql } from "drizzle-orm";
import type { Tx } from "../../app/lib/db.server";
import { bookings, complaintMessages, complaints, instruments, labs, users } from "../schema";

const HOUR = 3_600_000;

export async function seedDemoComplaint(tx: Tx, now: Date): Promise<void> {
  const [booking] = await tx
    .select({ id: bookings.id, organizationId: bookings.organizationId, userId: bookings.userId, labId: labs.id })
    .from(bookings)
    .innerJoin(users, eq(users.id, bookings.userId))
    .innerJoin(instruments, eq(instruments.id, bookings.instrumentId))
    .innerJoin(labs, eq(labs.id, instruments.labId))
    .where(and(eq(users.email, "customer@weina.openlab.test"), eq(labs.slug, "zju-emlab"), eq(bookings.status, "completed")))
    .orderBy(desc(sql`upper(${bookings.period})`))
    .limit(1);
  const [staff] = await tx.select({ id: users.id }).from(users).where(eq(users.email, "staff@zju.openlab.test"));
  if (!booking || !staff) return;
  const filedAt = new Date(now.getTime() - 72 * HOUR);
  const answeredAt = new Date(filedAt.getTime() + 26 * HOUR);
  const [complaint] = await tx
    .insert(complaints)
    .values({
      organizationId: booking.organizationId,
      filedBy: booking.userId,
      labId: booking.labId,
      subjectKind: "booking",
      bookingId: booking.id,
      body: "预约开始后等了 40 分钟才有操作员到场，实际机时不足，但费用按预约时长计算。希望核实并调整费用。",
      status: "responded",
      filedAt,
      firstResponseAt: answeredAt,
    })
    .returning({ id: complaints.id });
  await tx.insert(complaintMessages).values({
    complaintId: complaint!.id,
    authorUserId: staff.id,
    side: "lab",
    body: "经核实，当天操作员因前一预约延时迟到约 35 分钟。我们同意按实际使用时长重新结算，差额将退回。",
    createdAt: answeredAt,
  });
}
