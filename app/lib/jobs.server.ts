import PgBoss from "pg-boss";
import { database, executeSqlIn, type Tx } from "./db.server";
import { env } from "./env.server";
import { logger } from "./log.server";

/** Work that must not be lost. Each queue has one handler; handlers must be idempotent. */
export type JobHandlers = Record<string, (data: any) => Promise<void>>;

const BOSS = Symbol.for("openlab.jobs");
type GlobalWithBoss = typeof globalThis & { [BOSS]?: Promise<PgBoss> };

const retry = { retryLimit: 5, retryDelay: 10, retryBackoff: true };

async function createBoss(): Promise<PgBoss> {
  const e = env();
  const d = await database();
  // On a server pg-boss keeps its own pool; on PGlite it shares the one embedded connection.
  const boss = e.DATABASE_URL
    ? new PgBoss({ connectionString: e.DATABASE_URL, max: 4, application_name: "openlab-jobs" })
    : new PgBoss({ db: { executeSql: d.executeSql } });
  boss.on("error", (err) => logger.error({ err }, "job queue error"));
  await boss.start();
  return boss;
}

export function jobQueue(): Promise<PgBoss> {
  const g = globalThis as GlobalWithBoss;
  return (g[BOSS] ??= createBoss());
}

/** Queues are created before anything is sent to them. */
export async function createQueues(names: string[]) {
  const boss = await jobQueue();
  for (const name of names) await boss.createQueue(name);
}

/** Starts workers for every handler; called once when the server starts. */
export async function startWorkers(handlers: JobHandlers) {
  const boss = await jobQueue();
  await createQueues(Object.keys(handlers));
  for (const [name, handler] of Object.entries(handlers)) {
    await boss.work(name, { pollingIntervalSeconds: 1 }, async (jobs) => {
      for (const job of jobs) await handler(job.data);
    });
  }
}

/** Enqueues inside the caller's transaction: the job exists if and only if the change commits. */
export async function enqueue(tx: Tx, name: string, data: object): Promise<void> {
  const boss = await jobQueue();
  await boss.send(name, data, { ...retry, db: executeSqlIn(tx) });
}

export async function stopJobs() {
  const g = globalThis as GlobalWithBoss;
  if (!g[BOSS]) return;
  const boss = await g[BOSS];
  g[BOSS] = undefined;
  await boss.stop({ graceful: false, wait: true });
}
