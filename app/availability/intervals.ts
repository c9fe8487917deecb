// Interval algebra on instants, half-open [start, end). Every function is pure: it never
// mutates its arguments and always returns fresh `Date`s, so callers can't alias inputs.
import type { Interval } from "./types";

const MINUTE_MS = 60_000;

function make(start: number, end: number): Interval {
  return { start: new Date(start), end: new Date(end) };
}

/** Sorted, non-overlapping, non-empty; touching intervals are joined. */
export function merge(intervals: readonly Interval[]): Interval[] {
  return isMerged(intervals) ? intervals.map((i) => make(i.start.getTime(), i.end.getTime())) : sortedMerge(intervals);
}

/**
 * `merge` for reading only: already merged input (most of it: some step's output) is returned
 * as it is, not copied. Never hand its result to a caller.
 */
export function merged(intervals: readonly Interval[]): readonly Interval[] {
  return isMerged(intervals) ? intervals : sortedMerge(intervals);
}

/** `merge` for intervals just made (nobody else holds them): already merged ones are kept. */
export function mergeMade(made: Interval[]): Interval[] {
  return isMerged(made) ? made : sortedMerge(made);
}

function sortedMerge(intervals: readonly Interval[]): Interval[] {
  const sorted = intervals
    .map((i) => [i.start.getTime(), i.end.getTime()] as const)
    .filter(([s, e]) => e > s)
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: [number, number][] = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out.map(([s, e]) => make(s, e));
}

function isMerged(intervals: readonly Interval[]): boolean {
  let previousEnd = -Infinity;
  for (const i of intervals) {
    const start = i.start.getTime();
    const end = i.end.getTime();
    if (!(start > previousEnd && end > start)) return false;
    previousEnd = end;
  }
  return true;
}

/** The parts of `from` covered by none of `remove`. */
export function subtract(from: readonly Interval[], remove: readonly Interval[]): Interval[] {
  const cuts = merged(remove);
  const out: Interval[] = [];
  for (const base of merged(from)) {
    let cursor = base.start.getTime();
    const end = base.end.getTime();
    for (const cut of cuts) {
      const cs = cut.start.getTime();
      const ce = cut.end.getTime();
      if (ce <= cursor) continue;
      if (cs >= end) break;
      if (cs > cursor) out.push(make(cursor, cs));
      cursor = Math.max(cursor, ce);
    }
    if (cursor < end) out.push(make(cursor, end));
  }
  return out;
}

/** Instants covered by both `a` and `b`. */
export function intersect(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const left = merged(a);
  const right = merged(b);
  const out: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length && j < right.length) {
    const s = Math.max(left[i].start.getTime(), right[j].start.getTime());
    const e = Math.min(left[i].end.getTime(), right[j].end.getTime());
    if (e > s) out.push(make(s, e));
    if (left[i].end.getTime() < right[j].end.getTime()) i++;
    else j++;
  }
  return out;
}

/** `intervals` cut to `bounds`; empty when bounds are empty or inverted. */
export function clamp(intervals: readonly Interval[], bounds: Interval): Interval[] {
  return intersect(intervals, [bounds]);
}

/** Each non-empty interval grown by `minutes` on both sides (booking buffers), then merged. */
export function widen(intervals: readonly Interval[], minutes: number): Interval[] {
  const pad = minutes * MINUTE_MS;
  return mergeMade(merged(intervals).map((i) => make(i.start.getTime() - pad, i.end.getTime() + pad)));
}
