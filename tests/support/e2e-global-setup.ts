import path from "node:path";
import type { TestProject } from "vitest/node";
import { buildApp, root, startAppServer, type AppServer } from "./app-server";
import { chromiumExecutable } from "./chromium";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    /** The Postgres database behind baseUrl; empty when the server runs on PGlite. */
    appDatabaseUrl: string;
  }
}

/**
 * Builds the app once, starts it as a child process on a free port against a fresh database (a new
 * database on TEST_DATABASE_URL's server, else PGlite in a temp dir) and hands tests its base URL.
 * Under CI a missing Chromium or Postgres is an error, never a skip.
 */
let server: AppServer | undefined;
let dropDatabase: (() => Promise<void>) | undefined;

export async function setup(project: TestProject) {
  try {
    await start(project);
  } catch (error) {
    await teardown();
    throw error;
  }
}

async function start(project: TestProject) {
  const ci = process.env.CI === "true";
  if (ci && !chromiumExecutable()) {
    throw new Error("CI: no Chromium found (set PLAYWRIGHT_CHROMIUM_EXECUTABLE or install Debian's chromium)");
  }
  if (ci && !process.env.TEST_DATABASE_URL) throw new Error("CI: TEST_DATABASE_URL must point at a Postgres server");

  await buildApp();

  let databaseUrl = "";
  if (process.env.TEST_DATABASE_URL) {
    const { createTestDatabase } = await import("./postgres");
    const database = await createTestDatabase(process.env.TEST_DATABASE_URL, "e2e", { seeded: false });
    dropDatabase = database.drop;
    databaseUrl = database.url;
  }
  // The server's output goes to .cache/e2e-server.log; a crash during the run is reported at once.
  server = await startAppServer({ databaseUrl: databaseUrl || undefined, logFile: path.join(root, ".cache/e2e-server.log") });
  const started = server;
  started.child.once("exit", (code, signal) => {
    if (server === started) console.error(`\nthe app under test exited unexpectedly (${signal ?? code}):\n${started.output()}`);
  });
  project.provide("baseUrl", server.baseUrl);
  project.provide("appDatabaseUrl", databaseUrl);
}

export async function teardown() {
  const running = server;
  server = undefined;
  await running?.stop();
  await dropDatabase?.();
}
