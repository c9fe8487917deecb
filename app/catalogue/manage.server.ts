import { asc, desc, eq, inArray, or, sql } from "drizzle-orm";
import { z } from "zod";
import { categories, instruments, labs, organizations } from "../../db/schema";
import type { Viewer } from "~/accounts/permissions";
import { getDb, type Tx } from "~/lib/db.server";
import { instrumentRecordSchema } from "./instrument-record";
import { dateTimeFormat } from "~/lib/intl";

/**
 * What lab staff and institution admins see of the labs they run: their dashboard, a lab's
 * instruments, one instrument for editing. Callers have already been authorised for the lab.
 */

const uuid = z.string().uuid();

/** Labs the viewer runs (as lab staff, or all labs of an institution they administer) with counts by status. */
export async function managedLabs(viewer: NonNullable<Viewer>) {
  const labIds = viewer.memberships.filter((m) => m.role === "lab_staff" && m.labId).map((m) => m.labId!);
  const orgIds = viewer.memberships.filter((m) => m.role === "institution_admin").map((m) => m.organizationId);
  if (labIds.length === 0 && orgIds.length === 0) return [];
  const db = await getDb();
  const count = (status: string) => sql<number>`(count(${instruments.id}) filter (where ${instruments.status} = ${status}))::int`;
  return db
    .select({
      id: labs.id,
      slug: labs.slug,
      nameZh: labs.nameZh,
      nameEn: labs.nameEn,
      organizationId: organizations.id,
      organizationNameZh: organizations.nameZh,
      organizationNameEn: organizations.nameEn,
      providerStatus: organizations.providerStatus,
      draft: count("draft"),
      published: count("published"),
      suspended: count("suspended"),
      retired: count("retired"),
    })
    .from(labs)
    .innerJoin(organizations, eq(organizations.id, labs.organizationId))
    .leftJoin(instruments, eq(instruments.labId, labs.id))
    .where(or(labIds.length ? inArray(labs.id, labIds) : undefined, orgIds.length ? inArray(labs.organizationId, orgIds) : undefined))
    .groupBy(labs.id, organizations.id)
    .orderBy(asc(organizations.nameZh), asc(labs.nameZh));
}

/** One lab with all its instruments, whatever their status (newest changes first). */
export async function labOverview(labId: string) {
  if (!uuid.safeParse(labId).success) return null;
  const db = await getDb();
  const [row] = await db
    .select({ lab: labs, organization: { id: organizations.id, nameZh: organizations.nameZh, nameEn: organizations.nameEn, providerStatus: organizations.providerStatus } })
    .from(labs)
    .innerJoin(organizations, eq(organizations.id, labs.organizationId))
    .where(eq(labs.id, labId))
    .limit(1);
  if (!row) return null;
  const list = await db
    .select({
      id: instruments.id,
      slug: instruments.slug,
      nameZh: instruments.nameZh,
      nameEn: instruments.nameEn,
      model: instruments.model,
      status: instruments.status,
      operatingStatus: instruments.operatingStatus,
      suspensionReason: instruments.suspensionReason,
      photoCount: sql<number>`jsonb_array_length(${instruments.photos})::int`,
      categoryNameZh: categories.nameZh,
      categoryNameEn: categories.nameEn,
      updatedAt: instruments.updatedAt,
    })
    .from(instruments)
    .innerJoin(categories, eq(categories.code, instruments.categoryCode))
    .where(eq(instruments.labId, labId))
    .orderBy(desc(instruments.updatedAt), asc(instruments.slug));
  return { ...row, instruments: list };
}

/** The lab an instrument belongs to, so the route can authorise against it; null for a bad or unknown id. */
export async function instrumentLabId(instrumentId: string | undefined): Promise<string | null> {
  if (!uuid.safeParse(instrumentId).success) return null;
  const db = await getDb();
  const [row] = await db.select({ labId: instruments.labId }).from(instruments).where(eq(instruments.id, instrumentId!)).limit(1);
  return row?.labId ?? null;
}

/** An instrument with its lab and institution, for the edit and photo pages. */
export async function instrumentForEdit(instrumentId: string) {
  if (!uuid.safeParse(instrumentId).success) return null;
  const db = await getDb();
  const [row] = await db
    .select({
      instrument: instruments,
      lab: { id: labs.id, slug: labs.slug, nameZh: labs.nameZh, nameEn: labs.nameEn, timeZone: labs.timeZone },
      organization: { id: organizations.id, nameZh: organizations.nameZh, nameEn: organizations.nameEn, providerStatus: organizations.providerStatus },
    })
    .from(instruments)
    .innerJoin(labs, eq(labs.id, instruments.labId))
    .innerJoin(organizations, eq(organizations.id, instruments.organizationId))
    .where(eq(instruments.id, instrumentId))
    .limit(1);
  if (!row) return null;
  const { searchVector: _vector, searchText: _text, ...instrument } = row.instrument;
  return { ...row, instrument };
}

/** A lab's name and zone for the new-instrument page. */
export async function labForForm(labId: string) {
  if (!uuid.safeParse(labId).success) return null;
  const db = await getDb();
  const [row] = await db
    .select({ id: labs.id, slug: labs.slug, nameZh: labs.nameZh, nameEn: labs.nameEn, timeZone: labs.timeZone, organizationId: labs.organizationId })
    .from(labs)
    .where(eq(labs.id, labId))
    .limit(1);
  return row ?? null;
}

export type CategoryGroup = { code: string; nameZh: string; nameEn: string; options: { code: string; nameZh: string; nameEn: string; level: number }[] };

/** The classification as <optgroup>s: each top-level category with itself and its sub-categories. */
export async function categoryGroups(): Promise<CategoryGroup[]> {
  const db = await getDb();
  const rows = await db.select().from(categories).orderBy(asc(categories.code));
  const groups = new Map<string, CategoryGroup>();
  for (const c of rows) {
    const top = c.code.slice(0, 2);
    if (c.level === 1) groups.set(top, { code: c.code, nameZh: c.nameZh, nameEn: c.nameEn, options: [] });
    groups.get(top)?.options.push({ code: c.code, nameZh: c.nameZh, nameEn: c.nameEn, level: c.level });
  }
  return [...groups.values()];
}

/** Today as YYYY-MM-DD on the lab's wall clock. */
export function todayIn(timeZone: string, now = new Date()): string {
  return dateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}

/** The record schema with the classification's codes and the lab's today. */
export async function recordSchemaFor(tx: Tx, timeZone: string) {
  const rows = await tx.select({ code: categories.code }).from(categories);
  return instrumentRecordSchema({ today: todayIn(timeZone), categoryCodes: new Set(rows.map((r) => r.code)) });
}

/** Raw form values to show again after a failed submit (repeated names become arrays). */
export function formValues(form: FormData): Record<string, string | string[]> {
  const values: Record<string, string | string[]> = {};
  for (const key of new Set(form.keys())) {
    if (key === "_csrf" || key === "intent") continue;
    const all = form.getAll(key).filter((v): v is string => typeof v === "string");
    values[key] = key === "serviceModes" ? all : (all[0] ?? "");
  }
  return values;
}
