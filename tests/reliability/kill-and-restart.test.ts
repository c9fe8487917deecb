import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "../support/app-server";
import { HttpClient } from "../support/http";
import { bookThrough, freeSlotLinks, reliabilityDatabase, signedIn, STORM_PURPOSE } from "../support/reliability";
import { demoLogins } from "../support/route-matrix";

/**
 * SIGKILL in the middle of a booking storm: every booking that exists is whole (it has its
 * creation event, no overlap), money rows balance, and work queued before the kill runs after
 * the restart: password-reset mail, and each committed booking's message to the lab.
 */
let database: Awaited<ReturnType<typeof reliabilityDatabase>>;
let server: AppServer | undefined;

beforeAll(async () => {
  database = await reliabilityDatabase("kill");
}, 300_000);

afterAll(async () => {
  await server?.stop();
  await database?.drop();
});

const tableExists = async (name: string) =>
  (await database.sql`select 1 from information_schema.tables where table_schema = 'public' and table_name = ${name}`).length > 0;

describe("a server killed mid-storm", () => {
  it("leaves no half-written booking or ledger entry, and its queued jobs run after the restart", async () => {
    server = await startAppServer({ databaseUrl: database.url });
    const customers = await Promise.all(
      [demoLogins.customer, demoLogins.org_admin].map((email) => signedIn(server!.baseUrl, email)),
    );
    const links = await freeSlotLinks(customers[0]!);
    expect(links.length).toBeGreaterThan(20);

    // Password-reset mails queued just before the kill must still go out after the restart.
    const visitor = new HttpClient(server.baseUrl);
    for (const email of [demoLogins.customer, demoLogins.lab_staff, demoLogins.institution_admin]) {
      expect((await visitor.post("/forgot-password", { email }, "/forgot-password")).status).toBeLessThan(400);
    }
    const storm = links.map((link, i) => bookThrough(customers[i % 2]!, link).then((r) => r.status, () => "aborted"));
    // Killed once a few bookings have committed, with the rest of the storm still in flight.
    const committed = async () => (await database.sql<{ n: number }[]>`select count(*)::int as n from bookings where purpose = ${STORM_PURPOSE}`)[0]!.n;
    for (const waitUntil = Date.now() + 30_000; Date.now() < waitUntil && (await committed()) < 3; ) await new Promise((r) => setTimeout(r, 20));
    await server.stop("SIGKILL");
    const outcomes = await Promise.all(storm);
    expect(outcomes.some((o) => o === "aborted")).toBe(true);

    const [{ orphans }] = await database.sql<{ orphans: number }[]>`
      select count(*)::int as orphans from bookings b where not exists (select 1 from booking_events e where e.booking_id = b.id)`;
    expect(orphans).toBe(0);
    const [{ overlaps }] = await database.sql<{ overlaps: number }[]>`
      select count(*)::int as overlaps from bookings a join bookings b on a.instrument_id = b.instrument_id and a.id < b.id
      where a.status in ('requested','confirmed','in_use') and b.status in ('requested','confirmed','in_use') and a.period && b.period`;
    expect(overlaps).toBe(0);
    if (await tableExists("ledger_entries")) {
      const unbalanced = await database.sql`select transaction_id from ledger_entries group by transaction_id having sum(amount_fen) <> 0`;
      expect(unbalanced).toEqual([]);
    }

    // Whatever mail is still waiting counts as taken up by the killed server (the worst case, and
    // what a kill mid-send leaves): it must run again all the same.
    await database.sql`
      update pgboss.job set state = 'active', started_on = now() - interval '2 minutes'
      where name in ('send-email', 'booking-message') and state in ('created', 'retry')`;
    const booked = (await database.sql<{ reference: string }[]>`select reference from bookings where purpose = ${STORM_PURPOSE}`).map((b) => b.reference);
    expect(booked.length).toBeGreaterThanOrEqual(3);
    server = await startAppServer({ databaseUrl: database.url });
    // Mails the killed server had already taken up run again once their jobs expire (a minute,
    // found by maintenance every 30 s, then the retry delay: about two minutes here).
    const deadline = Date.now() + 240_000;
    let sent = 0;
    let unannounced = booked;
    while (Date.now() < deadline) {
      [{ sent }] = await database.sql<{ sent: number }[]>`select count(distinct to_address)::int as sent from outbox where template = 'reset-password'`;
      const subjects = (await database.sql<{ subject: string }[]>`select subject from outbox where template = 'booking-message'`).map((m) => m.subject);
      unannounced = booked.filter((reference) => !subjects.some((subject) => subject.includes(reference)));
      if (sent === 3 && unannounced.length === 0) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(sent).toBe(3);
    expect(unannounced).toEqual([]);
    // The restarted server books normally.
    const after = await signedIn(server.baseUrl, demoLogins.customer);
    const [free] = await freeSlotLinks(after);
    expect((await bookThrough(after, free!)).status).toBe(302);
  }, 420_000);
});
