// Free time of one instrument: weekly opening rules expanded in the lab's zone, minus closures,
// minus live bookings widened by the buffer, clipped to the bookable horizon. Pure: `now`, the
// zone and the settings are arguments; nothing reads the clock, the env or the process zone.
import { tzOffset } from "@date-fns/tz";
// The package's pre-built table, not its functions: those build and look up their table with the
// process's local Date getters, so under a negative-offset TZ (e.g. America/Los_Angeles) every
// holiday and 调休 day shifts one day earlier (seen with chinese-days 1.5.7).
import chineseDays from "chinese-days/dist/chinese-days.json";
import { clamp, mergeMade, subtract, widen } from "./intervals";
import type {
  BookingSettings,
  Busy,
  HolidayPolicy,
  Interval,
  IsoWeekday,
  WeeklyRule,
} from "./types";

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const STATUTORY_HOLIDAYS: Readonly<Record<string, string>> = chineseDays.holidays;
const MAKEUP_WORKDAYS: Readonly<Record<string, string>> = chineseDays.workdays;

/** A calendar date; `Date.UTC(year, month - 1, day)` is used only as a day counter. */
export interface LocalDate {
  year: number;
  month: number; // 1–12
  day: number;
}

const HOUR_MS = 3_600_000;
const MAX_CACHED_HOURS = 200_000;
/**
 * Offset per zone and UTC hour, where it is the same at both ends of the hour; null where it
 * changes within it. Keyed by zone, then by the hour as a number: building a string key per call
 * cost more than the look-up saved.
 */
const hourOffsets = new Map<string, Map<number, number | null>>();
let cachedHours = 0;

function rawOffsetMs(zone: string, ms: number): number {
  const minutes = tzOffset(zone, new Date(ms));
  if (Number.isNaN(minutes)) throw new RangeError(`Unknown time zone: ${zone}`);
  return minutes * MINUTE_MS;
}

/**
 * Offset of `zone` at `ms`, in ms. Throws on an unknown zone rather than computing nonsense.
 * Intl is slow and week grids ask for the same hours thousands of times, so an hour whose two
 * ends share an offset is remembered (no zone changes offset twice within an hour); an hour
 * with a transition is always computed exactly. The memo depends on nothing but its arguments.
 */
export function offsetMs(zone: string, ms: number): number {
  const hour = Math.floor(ms / HOUR_MS);
  let hours = hourOffsets.get(zone);
  let offset = hours?.get(hour);
  if (offset === undefined) {
    const start = rawOffsetMs(zone, hour * HOUR_MS);
    offset = start === rawOffsetMs(zone, (hour + 1) * HOUR_MS - 1) ? start : null;
    if (cachedHours >= MAX_CACHED_HOURS) {
      hourOffsets.clear();
      cachedHours = 0;
      hours = undefined;
    }
    if (!hours) hourOffsets.set(zone, (hours = new Map()));
    hours.set(hour, offset);
    cachedHours++;
  }
  return offset ?? rawOffsetMs(zone, ms);
}

/** The lab's calendar date at instant `at`. */
export function localDateOf(at: Date, zone: string): LocalDate {
  const local = new Date(at.getTime() + offsetMs(zone, at.getTime()));
  return { year: local.getUTCFullYear(), month: local.getUTCMonth() + 1, day: local.getUTCDate() };
}

/**
 * The instant at which the lab's wall clock shows `minutes` after midnight of `date`.
 * DST (and any other offset change) is resolved like this:
 * - ambiguous time (fall-back, the hour happens twice): the FIRST occurrence;
 * - nonexistent time (spring-forward gap): mapped forward to the end of the gap, i.e. the
 *   transition instant, so a rule lying wholly inside the gap yields nothing that day.
 * TZDate's constructor is not used because its choice for ambiguous times varies with the
 * process zone (seen on Node 20), which would make results depend on the server.
 */
export function zonedInstant(date: LocalDate, minutes: number, zone: string): Date {
  const wall = Date.UTC(date.year, date.month - 1, date.day) + minutes * MINUTE_MS;
  // Grids of many instruments place the same opening times on the same days again and again.
  const known = instants.get(zone);
  const cached = known?.get(wall);
  if (cached !== undefined) return new Date(cached);
  const instant = instantOfWall(wall, zone);
  if (known && known.size < MAX_CACHED_INSTANTS) known.set(wall, instant);
  else instants.set(zone, new Map([[wall, instant]]));
  return new Date(instant);
}

const MAX_CACHED_INSTANTS = 100_000;
/** Per zone, the instant of each wall-clock time asked for (ms to ms). */
const instants = new Map<string, Map<number, number>>();

