import { and, eq, inArray } from "drizzle-orm";
import postgres from "postgres";
import { beforeAll, expect, it } from "vitest";
import { bookings } from "../../db/schema";
import { liveBookingStatuses } from "../../db/schema/booking-vocabulary";
import { requestSlot } from "../../app/booking/bookings.server";
import type { Database } from "../../app/lib/db.server";
import { at, bookableInstrument, demoCustomer, MONDAY_0800, newUsers } from "../support/booking";
import { useTestDatabase } from "../support/db";

let d: Database;
beforeAll(async () => {
  d = await useTestDatabase();
});

// On Postgres (TEST_DATABASE_URL) the 200 transactions really run at once over the pool and the
// exclusion constraint decides; on PGlite they are serialised and the availability check decides.
it("200 concurrent requests for overlapping time: one booking, 199 slot_taken with alternatives", async () => {
  const instrumentId = await bookableInstrument(d);
  const { organizationId } = await demoCustomer(d);
  const userIds = await newUsers(d, 200);
  const results = await Promise.allSettled(
    userIds.map((userId, i) =>
      requestSlot(
        {
          instrumentId,
          userId,
          organizationId,
          // Every request covers 10:00–10:30, so any two overlap.
          start: at(i % 2 ? "2026-03-03 09:30" : "2026-03-03 10:00"),
          end: at(i % 3 ? "2026-03-03 10:30" : "2026-03-03 11:00"),
          purpose: "并发测试",
        },
        MONDAY_0800,
      ),
    ),
  );
  expect(results.filter((r) => r.status === "rejected")).toEqual([]);
  const values = results.map((r) => (r as PromiseFulfilledResult<Awaited<ReturnType<typeof requestSlot>>>).value);
  expect(values.filter((v) => v.ok)).toHaveLength(1);
  const taken = values.filter((v) => !v.ok);
  expect(taken).toHaveLength(199);
  for (const v of taken) {
    expect(v).toMatchObject({ ok: false, reason: "slot_taken" });
    if (!v.ok && v.reason === "slot_taken") {
      expect(v.alternatives).toHaveLength(3);
      expect(v.alternatives.every((a) => a.start.getTime() >= at("2026-03-03 10:30").getTime() || a.end.getTime() <= at("2026-03-03 09:30").getTime())).toBe(true);
    }
  }
  const live = await d.db
    .select({ id: bookings.id })
    .from(bookings)
    .where(and(eq(bookings.instrumentId, instrumentId), inArray(bookings.status, [...liveBookingStatuses])));
  expect(live).toHaveLength(1);
});

it("a request that meets a concurrent insert of overlapping time at the constraint answers slot_taken, not an error", async () => {
  const instrumentId = await bookableInstrument(d);
  const { organizationId } = await demoCustomer(d);
  const [userId, otherId] = await newUsers(d, 2);
  const insert = `insert into bookings (instrument_id, organization_id, user_id, kind, status, period, purpose) values ($1, $2, $3, 'slot', 'requested', tstzrange($4, $5), '并发测试')`;
  const other = (from: string, to: string) => [instrumentId, organizationId, otherId, at(from).toISOString(), at(to).toISOString()];
  const ask = () => requestSlot({ instrumentId, userId: userId!, organizationId, start: at("2026-03-03 10:00"), end: at("2026-03-03 11:00"), purpose: "并发测试" }, MONDAY_0800);
  if (d.kind === "pglite") {
    // One connection, so nothing runs at once: the other booking is there first and the check refuses.
    await d.executeSql(insert, other("2026-03-03 10:00", "2026-03-03 10:30"));
    expect(await ask()).toMatchObject({ ok: false, reason: "slot_taken" });
    return;
  }
  // Another transaction holds 10:00–10:30, uncommitted. The request (10:00–11:00) inserts and waits
  // at the constraint for it; then the other takes 10:30–11:00 too and waits for the request. Each
  // waits for the other: Postgres ends the request's transaction, which looked first (the other
  // waits 10 s before looking), and the other goes on.
  const client = postgres(d.url!, { max: 1, onnotice: () => {} });
  const tx = await client.reserve();
  try {
    await tx.unsafe("begin");
    await tx.unsafe("set local deadlock_timeout = '10s'");
    await tx.unsafe(insert, other("2026-03-03 10:00", "2026-03-03 10:30"));
    const answer = ask();
    const waitingForUs = `select count(*)::int as n from pg_locks w where w.locktype = 'transactionid' and not w.granted
      and w.transactionid = (select l.transactionid from pg_locks l where l.pid = pg_backend_pid() and l.locktype = 'transactionid' and l.granted)`;
    for (let tries = 0; (await tx.unsafe(waitingForUs))[0]!.n === 0; tries++) {
      if (tries > 500) throw new Error("the request never waited at the constraint");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await tx.unsafe(insert, other("2026-03-03 10:30", "2026-03-03 11:00"));
    expect(await answer).toMatchObject({ ok: false, reason: "slot_taken" });
  } finally {
    await tx.unsafe("rollback");
    tx.release();
    await client.end();
  }
});
