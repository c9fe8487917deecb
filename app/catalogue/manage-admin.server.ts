import { and, desc, eq, ilike, or, sql, type SQL } from "drizzle-orm";
import { instruments, labs, organizations } from "../../db/schema";
import type { InstrumentStatus } from "../../db/schema/vocabulary";
import { getDb } from "~/lib/db.server";

/** The platform admin's view of every listing, for suspending and lifting suspensions. */

export const ADMIN_PAGE_SIZE = 50;

export type ListingFilter = { status?: InstrumentStatus; q?: string; page: number };

export async function listingsForAdmin(filter: ListingFilter) {
  const db = await getDb();
  const conditions: SQL[] = [];
  if (filter.status) conditions.push(eq(instruments.status, filter.status));
  if (filter.q) {
    const pattern = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(or(ilike(instruments.nameZh, pattern), ilike(instruments.nameEn, pattern), ilike(instruments.model, pattern), ilike(organizations.nameZh, pattern))!);
  }
  const rows = await db
    .select({
      id: instruments.id,
      slug: instruments.slug,
      nameZh: instruments.nameZh,
      nameEn: instruments.nameEn,
      model: instruments.model,
      status: instruments.status,
      suspensionReason: instruments.suspensionReason,
      labNameZh: labs.nameZh,
      labNameEn: labs.nameEn,
      organizationNameZh: organizations.nameZh,
      organizationNameEn: organizations.nameEn,
      updatedAt: instruments.updatedAt,
      total: sql<number>`(count(*) over ())::int`,
    })
    .from(instruments)
    .innerJoin(labs, eq(labs.id, instruments.labId))
    .innerJoin(organizations, eq(organizations.id, instruments.organizationId))
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(instruments.updatedAt), instruments.slug)
    .limit(ADMIN_PAGE_SIZE)
    .offset((filter.page - 1) * ADMIN_PAGE_SIZE);
  return { items: rows.map(({ total: _t, ...r }) => r), total: rows[0]?.total ?? 0 };
}
