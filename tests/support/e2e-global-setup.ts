import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { root, startAppServer, type AppServer } from "./app-server";
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

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(command, args, { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    p.stdout.on("data", (d) => (output += d));
    p.stderr.on("data", (d) => (output += d));
    p.on("error", reject);
    p.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(" ")} exited with ${code}:\n${output.slice(-8000)}`)),
    );
  });
}

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

  if (process.env.E2E_SKIP_BUILD === "1") {
    if (!existsSync(path.join(root, "build/server/index.js"))) throw new Error("E2E_SKIP_BUILD=1 but build/ is missing");
  } else {
    const cli = path.join(root, "node_modules/@remix-run/dev/dist/cli.js");
    await run(process.execPath, [cli, "vite:build"], { ...process.env, NODE_ENV: "production" });
  }

  let databaseUrl = "";
  if (process.env.TEST_DATABASE_URL) {
    const { createTestDatabase } = await import("./postgres");
    const database = await createTestDatabase(process.env.TEST_DATABASE_URL, "e2e");
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
