// The free-window filter in SQL: for every instrument the directory matches, the first aligned slot
// of at least H hours inside [T1, T2), computed by the database in the same statement as the
// search (decision 040). The same rules as the pure engine (freeIntervals + offeredSlots):
// weekly rules in the lab's zone with Chinese holidays and make-up days, minus closures, minus
// live bookings widened by the buffer, clipped to the minimum notice and maximum advance.
// Instruments whose stored free spans are current are answered from their summary row
// (decisions 044, 110); the others get their free time rebuilt in the statement, so results are
// exact either way.
import { sql, type SQL } from "drizzle-orm";
import { liveBookingStatuses } from "../../db/schema/booking-vocabulary";
import { defaultBookingSettings as d } from "~/booking/settings";
import { windowDates, type FreeWindow } from "~/catalogue/free-window";
import { rowsOf } from "~/catalogue/search.server";
import { getDb } from "~/lib/db.server";
import { chineseCalendarBetween } from "./free-intervals";

const dates = (values: string[]) => sql`string_to_array(${values.join(",")}, ',')::date[]`;
const at = (date: Date) => sql`${date.toISOString()}::timestamptz`;
const DAY = 86_400_000;

/** How far ahead free spans are stored (at most; an instrument's maximum advance may be shorter). */
export const FREE_SPAN_DAYS = 62;
/** Spans are stored this many days past the horizon, so they stay usable for a day before the refresh. */
const SLACK_DAYS = 2;

type Calendar = { holidays: string[]; makeupWorkdays: string[] };

/**
 * The free time of the instrument aliased `i` over [from, to) as a multirange, read with the
 * settings of alias `s` (zone, buffer, holidays): opening hours minus closures minus buffered live bookings.
 */
function freeTime(s: string, from: SQL, to: SQL, calendar: Calendar): SQL {
  const x = sql.raw(s);
  const live = sql.raw(liveBookingStatuses.map((v) => `'${v}'`).join(", "));
  return sql`(
    (select range_agg(tstzrange((day + make_interval(mins => r.start_minute)) at time zone ${x}.zone, (day + make_interval(mins => r.end_minute)) at time zone ${x}.zone))
      from generate_series((${from} at time zone ${x}.zone)::date::timestamp, (${to} at time zone ${x}.zone)::date::timestamp, interval '1 day') day
      join availability_rules r on r.instrument_id = i.id and r.weekday = case
        when ${x}.holidays and day::date = any(${dates(calendar.holidays)}) then 0
        when ${x}.holidays and day::date = any(${dates(calendar.makeupWorkdays)}) and extract(isodow from day) = 6 then 5
        when ${x}.holidays and day::date = any(${dates(calendar.makeupWorkdays)}) and extract(isodow from day) = 7 then 1
        else extract(isodow from day)::int end)
    * tstzmultirange(tstzrange(${from}, ${to}))
    - coalesce((select range_agg(c.period) from closures c where c.instrument_id = i.id and c.period && tstzrange(${from}, ${to})), '{}'::tstzmultirange)
    - coalesce((
        select range_agg(tstzrange(lower(b.period) - make_interval(mins => ${x}.buffer), upper(b.period) + make_interval(mins => ${x}.buffer)))
        from bookings b
        where b.instrument_id = i.id and b.status in (${live})
          and b.period && tstzrange(${from} - make_interval(mins => ${x}.buffer), ${to} + make_interval(mins => ${x}.buffer))
      ), '{}'::tstzmultirange))`;
}

/** The first start at or after `instant` on the slot grid of the lab's wall clock (alias `fs`). */
const aligned = (instant: SQL) => sql`(date_trunc('day', ${instant} at time zone fs.zone)
    + make_interval(mins => (ceil(extract(epoch from (${instant} at time zone fs.zone) - date_trunc('day', ${instant} at time zone fs.zone)) / 60 / fs.slot) * fs.slot)::int)
  ) at time zone fs.zone`;

/** An instrument's booking settings with the defaults for a missing row; `i` is the instrument, `l` its lab. */
const settingsColumns = sql`l.time_zone as zone,
        coalesce(bs.slot_minutes, ${d.slotMinutes}) as slot,
        coalesce(bs.buffer_minutes, ${d.bufferMinutes}) as buffer,
        coalesce(bs.max_length_minutes, ${d.maxLengthMinutes}) as max_length,
        coalesce(bs.observe_chinese_holidays, ${d.observeChineseHolidays}) as holidays,
        coalesce(bs.max_advance_days, ${d.maxAdvanceDays}) as max_advance`;