function instantOfWall(wall: number, zone: string): number {
  // Real zones change offset at most once within two days around any instant.
  const before = offsetMs(zone, wall - DAY_MS);
  const after = offsetMs(zone, wall + DAY_MS);
  const candidates = [wall - before, wall - after].filter((t) => wall - offsetMs(zone, t) === t);
  if (candidates.length > 0) return Math.min(...candidates);
  // In a gap: binary-search the first instant that already uses the later offset.
  let lo = wall - after; // still on the earlier offset
  let hi = wall - before; // already on the later offset
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (offsetMs(zone, mid) === after) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** Minutes of each well-formed "HH:MM" read (at most 6,000): a grid's rules repeat a few times. */
const clockMinutes = new Map<string, number>();

function parseClock(text: string, allow24: boolean): number {
  let minutes = clockMinutes.get(text);
  if (minutes === undefined) {
    const match = /^(\d{2}):(\d{2})$/.exec(text);
    minutes = match && Number(match[2]) <= 59 ? Number(match[1]) * 60 + Number(match[2]) : NaN;
    if (!Number.isNaN(minutes)) clockMinutes.set(text, minutes);
  }
  if (Number.isNaN(minutes) || minutes > (allow24 ? 1440 : 1439)) {
    throw new RangeError(`Invalid wall-clock time: ${text}`);
  }
  return minutes;
}

function isoWeekday(date: LocalDate): IsoWeekday {
  const sundayZero = new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
  return (sundayZero === 0 ? 7 : sundayZero) as IsoWeekday;
}

/**
 * Which weekday's rules apply on `date`, or null when the lab is closed all day.
 * Statutory holidays (including their weekend days) close the lab. Make-up working days (调休上班)
 * fall on a weekend and the data does not say which weekday they replace: Saturday takes Friday's
 * rules, Sunday takes Monday's (the adjacent weekday) — see
 * docs/decisions/007-holidays-and-makeup-days.md.
 */
/** Statutory holidays and make-up working days from `first` to `last` (YYYY-MM-DD, inclusive). */
export function chineseCalendarBetween(first: string, last: string): { holidays: string[]; makeupWorkdays: string[] } {
  const within = (table: Readonly<Record<string, string>>) => Object.keys(table).filter((d) => d >= first && d <= last).sort();
  return { holidays: within(STATUTORY_HOLIDAYS), makeupWorkdays: within(MAKEUP_WORKDAYS) };
}

/**
 * What the national calendar makes of a date (YYYY-MM-DD) for a lab that observes it: a statutory
 * holiday (closed) or a make-up working day (调休, open), with the festival's names; null otherwise.
 */
export function chineseCalendarDay(date: string): { kind: "holiday" | "makeup"; nameEn: string; nameZh: string } | null {
  const entry = STATUTORY_HOLIDAYS[date] ?? MAKEUP_WORKDAYS[date];
  if (!entry) return null;
  const [nameEn, nameZh] = entry.split(",");
  return { kind: date in STATUTORY_HOLIDAYS ? "holiday" : "makeup", nameEn: nameEn!, nameZh: nameZh! };
}

function rulesWeekday(date: LocalDate, policy: HolidayPolicy): IsoWeekday | null {
  const weekday = isoWeekday(date);
  if (!policy.observeChineseHolidays) return weekday;
  const key = [date.year, date.month, date.day].map((n) => String(n).padStart(2, "0")).join("-");
  if (key in STATUTORY_HOLIDAYS) return null;
  if (key in MAKEUP_WORKDAYS && weekday >= 6) return weekday === 6 ? 5 : 1;
  return weekday;
}

/** rulesWeekday by day counter, without and with the holiday calendar: grids ask for the same few days for every instrument. */
const weekdays = [new Map<number, IsoWeekday | null>(), new Map<number, IsoWeekday | null>()] as const;

function openingHours(
  rules: readonly WeeklyRule[],
  span: Interval,
  zone: string,
  policy: HolidayPolicy,
): Interval[] {
  const parsed = rules.map((rule) => {
    const start = parseClock(rule.start, false);
    const end = parseClock(rule.end, true);
    if (end <= start) throw new RangeError(`Rule ends before it starts: ${rule.start}–${rule.end}`);
    return { weekday: rule.weekday, start, end };
  });
  const first = localDateOf(span.start, zone);
  const last = localDateOf(span.end, zone);
  const out: Interval[] = [];
  // Walk calendar days by a UTC day counter, independent of any zone.
  for (
    let dayMs = Date.UTC(first.year, first.month - 1, first.day);
    dayMs <= Date.UTC(last.year, last.month - 1, last.day);
    dayMs += DAY_MS
  ) {
    const d = new Date(dayMs);
    const date = { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
    const known = weekdays[policy.observeChineseHolidays ? 1 : 0];
    let weekday = known.get(dayMs);
    if (weekday === undefined) known.set(dayMs, (weekday = rulesWeekday(date, policy)));
    for (const rule of parsed) {
      if (rule.weekday !== weekday) continue;
      // "24:00" is 00:00 of the next calendar day, which zonedInstant handles via the day counter.
      out.push({ start: zonedInstant(date, rule.start, zone), end: zonedInstant(date, rule.end, zone) });
    }
  }
  return mergeMade(out);
}

export interface FreeIntervalsInput {
  rules: readonly WeeklyRule[];
  closures: readonly Interval[];
  busy: readonly Busy[];
  window: Interval;
  zone: string;
  holidays: HolidayPolicy;
  settings: BookingSettings;
  now: Date;
}

/** Sorted, non-overlapping free intervals inside the window and the booking horizon. */
export function freeIntervals(input: FreeIntervalsInput): Interval[] {
  const { rules, closures, busy, window, zone, holidays, settings, now } = input;
  const horizon: Interval = {
    start: new Date(
      Math.max(window.start.getTime(), now.getTime() + settings.minNoticeMinutes * MINUTE_MS),
    ),
    end: new Date(Math.min(window.end.getTime(), now.getTime() + settings.maxAdvanceDays * DAY_MS)),
  };
  if (horizon.end.getTime() <= horizon.start.getTime()) return [];
  const open = openingHours(rules, horizon, zone, holidays);
  const taken = [...closures, ...widen(busy, settings.bufferMinutes)];
  return clamp(subtract(open, taken), horizon);
}
