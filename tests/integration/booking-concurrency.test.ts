import { and, eq, inArray } from "drizzle-orm";
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
