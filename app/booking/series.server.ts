// Recurring requests ("repeat weekly for N weeks"): every occurrence is judged in one pass, each
// against the others already accepted (quota, buffers), so the preview shows the series as a
// whole. Booking takes exactly the occurrences the customer saw fit, all in one transaction, or
// none of them when any has stopped fitting meanwhile (decision 028).
import { randomUUID } from "node:crypto";
import type { Interval } from "~/availability/types";
import { getDb, type Tx } from "~/lib/db.server";
import {
  insertBooking,
  judge,
  lostToConcurrentBooking,
  requestContext,
  type BookingSummary,
  type RequestContext,
  type SlotRequest,
  type Verdict,
} from "./bookings.server";
import { weeklyOccurrences } from "./recurrence";

export interface Occurrence extends Interval {
  verdict: Verdict;
}

function judgeAll(context: RequestContext, request: SlotRequest, occurrences: Interval[], now: Date): Occurrence[] {
  const busy = [...context.inputs.busy];
  const counted = [...context.counted];
  return occurrences.map((o) => {
    const verdict = judge({ ...context, inputs: { ...context.inputs, busy }, counted }, { ...request, ...o }, now);
    if (verdict.ok) {
      busy.push(o);
      counted.push(o);
    }
    return { ...o, verdict };
  });
}

async function judgeSeries(tx: Tx, request: SlotRequest, weeks: number, now: Date): Promise<Occurrence[] | null> {
  const context = await requestContext(tx, { id: request.instrumentId }, request.userId, spanOf(request, weeks));
  if (!context) return null;
  return judgeAll(context, request, weeklyOccurrences(request, weeks, context.inputs.zone), now);
}

/** From the first occurrence's start to the last one's end (an hour's slack absorbs a DST shift). */
const spanOf = (first: Interval, weeks: number): Interval => ({
  start: first.start,
  end: new Date(first.end.getTime() + (weeks - 1) * 7 * 86_400_000 + 3_600_000),
});

/** Each occurrence with whether it fits and, if not, why; null for an unknown instrument. */
export async function previewSeries(request: SlotRequest, weeks: number, now: Date): Promise<Occurrence[] | null> {
  const db = await getDb();
  return db.transaction((tx) => judgeSeries(tx, request, weeks, now));
}

export type BookSeriesResult =
  | { ok: true; seriesId: string; bookings: BookingSummary[] }
  /** Something the customer chose no longer fits (or isn't an occurrence): nothing was booked; here is the fresh preview. */
  | { ok: false; reason: "series_changed"; occurrences: Occurrence[] }
  | { ok: false; reason: "instrument_unavailable" };

/** Books the chosen occurrences (their starts) of the series, all or none, sharing one series id. */
export async function bookSeries(request: SlotRequest, weeks: number, chosen: Date[], now: Date): Promise<BookSeriesResult> {
  const db = await getDb();
  const wanted = new Set(chosen.map((d) => d.getTime()));
  try {
    return await db.transaction(async (tx): Promise<BookSeriesResult> => {
      const occurrences = await judgeSeries(tx, request, weeks, now);
      if (!occurrences) return { ok: false, reason: "instrument_unavailable" };
      const picked = occurrences.filter((o) => wanted.has(o.start.getTime()));
      if (picked.length === 0 || picked.length !== wanted.size || picked.some((o) => !o.verdict.ok))
        return { ok: false, reason: "series_changed", occurrences };
      const seriesId = randomUUID();
      const booked: BookingSummary[] = [];
      for (const o of picked) {
        // judgeAll accepted each occurrence against the ones before it, so the statuses still hold.
        const status = (o.verdict as Extract<Verdict, { ok: true }>).status;
        booked.push(await insertBooking(tx, { ...request, start: o.start, end: o.end }, status, now, seriesId));
      }
      return { ok: true, seriesId, bookings: booked };
    });
  } catch (error) {
    if (!lostToConcurrentBooking(error)) throw error;
    // Someone took one of the times between the check and the insert: show the series afresh.
    return { ok: false, reason: "series_changed", occurrences: (await previewSeries(request, weeks, now)) ?? [] };
  }
}
