import { eq } from "drizzle-orm";
import type { Tx } from "../../app/lib/db.server";
import { availabilityRules, bookingSettings, instruments } from "../schema";

/** Weekday opening hours of the demo lab: 08:30–12:00 and 13:30–17:30, in minutes after midnight. */
const DEMO_HOURS = [
  [8 * 60 + 30, 12 * 60],
  [13 * 60 + 30, 17 * 60 + 30],
] as const;

/** Gives every instrument of the lab Monday–Friday opening hours and the default booking settings. */
export async function seedDemoAvailability(tx: Tx, labId: string): Promise<void> {
  const ids = (await tx.select({ id: instruments.id }).from(instruments).where(eq(instruments.labId, labId))).map((r) => r.id);
  if (ids.length === 0) return;
  await tx.insert(availabilityRules).values(
    ids.flatMap((instrumentId) =>
      [1, 2, 3, 4, 5].flatMap((weekday) => DEMO_HOURS.map(([startMinute, endMinute]) => ({ instrumentId, weekday, startMinute, endMinute }))),
    ),
  );
  await tx.insert(bookingSettings).values(ids.map((instrumentId) => ({ instrumentId })));
}
