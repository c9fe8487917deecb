import { hash } from "@node-rs/argon2";
import { count, inArray, sql } from "drizzle-orm";
import type { Db, Tx } from "../../app/lib/db.server";
import { insertInstrumentsBulk } from "../../app/catalogue/instrument-writes.server";
import type { searchDocument } from "../../app/catalogue/segment";
import { categories, instruments, labs, memberships, organizations, searchSynonyms, users } from "../schema";
import { seedDemoAccreditations, type SeedFile } from "./accreditations";
import { seedDemoAvailability } from "./availability";
import { seedDemoComplaint } from "./complaints";
import { seedBulkBookings } from "./bookings";
import { seedDemoQualifications } from "./qualifications";
import { seedDemoUsage } from "./usage";
import { seedDemoVouchers } from "./vouchers";
import { seedDemoRates } from "./rates";
import { loadCategories } from "./categories";
import { DEMO_PASSWORD, demoLabs, demoOrganizations, demoUsers, searchSynonymRows, type LabSeed, type OrganizationSeed } from "./data";
import {
  DEFAULT_SEED,
  demoInstrumentPlans,
  extraInstrumentPlans,
  extraLab,
  extraOrganization,
  INSTRUMENTS_PER_EXTRA_LAB,
  LABS_PER_EXTRA_ORG,
  type InstrumentPlan,
} from "./generate";

export interface SeedOptions {
  /** Total instruments wanted; beyond the demo ones, bulk instruments are generated. */
  instruments?: number;
  /** Generated bookings wanted (benchmarks); bulk instruments also get opening hours and closures. */
  bookings?: number;
  /** The clock for created/published/verified timestamps. */
  now?: Date;
  log?: (message: string) => void;
  /** Stores a demo file (accreditation certificates) once the demo rows are committed. */
  saveFile?: (key: string, bytes: Uint8Array) => Promise<void>;
}

export interface SeedResult {
  /** Whether the demo organisations, labs, users and instruments were inserted by this call. */
  seeded: boolean;
  instrumentsAdded: number;
  instrumentsTotal: number;
}

const BATCH_SIZE = 1000;
const DAY = 86_400_000;

/**
 * Demo data goes in once, when no organisation exists yet. Bulk instruments are then added until
 * the table holds `options.instruments` rows, continuing the generated sequence of earlier runs.
 */
export async function seed(db: Db, options: SeedOptions = {}): Promise<SeedResult> {
  const now = options.now ?? new Date();
  const log = options.log ?? ((message: string) => console.log(message));

  const files = await db.transaction(async (tx) => {
    // Two app instances starting together must not both seed: the second waits, then sees rows.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('openlab.seed'))`);
    const [{ n: orgCount }] = await tx.select({ n: count() }).from(organizations);
    if (orgCount > 0) return null;
    return seedDemo(tx, now);
  });
  const seeded = files !== null;
  if (files && options.saveFile) for (const f of files) await options.saveFile(f.key, f.bytes);

  const [{ n: before }] = await db.select({ n: count() }).from(instruments);
  const wanted = options.instruments ?? 0;
  const instrumentsAdded = wanted > before ? await addBulkInstruments(db, wanted - before, now) : 0;

  // Fresh planner statistics, or the first searches plan for an empty table; and the visibility
  // map autovacuum would set, so the directory's index-only scans need not visit every row.
  if (seeded || instrumentsAdded > 0) await db.execute(sql`vacuum analyze`);

  if (options.bookings) await seedBulkBookings(db, options.bookings, now, log);
  return { seeded, instrumentsAdded, instrumentsTotal: before + instrumentsAdded };
}

/** The demo rows; returns the files they refer to, stored by the caller after the commit. */
async function seedDemo(tx: Tx, now: Date): Promise<SeedFile[]> {
  await insertCategories(tx);
  await tx.insert(searchSynonyms).values(searchSynonymRows).onConflictDoNothing();

  const orgIds = await insertOrganizations(tx, demoOrganizations, now);
  const labIds = await insertLabs(tx, demoLabs, orgIds);

  // Hashing is deliberately slow, so the shared demo password is hashed once for everyone.
  const passwordHash = await hash(DEMO_PASSWORD);
  const userRows = await tx
    .insert(users)
    .values(
      demoUsers.map((u) => ({
        email: u.email,
        passwordHash,
        displayName: u.displayNameZh,
        emailVerifiedAt: now,
        isPlatformAdmin: u.role === "platform_admin",
        createdAt: now,
      })),
    )
    .returning({ id: users.id, email: users.email });
  const userIds = new Map(userRows.map((r) => [r.email, r.id]));
  const membershipRows = demoUsers.flatMap((u) =>
    u.role === "platform_admin" || !u.orgSlug
      ? []
      : [
          {
            userId: userIds.get(u.email)!,
            organizationId: orgIds.get(u.orgSlug)!,
            role: u.role,
            labId: u.labSlug ? labIds.get(u.labSlug)! : null,
            createdAt: now,
          },
        ],
  );
  await tx.insert(memberships).values(membershipRows);

  await insertInstruments(tx, demoInstrumentPlans(DEFAULT_SEED), labIds, orgIds, now);
  await seedDemoAvailability(tx, labIds.get("zju-emlab")!);
  await seedDemoQualifications(tx, now);
  await seedDemoVouchers(tx, now);
  await seedDemoUsage(tx, now);
  await seedDemoRates(tx, now);
  await seedDemoComplaint(tx, now);
  return seedDemoAccreditations(tx, now);
}