const settingsFrom = sql`(values (1)) one (x) left join booking_settings bs on bs.instrument_id = i.id`;

export interface FreeWindowSql {
  /** Joins to an instrument aliased `i` of the lab aliased `l`: `fs.length_minutes` is the length to book (H rounded up to whole slots, at least the minimum). */
  join: SQL;
  /** Whether the instrument has a fitting slot: for the where clause. */
  fits: SQL;
  /** The first fitting start, null when none: for the page's columns, so only shown rows compute it. */
  firstFit: SQL;
}

export function firstFitJoin(window: FreeWindow, now: Date): FreeWindowSql {
  const { first, last } = windowDates(window);
  const calendar = chineseCalendarBetween(first, last);
  const minutes = Math.ceil(window.hours * 60);
  const length = sql`make_interval(mins => fs.length_minutes)`;
  // The horizon: the window clipped to the minimum notice and the maximum advance. An empty one
  // (window past the maximum advance) becomes [hs, hs), never an invalid range.
  const hs = sql`greatest(${at(window.start)}, ${at(now)} + make_interval(mins => coalesce(bs.min_notice_minutes, ${d.minNoticeMinutes})))`;
  const heWanted = sql`least(${at(window.end)}, ${at(now)} + make_interval(days => coalesce(bs.max_advance_days, ${d.maxAdvanceDays})))`;
  const slot = sql`coalesce(bs.slot_minutes, ${d.slotMinutes})`;
  // Spans from f to l meet the horizon. Those it does not clip are answered by their stored fit;
  // only a span the horizon cuts (at most one at each end) is aligned to the grid here, from
  // where the horizon lets it start.
  const headCut = sql`coalesce(fs.span_starts[fs.f] < fs.hs, false)`;
  const tailCut = sql`coalesce(fs.span_ends[fs.l] > fs.he, false)`;
  const cutFits = (k: SQL) =>
    sql`coalesce(fs.span_starts[${k}] < fs.he and ${aligned(sql`greatest(fs.span_starts[${k}], fs.hs)`)} + ${length} <= least(fs.span_ends[${k}], fs.he), false)`;
  const stored = sql`fs.longest_minutes >= fs.length_minutes
    and (fs.length_minutes <= any(fs.span_fits[fs.f + ${headCut}::int : fs.l - ${tailCut}::int])
      or (${headCut} and ${cutFits(sql`fs.f`)})
      or (${tailCut} and (fs.l > fs.f or not ${headCut}) and ${cutFits(sql`fs.l`)}))`;
  // Candidate starts from free time rebuilt over the horizon.
  const rebuilt = sql`from unnest(${freeTime("fs", sql`fs.hs`, sql`fs.he`, calendar)}) f cross join lateral (select ${aligned(sql`lower(f)`)} as aligned) a
    where a.aligned + ${length} <= upper(f)`;
  const bookable = sql`fs.he > fs.hs and fs.length_minutes <= fs.max_length`;
  // One row of narrow values per instrument. The summary is read inside it, so its arrays never
  // travel through the search's joins and sorts; each level is kept apart (offset 0) so every
  // value is computed once. f is the first stored span ending after the horizon's start, l the
  // last starting at or before its end, both by binary search over the sorted bounds.
  const join = sql`
    left join booking_settings bs on bs.instrument_id = i.id
    cross join lateral (
      select fs.zone, fs.slot, fs.buffer, fs.max_length, fs.holidays, fs.hs, fs.he, fs.length_minutes, fs.current, fs.f, fs.l,
        (${bookable} and case when fs.current then ${stored} else exists (select 1 ${rebuilt}) end) as fits
      from (
        select raw.*, ft.longest_minutes, ft.span_starts, ft.span_ends, ft.span_fits,
          coalesce(ft.seen = ft.changes and ft.covers @> tstzrange(raw.hs, raw.he), false) as current,
          width_bucket(raw.hs, ft.span_ends) + 1 as f,
          width_bucket(raw.he, ft.span_starts) as l
        from (
          select ${settingsColumns}, greatest(${hs}, ${heWanted}) as he, ${hs} as hs,
            -- Whole slots of at least H hours and at least the minimum length.
            (greatest(${minutes}, coalesce(bs.min_length_minutes, ${d.minLengthMinutes})) + ${slot} - 1) / ${slot} * ${slot} as length_minutes
          offset 0
        ) raw
        left join free_time_summaries ft on ft.instrument_id = i.id
        offset 0
      ) fs
      offset 0
    ) fs`;
  // The first fitting start, for the page's rows only: the stored spans f to l, or free time rebuilt.
  const storedFirst = sql`(select min(a.aligned)
    from free_time_summaries ft
    cross join lateral unnest(ft.span_starts[fs.f : fs.l], ft.span_ends[fs.f : fs.l]) sp (lo, hi)
    cross join lateral (select ${aligned(sql`greatest(sp.lo, fs.hs)`)} as aligned) a
    where ft.instrument_id = i.id and sp.lo < fs.he and a.aligned + ${length} <= least(sp.hi, fs.he))`;
  return {
    join,
    fits: sql`fs.fits`,
    firstFit: sql`case when not (${bookable}) then null when fs.current then ${storedFirst} else (select min(a.aligned) ${rebuilt}) end`,
  };
}

