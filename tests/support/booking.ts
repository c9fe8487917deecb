import { eq } from "drizzle-orm";
import { availabilityRules, bookingSettings, instruments, labs, organizations, users } from "../../db/schema";
import type { InstrumentStatus } from "../../db/schema/vocabulary";
import type { Database } from "../../app/lib/db.server";
import type { InstrumentBookingSettings } from "../../app/booking/settings";
import type { UsageInput } from "../../app/booking/usage";
import { unique } from "./db";

/** Monday 2 March 2026, 08:00 in Shanghai: a plain working week with no holiday. */
export const MONDAY_0800 = new Date("2026-03-02T00:00:00Z");

/** An instant given as Shanghai wall-clock time, e.g. at("2026-03-03 09:00"). */
export const at = (local: string) => new Date(`${local.replace(" ", "T")}:00+08:00`);

/**
 * A fresh instrument of the ZJU electron microscopy lab, open Monday–Friday 08:30–12:00 and
 * 13:30–17:30 (Asia/Shanghai), so tests sharing a Postgres database never compete for its time.
 */
export async function bookableInstrument(
  d: Database,
  options: { status?: InstrumentStatus; settings?: Partial<InstrumentBookingSettings> } = {},
): Promise<string> {
  const [lab] = await d.db.select().from(labs).where(eq(labs.slug, "zju-emlab"));
  const [sample] = await d.db.select({ categoryCode: instruments.categoryCode }).from(instruments).limit(1);
  const [row] = await d.db
    .insert(instruments)
    .values({
      slug: `booking-test-${unique()}`,
      labId: lab!.id,
      organizationId: lab!.organizationId,
      nameZh: "预约测试扫描电镜",
      nameEn: "Booking test SEM",
      categoryCode: sample!.categoryCode,
      status: options.status ?? "published",
    })
    .returning({ id: instruments.id });
  const instrumentId = row!.id;
  await d.db.insert(availabilityRules).values(
    [1, 2, 3, 4, 5].flatMap((weekday) => [
      { instrumentId, weekday, startMinute: 510, endMinute: 720 },
      { instrumentId, weekday, startMinute: 810, endMinute: 1050 },
    ]),
  );
  await d.db.insert(bookingSettings).values({ instrumentId, ...options.settings });
  return instrumentId;
}

/** The demo customer (张伟 of 维纳) and their organisation. */
export async function demoCustomer(d: Database) {
  const [u] = await d.db.select({ id: users.id }).from(users).where(eq(users.email, "customer@weina.openlab.test"));
  const [o] = await d.db.select({ id: organizations.id }).from(organizations).where(eq(organizations.slug, "weina"));
  return { userId: u!.id, organizationId: o!.id };
}

/** `n` new verified users (customers of the demo organisation are not needed by the commands). */
export async function newUsers(d: Database, n: number): Promise<string[]> {
  const tag = unique();
  const rows = await d.db
    .insert(users)
    .values(Array.from({ length: n }, (_, i) => ({ email: `booker-${tag}-${i}@example.com`, passwordHash: "x", displayName: `预约者${i}`, emailVerifiedAt: new Date() })))
    .returning({ id: users.id });
  return rows.map((r) => r.id);
}

/** A usage record spent wholly measuring from `start` to `end`, one sample, run by `operatorUserId`. */
export const measuredUsage = (start: Date, end: Date, operatorUserId: string): UsageInput => ({
  startedAt: start,
  endedAt: end,
  preparationMinutes: 0,
  measurementMinutes: Math.round((end.getTime() - start.getTime()) / 60_000),
  postProcessingMinutes: 0,
  idleMinutes: 0,
  samplesCount: 1,
  operatorUserId,
  note: "",
});
