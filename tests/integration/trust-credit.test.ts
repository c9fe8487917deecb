import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog, creditBlocks, platformSettings, users } from "../../db/schema";
import { requestSlot, type SlotRequest } from "../../app/booking/bookings.server";
import { approve, cancel, markNoShow, reject } from "../../app/booking/transitions.server";
import type { Database } from "../../app/lib/db.server";
import * as adminCreditRoute from "../../app/routes/admin.credit";
import * as creditRoute from "../../app/routes/credit";
import { creditSettings, labCreditRecord } from "../../app/trust/credit.server";
import { instruments } from "../../db/schema";
import { at, bookableInstrument, demoCustomer, newUsers } from "../support/booking";
import { useTestDatabase } from "../support/db";
import { callRoute, formRequest, getRequest } from "../support/requests";

let d: Database;
let platformAdmin: string;
let organizationId: string;
const BEFORE = new Date("2026-02-20T00:00:00Z");

beforeAll(async () => {
  d = await useTestDatabase();
  [{ id: platformAdmin }] = await d.db.select({ id: users.id }).from(users).where(eq(users.email, "admin@openlab.test"));
  ({ organizationId } = await demoCustomer(d));
});

/** Books `count` one-hour slots in the opening hours of 3 March 2026 for the user, confirmed at once. */
const HOURS = [9, 10, 11, 14, 15, 16];
async function confirmedBookings(userId: string, count: number) {
  const instrumentId = await bookableInstrument(d, { settings: { approvalMode: "never" } });
  const made: string[] = [];
  for (let i = 0; i < count; i++) {
    const request: SlotRequest = { instrumentId, userId, organizationId, start: at(`2026-03-03 ${String(HOURS[i]).padStart(2, "0")}:00`), end: at(`2026-03-03 ${String(HOURS[i]! + 1).padStart(2, "0")}:00`), purpose: "测试" };
    const result = await requestSlot(request, BEFORE);
    if (!result.ok) throw new Error(result.reason);
    made.push(result.booking.id);
  }
  return { instrumentId, made };
}

const blocksOf = (userId: string) => d.db.select().from(creditBlocks).where(eq(creditBlocks.userId, userId));

describe("credit rules", () => {
  it("blocks a customer at the third no-show, refuses their next request with the reason, and shows it on /credit", async () => {
    const [userId] = await newUsers(d, 1);
    const { instrumentId, made } = await confirmedBookings(userId!, 3);
    const afterEach = [at("2026-03-03 09:30"), at("2026-03-03 10:30"), at("2026-03-03 11:30")];
    await markNoShow({ bookingId: made[0]!, actorUserId: platformAdmin }, afterEach[0]!);
    await markNoShow({ bookingId: made[1]!, actorUserId: platformAdmin }, afterEach[1]!);
    expect(await blocksOf(userId!), "two no-shows are below the default limit of three").toEqual([]);
    await markNoShow({ bookingId: made[2]!, actorUserId: platformAdmin }, afterEach[2]!);
    const [block] = await blocksOf(userId!);
    expect(block).toMatchObject({ rule: "no_shows", count: 3, threshold: 3, organizationId, liftedAt: null });
    const [audited] = await d.db.select().from(auditLog).where(and(eq(auditLog.action, "credit.block"), eq(auditLog.entityId, block!.id)));
    expect(audited).toMatchObject({ actorUserId: null, organizationId });

    const refused = await requestSlot({ instrumentId, userId: userId!, organizationId, start: at("2026-03-04 09:00"), end: at("2026-03-04 10:00"), purpose: "再约" }, at("2026-03-03 12:00"));
    expect(refused).toMatchObject({ ok: false, reason: "blocked", block: { rule: "no_shows", count: 3 } });

    const page = await callRoute(creditRoute.loader, await getRequest("/credit", { userId }));
    expect(page.status).toBe(200);
    expect(page.data.block).toMatchObject({ rule: "no_shows", count: 3 });
    expect(page.data.counts).toEqual({ noShows: 3, lateCancellations: 0 });
    expect(page.data.events.map((e: { bookingId: string }) => e.bookingId).sort()).toEqual([...made].sort());
  });

  it("counts the customer's own late cancellations, not the lab's, and blocks past the limit", async () => {
    await d.db.insert(platformSettings).values({ key: "credit", value: { lateCancellationLimit: 2 } }).onConflictDoUpdate({ target: platformSettings.key, set: { value: { lateCancellationLimit: 2 } } });
    try {
      const [userId] = await newUsers(d, 1);
      const { made } = await confirmedBookings(userId!, 3);
      // 2 March: more than 24 hours before the start — not late.
      await cancel({ bookingId: made[0]!, actorUserId: userId! }, at("2026-03-01 09:00"));
      // Cancelled by lab staff on the day: not the customer's doing.
      await cancel({ bookingId: made[1]!, actorUserId: platformAdmin }, at("2026-03-03 08:00"));
      expect(await blocksOf(userId!)).toEqual([]);
      await cancel({ bookingId: made[2]!, actorUserId: userId! }, at("2026-03-03 08:00"));
      expect(await blocksOf(userId!), "one late cancellation is below the limit of two").toEqual([]);

      const { made: more } = await confirmedBookings(userId!, 1);
      await cancel({ bookingId: more[0]!, actorUserId: userId! }, at("2026-03-03 08:30"));
      expect(await blocksOf(userId!)).toMatchObject([{ rule: "late_cancellations", count: 2, threshold: 2 }]);
    } finally {
      await d.db.delete(platformSettings).where(eq(platformSettings.key, "credit"));
    }
  });
});

