import { verify } from "@node-rs/argon2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateDatabase, openDatabase, type Database } from "../../app/lib/db.server";
import { loadCategories } from "../../db/seed/categories";
import { DEMO_PASSWORD, demoUsers, searchSynonymRows } from "../../db/seed/data";
import { seed } from "../../db/seed/seed";

const now = new Date("2026-03-02T08:00:00Z");
let database: Database;
const query = async <T = Record<string, unknown>>(text: string, values: unknown[] = []) =>
  (await database.executeSql(text, values)).rows as T[];
const scalar = async (text: string, values: unknown[] = []) =>
  Number(Object.values((await query(text, values))[0])[0]);

beforeAll(async () => {
  database = await openDatabase({ dataDir: null });
  await migrateDatabase(database);
});

afterAll(async () => {
  await database?.close();
});

describe("seed", () => {
  it("inserts the demo data into an empty database", async () => {
    const result = await seed(database.db, { now });
    expect(result).toEqual({ seeded: true, instrumentsAdded: 0, instrumentsTotal: 48 });

    expect(await scalar("select count(*) from categories")).toBe(loadCategories().length);
    expect(await scalar("select count(*) from categories where level = 2")).toBeGreaterThan(50);
    expect(await scalar("select count(*) from search_synonyms")).toBe(searchSynonymRows.length);
    expect(
      await scalar(
        "select count(*) from organizations where provider_status = 'accepted' and verified_at is not null and type in ('university','institute','national_centre')",
      ),
    ).toBeGreaterThanOrEqual(3);
    expect(await scalar("select count(*) from organizations where type = 'enterprise' and is_sme")).toBe(1);
    expect(await scalar("select count(*) from organizations where type = 'government'")).toBe(2);
    expect(await scalar("select count(*) from labs where time_zone = 'Asia/Shanghai'")).toBeGreaterThanOrEqual(6);
    expect(await scalar("select count(*) from instruments")).toBeGreaterThanOrEqual(40);
    expect(await scalar("select count(*) from instruments where status = 'draft'")).toBe(2);
    expect(
      await scalar("select count(*) from instruments where status = 'suspended' and suspension_reason is not null"),
    ).toBe(1);
    expect(await scalar("select count(*) from instruments where status <> 'draft' and published_at is null")).toBe(0);
    expect(await scalar("select count(*) from instruments where search_vector is null or search_text = ''")).toBe(0);
    // Instruments belong to the organisation of their lab.
    expect(
      await scalar("select count(*) from instruments i join labs l on l.id = i.lab_id where l.organization_id <> i.organization_id"),
    ).toBe(0);
  });

  it("creates every demo user, verified, with the demo password and its membership", async () => {
    for (const u of demoUsers) {
      const [user] = await query<{ id: string; password_hash: string; is_platform_admin: boolean; email_verified_at: Date | null }>(
        "select id, password_hash, is_platform_admin, email_verified_at from users where email = $1",
        [u.email],
      );
      expect(user, u.email).toBeDefined();
      expect(user.email_verified_at).not.toBeNull();
      expect(user.is_platform_admin).toBe(u.role === "platform_admin");
      const rows = await query<{ role: string; org: string; lab: string | null }>(
        `select m.role, o.slug as org, l.slug as lab from memberships m
           join organizations o on o.id = m.organization_id left join labs l on l.id = m.lab_id
          where m.user_id = $1`,
        [user.id],
      );
      expect(rows).toEqual(u.role === "platform_admin" ? [] : [{ role: u.role, org: u.orgSlug, lab: u.labSlug ?? null }]);
    }
    const hashes = await query<{ password_hash: string }>("select distinct password_hash from users");
    expect(hashes).toHaveLength(1);
    expect(await verify(hashes[0].password_hash, DEMO_PASSWORD)).toBe(true);
  });

  it("finds the TEM by full-text search on segmented words and by trigram on its model", async () => {
    const byWords = await query<{ slug: string }>(
      "select slug from instruments where search_vector @@ to_tsquery('simple', '电子 & 显微镜 & 透射') order by slug",
    );
    expect(byWords.map((r) => r.slug)).toContain("jem-2100f-zju-emlab");
    const byModel = await query<{ slug: string }>(
      "select slug from instruments where search_vector @@ to_tsquery('simple', 'jem2100f')",
    );
    expect(byModel.map((r) => r.slug)).toEqual(["jem-2100f-zju-emlab"]);
    const byTrigram = await query<{ slug: string }>(
      "select slug from instruments order by similarity(search_text, 'jem2100f') desc limit 1",
    );
    expect(byTrigram[0].slug).toBe("jem-2100f-zju-emlab");
  });

  it("does nothing the second time", async () => {
    const before = await scalar("select count(*) from organizations");
    expect(await seed(database.db, { now })).toEqual({ seeded: false, instrumentsAdded: 0, instrumentsTotal: 48 });
    expect(await scalar("select count(*) from organizations")).toBe(before);
    expect(await scalar("select count(*) from users")).toBe(demoUsers.length);
  });

  it("adds bulk instruments up to the requested total, continuing on later runs", async () => {
    const logs: string[] = [];
    const first = await seed(database.db, { now, instruments: 1100, bookings: 10, log: (m) => logs.push(m) });
    expect(first).toEqual({ seeded: false, instrumentsAdded: 1052, instrumentsTotal: 1100 });
    expect(logs).toEqual([expect.stringContaining("bookings")]);

    expect(await seed(database.db, { now, instruments: 500 })).toMatchObject({ instrumentsAdded: 0, instrumentsTotal: 1100 });
    const second = await seed(database.db, { now, instruments: 1150 });
    expect(second).toEqual({ seeded: false, instrumentsAdded: 50, instrumentsTotal: 1150 });

    expect(await scalar("select count(*) from instruments")).toBe(1150);
    expect(await scalar("select count(distinct lab_id) from instruments")).toBeGreaterThan(25);
    expect(await scalar("select count(distinct o.region_code) from organizations o where o.provider_status = 'accepted'")).toBeGreaterThan(5);
    expect(await scalar("select count(*) from labs l where not exists (select 1 from instruments i where i.lab_id = l.id)")).toBe(0);
  });

  it("generates bulk bookings the exclusion constraint accepts, with opening hours, and only once", async () => {
    await seed(database.db, { now, bookings: 3000, log: () => {} });
    expect(await scalar("select count(*) from bookings where project_reference = 'SEED-BULK'")).toBeGreaterThanOrEqual(3000);
    expect(await scalar("select count(*) from instruments i where i.status = 'published' and not exists (select 1 from availability_rules r where r.instrument_id = i.id)")).toBe(0);
    expect(
      await scalar(`select count(*) from bookings a join bookings b on a.instrument_id = b.instrument_id and a.id < b.id and a.period && b.period
        where a.status in ('requested', 'confirmed', 'in_use') and b.status in ('requested', 'confirmed', 'in_use')`),
    ).toBe(0);
    expect(await scalar("select count(distinct status) from bookings where project_reference = 'SEED-BULK'")).toBeGreaterThanOrEqual(3);
    const before = await scalar("select count(*) from bookings");
    await seed(database.db, { now, bookings: 3000, log: () => {} });
    expect(await scalar("select count(*) from bookings")).toBe(before);
  });

  it("leaves planner statistics for the opening hours and settings it adds", async () => {
    // Planned from the demo's handful of rows, a free-window search over thousands of instruments
    // scanned every settings row once per instrument.
    for (const table of ["availability_rules", "booking_settings"]) {
      const rows = await scalar(`select count(*) from ${table}`);
      expect(await scalar(`select reltuples from pg_class where relname = $1`, [table])).toBe(rows);
    }
  });
});
