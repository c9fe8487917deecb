import { readdirSync, readFileSync } from "node:fs";
import { sql } from "drizzle-orm";
import { Client } from "undici";
import { localDateOf } from "../../app/availability/free-intervals";
import { refreshFreeSpans } from "../../app/availability/free-window.server";
import { cellsOf } from "../../app/booking/week-cells";
import { instrumentsWeek } from "../../app/booking/week.server";
import { countStatements } from "../../app/lib/db.server";
import { stopJobs } from "../../app/lib/jobs.server";
import { refreshSummaries } from "../../app/reporting/refresh.server";
import { startAppServer, TEST_SESSION_SECRET } from "../support/app-server";
import { HttpClient } from "../support/http";
import { benchDatabase, ms, serverBuild } from "./support";

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
/** Load before each measurement, not counted: a server that has just started is still compiling its hot code. */
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 5);
const INSTRUMENTS = 50;
/** One request in ten aims at a small shared set of slots, so clients also collide. */
const HOT_SHARE = Number(process.env.BENCH_HOT_SHARE ?? 0.1);
const HOT_SLOTS = 20;

type Slot = { instrumentId: string; slug: string; start: string; end: string };
const rowsOf = (r: unknown) => (Array.isArray(r) ? r : (r as { rows: any[] }).rows);

/** Free slots of the next weeks, from the same week grid the instrument page shows. */
async function slotPool(instruments: { id: string; slug: string }[], now: Date): Promise<Slot[]> {
  const slugs = new Map(instruments.map((i) => [i.id, i.slug]));
  const pool: Slot[] = [];
  for (let week = 1; week <= 6; week++) {
    const date = localDateOf(new Date(now.getTime() + week * 7 * 86_400_000), "Asia/Shanghai");
    for (const grid of await instrumentsWeek([...slugs.keys()], date, now)) {
      for (const day of grid.days)
        for (const c of cellsOf(day.free, grid.slotMinutes, grid.defaultMinutes))
          if (c.slotEnd) pool.push({ instrumentId: grid.instrumentId, slug: slugs.get(grid.instrumentId)!, start: c.start, end: c.slotEnd });
    }
  }
  return pool;
}

/** The booking page's own address, the slot in its query: where its form posts without JavaScript. */
const bookPath = (slot: Slot) => `/instruments/${slot.slug}/book?start=${encodeURIComponent(slot.start)}&end=${encodeURIComponent(slot.end)}`;

/**
 * Clients post as the booking form does in a browser with JavaScript (Remix's data request, which
 * answers a booking with a redirect to follow and a taken slot with the message and alternatives,
 * no page); BENCH_NO_SCRIPT=1 posts the plain form, answered with a whole page on a taken slot.
 */
const NO_SCRIPT = process.env.BENCH_NO_SCRIPT === "1";
const postPath = (slot: Slot) => (NO_SCRIPT ? bookPath(slot) : bookPath(slot).replace("/book?", "/book.data?"));
/** A booking answers 302 to a plain form and 202 (a redirect for the client to follow) to a data request. */
const BOOKED_STATUS = NO_SCRIPT ? 302 : 202;

/** Mostly distinct slots, one in ten from a small hot set: the same mix for HTTP and raw INSERTs. */
function picker(pool: Slot[]) {
  const hot = pool.slice(0, HOT_SLOTS);
  return () => (Math.random() < HOT_SHARE ? hot[Math.floor(Math.random() * hot.length)]! : pool[Math.floor(Math.random() * pool.length)]!);
}

/** CPU time (user + system) a process has used so far, from /proc; null where there is none. */
function cpuMs(pid: number | string | undefined): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    // utime and stime (fields 14 and 15) in clock ticks of 10 ms.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

/**
 * CPU time of every Postgres process on this machine so far (a local server: each connection is
 * a process of its own); null without /proc or a local server.
 */
