import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { availabilityRules, bookings, bookingSettings, closures, instruments, labs } from "../../db/schema";
import { freeIntervals, zonedInstant, type LocalDate } from "../../app/availability/free-intervals";
import { availabilityInputs } from "../../app/availability/inputs.server";
import { clamp, merge } from "../../app/availability/intervals";
import { wholeSlotSpans } from "../../app/availability/slots";
import type { Interval } from "../../app/availability/types";
import { instrumentsWeek, instrumentWeek, type InstrumentWeek, type WeekSpan } from "../../app/booking/week.server";
import type { Database } from "../../app/lib/db.server";
import { bookableInstrument, demoCustomer } from "../support/booking";
import { useTestDatabase, unique } from "../support/db";

let d: Database;
let ids: string[];

/** A lab like the test instruments' own, in another zone. */
async function labIn(zone: string): Promise<string> {
  const [lab] = await d.db.select().from(labs).where(eq(labs.slug, "zju-emlab"));
  const [row] = await d.db
    .insert(labs)
    .values({ slug: `week-test-${unique()}`, organizationId: lab!.organizationId, nameZh: "时区测试实验室", nameEn: "Zone test lab", timeZone: zone })
    .returning({ id: labs.id });
  return row!.id;
}

const span = (start: string, end: string) => ({ start: new Date(start), end: new Date(end) });

beforeAll(async () => {
  d = await useTestDatabase();
  const customer = await demoCustomer(d);
  const shanghai = await bookableInstrument(d);
  // New York across both DST changes of 2026, a 20-minute grid, a buffer, open round the clock on Sundays.
  const newYork = await bookableInstrument(d, { settings: { slotMinutes: 20, minLengthMinutes: 40, bufferMinutes: 15, observeChineseHolidays: false, maxAdvanceDays: 400, minNoticeMinutes: 0 } });
  await d.db.update(instruments).set({ labId: await labIn("America/New_York") }).where(eq(instruments.id, newYork));
  await d.db.insert(availabilityRules).values({ instrumentId: newYork, weekday: 7, startMinute: 0, endMinute: 1440 });
  // Without a settings row (the defaults apply) and without opening hours.
  const defaults = await bookableInstrument(d);
  await d.db.delete(bookingSettings).where(eq(bookingSettings.instrumentId, defaults));
  const closed = await bookableInstrument(d);
  await d.db.delete(availabilityRules).where(eq(availabilityRules.instrumentId, closed));
  ids = [shanghai, newYork, defaults, closed];

  const booked = (instrumentId: string, status: "confirmed" | "requested" | "cancelled", period: Interval) => ({
    instrumentId, kind: "slot" as const, status, period, organizationId: customer.organizationId, userId: customer.userId,
  });
  await d.db.insert(bookings).values([
    booked(shanghai, "confirmed", span("2026-03-03T09:00:00+08:00", "2026-03-03T10:30:00+08:00")),
    booked(shanghai, "cancelled", span("2026-03-04T09:00:00+08:00", "2026-03-04T10:30:00+08:00")),
    // Just before the New York week: only its buffer reaches in.
    booked(newYork, "confirmed", span("2026-03-01T23:50:00-05:00", "2026-03-01T23:55:00-05:00")),
    booked(newYork, "requested", span("2026-03-08T01:00:00-05:00", "2026-03-08T04:00:00-04:00")),
    booked(newYork, "confirmed", span("2026-11-01T01:30:00-04:00", "2026-11-01T01:30:00-05:00")),
    booked(defaults, "confirmed", span("2026-03-06T16:00:00+08:00", "2026-03-09T09:00:00+08:00")),
  ]);
  await d.db.insert(closures).values([
    { instrumentId: shanghai, kind: "maintenance", period: span("2026-03-05T10:00:00+08:00", "2026-03-05T15:00:00+08:00") },
    { instrumentId: newYork, kind: "other", period: span("2026-11-01T00:10:00-04:00", "2026-11-01T00:50:00-04:00") },
  ]);
});

const dateOf = (iso: string): LocalDate => {
  const [year, month, day] = iso.split("-").map(Number);
  return { year: year!, month: month!, day: day! };
};
const toIntervals = (spans: WeekSpan[]): Interval[] => spans.map((x) => ({ start: new Date(x.start), end: new Date(x.end) }));

/**
 * The grid's free spans and busy blocks joined across midnights, and the same from the pure engine
 * over the lab's week with the inputs every other page reads (availabilityInputs).
 */
