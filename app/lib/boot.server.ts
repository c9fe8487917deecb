import { seed } from "../../db/seed/seed";
import { seedDemoUnderWay } from "../../db/seed/under-way";
import { refreshSummaries } from "~/reporting/refresh.server";
import { database, migrateDatabase } from "./db.server";
import { env } from "./env.server";
import { jobHandlers, jobSchedules } from "./job-handlers.server";
import { startWorkers, stopJobs } from "./jobs.server";
import { logger } from "./log.server";
import { storage } from "./storage.server";

/** Migrates, seeds demo data into an empty database, and starts the job workers. */
export async function boot() {
  const e = env();
  const started = Date.now();
  const d = await database();
  await migrateDatabase(d);
  const seeded = e.SEED_DEMO ? (await seed(d.db, { saveFile: (key, bytes) => storage().save(key, bytes) })).seeded : false;
  if (seeded) {
    // Made through the booking commands, after the demo's rows have committed; a failure leaves
    // the demo without them, not without a server.
    await seedDemoUnderWay(d.db, new Date()).catch((err) => logger.error({ err }, "demo bookings under way could not be made"));
    logger.info("demo data loaded");
  }
  if (e.JOBS) await startWorkers(jobHandlers, jobSchedules);
  logger.info({ database: d.kind, ms: Date.now() - started }, "ready");
  // The demo's year of usage shows on the dashboards once its summaries are built; the server
  // answers meanwhile rather than waiting for them.
  if (seeded) void refreshSummaries().catch((err) => logger.error({ err }, "summary refresh after seeding failed"));
}

export async function shutdown() {
  await stopJobs();
  await (await database()).close();
}
