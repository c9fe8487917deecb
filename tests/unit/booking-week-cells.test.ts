import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { offeredSlots, wholeSlotSpans } from "../../app/availability/slots";
import type { BookingSettings, Interval } from "../../app/availability/types";
import { bookHref, cellsOf, rebookMinutes, selectionOf } from "../../app/booking/week-cells";

const settings: BookingSettings = { slotMinutes: 30, minNoticeMinutes: 0, maxAdvanceDays: 60, minLengthMinutes: 60, maxLengthMinutes: 120, bufferMinutes: 0 };
const iso = (i: Interval) => ({ start: i.start.toISOString(), end: i.end.toISOString() });
const limits = { minMinutes: 60, maxMinutes: 120 };

describe("wholeSlotSpans", () => {
  it("starts each free interval at its first aligned time and keeps whole slots only", () => {
    const free = [
      { start: new Date("2026-06-08T09:10:00+08:00"), end: new Date("2026-06-08T12:20:00+08:00") },
      { start: new Date("2026-06-08T13:05:00+08:00"), end: new Date("2026-06-08T13:40:00+08:00") },
    ];
    expect(wholeSlotSpans(free, 30, "Asia/Shanghai").map(iso)).toEqual([{ start: "2026-06-08T01:30:00.000Z", end: "2026-06-08T04:00:00.000Z" }]);
  });
});

describe("cellsOf", () => {
  it("offers from the spans exactly the slots offeredSlots cuts from free time", () => {
    const minute = Date.parse("2026-06-08T00:00:00Z") / 60_000;
    const intervals = fc
      .array(fc.tuple(fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 1, max: 400 })), { maxLength: 6 })
      .map((pairs) => pairs.map(([from, length]) => ({ start: new Date((minute + from) * 60_000), end: new Date((minute + from + length) * 60_000) })));
    fc.assert(
      fc.property(intervals, (free) => {
        const spans = wholeSlotSpans(free, 30, "Asia/Shanghai").map(iso);
        const fromCells = cellsOf(spans, 30, 60).flatMap((c) => (c.slotEnd ? [{ start: c.start, end: c.slotEnd }] : []));
        expect(fromCells).toEqual(offeredSlots(free, settings, "Asia/Shanghai").map(iso));
      }),
    );
  });
});

describe("selectionOf", () => {
  const cells = cellsOf(
    [
      { start: "2026-06-08T01:00:00.000Z", end: "2026-06-08T04:00:00.000Z" },
      { start: "2026-06-08T05:00:00.000Z", end: "2026-06-08T06:00:00.000Z" },
    ],
    30,
    60,
  );

  it("books from the first to the last chosen cell, in either order", () => {
    expect(selectionOf(cells, 3, 1, limits)).toEqual({ start: "2026-06-08T01:30:00.000Z", end: "2026-06-08T03:00:00.000Z", minutes: 90, fits: "ok" });
  });

  it("says when the choice is shorter than the minimum or longer than the maximum", () => {
    expect(selectionOf(cells, 0, 0, limits)?.fits).toBe("too_short");
    expect(selectionOf(cells, 0, 5, limits)?.fits).toBe("too_long");
  });

  it("never spans two free spans (busy or closed time between them)", () => {
    expect(selectionOf(cells, 5, 6, limits)).toBeNull();
  });
});

describe("rebooking (再次预约)", () => {
  const week = { slotMinutes: 30, defaultMinutes: 60, maxMinutes: 240 };

  it("links book the earlier booking's length, in whole slots, within the instrument's limits", () => {
    expect(rebookMinutes(120, week)).toBe(120);
    expect(rebookMinutes(100, week)).toBe(120);
    expect(rebookMinutes(30, week)).toBe(60);
    expect(rebookMinutes(600, week)).toBe(240);
  });

  it("carries the booking being repeated to the booking form", () => {
    const slot = { start: "2026-12-14T00:30:00.000Z", end: "2026-12-14T02:30:00.000Z" };
    expect(bookHref("jem-2100f", slot, "3f1c")).toBe("/instruments/jem-2100f/book?start=2026-12-14T00%3A30%3A00.000Z&end=2026-12-14T02%3A30%3A00.000Z&rebook=3f1c");
    expect(bookHref("jem-2100f", slot)).not.toContain("rebook");
  });
});