/**
 * Rebuilds the free spans of published instruments whose spans are stale (a change since the last
 * refresh) or end within a day of their horizon, in batches. Each batch reads the change count in
 * the same snapshot as the rules, closures and bookings it builds from, so a change committed
 * meanwhile leaves that instrument stale rather than wrongly current.
 */
export async function refreshFreeSpans(now = new Date(), batch = 500): Promise<{ instruments: number }> {
  const db = await getDb();
  const { first, last } = windowDates({ start: now, end: new Date(now.getTime() + (FREE_SPAN_DAYS + SLACK_DAYS) * DAY) });
  const calendar = chineseCalendarBetween(first, last);
  const horizon = (slack: number) => sql`${at(now)} + make_interval(days => least(coalesce(bs.max_advance_days, ${d.maxAdvanceDays}), ${FREE_SPAN_DAYS}) + ${slack})`;
  let refreshed = 0;
  for (;;) {
    const n = await db.transaction(async (tx) => {
      // One refresh at a time: two would each replace the other's spans.
      await tx.execute(sql`select pg_advisory_xact_lock(44)`);
      const [row] = rowsOf(
        await tx.execute(sql`
        with targets as (
          select i.id, coalesce(t.changes, 0) as changes
          from instruments i
            left join booking_settings bs on bs.instrument_id = i.id
            left join free_time_summaries t on t.instrument_id = i.id
          where i.status = 'published'
            and (t.seen is distinct from t.changes or t.covers is null or upper(t.covers) < ${horizon(1)})
          order by i.id limit ${batch}
        ), cover as (
          select tg.id, tg.changes, fs.*, tstzrange(${at(now)}, fs.until) as covers
          from targets tg join instruments i on i.id = tg.id join labs l on l.id = i.lab_id
          cross join lateral (select ${settingsColumns}, ${horizon(SLACK_DAYS)} as until from ${settingsFrom}) fs
        ), spans as (
          select fs.id, array_agg(lower(f) order by f) as starts, array_agg(upper(f) order by f) as ends,
            array_agg(x.fit order by f) as fits, max(x.fit) as longest
          from cover fs join instruments i on i.id = fs.id
          cross join lateral unnest(${freeTime("fs", at(now), sql`fs.until`, calendar)}) f
          cross join lateral (select floor(extract(epoch from upper(f) - ${aligned(sql`lower(f)`)}) / 60)::int as fit) x
          group by fs.id
        ), stored as (
          insert into free_time_summaries (instrument_id, changes, seen, covers, span_starts, span_ends, span_fits, longest_minutes, refreshed_at)
          select c.id, c.changes, c.changes, c.covers, coalesce(s.starts, '{}'), coalesce(s.ends, '{}'), coalesce(s.fits, '{}'),
            coalesce(greatest(0, s.longest), 0), ${at(now)}
          from cover c left join spans s on s.id = c.id
          on conflict (instrument_id) do update
            set seen = excluded.seen, covers = excluded.covers, span_starts = excluded.span_starts, span_ends = excluded.span_ends,
              span_fits = excluded.span_fits, longest_minutes = excluded.longest_minutes, refreshed_at = excluded.refreshed_at
        )
        select count(*)::int as n from targets`),
      );
      return Number(row?.n ?? 0);
    });
    refreshed += n;
    if (n < batch) break;
  }
  return { instruments: refreshed };
}
