import { bookingJobHandlers, bookingJobSchedules } from "~/booking/booking-jobs.server";
import type { JobHandlers } from "./jobs.server";
import { sendEmailJob } from "./mail.server";
import { refreshSummariesJob } from "~/reporting/refresh.server";

/** Every queue the server works on, with its handler. Handlers must be safe to run twice. */
export const jobHandlers: JobHandlers = {
  "send-email": sendEmailJob,
  "refresh-usage-summaries": refreshSummariesJob,
  ...bookingJobHandlers,
};

/** Queues that also run on a clock (cron, UTC); pg-boss runs each occurrence once across instances. */
export const jobSchedules: Record<string, string> = {
  "refresh-usage-summaries": "*/15 * * * *",
  ...bookingJobSchedules,
};