describe("lifting a block", () => {
  it("needs a reason, is audited, lets the customer book again and forgives the earlier no-shows", async () => {
    const [userId] = await newUsers(d, 1);
    const { instrumentId, made } = await confirmedBookings(userId!, 4);
    for (const [i, id] of made.slice(0, 3).entries()) await markNoShow({ bookingId: id, actorUserId: null }, at(`2026-03-03 ${String(HOURS[i]).padStart(2, "0")}:30`));
    const [block] = await blocksOf(userId!);

    const noReason = await callRoute(adminCreditRoute.action, await formRequest("/admin/credit", { intent: "lift", blockId: block!.id, reason: "  " }, { userId: platformAdmin }));
    expect(noReason.status).toBe(400);
    expect(noReason.data.errors.reason).toBe("validation.required");
    expect((await blocksOf(userId!))[0]!.liftedAt).toBeNull();

    const customer = await callRoute(adminCreditRoute.action, await formRequest("/admin/credit", { intent: "lift", blockId: block!.id, reason: "已核实" }, { userId: userId! }));
    expect(customer.status).toBe(403);

    const lifted = await callRoute(
      adminCreditRoute.action,
      await formRequest("/admin/credit", { intent: "lift", blockId: block!.id, reason: "用户说明系交通事故，已核实" }, { userId: platformAdmin, headers: { "x-forwarded-for": "203.0.113.5" } }),
    );
    expect(lifted.status).toBe(302);
    expect((await blocksOf(userId!))[0]).toMatchObject({ liftedBy: platformAdmin, liftReason: "用户说明系交通事故，已核实" });
    const [audited] = await d.db.select().from(auditLog).where(and(eq(auditLog.action, "credit.lift"), eq(auditLog.entityId, block!.id)));
    expect(audited).toMatchObject({ actorUserId: platformAdmin, organizationId, ip: "203.0.113.5", after: { open: false, reason: "用户说明系交通事故，已核实" } });

    const again = await callRoute(adminCreditRoute.action, await formRequest("/admin/credit", { intent: "lift", blockId: block!.id, reason: "再次" }, { userId: platformAdmin }));
    expect(again.status).toBe(409);

    const now = new Date();
    const ok = await requestSlot({ instrumentId, userId: userId!, organizationId, start: at("2026-03-05 09:00"), end: at("2026-03-05 10:00"), purpose: "恢复后" }, BEFORE);
    expect(ok.ok).toBe(true);
    // One more no-show after the lift counts alone: no new block.
    await markNoShow({ bookingId: made[3]!, actorUserId: null }, now);
    expect((await blocksOf(userId!)).filter((b) => b.liftedAt === null)).toEqual([]);
  });

  it("saves thresholds only when valid, and audits the change", async () => {
    const bad = await callRoute(
      adminCreditRoute.action,
      await formRequest("/admin/credit", { intent: "settings", noShowLimit: "0", lateCancellationLimit: "5", windowMonths: "12", lateCancellationHours: "24" }, { userId: platformAdmin }),
    );
    expect(bad.status).toBe(400);
    expect(bad.data.errors.noShowLimit).toBe("validation.tooSmall");
    expect((await creditSettings()).noShowLimit).toBe(3);
    try {
      const good = await callRoute(
        adminCreditRoute.action,
        await formRequest("/admin/credit", { intent: "settings", noShowLimit: "4", lateCancellationLimit: "5", windowMonths: "6", lateCancellationHours: "12" }, { userId: platformAdmin }),
      );
      expect(good.status).toBe(302);
      expect(await creditSettings()).toEqual({ noShowLimit: 4, lateCancellationLimit: 5, windowMonths: 6, lateCancellationHours: 12 });
      const entries = await d.db.select().from(auditLog).where(and(eq(auditLog.action, "setting.update"), eq(auditLog.entityId, "credit")));
      expect(entries.at(-1)).toMatchObject({ actorUserId: platformAdmin, before: { noShowLimit: 3 }, after: { noShowLimit: 4 } });
    } finally {
      await d.db.delete(platformSettings).where(eq(platformSettings.key, "credit"));
    }
  });
});

describe("a provider's record", () => {
  it("counts answered requests, the rejected share and the median response time of the lab", async () => {
    const instrumentId = await bookableInstrument(d);
    const [lab] = await d.db.select({ labId: instruments.labId }).from(instruments).where(eq(instruments.id, instrumentId));
    const now = new Date();
    const before = await labCreditRecord(lab!.labId, now);
    const [userId] = await newUsers(d, 1);
    const ids: string[] = [];
    for (const [hour, next] of [["09", "10"], ["10", "11"]]) {
      const made = await requestSlot({ instrumentId, userId: userId!, organizationId, start: at(`2026-03-03 ${hour}:00`), end: at(`2026-03-03 ${next}:00`), purpose: "测试" }, BEFORE);
      if (!made.ok) throw new Error(made.reason);
      ids.push(made.booking.id);
    }
    await approve({ bookingId: ids[0]!, actorUserId: platformAdmin }, now);
    await reject({ bookingId: ids[1]!, actorUserId: platformAdmin, reason: "样品不符合要求" }, now);
    const after = await labCreditRecord(lab!.labId, now);
    expect(after.answered).toBe(before.answered + 2);
    expect(after.rejectionRate).toBeGreaterThan(0);
    expect(after.rejectionRate).toBeLessThanOrEqual(1);
    expect(after.medianResponseHours).toBeGreaterThanOrEqual(0);
  });
});
