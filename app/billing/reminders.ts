// Payment terms and overdue reminders, as pure functions of dates (Shanghai calendar days).
import { z } from "zod";
import { storedSettings } from "~/lib/validation";
import { daysBetween } from "~/trust/accreditation";

export interface PaymentTerms {
  /** Days after a charge is made that it is due. */
  termDays: number;
  /** Days past the due date a reminder goes out, ascending. */
  reminderDays: number[];
}

export const defaultPaymentTerms: PaymentTerms = { termDays: 30, reminderDays: [1, 14, 30] };

const whole = (min: number, max: number) => z.coerce.number({ message: "validation.invalid" }).int("validation.invalid").min(min, "validation.tooSmall").max(max, "validation.tooBig");

export const paymentTermsSchema = z.object({
  termDays: whole(1, 365),
  reminderDays: z
    .array(whole(1, 365))
    .min(1)
    .max(5)
    .transform((days) => [...new Set(days)].sort((a, b) => a - b)),
});

/** Stored values over the defaults; a stored value that no longer fits the schema is ignored. */
export const paymentTermsFrom = storedSettings(paymentTermsSchema, defaultPaymentTerms);

/**
 * The reminder step due today, if any: the latest step the charge is overdue by, unless that step
 * or a later one was sent already. A charge found 20 days overdue gets the 14-day reminder only,
 * never the 1-day one as well.
 */
export function dueReminder(dueOn: string, today: string, sent: readonly number[], steps: readonly number[]): number | null {
  const overdue = daysBetween(dueOn, today);
  const reached = steps.filter((s) => overdue >= s);
  const latest = reached.at(-1);
  if (latest === undefined || sent.some((s) => s >= latest)) return null;
  return latest;
}
