import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "../support/app-server";
import { HttpClient } from "../support/http";
import { bookThrough, freeSlotLinks, reliabilityDatabase, signedIn } from "../support/reliability";
import { demoLogins } from "../support/route-matrix";

/** Two app instances on different ports behind one Postgres: sessions, data and jobs are shared. */
let database: Awaited<ReturnType<typeof reliabilityDatabase>>;
let a: AppServer;
let b: AppServer;

beforeAll(async () => {
  database = await reliabilityDatabase("two");
  // One after the other: two processes migrating and creating job queues at the same moment can
  // deadlock in Postgres (a real deployment rolls instances out one by one).
  a = await startAppServer({ databaseUrl: database.url });
  b = await startAppServer({ databaseUrl: database.url });
}, 300_000);

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await database?.drop();
});

describe("two instances behind one Postgres", () => {
  it("accepts a session started on one at the other", async () => {
    const onA = await signedIn(a.baseUrl, demoLogins.customer);
    const onB = new HttpClient(b.baseUrl);
    for (const [name, value] of onA.cookies) onB.cookies.set(name, value);
    const account = await onB.get("/account");
    expect(account.status).toBe(200);
    expect(await account.text()).toContain('class="account-menu"');
  });

  it("shows a booking made on one at once on the other", async () => {
    const onA = await signedIn(a.baseUrl, demoLogins.customer);
    const [link] = await freeSlotLinks(onA);
    expect(link).toBeDefined();
    const booked = await bookThrough(onA, link!);
    expect(booked.status).toBe(302);
    const bookingPath = booked.headers.get("location")!;
    expect(bookingPath).toMatch(/^\/bookings\/[0-9a-f-]{36}$/);
    const onB = new HttpClient(b.baseUrl);
    for (const [name, value] of onA.cookies) onB.cookies.set(name, value);
    const list = await (await onB.get("/bookings")).text();
    expect(list).toContain(bookingPath);
    // The slot is gone from the other instance's calendar too.
    expect(await freeSlotLinks(new HttpClient(b.baseUrl))).not.toContain(link);
  });

  it("runs each job once although both instances work the queue", async () => {
    const visitor = [new HttpClient(a.baseUrl), new HttpClient(b.baseUrl)];
    const recipients = Object.values(demoLogins);
    for (const [i, email] of recipients.entries()) {
      const response = await visitor[i % 2]!.post("/forgot-password", { email }, "/forgot-password");
      expect(response.status).toBeLessThan(400);
    }
    const deadline = Date.now() + 60_000;
    let rows: { to_address: string; n: number }[] = [];
    while (Date.now() < deadline) {
      rows = await database.sql<{ to_address: string; n: number }[]>`
        select to_address, count(*)::int as n from outbox where template = 'reset-password' group by to_address`;
      if (rows.length === recipients.length) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    await new Promise((r) => setTimeout(r, 3_000)); // a second delivery would have arrived by now
    rows = await database.sql<{ to_address: string; n: number }[]>`
      select to_address, count(*)::int as n from outbox where template = 'reset-password' group by to_address`;
    expect(rows.map((r) => r.to_address).sort()).toEqual([...recipients].sort());
    expect(rows.every((r) => r.n === 1)).toBe(true);
  });
});
