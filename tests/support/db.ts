import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, inject } from "vitest";
import { migrateDatabase, openDatabase, useDatabase, type Database } from "../../app/lib/db.server";
import { stopJobs } from "../../app/lib/jobs.server";
import { seed } from "../../db/seed/seed";
import { createTestDatabase } from "./postgres";

process.env.NODE_ENV = "test";
process.env.DATA_DIR ??= mkdtempSync(path.join(tmpdir(), "openlab-test-"));
process.env.SESSION_SECRET ??= "test-session-secret-0123456789abcdef";

/**
 * What the test file opened, closed after its last test. Registered here, as the file imports this
 * module: Vitest never runs an `afterAll` registered from inside `beforeAll`, where most files
 * call useTestDatabase, so their isolated databases were left on the server.
 */
const openedByThisFile: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const close of openedByThisFile.splice(0).reverse()) await close();
});

/**
 * The database for an integration test file: the run's Postgres database when TEST_DATABASE_URL
 * is set (already migrated and seeded), else a fresh in-memory PGlite migrated and seeded here.
 * It becomes the app's database handle, so domain functions under test use it.
 */
export async function useTestDatabase(options: { isolated?: boolean } = {}): Promise<Database> {
  const shared = inject("databaseUrl");
  // An isolated file gets a database of its own on the server, untouched by other files' rows.
  const own = shared && options.isolated ? await createTestDatabase(process.env.TEST_DATABASE_URL!, "isolated") : undefined;
  const url = own?.url ?? shared;
  const d = url ? await openDatabase({ url }) : await openDatabase({ dataDir: null });
  if (!url) {
    await migrateDatabase(d);
    await seed(d.db, { log: () => {} });
  }
  useDatabase(d);
  openedByThisFile.push(async () => {
    await stopJobs();
    await d.close();
    await own?.drop();
  });
  return d;
}

/** A suffix that keeps rows created by one test apart from every other test's. */
export const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
