// Bulk availability for benchmarks: opening hours, booking settings, a few closures and `wanted`
// bookings for the generated instruments, all made by set-based SQL (generate_series), so two
// million bookings take minutes, not hours. Bookings of one instrument sit on distinct days at
// most one per day, so they never overlap and the exclusion constraint accepts every row. Their
// references are their own (instrument and ordinal), so they leave the reference sequence of
// real bookings untouched.
import { sql } from "drizzle-orm";
import type { Db } from "../../app/lib/db.server";

/** Marks generated bookings, so a later run counts them and adds only what is missing. */
const SEED_REFERENCE = "SEED-BULK";
const INSTRUMENTS_PER_BATCH = 2000;

const rowsOf = (result: unknown) => (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as any[];

/**
 * Every published instrument without opening hours gets one of three weekly patterns (office
 * hours like the demo lab, long days Monday–Saturday, round the clock) and the default settings;
 * one in twenty gets a maintenance closure in the coming weeks. Idempotent.
 */
async function seedBulkHours(db: Db, now: Date): Promise<void> {
  await db.execute(sql`
    with bare as (
      select i.id, abs(hashtext(i.id::text)) % 10 as pattern from instruments i
      where i.status = 'published' and not exists (select 1 from availability_rules r where r.instrument_id = i.id)
    )
    insert into availability_rules (instrument_id, weekday, start_minute, end_minute)
    select b.id, d, h.s, h.e from bare b
    cross join generate_series(1, 7) d
    cross join lateral (values (510, 720), (810, 1050), (480, 1200), (0, 1440)) h(s, e)
    where (b.pattern < 6 and d <= 5 and h.s in (510, 810))
       or (b.pattern between 6 and 8 and d <= 6 and h.s = 480)
       or (b.pattern = 9 and h.s = 0)`);
  await db.execute(sql`
    insert into booking_settings (instrument_id)
    select i.id from instruments i where i.status = 'published'
    on conflict (instrument_id) do nothing`);
  await db.execute(sql`
    insert into closures (instrument_id, period, kind, reason)
    select i.id, tstzrange(t, t + interval '2 days'), 'maintenance', '年度保养'
    from instruments i
    cross join lateral (select date_trunc('day', ${now.toISOString()}::timestamptz) + (abs(hashtext(i.slug)) % 40) * interval '1 day' as t) s
    where i.status = 'published' and abs(hashtext(i.id::text)) % 20 = 0
      and not exists (select 1 from closures c where c.instrument_id = i.id)`);
  // Statistics for the rows just added: planned from the demo's seven settings rows, a free-window
  // search scanned all of booking_settings once per matching instrument (seconds at 20,000).
  await db.execute(sql`vacuum analyze availability_rules, booking_settings, closures`);
}

/**
 * Ids of published instruments without generated bookings of `reference`. Listed once before
 * seeding: asking again per batch makes the planner rescan every booking added so far.
 */
export async function instrumentsWithout(db: Db, reference: string): Promise<string[]> {
  const rows = rowsOf(
    await db.execute(sql`
      select i.id from instruments i
      where i.status = 'published' and not exists (select 1 from bookings b where b.instrument_id = i.id and b.project_reference = ${reference})
      order by i.id`),
  );
  return rows.map((r) => r.id as string);
}

/** `ids` in slices of `size`, each as a uuid array literal. */
export function uuidBatches(ids: string[], size: number): string[] {
  const batches: string[] = [];
  for (let from = 0; from < ids.length; from += size) batches.push(`{${ids.slice(from, from + size).join(",")}}`);
  return batches;
}

/**
 * Adds bookings until `wanted` generated ones exist: each instrument without any gets `perInstrument`
 * on distinct days from 60 days back onwards, 1–3 hours from 09:00–14:00 Shanghai
 * time; past ones completed, future ones confirmed or requested, one in ten cancelled.
 */
export async function seedBulkBookings(db: Db, wanted: number, now: Date, log: (message: string) => void): Promise<number> {
  await seedBulkHours(db, now);
  const [{ n: present }] = rowsOf(await db.execute(sql`select count(*)::int as n from bookings where project_reference = ${SEED_REFERENCE}`));
  if (present >= wanted) return 0;
  const bare = await instrumentsWithout(db, SEED_REFERENCE);
  if (bare.length === 0) return 0;
  const perInstrument = Math.ceil((wanted - present) / bare.length);
  // Spread over about four months so there are past and future bookings whatever the count.
  const spacing = Math.max(1, Math.floor(120 / perInstrument));
  const customers = rowsOf(
    await db.execute(sql`select m.user_id as "userId", m.organization_id as "organizationId" from memberships m where m.role in ('customer', 'org_admin') order by m.user_id`),
  );
  if (customers.length === 0) return 0;
  const users = `{${customers.map((c) => c.userId).join(",")}}`;
  const orgs = `{${customers.map((c) => c.organizationId).join(",")}}`;
  let added = 0;
  for (const targets of uuidBatches(bare, INSTRUMENTS_PER_BATCH)) {
    if (added >= wanted - present) break;
    const inserted = rowsOf(
      await db.execute(sql`
        with targets as (select unnest(${targets}::uuid[]) as id), rows as (
          select t.id as instrument_id, j,
            date_trunc('day', ${now.toISOString()}::timestamptz at time zone 'Asia/Shanghai') - interval '60 days' + j * ${spacing} * interval '1 day'
              + make_interval(hours => 9 + abs(hashtext(t.id::text || j)) % 5) as local_start,
            1 + abs(hashtext(j || t.id::text)) % 3 as hours,
            abs(hashtext(t.id::text)) + j as pick
          from targets t cross join generate_series(0, ${perInstrument - 1}) j
        ), inserted as (
          insert into bookings (reference, instrument_id, organization_id, user_id, kind, status, period, purpose, project_reference)
          select 'BK-SEED-' || r.instrument_id || '-' || r.j, r.instrument_id,
            (${orgs}::uuid[])[1 + r.pick % ${customers.length}],
            (${users}::uuid[])[1 + r.pick % ${customers.length}],
            'slot',
            case when r.pick % 10 = 0 then 'cancelled'
                 when r.local_start at time zone 'Asia/Shanghai' < ${now.toISOString()}::timestamptz then 'completed'
                 when r.pick % 3 = 0 then 'requested' else 'confirmed' end,
            tstzrange(r.local_start at time zone 'Asia/Shanghai', (r.local_start + make_interval(hours => r.hours)) at time zone 'Asia/Shanghai'),
            '批量演示预约', ${SEED_REFERENCE}
          from rows r
          returning 1
        )
        select count(*)::int as n from inserted`),
    );
    const n = inserted[0].n as number;
    if (n === 0) break;
    added += n;
    log(`bookings: ${present + added} of ${wanted}`);
  }
  await db.execute(sql`vacuum analyze bookings`);
  return added;
}
