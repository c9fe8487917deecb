import { refreshFreeSpans } from "~/availability/free-window.server";
import { bookingJobHandlers, bookingJobSchedules } from "~/booking/booking-jobs.server";
import { writeBookingMessages } from "~/booking/messages.server";
import type { JobHandlers } from "./jobs.server";
import { sendEmailJob } from "./mail.server";
import { sendOverdueReminders } from "~/billing/reminders.server";
import { refreshSummariesJob } from "~/reporting/refresh.server";
import { sendExpiryWarnings } from "~/trust/accreditations.server";

/** Every queue the server works on, with its handler. Handlers must be safe to run twice. */
export const jobHandlers: JobHandlers = {
  "send-email": sendEmailJob,
  "booking-message": writeBookingMessages,
  "refresh-usage-summaries": refreshSummariesJob,
  ...bookingJobHandlers,
  "accreditation-expiry-warnings": async () => void (await sendExpiryWarnings(new Date())),
  "overdue-payment-reminders": async () => void (await sendOverdueReminders(new Date())),
  "refresh-free-spans": async () => void (await refreshFreeSpans(new Date())),
};

/** Queues that also run on a clock (cron, UTC); pg-boss runs each occurrence once across instances. */
export const jobSchedules: Record<string, string> = {
  "refresh-usage-summaries": "*/15 * * * *",
  ...bookingJobSchedules,
  // 09:00 in China: the warnings arrive at the start of the working day.
  "accreditation-expiry-warnings": "0 1 * * *",
  "overdue-payment-reminders": "0 1 * * *",
  // Changed instruments are searched exactly but slowly until their spans are rebuilt.
  "refresh-free-spans": "*/5 * * * *",
};
