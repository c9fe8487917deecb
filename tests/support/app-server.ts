import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Starts the built app (`build/`) as a child process on a free loopback port, the way `npm start`
 * serves it, and stops it again. The end-to-end setup, the security sweep and the reliability tests
 * start their servers through here.
 */
export const root = fileURLToPath(new URL("../..", import.meta.url));
const HEALTH_TIMEOUT_MS = 90_000;
export const TEST_SESSION_SECRET = "e2e-session-secret-0123456789abcdef0123456789";

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

/** `npm run build`, unless E2E_SKIP_BUILD=1 asks to reuse the build/ that is there. */
export async function buildApp() {
  if (process.env.E2E_SKIP_BUILD === "1") {
    for (const file of ["build/server/index.js", "build/server.js"]) {
      if (!existsSync(path.join(root, file))) throw new Error(`E2E_SKIP_BUILD=1 but ${file} is missing`);
    }
    return;
  }
  await run("npm", ["run", "build"], { ...process.env, NODE_ENV: "production" });
}

export function freePort(): Promise<number> {
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

export interface AppServer {
  baseUrl: string;
  port: number;
  child: ChildProcess;
  /** The last 20 kB the server printed. */
  output(): string;
  /** Everything the server printed since it started. */
  fullOutput(): string;
  /** SIGTERM, then SIGKILL after 10 s; resolves when the process group is gone. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export interface AppServerOptions {
  /** A Postgres URL; without it the server opens PGlite in `dataDir`. */
  databaseUrl?: string;
  /** Where PGlite and the session secret live; a new temp dir by default (removed on stop). */
  dataDir?: string;
  port?: number;
  env?: Record<string, string>;
  /** Where to copy the server's output (besides keeping it in memory). */
  logFile?: string;
  /** More Node flags, e.g. `--cpu-prof` (written when the server stops). */
  nodeArgs?: string[];
}

async function waitForHealth(baseUrl: string, server: ChildProcess, output: () => string) {
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  let last = "no answer";
  while (Date.now() < deadline) {
    if (server.exitCode !== null || server.signalCode !== null) {
      throw new Error(`the app exited with ${server.exitCode ?? server.signalCode} before it was healthy:\n${output()}`);
    }
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

export async function startAppServer(options: AppServerOptions = {}): Promise<AppServer> {
  const port = options.port ?? (await freePort());
  const baseUrl = `http://127.0.0.1:${port}`;
  const ownDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), "openlab-app-"));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    PORT: String(port),
    HOST: "127.0.0.1",
    DATA_DIR: dataDir,
    PUBLIC_URL: baseUrl,
    SESSION_SECRET: TEST_SESSION_SECRET,
    LOG_LEVEL: "warn",
    // As `npm start` sets it: two malloc arenas instead of one per thread keep native memory compact.
    MALLOC_ARENA_MAX: "2",
    ...options.env,
  };
  delete env.DATABASE_URL;
  delete env.SMTP_URL;
  if (options.databaseUrl) env.DATABASE_URL = options.databaseUrl;
  if (options.env?.SMTP_URL) env.SMTP_URL = options.env.SMTP_URL;

  let tail = "";
  let full = "";
  // The same command line as `npm start` (its heap cap keeps the process's memory bounded).
  const child = spawn(process.execPath, ["--max-old-space-size=160", "--max-semi-space-size=8", ...(options.nodeArgs ?? []), "build/server.js"], {
    cwd: root,
    env,
    detached: true, // its own process group, so stop() ends everything it started
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log: ReturnType<typeof createWriteStream> | undefined;
  if (options.logFile) {
    mkdirSync(path.dirname(options.logFile), { recursive: true });
    log = createWriteStream(options.logFile);
  }
  for (const stream of [child.stdout!, child.stderr!]) {
    stream.on("data", (d) => {
      tail = (tail + d).slice(-20_000);
      full += d;
      log?.write(d);
    });
  }
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.once("exit", () => log?.end());

  const stop = async (signal: NodeJS.Signals = "SIGTERM") => {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      const send = (s: NodeJS.Signals) => {
        try {
          process.kill(-child.pid!, s);
        } catch {
          // already gone
        }
      };
      send(signal);
      const timer = setTimeout(() => send("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    }
    if (ownDataDir) rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    await waitForHealth(baseUrl, child, () => tail);
  } catch (error) {
    await stop("SIGKILL");
    throw error;
  }
  return { baseUrl, port, child, output: () => tail, fullOutput: () => full, stop };
}