async function insertCategories(tx: Tx): Promise<void> {
  await tx.insert(categories).values(loadCategories()).onConflictDoNothing();
}

async function insertOrganizations(tx: Tx, orgs: OrganizationSeed[], now: Date): Promise<Map<string, string>> {
  const rows = await tx
    .insert(organizations)
    .values(
      orgs.map(({ provider, ...o }) => ({
        ...o,
        providerStatus: provider ? "accepted" : "none",
        verifiedAt: now,
        createdAt: now,
      })),
    )
    .onConflictDoNothing()
    .returning({ id: organizations.id, slug: organizations.slug });
  return new Map(rows.map((r) => [r.slug, r.id]));
}

async function insertLabs(tx: Tx, labSeeds: LabSeed[], orgIds: Map<string, string>): Promise<Map<string, string>> {
  const rows = await tx
    .insert(labs)
    .values(
      labSeeds.map(({ kind: _kind, orgSlug, ...l }) => ({
        ...l,
        organizationId: orgIds.get(orgSlug)!,
        timeZone: "Asia/Shanghai",
      })),
    )
    .onConflictDoNothing()
    .returning({ id: labs.id, slug: labs.slug });
  return new Map(rows.map((r) => [r.slug, r.id]));
}

/** Documents depend only on template and model, so bulk rows share them. */
const documentCache = new Map<string, ReturnType<typeof searchDocument>>();

async function insertInstruments(
  tx: Tx,
  plans: InstrumentPlan[],
  labIds: Map<string, string>,
  orgIds: Map<string, string>,
  now: Date,
): Promise<void> {
  const rows = plans.map((p) => {
    const createdAt = new Date(now.getTime() - p.createdDaysAgo * DAY);
    return {
      slug: p.slug,
      labId: labIds.get(p.labSlug)!,
      organizationId: orgIds.get(p.orgSlug)!,
      nameZh: p.nameZh,
      nameEn: p.nameEn,
      model: p.model,
      manufacturer: p.manufacturer,
      countryOfOrigin: p.countryOfOrigin,
      categoryCode: p.categoryCode,
      originalValueFen: p.originalValueFen,
      purchaseDate: p.purchaseDate,
      commissioningDate: p.commissioningDate,
      fundingSource: p.fundingSource,
      specifications: p.specifications,
      mainFunctions: p.mainFunctions,
      serviceContent: p.serviceContent,
      sampleRequirements: p.sampleRequirements,
      serviceModes: p.serviceModes,
      feeText: p.feeText,
      operatingStatus: p.operatingStatus,
      shareMode: "external",
      status: p.status,
      suspensionReason: p.suspensionReason,
      publishedAt: p.status === "draft" ? null : new Date(createdAt.getTime() + 2 * DAY),
      createdAt,
      updatedAt: createdAt,
    };
  });
  await insertInstrumentsBulk(tx, rows, documentCache);
}

/** Looks up ids by slug after an insert that may have skipped rows already present. */
async function idsBySlug(tx: Tx, table: typeof organizations | typeof labs, slugs: string[]): Promise<Map<string, string>> {
  const rows = await tx.select({ id: table.id, slug: table.slug }).from(table).where(inArray(table.slug, slugs));
  return new Map(rows.map((r) => [r.slug, r.id]));
}

async function addBulkInstruments(db: Db, wanted: number, now: Date): Promise<number> {
  // Bulk slugs end in their sequence number; continue after the highest one present.
  const [{ next }] = await db
    .select({ next: sql<number>`coalesce(max(substring(${instruments.slug} from '-([0-9]+)$')::bigint) + 1, 0)`.mapWith(Number) })
    .from(instruments);
  await insertCategories(db);

  const orgIds = new Map<string, string>();
  const labIds = new Map<string, string>();
  for (let start = next; start < next + wanted; start += BATCH_SIZE) {
    const plans = extraInstrumentPlans(start, Math.min(BATCH_SIZE, next + wanted - start));
    const firstLab = Math.floor(start / INSTRUMENTS_PER_EXTRA_LAB);
    const lastLab = Math.floor((start + plans.length - 1) / INSTRUMENTS_PER_EXTRA_LAB);
    const labSeeds = range(firstLab, lastLab).map(extraLab).filter((l) => !labIds.has(l.slug));
    const orgSeeds = range(Math.floor(firstLab / LABS_PER_EXTRA_ORG), Math.floor(lastLab / LABS_PER_EXTRA_ORG))
      .map(extraOrganization)
      .filter((o) => !orgIds.has(o.slug));

    await db.transaction(async (tx) => {
      if (orgSeeds.length) {
        await insertOrganizations(tx, orgSeeds, now);
        for (const [slug, id] of await idsBySlug(tx, organizations, orgSeeds.map((o) => o.slug))) orgIds.set(slug, id);
      }
      if (labSeeds.length) {
        await insertLabs(tx, labSeeds, orgIds);
        for (const [slug, id] of await idsBySlug(tx, labs, labSeeds.map((l) => l.slug))) labIds.set(slug, id);
      }
      await insertInstruments(tx, plans, labIds, orgIds, now);
    });
  }
  return wanted;
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
