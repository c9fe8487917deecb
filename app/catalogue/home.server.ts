import { and, count, countDistinct, desc, eq, sql } from "drizzle-orm";
import { categories, instruments, labs, organizations } from "../../db/schema";
import { getDb } from "~/lib/db.server";

/** What is public: published instruments of accepted provider institutions. */
export const isPublicInstrument = and(
  eq(instruments.status, "published"),
  eq(organizations.providerStatus, "accepted"),
);

/** The home page: a few recent instruments, the providers, and platform-wide figures. */
export async function homePage() {
  const db = await getDb();
  const [featured, providers, [figures]] = await Promise.all([
    db
      .select({
        slug: instruments.slug,
        nameZh: instruments.nameZh,
        nameEn: instruments.nameEn,
        model: instruments.model,
        manufacturer: instruments.manufacturer,
        serviceModes: instruments.serviceModes,
        // The card shows the 400 px thumbnail stored beside an uploaded photo (catalogue/photo-urls.ts).
        photo: sql<string | null>`case when ${instruments.photos}->>0 like '/uploads/%.webp' then left(${instruments.photos}->>0, -5) || '-thumb.webp' else ${instruments.photos}->>0 end`,
        organizationNameZh: organizations.nameZh,
        organizationNameEn: organizations.nameEn,
        categoryNameZh: categories.nameZh,
        categoryNameEn: categories.nameEn,
      })
      .from(instruments)
      .innerJoin(organizations, eq(organizations.id, instruments.organizationId))
      .innerJoin(categories, eq(categories.code, instruments.categoryCode))
      .where(isPublicInstrument)
      .orderBy(desc(instruments.originalValueFen), instruments.slug)
      .limit(8),
    db
      .select({
        slug: organizations.slug,
        nameZh: organizations.nameZh,
        nameEn: organizations.nameEn,
        type: organizations.type,
        instrumentCount: count(instruments.id),
      })
      .from(organizations)
      .leftJoin(instruments, and(eq(instruments.organizationId, organizations.id), eq(instruments.status, "published")))
      .where(eq(organizations.providerStatus, "accepted"))
      .groupBy(organizations.id)
      .orderBy(desc(count(instruments.id)), organizations.slug)
      .limit(6),
    db
      .select({
        instruments: count(instruments.id),
        institutions: countDistinct(instruments.organizationId),
        labs: countDistinct(instruments.labId),
        originalValueFen: sql<number>`coalesce(sum(${instruments.originalValueFen}), 0)::float8`,
      })
      .from(instruments)
      .innerJoin(organizations, eq(organizations.id, instruments.organizationId))
      .innerJoin(labs, eq(labs.id, instruments.labId))
      .where(isPublicInstrument),
  ]);
  return { featured, providers, figures };
}
