import { execFileSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, startAppServer, type AppServer } from "../support/app-server";
import { HttpClient } from "../support/http";
import { createTestDatabase } from "../support/postgres";
import { bookThrough, freeSlotLinks, signedIn } from "../support/reliability";
import { demoLogins } from "../support/route-matrix";

/**
 * Postgres restarted under load. The test runs its own Postgres cluster (initdb in a temp dir,
 * its own port) so stopping it disturbs nothing else on the machine.
 */
const binDir = () => {
  const versions = readdirSync("/usr/lib/postgresql").sort((a, b) => Number(b) - Number(a));
  for (const v of versions) if (existsSync(`/usr/lib/postgresql/${v}/bin/pg_ctl`)) return `/usr/lib/postgresql/${v}/bin`;
  throw new Error("no Postgres binaries under /usr/lib/postgresql");
};
// Postgres refuses to run as root; as root the cluster runs as the postgres user.
const asPostgres = (command: string, args: string[]) =>
  process.getuid?.() === 0 ? execFileSync("runuser", ["-u", "postgres", "--", command, ...args], { stdio: "pipe" }) : execFileSync(command, args, { stdio: "pipe" });

let dir: string;
let port: number;
let server: AppServer | undefined;
const pgCtl = (...args: string[]) => asPostgres(path.join(binDir(), "pg_ctl"), ["-D", path.join(dir, "data"), "-w", "-t", "60", ...args]);

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "openlab-pg-"));
  chmodSync(dir, 0o755);
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync("id", ["-u", "postgres"]).toString());
    const gid = Number(execFileSync("id", ["-g", "postgres"]).toString());
    chownSync(dir, uid, gid);
  }
  port = await freePort();
  asPostgres(path.join(binDir(), "initdb"), ["-D", path.join(dir, "data"), "-U", "postgres", "--auth=trust", "-E", "UTF8"]);
  pgCtl("-l", path.join(dir, "log"), "-o", `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`, "start");
  const database = await createTestDatabase(`postgres://postgres@127.0.0.1:${port}/postgres`, "restart");
  server = await startAppServer({ databaseUrl: database.url });
}, 300_000);

afterAll(async () => {
  await server?.stop();
  try {
    pgCtl("-m", "immediate", "stop");
  } catch {
    // already stopped
  }
  rmSync(dir, { recursive: true, force: true });
});

describe("Postgres restarted under load", () => {
  it("answers 503 with a clear page while it is down and recovers by itself", async () => {
    const customer = await signedIn(server!.baseUrl, demoLogins.customer);
    const visitor = new HttpClient(server!.baseUrl);
    const statuses: number[] = [];
    let running = true;
    const load = (async () => {
      while (running) {
        for (const path of ["/instruments?q=%E7%94%B5%E9%95%9C", "/instruments/jem-2100f-zju-emlab", "/"]) {
          const response = await visitor.get(path).catch(() => undefined);
          if (response) {
            statuses.push(response.status);
            await response.body?.cancel();
          }
        }
      }
    })();
    await new Promise((r) => setTimeout(r, 1_500));
    pgCtl("-m", "fast", "stop");
    await new Promise((r) => setTimeout(r, 2_500));

    const down = await visitor.get("/instruments");
    const page = await down.text();
    expect(down.status).toBe(503);
    expect(down.headers.get("retry-after")).toBe("5");
    expect(page).toContain("服务暂时不可用");
    expect(page).toContain("Service temporarily unavailable");
    expect((await visitor.get("/healthz")).status).toBe(503);

    pgCtl("-l", path.join(dir, "log"), "-o", `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`, "start");
    const deadline = Date.now() + 60_000;
    let status = 0;
    while (Date.now() < deadline) {
      status = (await visitor.get("/healthz")).status;
      if (status === 200 && (await visitor.get("/instruments")).status === 200) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    running = false;
    await load;
    expect(status).toBe(200);
    // Only answers a user can act on: pages, or "try again" while the database was away.
    expect(statuses.filter((s) => s !== 200 && s !== 503)).toEqual([]);
    // And it works again, writes included.
    const [link] = await freeSlotLinks(customer);
    expect((await bookThrough(customer, link!)).status).toBe(302);
  });
});
