// A year of demo use: completed bookings with usage records on Mondays, Wednesdays and Fridays of the year before this week for every
// published demo instrument, so the utilisation dashboard, its charts and the annual report have
// something to show. Set-based SQL, about two thousand rows; the summaries are built after start (app/lib/boot.server.ts). How busy an instrument is follows from
// its slug: about a third are nearly idle (below the reporting threshold), the rest moderately to
// very busy. Users are demo members; a member of the instrument's own institution is internal use.
import { sql } from "drizzle-orm";
import type { Tx } from "../../app/lib/db.server";

export async function seedDemoUsage(tx: Tx, now: Date): Promise<void> {
  const today = now.toISOString();
  await tx.execute(sql`
    with inst as (
      select i.id, i.organization_id, l.time_zone as zone,
        case when abs(hashtext(i.slug)) % 3 = 0 then 6 else 60 + abs(hashtext(i.slug || 'rate')) % 40 end as rate
      from instruments i join labs l on l.id = i.lab_id
      where i.status = 'published'
    ), people as (
      select m.user_id, m.organization_id, (row_number() over (order by m.user_id, m.organization_id))::int - 1 as n
      from memberships m where m.role in ('customer', 'org_admin', 'lab_staff')
    ), total as (select count(*)::int as k from people),
    days as (
      select (date_trunc('day', ${today}::timestamptz at time zone 'Asia/Shanghai') - d * interval '1 day') as day
      from generate_series(8, 372) d
    ), picks as (
      select inst.id as instrument_id, inst.zone, days.day,
        abs(hashtext(inst.id::text || days.day::text)) as roll,
        4 + abs(hashtext(days.day::text || inst.id::text)) % 6 as hours
      from inst cross join days
      where extract(isodow from days.day) in (1, 3, 5) and abs(hashtext(inst.id::text || days.day::text)) % 100 < inst.rate
    ), made as (
      insert into bookings (reference, instrument_id, organization_id, user_id, kind, status, period, purpose, created_at, updated_at)
      select 'BK-DEMO-' || left(p.instrument_id::text, 8) || '-' || to_char(p.day, 'YYYYMMDD'), p.instrument_id,
        pe.organization_id, pe.user_id, 'slot', 'completed',
        tstzrange((p.day + interval '9 hours') at time zone p.zone, (p.day + make_interval(hours => 9 + p.hours)) at time zone p.zone),
        '演示使用记录', (p.day - interval '3 days') at time zone p.zone, (p.day + make_interval(hours => 9 + p.hours)) at time zone p.zone
      from picks p cross join total
      join people pe on pe.n = p.roll % total.k
      returning id, instrument_id, organization_id, user_id, period, created_at
    ), events as (
      insert into booking_events (booking_id, from_status, to_status, at)
      select id, null, 'requested', created_at from made
      union all select id, 'requested', 'confirmed', created_at + interval '4 hours' from made
      union all select id, 'in_use', 'completed', upper(period) from made
      returning 1
    )
    insert into usage_records (booking_id, instrument_id, organization_id, user_id, started_at, ended_at,
      preparation_minutes, measurement_minutes, post_processing_minutes, idle_minutes, samples_count, note, recorded_at)
    select m.id, m.instrument_id, m.organization_id, m.user_id, lower(m.period), upper(m.period),
      15, extract(epoch from upper(m.period) - lower(m.period))::int / 60 - 40, 15, 10,
      1 + abs(hashtext(m.id::text)) % 4, '演示数据', upper(m.period)
    from made m`);
}
