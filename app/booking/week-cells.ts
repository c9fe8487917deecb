// The granules of a week grid's free spans, and what a selection of them books. Pure and free of
// zone data (the server aligned the spans), so the calendar can use it in the browser.

export interface CellSpan {
  start: string;
  end: string;
}

export interface Cell {
  start: string;
  end: string;
  /** Which free span of the day the cell belongs to: a selection never crosses spans. */
  run: number;
  /** Where a default-length booking from this cell ends, or null when it does not fit in the span. */
  slotEnd: string | null;
}

const MINUTE_MS = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** The day's cells, one per granule of each free span, in time order. */
export function cellsOf(free: readonly CellSpan[], slotMinutes: number, defaultMinutes: number): Cell[] {
  const step = slotMinutes * MINUTE_MS;
  return free.flatMap((span, run) => {
    const end = Date.parse(span.end);
    const cells: Cell[] = [];
    for (let t = Date.parse(span.start); t + step <= end; t += step) {
      const slotEnd = t + defaultMinutes * MINUTE_MS;
      cells.push({ start: iso(t), end: iso(t + step), run, slotEnd: slotEnd <= end ? iso(slotEnd) : null });
    }
    return cells;
  });
}

export type Selection = { start: string; end: string; minutes: number; fits: "ok" | "too_short" | "too_long" };

/** The span booked by cells `from`…`to` (either order) of one run; null across runs. */
export function selectionOf(cells: readonly Cell[], from: number, to: number, limits: { minMinutes: number; maxMinutes: number }): Selection | null {
  const first = cells[Math.min(from, to)];
  const last = cells[Math.max(from, to)];
  if (!first || !last || first.run !== last.run) return null;
  const minutes = (Date.parse(last.end) - Date.parse(first.start)) / MINUTE_MS;
  const fits = minutes < limits.minMinutes ? "too_short" : minutes > limits.maxMinutes ? "too_long" : "ok";
  return { start: first.start, end: last.end, minutes, fits };
}

/**
 * How long the calendar's links book while rebooking: the earlier booking's length, within the
 * instrument's shortest and longest booking and in whole slots.
 */
export function rebookMinutes(previous: number, week: { slotMinutes: number; defaultMinutes: number; maxMinutes: number }): number {
  const whole = Math.ceil(previous / week.slotMinutes) * week.slotMinutes;
  return Math.min(Math.max(whole, week.defaultMinutes), week.maxMinutes);
}

/** Carried from page to page while rebooking: the booking whose details the form copies (再次预约). */
export const rebookQuery = (rebook?: string | null) => (rebook ? `&rebook=${encodeURIComponent(rebook)}` : "");

/** The booking form for a slot of an instrument, as the calendar and the alternatives to a taken slot link to it. */
export const bookHref = (slug: string, s: { start: string; end: string }, rebook?: string | null) =>
  `/instruments/${slug}/book?start=${encodeURIComponent(s.start)}&end=${encodeURIComponent(s.end)}${rebookQuery(rebook)}`;