async function againstEngine(week: InstrumentWeek, now: Date) {
  const window: Interval = { start: zonedInstant(dateOf(week.days[0]!.date), 0, week.zone), end: zonedInstant(dateOf(week.nextWeek), 0, week.zone) };
  const inputs = (await availabilityInputs(d.db, [week.instrumentId], window)).get(week.instrumentId)!;
  const free = freeIntervals({ ...inputs, window, holidays: { observeChineseHolidays: inputs.settings.observeChineseHolidays }, now });
  return {
    grid: { free: merge(toIntervals(week.days.flatMap((x) => x.free))), busy: merge(toIntervals(week.days.flatMap((x) => x.busy))) },
    engine: { free: wholeSlotSpans(free, inputs.settings.slotMinutes, inputs.zone), busy: clamp(merge(inputs.busy), window) },
  };
}

describe("week grids of many instruments", () => {
  const cases: [string, Date, LocalDate | null][] = [
    ["a plain week", new Date("2026-02-25T00:00:00Z"), dateOf("2026-03-04")],
    ["the current week, Monday already in Shanghai but not in New York", new Date("2026-03-01T20:00:00Z"), null],
    ["New York's spring-forward week", new Date("2026-03-01T00:00:00Z"), dateOf("2026-03-08")],
    ["New York's fall-back week", new Date("2026-03-01T00:00:00Z"), dateOf("2026-10-26")],
  ];

  it.each(cases)("are each instrument's own week, in the order asked, unknown ids left out: %s", async (_, now, weekStart) => {
    const asked = [ids[3]!, crypto.randomUUID(), ...ids.slice(0, 3)];
    const batched = await instrumentsWeek(asked, weekStart, now);
    const oneByOne = await Promise.all(asked.map((id) => instrumentWeek(id, weekStart, now)));
    expect(batched).toEqual(oneByOne.filter((w) => w !== null));
    expect(batched.map((w) => w.instrumentId)).toEqual([ids[3], ...ids.slice(0, 3)]);
  });

  it.each(cases)("show what the engine computes: %s", async (_, now, weekStart) => {
    for (const week of await instrumentsWeek(ids, weekStart, now)) {
      const { grid, engine } = await againstEngine(week, now);
      expect(grid).toEqual(engine);
    }
  });

  it("places each lab's week in its own zone", async () => {
    const [shanghai, newYork, defaults, closed] = await instrumentsWeek(ids, dateOf("2026-03-04"), new Date("2026-02-25T00:00:00Z"));
    expect([shanghai!.zone, newYork!.zone]).toEqual(["Asia/Shanghai", "America/New_York"]);
    expect(shanghai!.days[1]!.busy).toEqual([{ start: "2026-03-03T01:00:00.000Z", end: "2026-03-03T02:30:00.000Z" }]);
    // Thursday's maintenance shows as closed time, on its day only.
    expect(shanghai!.days.map((day) => day.closed)).toEqual([[], [], [], [{ start: "2026-03-05T02:00:00.000Z", end: "2026-03-05T07:00:00.000Z" }], [], [], []]);
    // Sunday 8 March round the clock in New York (23 hours), less the booking from 01:00 EST to
    // 04:00 EDT and its 15-minute buffer, in whole 20-minute slots.
    expect(newYork!.days[6]!.free).toEqual([
      { start: "2026-03-08T05:00:00.000Z", end: "2026-03-08T05:40:00.000Z" },
      { start: "2026-03-08T08:20:00.000Z", end: "2026-03-09T04:00:00.000Z" },
    ]);
    expect(newYork!.slotMinutes).toBe(20);
    expect(defaults!.slotMinutes).toBe(30);
    expect(closed!.hasOpeningHours).toBe(false);
  });

  it("marks the national calendar's holidays and make-up days for labs that observe it", async () => {
    const [shanghai, newYork] = await instrumentsWeek(ids.slice(0, 2), dateOf("2026-10-05"), new Date("2026-09-01T00:00:00Z"));
    expect(shanghai!.days.map((day) => day.nationalDay?.kind ?? null)).toEqual(["holiday", "holiday", "holiday", null, null, "makeup", null]);
    expect(shanghai!.days[0]!.nationalDay).toEqual({ kind: "holiday", nameZh: "国庆节", nameEn: "National Day" });
    // The New York instrument does not observe it.
    expect(newYork!.days.every((day) => day.nationalDay === null)).toBe(true);
  });
});
