import type { JobHandlers } from "./jobs.server";
import { sendEmailJob } from "./mail.server";

/** Every queue the server works on, with its handler. Handlers must be safe to run twice. */
export const jobHandlers: JobHandlers = {
  "send-email": sendEmailJob,
};
