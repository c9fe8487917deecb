import { eq } from "drizzle-orm";
import { organizations, users } from "../../db/schema";
import { makeCreditCode } from "../../db/seed/data";
import type { Database } from "../../app/lib/db.server";
import { requestSlot } from "../../app/booking/bookings.server";
import { approve, checkIn, checkOut } from "../../app/booking/transitions.server";
import { chargeOf, priceInstrument } from "./billing";
import { at, bookableInstrument, measuredUsage, MONDAY_0800 } from "./booking";
import { unique } from "./db";

let companies = 0;

/** A new company of its own (SME unless told otherwise) with one customer, so tests never share vouchers. */
export async function newCompany(d: Database, options: { sme?: boolean } = {}) {
  const tag = unique();
  const base = 70_000_000 + (Number.parseInt(tag.slice(-5), 36) % 9_000_000) + companies++;
  const [org] = await d.db
    .insert(organizations)
    .values({
      slug: `company-${tag}`,
      nameZh: `测试科技有限公司${tag}`,
      nameEn: `Test Tech ${tag}`,
      type: "enterprise",
      isSme: options.sme ?? true,
      creditCode: makeCreditCode("91", "330108", base),
    })
    .returning({ id: organizations.id });
  const [user] = await d.db
    .insert(users)
    .values({ email: `buyer-${tag}@example.com`, passwordHash: "x", displayName: "采购员", emailVerifiedAt: new Date() })
    .returning({ id: users.id });
  return { organizationId: org!.id, userId: user!.id };
}

export async function organizationIdOf(d: Database, slug: string) {
  const [row] = await d.db.select({ id: organizations.id }).from(organizations).where(eq(organizations.slug, slug));
  return row!.id;
}

/**
 * Books a fresh priced instrument (300 元/h) for the company, confirms, checks in and out: the
 * completion makes the charge. `day` is a Shanghai date in the demo week (Tue 3 March 2026 …).
 */
export async function completedBooking(
  d: Database,
  company: { organizationId: string; userId: string },
  staffId: string,
  options: { start?: string; end?: string; instrumentId?: string } = {},
) {
  const start = options.start ?? "2026-03-03 09:00";
  const end = options.end ?? "2026-03-03 11:00";
  const instrumentId = options.instrumentId ?? (await bookableInstrument(d));
  if (!options.instrumentId) await priceInstrument(d, instrumentId);
  const requested = await requestSlot({ instrumentId, ...company, start: at(start), end: at(end), purpose: "薄膜表征" }, MONDAY_0800);
  if (!requested.ok) throw new Error(requested.reason);
  const bookingId = requested.booking.id;
  await approve({ bookingId, actorUserId: staffId }, MONDAY_0800);
  await checkIn({ bookingId, actorUserId: staffId }, at(start));
  return {
    bookingId,
    instrumentId,
    /** Checks out (completion creates the charge) and returns the charge. */
    complete: async () => {
      await checkOut({ bookingId, actorUserId: staffId, usage: measuredUsage(at(start), at(end), staffId) }, at(end));
      return (await chargeOf(d, bookingId))!;
    },
  };
}
