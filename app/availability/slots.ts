// Slots offered to users, cut from free intervals by the instrument's settings, and the check a
// booking request must pass. Pure like freeIntervals: `now` and the zone are arguments.
import { offsetMs } from "./free-intervals";
import { merged } from "./intervals";
import type { BookingSettings, Interval } from "./types";

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

export type FitResult =
  | { ok: true }
  | {
      ok: false;
      reason: "outside_opening" | "too_short" | "too_long" | "too_soon" | "too_far" | "misaligned";
    };

/** True when the lab's wall clock at `ms` is a whole multiple of the granularity after midnight. */
function isAligned(ms: number, slotMinutes: number, zone: string): boolean {
  const local = ms + offsetMs(zone, ms);
  const sinceMidnight = local - Math.floor(local / DAY_MS) * DAY_MS;
  return sinceMidnight % (slotMinutes * MINUTE_MS) === 0;
}

/** First instant ≥ `ms` whose wall-clock time is aligned (e.g. :00 and :30 for 30-minute slots). */
function nextAligned(ms: number, slotMinutes: number, zone: string): number {
  const step = slotMinutes * MINUTE_MS;
  let t = ms;
  // Loops only when an offset change lands between t and the candidate; each pass moves forward.
  while (!isAligned(t, slotMinutes, zone)) {
    const offset = offsetMs(zone, t);
    const local = t + offset;
    const midnight = Math.floor(local / DAY_MS) * DAY_MS;
    // Granularities that don't divide a day restart at the next midnight.
    const aligned = Math.min(midnight + Math.ceil((local - midnight) / step) * step, midnight + DAY_MS);
    t = aligned - offset;
  }
  return t;
}

/** Smallest allowed length: a whole number of slots, at least the minimum length. */
export function defaultSlotLength(settings: BookingSettings): number {
  return Math.ceil(settings.minLengthMinutes / settings.slotMinutes) * settings.slotMinutes;
}

/**
 * Length of a booking that must last at least `minutes`: whole slots and at least the minimum
 * length; null when that exceeds the maximum length (the instrument can't be booked that long).
 */
export function lengthAtLeast(minutes: number, settings: BookingSettings): number | null {
  const wanted = Math.max(Math.ceil(minutes), settings.minLengthMinutes);
  const length = Math.ceil(wanted / settings.slotMinutes) * settings.slotMinutes;
  return length <= settings.maxLengthMinutes ? length : null;
}

/**
 * Every aligned slot of `lengthMinutes` (default: the shortest allowed) lying inside one free
 * interval, sorted by start. Starts step by the granularity, so longer slots overlap each other:
 * they are the choices offered, not a partition.
 */
export function offeredSlots(
  free: readonly Interval[],
  settings: BookingSettings,
  zone: string,
  lengthMinutes: number = defaultSlotLength(settings),
): Interval[] {
  const { slotMinutes, minLengthMinutes, maxLengthMinutes } = settings;
  if (
    lengthMinutes % slotMinutes !== 0 ||
    lengthMinutes < minLengthMinutes ||
    lengthMinutes > maxLengthMinutes
  ) {
    throw new RangeError(`Slot length ${lengthMinutes} min is not allowed by the settings`);
  }
  const length = lengthMinutes * MINUTE_MS;
  const out: Interval[] = [];
  for (const interval of merged(free)) {
    const end = interval.end.getTime();
    for (
      let start = nextAligned(interval.start.getTime(), slotMinutes, zone);
      start + length <= end;
      start = nextAligned(start + 1, slotMinutes, zone)
    ) {
      out.push({ start: new Date(start), end: new Date(start + length) });
    }
  }
  return out;
}

/**
 * Free time cut to whole slots: each free interval from its first aligned start, as many whole
 * granules as fit. A week grid sends these spans instead of every offered slot; the slots are
 * the granules of a span from which the default length still fits.
 */
export function wholeSlotSpans(free: readonly Interval[], slotMinutes: number, zone: string): Interval[] {
  const step = slotMinutes * MINUTE_MS;
  return merged(free).flatMap((interval) => {
    const start = nextAligned(interval.start.getTime(), slotMinutes, zone);
    const granules = Math.floor((interval.end.getTime() - start) / step);
    return granules > 0 ? [{ start: new Date(start), end: new Date(start + granules * step) }] : [];
  });
}

/**
 * Whether a requested booking fits. `free` must come from freeIntervals with the same settings
 * and `now`. The specific reasons are checked first; "outside_opening" then means the time is
 * not free (closed, closed for a closure, or taken by a booking or its buffer).
 */
export function fitsRequest(
  free: readonly Interval[],
  request: Interval,
  settings: BookingSettings,
  context: { now: Date; zone: string },
): FitResult {
  const start = request.start.getTime();
  const end = request.end.getTime();
  const now = context.now.getTime();
  const minutes = (end - start) / MINUTE_MS;
  if (!(minutes >= settings.minLengthMinutes) || minutes <= 0) return { ok: false, reason: "too_short" };
  if (minutes > settings.maxLengthMinutes) return { ok: false, reason: "too_long" };
  if (minutes % settings.slotMinutes !== 0 || !isAligned(start, settings.slotMinutes, context.zone)) {
    return { ok: false, reason: "misaligned" };
  }
  if (start < now + settings.minNoticeMinutes * MINUTE_MS) return { ok: false, reason: "too_soon" };
  if (end > now + settings.maxAdvanceDays * DAY_MS) return { ok: false, reason: "too_far" };
  const inside = merged(free).some((i) => i.start.getTime() <= start && end <= i.end.getTime());
  return inside ? { ok: true } : { ok: false, reason: "outside_opening" };
}

/** Start of the first free interval at least `minutes` long, or null (free-window search). */
export function firstFit(free: readonly Interval[], minutes: number): Date | null {
  const fit = merged(free).find((i) => i.end.getTime() - i.start.getTime() >= minutes * MINUTE_MS);
  return fit ? new Date(fit.start.getTime()) : null;
}
