// The free-window filter in SQL: for every instrument the directory matches, the first aligned slot
// of at least H hours inside [T1, T2), computed by the database in the same statement as the
// search (decision 040). The same rules as the pure engine (freeIntervals + offeredSlots):
// weekly rules in the lab's zone with Chinese holidays and make-up days, minus closures, minus
// live bookings widened by the buffer, clipped to the minimum notice and maximum advance.
import { sql, type SQL } from "drizzle-orm";
import { liveBookingStatuses } from "../../db/schema/booking-vocabulary";
import { defaultBookingSettings as d } from "~/booking/settings";
import { windowDates, type FreeWindow } from "~/catalogue/free-window";
import { chineseCalendarBetween } from "./free-intervals";

const dates = (values: string[]) => sql`string_to_array(${values.join(",")}, ',')::date[]`;
const at = (date: Date) => sql`${date.toISOString()}::timestamptz`;

/**
 * Joins to an instrument aliased `i`: `fw.first_fit` is the first fitting start (null when none)
 * and `fw.length_minutes` the length to book (H rounded up to whole slots, at least the minimum).
 */
export function firstFitJoin(window: FreeWindow, now: Date): SQL {
  const { first, last } = windowDates(window);
  const calendar = chineseCalendarBetween(first, last);
  const minutes = Math.ceil(window.hours * 60);
  const live = sql.raw(liveBookingStatuses.map((s) => `'${s}'`).join(", "));
  return sql`
    cross join lateral (
      -- An empty horizon (window past the maximum advance) becomes [hs, hs), never an invalid range.
      select raw.*, greatest(raw.hs, raw.he_wanted) as he from (
      select lz.time_zone as zone,
        coalesce(bs.slot_minutes, ${d.slotMinutes}) as slot,
        coalesce(bs.buffer_minutes, ${d.bufferMinutes}) as buffer,
        coalesce(bs.max_length_minutes, ${d.maxLengthMinutes}) as max_length,
        coalesce(bs.observe_chinese_holidays, ${d.observeChineseHolidays}) as holidays,
        greatest(${at(window.start)}, ${at(now)} + make_interval(mins => coalesce(bs.min_notice_minutes, ${d.minNoticeMinutes}))) as hs,
        least(${at(window.end)}, ${at(now)} + make_interval(days => coalesce(bs.max_advance_days, ${d.maxAdvanceDays}))) as he_wanted,
        (ceil(greatest(${minutes}, coalesce(bs.min_length_minutes, ${d.minLengthMinutes}))::numeric / coalesce(bs.slot_minutes, ${d.slotMinutes}))
          * coalesce(bs.slot_minutes, ${d.slotMinutes}))::int as length_minutes
      from labs lz left join booking_settings bs on bs.instrument_id = i.id
      where lz.id = i.lab_id
      ) raw
    ) fs
    left join lateral (
      select min(a.aligned) as first_fit, fs.length_minutes
      from (
        select f,
          (date_trunc('day', lower(f) at time zone fs.zone)
            + make_interval(mins => (ceil(extract(epoch from (lower(f) at time zone fs.zone) - date_trunc('day', lower(f) at time zone fs.zone)) / 60 / fs.slot) * fs.slot)::int)
          ) at time zone fs.zone as aligned
        from unnest(
          (select range_agg(tstzrange((day + make_interval(mins => r.start_minute)) at time zone fs.zone, (day + make_interval(mins => r.end_minute)) at time zone fs.zone))
            from generate_series((fs.hs at time zone fs.zone)::date::timestamp, (fs.he at time zone fs.zone)::date::timestamp, interval '1 day') day
            join availability_rules r on r.instrument_id = i.id and r.weekday = case
              when fs.holidays and day::date = any(${dates(calendar.holidays)}) then 0
              when fs.holidays and day::date = any(${dates(calendar.makeupWorkdays)}) and extract(isodow from day) = 6 then 5
              when fs.holidays and day::date = any(${dates(calendar.makeupWorkdays)}) and extract(isodow from day) = 7 then 1
              else extract(isodow from day)::int end)
          * tstzmultirange(tstzrange(fs.hs, fs.he))
          - coalesce((select range_agg(c.period) from closures c where c.instrument_id = i.id and c.period && tstzrange(fs.hs, fs.he)), '{}'::tstzmultirange)
          - coalesce((
              select range_agg(tstzrange(lower(b.period) - make_interval(mins => fs.buffer), upper(b.period) + make_interval(mins => fs.buffer)))
              from bookings b
              where b.instrument_id = i.id and b.status in (${live})
                and b.period && tstzrange(fs.hs - make_interval(mins => fs.buffer), fs.he + make_interval(mins => fs.buffer))
            ), '{}'::tstzmultirange)
        ) f
        where fs.he > fs.hs and fs.length_minutes <= fs.max_length
      ) a
      where a.aligned + make_interval(mins => fs.length_minutes) <= upper(a.f)
    ) fw on true`;
}