function postgresCpuMs(): number | null {
  let total: number | null = null;
  try {
    for (const pid of readdirSync("/proc")) {
      if (!/^\d+$/.test(pid)) continue;
      try {
        if (readFileSync(`/proc/${pid}/comm`, "utf8").trim() !== "postgres") continue;
      } catch {
        continue;
      }
      // A backend that ends inside the window takes its time with it: connections here live through it.
      total = (total ?? 0) + (cpuMs(pid) ?? 0);
    }
  } catch {
    return null;
  }
  return total;
}

/** Milliseconds of CPU per attempt between two readings, as text; null when either is missing. */
const perAttempt = (before: number | null, after: number | null, attempts: number) =>
  before !== null && after !== null && attempts > 0 ? ms((after - before) / attempts) : null;

/** Runs `clients` loops until the deadline; each call answers whether it booked. */
async function loop(clients: number, seconds: number, attempt: (client: number) => Promise<"booked" | "conflict" | "error">) {
  const counts = { booked: 0, conflict: 0, error: 0 };
  const latencies: number[] = [];
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      while (performance.now() < deadline) {
        const t = performance.now();
        counts[await attempt(client)]++;
        latencies.push(performance.now() - t);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { ...counts, perSecond: counts.booked / elapsed, attemptsPerSecond: (counts.booked + counts.conflict + counts.error) / elapsed, p95: latencies[Math.floor(latencies.length * 0.95)] ?? 0 };
}

/**
 * 50 clients book through HTTP against the built server (real sign-in, session cookies and CSRF
 * tokens), next to raw INSERTs under the same exclusion constraint on other instruments, for the
 * same time in the same run; then no two live bookings may overlap. The same clients then post a
 * form the route refuses, which measures what the route costs before any booking work.
 */
export async function benchBook() {
  // The in-process request below signs its session cookie with the server's secret.
  process.env.SESSION_SECRET = TEST_SESSION_SECRET;
  const d = await benchDatabase({ instruments: 20_000, bookings: 2_000_000 });
  if (d.kind !== "postgres" || !d.url) throw new Error("book needs a Postgres server: set BENCH_DATABASE_URL");
  const build = await serverBuild();
  // A running server keeps usage summaries and free spans current (jobs every 15 and 5 minutes);
  // catching up on a fresh seed or on the last run's bookings would be measured as booking time.
  await refreshSummaries();
  await refreshFreeSpans(new Date());
  const now = new Date();
  // Round-the-clock instruments (a seeded opening pattern), half for HTTP, half for raw INSERTs.
  const instruments = rowsOf(
    await d.db.execute(sql`
      select i.id, i.slug from instruments i
      where i.status = 'published' and (select count(*) from availability_rules r where r.instrument_id = i.id and r.start_minute = 0 and r.end_minute = 1440) = 7
      order by i.slug limit ${INSTRUMENTS * 2}`),
  ) as { id: string; slug: string }[];
  const httpPick = picker(await slotPool(instruments.slice(0, INSTRUMENTS), now));
  const rawPick = picker(await slotPool(instruments.slice(INSTRUMENTS), now));

  // Bench customers share the demo password's hash: hashing is the slow part of sign-up, not of booking.
  const [demo] = rowsOf(await d.db.execute(sql`select u.password_hash as hash, m.organization_id as org from users u join memberships m on m.user_id = u.id where u.email = 'customer@weina.openlab.test'`));
  const tag = Date.now().toString(36);
  const customers = rowsOf(
    await d.db.execute(sql`
      with added as (
        insert into users (email, password_hash, display_name, email_verified_at)
        select 'bench-' || ${tag} || '-' || n || '@example.com', ${demo.hash}, '基准用户' || n, now() from generate_series(1, ${CLIENTS}) n
        returning id, email
      ), member as (
        insert into memberships (user_id, organization_id, role) select id, ${demo.org}::uuid, 'customer' from added
      )
      select email from added order by email`),
  ).map((r: any) => r.email as string);

  // The built server as `npm start` runs it; BENCH_SERVER_ARGS adds Node flags (e.g. --cpu-prof).
  const server = await startAppServer({ databaseUrl: d.url, nodeArgs: process.env.BENCH_SERVER_ARGS?.split(" ").filter(Boolean) });
  const baseUrl = server.baseUrl;
  try {
    // Each client signs in from its own address (the server trusts X-Forwarded-For from its proxy).
    const sessions = await Promise.all(
      customers.map(async (email, i) => {
        const client = new HttpClient(baseUrl);
        const headers = { "x-forwarded-for": `127.0.1.${i + 1}` };
        const login = await client.request("/login", { headers });
        const token = (await login.text()).match(/name="_csrf"[^>]*value="([^"]+)"/)![1]!;
        const answer = await client.request("/login", {
          method: "POST",
          headers: { ...headers, "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ email, password: "OpenLab-demo-2026", _csrf: token }),
        });
        if (answer.status !== 302 && answer.status !== 303) throw new Error(`sign-in answered ${answer.status}`);
        const first = httpPick();
        const csrf = await client.csrfToken(bookPath(first));
        return { client, csrf };
      }),
    );

    // One request through the route's action in this process, to count its SQL statements.
    const probe = httpPick();
    const { result: probeAnswer, statements } = await countStatements(() =>
      build.routes["routes/instruments.$slug_.book"].module
        .action({
          request: new Request(`${baseUrl}${bookPath(probe)}`, {
            method: "POST",
            headers: { cookie: sessions[0]!.client.cookieHeader(), "content-type": "application/x-www-form-urlencoded" },
            body: new URLSearchParams({ _csrf: sessions[0]!.csrf, start: probe.start, end: probe.end, purpose: "基准测试", projectReference: "", serviceMode: "" }),
          }),
          params: { slug: probe.slug },
          context: { clientIp: "127.0.1.1" },
        })
        .catch((thrown: unknown) => thrown),
    );
    const probeBooked = probeAnswer instanceof Response && probeAnswer.status === 302;

    // One keep-alive connection per client, as a browser holds one; undici's own client, because
    // fetch costs the load generator about three times the CPU, taken from the server it shares cores with.
    const connections = sessions.map(({ client }) => ({ http: new Client(baseUrl), cookie: client.cookieHeader() }));
    const post = async (i: number, purpose: string) => {
      const slot = httpPick();
      const response = await connections[i]!.http.request({
        method: "POST",
        path: postPath(slot),
        headers: { cookie: connections[i]!.cookie, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ _csrf: sessions[i]!.csrf, start: slot.start, end: slot.end, purpose, projectReference: "", serviceMode: "" }).toString(),
      });
      await response.body.dump();
      return response.statusCode;
    };
    const book = async (i: number) => {
      const status = await post(i, "基准测试");
      return status === BOOKED_STATUS ? "booked" : status === 409 ? "conflict" : "error";
    };
    await loop(CLIENTS, WARMUP_SECONDS, book);
    const cpuBefore = cpuMs(server.child.pid);
    const databaseBefore = postgresCpuMs();
    const clientsBefore = process.cpuUsage();
    const http = await loop(CLIENTS, SECONDS, book);
    const clientsCpu = process.cpuUsage(clientsBefore);
    const cpuAfter = cpuMs(server.child.pid);
    const databaseAfter = postgresCpuMs();
    // What the same route costs before any booking work: sign-in, CSRF and the form's validation,
    // answered 400 for the missing purpose. Counted as "booked" when refused as expected.
    const floor = await loop(CLIENTS, SECONDS, async (i) => ((await post(i, "")) === 400 ? "booked" : "error"));
    const floorCpu = cpuMs(server.child.pid);
    await Promise.all(connections.map((c) => c.http.close()));
    // The raw INSERTs need no server; left running, it would spend the cores on the messages
    // of the bookings just made while the baseline is measured.
    await server.stop();

    const [customer] = rowsOf(await d.db.execute(sql`select id from users where email = ${customers[0]!}`));
    let rawFailure: string | undefined;
    const insert = async () => {
      const slot = rawPick();
      try {
        await d.executeSql(
          `insert into bookings (instrument_id, organization_id, user_id, kind, status, period, purpose) values ($1, $2, $3, 'slot', 'requested', tstzrange($4, $5), '基准测试')`,
          [slot.instrumentId, demo.org, customer.id, slot.start, slot.end],
        );
        return "booked";
      } catch (error) {
        if ((error as { code?: string }).code === "23P01") return "conflict";
        rawFailure ??= error instanceof Error ? error.message : String(error);
        return "error";
      }
    };
    await loop(CLIENTS, WARMUP_SECONDS, insert);
    const rawDatabaseBefore = postgresCpuMs();
    const raw = await loop(CLIENTS, SECONDS, insert);
    const rawDatabaseAfter = postgresCpuMs();

    const [{ n: overlaps }] = rowsOf(
      await d.db.execute(sql`
        select count(*)::int as n from bookings a join bookings b
          on a.instrument_id = b.instrument_id and a.id < b.id and a.period && b.period
        where a.instrument_id = any(string_to_array(${instruments.map((i) => i.id).join(",")}, ',')::uuid[])
          and a.status in ('requested', 'confirmed', 'in_use') and b.status in ('requested', 'confirmed', 'in_use')`),
    );

    console.log(
      `\nbook: ${CLIENTS} concurrent clients posting ${NO_SCRIPT ? "the plain form" : "as the form does with JavaScript"} for ${SECONDS} s each way after ${WARMUP_SECONDS} s of warm-up, ${INSTRUMENTS} instruments each, ${HOT_SHARE * 100}% of requests on ${HOT_SLOTS} hot slots`,
    );
    const row = (r: Awaited<ReturnType<typeof loop>>) => ({ "bookings/s": r.perSecond.toFixed(0), "attempts/s": r.attemptsPerSecond.toFixed(0), booked: r.booked, conflicts: r.conflict, errors: r.error, "p95 latency": ms(r.p95) });
    console.table({ "raw INSERT (baseline)": row(raw), "HTTP booking (server)": row(http) });
    if (rawFailure) console.log(`first raw INSERT error: ${rawFailure}`);
    console.log(`HTTP / raw: ${(http.perSecond / raw.perSecond).toFixed(2)}× (${(raw.perSecond / http.perSecond).toFixed(1)} raw INSERTs per HTTP booking); overlapping live bookings afterwards: ${overlaps}`);
    const attempts = http.booked + http.conflict + http.error;
    const serverCpu = perAttempt(cpuBefore, cpuAfter, attempts);
    const database = perAttempt(databaseBefore, databaseAfter, attempts);
    const rawDatabase = perAttempt(rawDatabaseBefore, rawDatabaseAfter, raw.booked + raw.conflict + raw.error);
    const clients = ms((clientsCpu.user + clientsCpu.system) / 1000 / attempts);
    if (serverCpu) console.log(`CPU per HTTP attempt: ${serverCpu} in the server${database ? `, ${database} in Postgres (${rawDatabase} per raw INSERT)` : ""}, ${clients} in the clients (this process)`);
    const floorServerCpu = perAttempt(cpuAfter, floorCpu, floor.booked + floor.error);
    console.log(
      `The route's floor, the same clients posting a form it refuses (sign-in, CSRF, validation, 400): ${floor.perSecond.toFixed(0)} requests/s` +
        `${floorServerCpu ? `, ${floorServerCpu} of server CPU each` : ""}${floor.error ? `, ${floor.error} unexpected answers` : ""}; ÷ raw INSERTs: ${(floor.perSecond / raw.perSecond).toFixed(2)}×`,
    );
    console.log(`SQL statements per booking request (BEGIN and COMMIT not counted): ${statements}${probeBooked ? "" : " (the counted request did not book)"}`);
  } finally {
    await stopJobs();
    await server.stop();
    await d.close();
  }
}
