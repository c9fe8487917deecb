import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { clamp, intersect, merge, subtract, widen } from "../../app/availability/intervals";
import type { Interval } from "../../app/availability/types";

const T0 = Date.UTC(2026, 5, 1);
const at = (minute: number) => new Date(T0 + minute * 60_000);
const iv = (s: number, e: number): Interval => ({ start: at(s), end: at(e) });
const minutes = (list: Interval[]) =>
  list.map((i) => [(i.start.getTime() - T0) / 60_000, (i.end.getTime() - T0) / 60_000]);

const arbIntervals = fc.array(
  fc.tuple(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 60 })).map(([s, l]) => iv(s, s + l)),
  { maxLength: 8 },
);
const covers = (list: readonly Interval[], minute: number) =>
  list.some((i) => i.start.getTime() <= at(minute).getTime() && at(minute).getTime() < i.end.getTime());
const isNormalised = (list: Interval[]) =>
  list.every((i, k) => i.end > i.start && (k === 0 || list[k - 1].end.getTime() < i.start.getTime()));

describe("interval algebra examples", () => {
  it("merge sorts, joins overlapping and touching intervals, drops empty ones", () => {
    expect(minutes(merge([iv(50, 60), iv(0, 10), iv(10, 20), iv(15, 30), iv(40, 40)]))).toEqual([
      [0, 30],
      [50, 60],
    ]);
  });

  it("subtract splits and trims", () => {
    expect(minutes(subtract([iv(0, 100)], [iv(10, 20), iv(90, 120), iv(30, 40)]))).toEqual([
      [0, 10],
      [20, 30],
      [40, 90],
    ]);
  });

  it("intersect, clamp and widen", () => {
    expect(minutes(intersect([iv(0, 50), iv(60, 90)], [iv(40, 70)]))).toEqual([
      [40, 50],
      [60, 70],
    ]);
    expect(minutes(clamp([iv(0, 50)], iv(10, 20)))).toEqual([[10, 20]]);
    expect(clamp([iv(0, 50)], iv(20, 10))).toEqual([]);
    expect(minutes(widen([iv(30, 40), iv(60, 70)], 10))).toEqual([[20, 80]]);
  });
});

describe("interval algebra properties (point-membership model)", () => {
  const points = Array.from({ length: 280 }, (_, k) => k);

  it("subtract and intersect match set difference and intersection, normalised", () => {
    fc.assert(
      fc.property(arbIntervals, arbIntervals, (a, b) => {
        const diff = subtract(a, b);
        const both = intersect(a, b);
        expect(isNormalised(diff) && isNormalised(both)).toBe(true);
        for (const p of points) {
          expect(covers(diff, p)).toBe(covers(a, p) && !covers(b, p));
          expect(covers(both, p)).toBe(covers(a, p) && covers(b, p));
        }
      }),
    );
  });

  it("merge keeps exactly the covered points; widen grows each interval by the pad", () => {
    fc.assert(
      fc.property(arbIntervals, fc.integer({ min: 0, max: 15 }), (a, pad) => {
        const merged = merge(a);
        const wide = widen(a, pad);
        expect(isNormalised(merged) && isNormalised(wide)).toBe(true);
        for (const p of points) {
          expect(covers(merged, p)).toBe(covers(a, p));
          const grown = a
            .filter((i) => i.end > i.start)
            .map((i) => ({ start: new Date(i.start.getTime() - pad * 60_000), end: new Date(i.end.getTime() + pad * 60_000) }));
          expect(covers(wide, p)).toBe(covers(grown, p));
        }
      }),
    );
  });

  it("never mutates or aliases its inputs", () => {
    fc.assert(
      fc.property(arbIntervals, arbIntervals, (a, b) => {
        const before = JSON.stringify([a, b]);
        Object.freeze(a.map(Object.freeze));
        Object.freeze(b.map(Object.freeze));
        const outputs = [merge(a), subtract(a, b), intersect(a, b), clamp(a, iv(20, 120)), widen(a, 5)].flat();
        for (const out of outputs) out.start.setTime(0);
        expect(JSON.stringify([a, b])).toBe(before);
      }),
    );
  });
});
