import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { categories, instruments, labs, organizations } from "../../db/schema";
import { can, type Viewer } from "~/accounts/permissions";
import { getDb } from "~/lib/db.server";

const slugSchema = z.string().regex(/^[a-z0-9-]{1,120}$/);

/**
 * One instrument with its lab, institution and category. Unpublished ones (or those of an
 * institution that is not accepted) are visible only to the people who manage them.
 */
export async function instrumentPage(slug: string, viewer: Viewer) {
  if (!slugSchema.safeParse(slug).success) return null;
  const db = await getDb();
  const [row] = await db
    .select({
      instrument: instruments,
      lab: labs,
      organization: {
        id: organizations.id,
        slug: organizations.slug,
        nameZh: organizations.nameZh,
        nameEn: organizations.nameEn,
        type: organizations.type,
        regionCode: organizations.regionCode,
        address: organizations.address,
        providerStatus: organizations.providerStatus,
        verifiedAt: organizations.verifiedAt,
      },
      category: categories,
      parentCategory: { code: sql<string | null>`pc.code`, nameZh: sql<string | null>`pc.name_zh`, nameEn: sql<string | null>`pc.name_en` },
    })
    .from(instruments)
    .innerJoin(labs, eq(labs.id, instruments.labId))
    .innerJoin(organizations, eq(organizations.id, instruments.organizationId))
    .innerJoin(categories, eq(categories.code, instruments.categoryCode))
    .leftJoin(sql`categories pc`, sql`pc.code = ${categories.parentCode}`)
    .where(eq(instruments.slug, slug))
    .limit(1);
  if (!row) return null;
  const isPublic = row.instrument.status === "published" && row.organization.providerStatus === "accepted";
  const manages = can(viewer, "manage:instruments:lab", { labId: row.lab.id, labOrganizationId: row.organization.id });
  if (!isPublic && !manages) return null;
  const { searchVector: _vector, ...instrument } = row.instrument;
  return { ...row, instrument, isPublic, manages };
}

export type InstrumentPage = NonNullable<Awaited<ReturnType<typeof instrumentPage>>>;

/** The published 名录 of one institution: its labs and their public instruments. */
export async function institutionPage(slug: string) {
  if (!slugSchema.safeParse(slug).success) return null;
  const db = await getDb();
  const [organization] = await db
    .select()
    .from(organizations)
    .where(and(eq(organizations.slug, slug), eq(organizations.providerStatus, "accepted")))
    .limit(1);
  if (!organization) return null;
  const [labRows, instrumentRows] = await Promise.all([
    db.select().from(labs).where(eq(labs.organizationId, organization.id)).orderBy(labs.nameZh),
    publicInstrumentsWhere(eq(instruments.organizationId, organization.id)),
  ]);
  return { organization, labs: labRows, instruments: instrumentRows };
}

/** One lab with its public instruments. */
export async function labPage(slug: string) {
  if (!slugSchema.safeParse(slug).success) return null;
  const db = await getDb();
  const [row] = await db
    .select({ lab: labs, organization: organizations })
    .from(labs)
    .innerJoin(organizations, eq(organizations.id, labs.organizationId))
    .where(and(eq(labs.slug, slug), eq(organizations.providerStatus, "accepted")))
    .limit(1);
  if (!row) return null;
  return { ...row, instruments: await publicInstrumentsWhere(eq(instruments.labId, row.lab.id)) };
}

async function publicInstrumentsWhere(condition: ReturnType<typeof eq>) {
  const db = await getDb();
  return db
    .select({
      slug: instruments.slug,
      nameZh: instruments.nameZh,
      nameEn: instruments.nameEn,
      model: instruments.model,
      manufacturer: instruments.manufacturer,
      serviceModes: instruments.serviceModes,
      labId: instruments.labId,
      categoryNameZh: categories.nameZh,
      categoryNameEn: categories.nameEn,
    })
    .from(instruments)
    .innerJoin(categories, eq(categories.code, instruments.categoryCode))
    .where(and(condition, eq(instruments.status, "published")))
    .orderBy(instruments.nameZh);
}

/** The institutions directory: every accepted provider with its counts. */
export async function institutionsDirectory() {
  const db = await getDb();
  return db
    .select({
      slug: organizations.slug,
      nameZh: organizations.nameZh,
      nameEn: organizations.nameEn,
      type: organizations.type,
      regionCode: organizations.regionCode,
      address: organizations.address,
      labCount: sql<number>`(select count(*)::int from labs l where l.organization_id = ${organizations.id})`,
      instrumentCount: sql<number>`(select count(*)::int from instruments i where i.organization_id = ${organizations.id} and i.status = 'published')`,
    })
    .from(organizations)
    .where(eq(organizations.providerStatus, "accepted"))
    .orderBy(organizations.nameZh);
}
