import { seed } from "../../db/seed/seed";
import { database, migrateDatabase } from "./db.server";
import { env } from "./env.server";
import { jobHandlers, jobSchedules } from "./job-handlers.server";
import { startWorkers, stopJobs } from "./jobs.server";
import { logger } from "./log.server";

/** Migrates, seeds demo data into an empty database, and starts the job workers. */
export async function boot() {
  const e = env();
  const started = Date.now();
  const d = await database();
  await migrateDatabase(d);
  if (e.SEED_DEMO) {
    const seeded = await seed(d.db);
    if (seeded) logger.info("demo data loaded");
  }
  if (e.JOBS) await startWorkers(jobHandlers, jobSchedules);
  logger.info({ database: d.kind, ms: Date.now() - started }, "ready");
}

export async function shutdown() {
  await stopJobs();
  await (await database()).close();
}
