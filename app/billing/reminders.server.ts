// Overdue reminders: a daily job emails the customer organisation about charges unpaid past their
// due date, once per charge and reminder step; and the payment terms, a platform setting.
import { and, eq, inArray, lt, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { bookings, chargeReminders, charges, memberships, organizations, platformSettings, users } from "../../db/schema";
import { siteOrigin } from "~/booking/calendar-entries.server";
import { getDb, type Tx } from "~/lib/db.server";
import { formatDate, formatMoney, localName } from "~/lib/format";
import { isLocale } from "~/lib/i18n";
import { prepareEmailQueue, queueEmail } from "~/lib/mail.server";
import { dueReminder, paymentTermsFrom, type PaymentTerms } from "./reminders";
import { shanghaiDate } from "./vouchers.server";

const PAYMENT_TERMS_KEY = "payment-terms";

export async function paymentTerms(tx?: Tx): Promise<PaymentTerms> {
  const db = tx ?? (await getDb());
  const [row] = await db.select({ value: platformSettings.value }).from(platformSettings).where(eq(platformSettings.key, PAYMENT_TERMS_KEY));
  return paymentTermsFrom(row?.value);
}

const customers = alias(organizations, "customer");

/**
 * The daily reminder job. Each charge still owed past its due date gets the reminder step it has
 * reached, mailed to the person who booked and the organisation's admins in their language. The
 * step is claimed (inserted) in the transaction that queues the mail, so a re-run or a second
 * instance sends nothing twice. Returns how many charges were reminded.
 */
export async function sendOverdueReminders(now: Date): Promise<number> {
  const db = await getDb();
  const terms = await paymentTerms();
  const today = shanghaiDate(now);
  const owed = await db
    .select({
      id: charges.id,
      reference: charges.reference,
      dueOn: charges.dueOn,
      currency: charges.currency,
      outstandingFen: sql<number>`(${charges.amountFen} - ${charges.voucherFen} - ${charges.paidFen})::int`,
      customerOrganizationId: charges.customerOrganizationId,
      bookerId: bookings.userId,
      provider: { nameZh: organizations.nameZh, nameEn: organizations.nameEn },
      customer: { nameZh: customers.nameZh, nameEn: customers.nameEn },
      sent: sql<number[]>`coalesce((select array_agg(r.days_overdue) from charge_reminders r where r.charge_id = ${charges.id}), '{}')`,
    })
    .from(charges)
    .innerJoin(organizations, eq(organizations.id, charges.providerOrganizationId))
    .innerJoin(customers, eq(customers.id, charges.customerOrganizationId))
    .leftJoin(bookings, eq(bookings.id, charges.bookingId))
    .where(and(inArray(charges.status, ["open", "partially_paid"]), lt(charges.dueOn, today), sql`${charges.amountFen} - ${charges.voucherFen} - ${charges.paidFen} > 0`));
  const todo = owed.flatMap((c) => {
    const step = dueReminder(c.dueOn, today, (c.sent ?? []).map(Number), terms.reminderDays);
    return step === null ? [] : [{ ...c, step }];
  });
  if (todo.length === 0) return 0;
  const admins = await db
    .select({ userId: users.id, organizationId: memberships.organizationId })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.role, "org_admin"), inArray(memberships.organizationId, [...new Set(todo.map((c) => c.customerOrganizationId))])));
  const recipientIds = [...new Set([...admins.map((a) => a.userId), ...todo.flatMap((c) => (c.bookerId ? [c.bookerId] : []))])];
  const people = await db.select({ id: users.id, email: users.email, locale: users.locale, name: users.displayName }).from(users).where(inArray(users.id, recipientIds));
  await prepareEmailQueue();
  let reminded = 0;
  for (const c of todo) {
    const ids = new Set([...(c.bookerId ? [c.bookerId] : []), ...admins.filter((a) => a.organizationId === c.customerOrganizationId).map((a) => a.userId)]);
    const claimed = await db.transaction(async (tx) => {
      const [row] = await tx.insert(chargeReminders).values({ chargeId: c.id, daysOverdue: c.step, sentAt: now }).onConflictDoNothing().returning();
      if (!row) return false;
      await tx.update(charges).set({ lastReminderAt: now }).where(eq(charges.id, c.id));
      for (const person of people.filter((p) => ids.has(p.id))) {
        const locale = isLocale(person.locale) ? person.locale : "zh-CN";
        await queueEmail(tx, {
          to: person.email,
          locale,
          template: "payment-reminder",
          props: {
            name: person.name,
            reference: c.reference,
            organization: localName(c.customer, locale),
            provider: localName(c.provider, locale),
            amount: formatMoney(c.outstandingFen, locale, c.currency),
            due: formatDate(c.dueOn, locale),
            url: `${siteOrigin()}/charges/${c.id}`,
          },
        });
      }
      return true;
    });
    if (claimed) reminded++;
  }
  return reminded;
}
