import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";
import { chromiumExecutable } from "./chromium";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

/**
 * Builds the app once, starts it as a child process on a free port against a fresh database (a new
 * database on TEST_DATABASE_URL's server, else PGlite in a temp dir) and hands tests its base URL.
 * Under CI a missing Chromium or Postgres is an error, never a skip.
 */
const root = fileURLToPath(new URL("../..", import.meta.url));
const HEALTH_TIMEOUT_MS = 90_000;

let child: ChildProcess | undefined;
let stopping = false;
let dataDir: string | undefined;
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

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const address = s.address();
      const port = typeof address === "object" && address ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

async function waitForHealth(baseUrl: string, server: ChildProcess, output: () => string) {
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  let last = "no answer";
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the app exited with ${server.exitCode} before it was healthy:\n${output()}`);
    try {
      const response = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2_000) });
      const body = await response.text();
      if (response.ok && JSON.parse(body).status === "ok") return;
      last = `${response.status} ${body.slice(0, 200)}`;
    } catch (error) {
      last = String(error);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the app was not healthy within ${HEALTH_TIMEOUT_MS / 1000} s (last: ${last}):\n${output()}`);
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

  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  dataDir = mkdtempSync(path.join(tmpdir(), "openlab-e2e-"));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    PORT: String(port),
    HOST: "127.0.0.1",
    DATA_DIR: dataDir,
    PUBLIC_URL: baseUrl,
    SESSION_SECRET: "e2e-session-secret-0123456789abcdef0123456789",
    LOG_LEVEL: "warn",
  };
  delete env.DATABASE_URL;
  delete env.SMTP_URL;
  if (process.env.TEST_DATABASE_URL) {
    const { createTestDatabase } = await import("./postgres");
    const database = await createTestDatabase(process.env.TEST_DATABASE_URL, "e2e");
    dropDatabase = database.drop;
    env.DATABASE_URL = database.url;
  }

  let output = "";
  child = spawn(process.execPath, ["--import", "tsx", "server.ts"], {
    cwd: root,
    env,
    detached: true, // its own process group, so teardown stops everything it started
    stdio: ["ignore", "pipe", "pipe"],
  });
  // The server's output goes to .cache/e2e-server.log; a crash during the run is reported at once.
  mkdirSync(path.join(root, ".cache"), { recursive: true });
  const log = createWriteStream(path.join(root, ".cache/e2e-server.log"));
  for (const stream of [child.stdout!, child.stderr!]) {
    stream.on("data", (d) => {
      output = (output + d).slice(-20_000);
      log.write(d);
    });
  }
  child.once("exit", (code, signal) => {
    log.end();
    if (!stopping) console.error(`\nthe app under test exited unexpectedly (${signal ?? code}):\n${output}`);
  });
  await waitForHealth(baseUrl, child, () => output);
  project.provide("baseUrl", baseUrl);
}

async function stopServer(server: ChildProcess) {
  if (server.exitCode !== null || server.pid === undefined) return;
  const exited = new Promise<void>((resolve) => server.once("exit", () => resolve()));
  const signal = (s: NodeJS.Signals) => {
    try {
      process.kill(-server.pid!, s);
    } catch {
      // already gone
    }
  };
  signal("SIGTERM");
  const timer = setTimeout(() => signal("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

export async function teardown() {
  stopping = true;
  if (child) await stopServer(child);
  await dropDatabase?.();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}
