import PgBoss from "pg-boss";
import { database, executeSqlIn, type Tx } from "./db.server";
import { logger } from "./log.server";

/** Work that must not be lost. Each queue has one handler; handlers must be idempotent. */
export type JobHandlers = Record<string, (data: any) => Promise<void>>;

const BOSS = Symbol.for("openlab.jobs");
type GlobalWithBoss = typeof globalThis & { [BOSS]?: Promise<PgBoss> };

const retry = { retryLimit: 5, retryDelay: 10, retryBackoff: true };

/**
 * A job whose worker died (a killed process) stays active until it expires; short jobs expire
 * soon so they run again within minutes, not after pg-boss's default quarter of an hour. Long ones
 * (the summary rebuilds) keep the default so that they are never run twice at once.
 */
const expiry: Record<string, { expireInSeconds: number }> = { "send-email": { expireInSeconds: 60 }, "booking-message": { expireInSeconds: 60 } };
// How often expired jobs are looked for (pg-boss's default: every two minutes).
const maintenanceIntervalSeconds = 30;

async function createBoss(): Promise<PgBoss> {
  const d = await database();
  // On a server pg-boss keeps its own pool; on PGlite it shares the one embedded connection.
  const boss = d.url
    ? new PgBoss({ connectionString: d.url, max: 4, application_name: "openlab-jobs", maintenanceIntervalSeconds })
    : new PgBoss({ db: { executeSql: d.executeSql }, maintenanceIntervalSeconds });
  boss.on("error", (err) => logger.error({ err }, "job queue error"));
  await boss.start();
  return boss;
}

export function jobQueue(): Promise<PgBoss> {
  const g = globalThis as GlobalWithBoss;
  return (g[BOSS] ??= createBoss());
}

const createdQueues = new Map<string, Promise<void>>();
let creating: Promise<unknown> = Promise.resolve();

/**
 * Queues must exist before anything is sent to them, and are created outside the caller's
 * transaction (on PGlite a second statement would wait for that transaction). Once per process:
 * concurrent first callers share one creation, and creations run one at a time, since pg-boss's
 * createQueue deadlocks with itself when two run at once.
 */
export async function createQueues(names: string[]) {
  await Promise.all(
    names.map((name) => {
      let created = createdQueues.get(name);
      if (!created) {
        created = creating.catch(() => {}).then(async () => void (await (await jobQueue()).createQueue(name)));
        creating = created;
        created.catch(() => createdQueues.delete(name));
        createdQueues.set(name, created);
      }
      return created;
    }),
  );
}

/** Starts workers for every handler and the clock for scheduled queues; called once at start. */
export async function startWorkers(handlers: JobHandlers, schedules: Record<string, string> = {}) {
  const boss = await jobQueue();
  await createQueues(Object.keys(handlers));
  for (const [name, cron] of Object.entries(schedules)) await boss.schedule(name, cron);
  for (const [name, handler] of Object.entries(handlers)) {
    await boss.work(name, { pollingIntervalSeconds: 1, batchSize: 10 }, async (jobs) => {
      for (const job of jobs) await handler(job.data);
    });
  }
}

/** Enqueues inside the caller's transaction: the job exists if and only if the change commits. */
export async function enqueue(tx: Tx, name: string, data: object): Promise<void> {
  const boss = await jobQueue();
  const id = await boss.send(name, data, { ...retry, ...expiry[name], db: executeSqlIn(tx) });
  // pg-boss answers null when the queue does not exist; a lost job must fail the change instead.
  if (!id) throw new Error(`job queue "${name}" does not exist`);
}

export async function stopJobs() {
  const g = globalThis as GlobalWithBoss;
  if (!g[BOSS]) return;
  const boss = await g[BOSS];
  g[BOSS] = undefined;
  createdQueues.clear();
  await boss.stop({ graceful: false, wait: true });
}
