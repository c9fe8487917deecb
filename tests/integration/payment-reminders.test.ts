import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { chargeReminders, charges, memberships, platformSettings, users } from "../../db/schema";
import { applyProviderFinance } from "../../app/billing/finance.server";
import { sendOverdueReminders } from "../../app/billing/reminders.server";
import type { Database } from "../../app/lib/db.server";
import { deliverQueued, emailJobs } from "../support/accounts";
import { at, newUsers } from "../support/booking";
import { useTestDatabase } from "../support/db";
import { completedBooking, newCompany, organizationIdOf } from "../support/vouchers";

let d: Database;
let staffId: string;
let zju: string;

beforeAll(async () => {
  d = await useTestDatabase();
  [staffId] = await newUsers(d, 1);
  zju = await organizationIdOf(d, "zju");
});

const emailOf = async (userId: string) => (await d.db.select({ email: users.email }).from(users).where(eq(users.id, userId)))[0]!.email;
const remindersOf = async (chargeId: string) =>
  (await d.db.select({ days: chargeReminders.daysOverdue }).from(chargeReminders).where(eq(chargeReminders.chargeId, chargeId))).map((r) => r.days).sort((a, b) => a - b);
const reminderJobs = async (to: string, reference: string) => (await emailJobs(d, to)).filter((j) => j.template === "payment-reminder" && j.props.reference === reference);

/** A company (with an org admin besides the booker) owing 600 元 for a two-hour booking. */
async function owingCompany(start: string, end: string) {
  const company = await newCompany(d);
  const [adminId] = await newUsers(d, 1);
  await d.db.insert(memberships).values({ userId: adminId!, organizationId: company.organizationId, role: "org_admin" });
  const charge = await (await completedBooking(d, company, staffId, { start, end })).complete();
  return { company, adminId: adminId!, charge };
}

describe("overdue reminders", () => {
  it("remind the booker and the org admins once per step, with what is still owed, and never after payment", async () => {
    const { company, adminId, charge } = await owingCompany("2026-03-03 09:00", "2026-03-03 11:00");
    // Made on 3 March (Shanghai), due 30 days later.
    expect(charge.dueOn).toBe("2026-04-02");
    const booker = await emailOf(company.userId);
    const admin = await emailOf(adminId);

    await sendOverdueReminders(at("2026-04-02 18:00"));
    expect(await remindersOf(charge.id)).toEqual([]);

    const dayAfter = at("2026-04-03 09:00");
    await sendOverdueReminders(dayAfter);
    expect(await sendOverdueReminders(dayAfter)).toBe(0);
    await sendOverdueReminders(at("2026-04-10 09:00"));
    expect(await remindersOf(charge.id)).toEqual([1]);
    expect(await reminderJobs(booker, charge.reference)).toHaveLength(1);
    expect(await reminderJobs(admin, charge.reference)).toHaveLength(1);
    const [row] = await d.db.select({ lastReminderAt: charges.lastReminderAt }).from(charges).where(eq(charges.id, charge.id));
    expect(row!.lastReminderAt).toEqual(dayAfter);

    // A partial transfer lowers what the next reminder asks for.
    expect(await applyProviderFinance(staffId, zju, { intent: "payment", chargeId: charge.id, amount: 20_000, receivedOn: "2026-04-12", bankReference: `RM-${charge.id.slice(0, 8)}` })).toEqual({ ok: true });
    await sendOverdueReminders(at("2026-04-16 09:00"));
    await sendOverdueReminders(at("2026-04-16 09:00"));
    expect(await remindersOf(charge.id)).toEqual([1, 14]);
    const mails = (await deliverQueued(d, booker)).filter((m) => m.template === "payment-reminder");
    expect(mails).toHaveLength(2);
    expect(mails[0]!.subject).toBe(`费用单 ${charge.reference} 已逾期`);
    expect(mails[0]!.text).toContain("¥600.00");
    expect(mails[1]!.text).toContain("¥400.00");
    expect(mails[1]!.text).toContain(`/charges/${charge.id}`);

    // Paid in full: the 30-day step never goes out.
    expect(await applyProviderFinance(staffId, zju, { intent: "payment", chargeId: charge.id, amount: 40_000, receivedOn: "2026-04-20", bankReference: `RM2-${charge.id.slice(0, 8)}` })).toEqual({ ok: true });
    await sendOverdueReminders(at("2026-05-05 09:00"));
    expect(await remindersOf(charge.id)).toEqual([1, 14]);
    expect(await reminderJobs(booker, charge.reference)).toHaveLength(2);
  });

  it("a charge first seen long overdue gets only the latest step it reached", async () => {
    const { company, charge } = await owingCompany("2026-03-04 09:00", "2026-03-04 10:00");
    expect(charge.dueOn).toBe("2026-04-03");
    await sendOverdueReminders(at("2026-05-10 09:00"));
    await sendOverdueReminders(at("2026-05-11 09:00"));
    expect(await remindersOf(charge.id)).toEqual([30]);
    expect(await reminderJobs(await emailOf(company.userId), charge.reference)).toHaveLength(1);
  });

  it("the payment term is a platform setting read when a charge is made", async () => {
    await d.db.insert(platformSettings).values({ key: "payment-terms", value: { termDays: 10, reminderDays: [3] } });
    try {
      const { company, charge } = await owingCompany("2026-03-05 09:00", "2026-03-05 10:00");
      expect(charge.dueOn).toBe("2026-03-15");
      await sendOverdueReminders(at("2026-03-17 09:00"));
      expect(await remindersOf(charge.id)).toEqual([]);
      await sendOverdueReminders(at("2026-03-18 09:00"));
      expect(await remindersOf(charge.id)).toEqual([3]);
      expect(await reminderJobs(await emailOf(company.userId), charge.reference)).toHaveLength(1);
    } finally {
      await d.db.delete(platformSettings).where(eq(platformSettings.key, "payment-terms"));
    }
  });
});
