// The directory's free-window filter against the pure engine: on a small seeded set of instruments
// with varied rules, settings, closures and bookings, the instruments the SQL finds and each one's
// first fitting slot must equal freeIntervals + offeredSlots run per instrument.
import { beforeAll, describe, expect, it } from "vitest";
import { eq, inArray, sql } from "drizzle-orm";
import { availabilityRules, bookings, bookingSettings, closures, freeTimeSummaries, instruments, labs, organizations } from "../../db/schema";
import { refreshFreeSpans } from "../../app/availability/free-window.server";
import { rowsOf } from "../../app/catalogue/search.server";
import { availabilityInputs } from "../../app/availability/inputs.server";
import { freeIntervals } from "../../app/availability/free-intervals";
import { lengthAtLeast, offeredSlots, wholeSlotSpans } from "../../app/availability/slots";
import { merge } from "../../app/availability/intervals";
import { readFreeWindow, type FreeWindow } from "../../app/catalogue/free-window";
import type { DirectoryQuery } from "../../app/catalogue/search";
import { searchDirectory } from "../../app/catalogue/search.server";
import { countStatements, type Database } from "../../app/lib/db.server";
import { demoCustomer } from "../support/booking";
import { unique, useTestDatabase } from "../support/db";

/** Monday 28 September 2026: the windows below cross National Day (holidays and 调休 Saturday) and Berlin's DST end. */
const NOW = new Date("2026-09-28T00:00:00Z");
const DAY = 86_400_000;

let d: Database;
let orgSlug: string;
let orgId: string;
let labIds: { shanghai: string; berlin: string };
const instrumentIds: string[] = [];

/** A small deterministic generator, so a failure reproduces. */
function random(seed: number) {
  let s = seed >>> 0;
  const next = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  return { next, int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)), pick: <T,>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]! };
}

async function addInstruments(n: number, seed: number) {
  const r = random(seed);
  const [sample] = await d.db.select({ categoryCode: instruments.categoryCode }).from(instruments).limit(1);
  const customer = await demoCustomer(d);
  for (let k = 0; k < n; k++) {
    const zone = r.next() < 0.7 ? "shanghai" : "berlin";
    const [row] = await d.db
      .insert(instruments)
      .values({
        slug: `free-window-${unique()}-${k}`,
        labId: labIds[zone],
        organizationId: orgId,
        nameZh: `空闲检索测试仪器${k}`,
        nameEn: `Free window test ${k}`,
        categoryCode: sample!.categoryCode,
        status: "published",
        publishedAt: NOW,
      })
      .returning({ id: instruments.id });
    const instrumentId = row!.id;
    instrumentIds.push(instrumentId);
    // Opening hours from 06:00 on, clear of any daylight-saving gap.
    const rules = [1, 2, 3, 4, 5, 6, 7]
      .filter(() => r.next() < 0.6)
      .flatMap((weekday) => {
        const start = r.int(12, 26) * 30;
        const split = r.next() < 0.5;
        const end = start + r.int(2, 12) * 30;
        return split ? [{ instrumentId, weekday, startMinute: start, endMinute: end }, { instrumentId, weekday, startMinute: end + 60, endMinute: Math.min(1440, end + 60 + r.int(2, 8) * 30) }] : [{ instrumentId, weekday, startMinute: start, endMinute: end }];
      });
    if (rules.length) await d.db.insert(availabilityRules).values(rules);
    if (k > 0) {
      const slotMinutes = r.pick([15, 30, 60]);
      await d.db.insert(bookingSettings).values({
        instrumentId,
        slotMinutes,
        minNoticeMinutes: r.pick([0, 120, 1440]),
        maxAdvanceDays: r.pick([10, 60]),
        minLengthMinutes: slotMinutes * r.int(1, 2),
        maxLengthMinutes: r.pick([240, 480]),
        bufferMinutes: r.pick([0, 15, 30]),
        observeChineseHolidays: r.next() < 0.7,
      });
    }
    for (let c = r.int(0, 2); c > 0; c--) {
      const start = NOW.getTime() + r.int(0, 28 * 48) * 1_800_000;
      await d.db.insert(closures).values({ instrumentId, kind: "maintenance", reason: "保养", period: { start: new Date(start), end: new Date(start + r.int(2, 96) * 1_800_000) } });
    }
    // Bookings one after another, never overlapping; some cancelled (they free their time).
    let cursor = NOW.getTime() + r.int(0, 48) * 1_800_000;
    for (let b = r.int(0, 10); b > 0; b--) {
      const start = cursor + r.int(0, 96) * 1_800_000;
      const end = start + r.int(1, 12) * 1_800_000;
      cursor = end;
      await d.db.insert(bookings).values({
        instrumentId,
        organizationId: customer.organizationId,
        userId: customer.userId,
        kind: "slot",
        status: r.pick(["requested", "confirmed", "confirmed", "cancelled"] as const),
        period: { start: new Date(start), end: new Date(end) },
      });
    }
  }
}

const query = (extra: Partial<DirectoryQuery> = {}): DirectoryQuery => ({ category: [], region: [], orgType: [], org: [orgSlug], mode: [], accreditation: [], sort: "name", page: 1, ...extra });

/** The brute force: the pure engine per instrument. */
async function expected(window: FreeWindow): Promise<Map<string, { start: string; end: string }>> {
  const inputs = await d.db.transaction((tx) => availabilityInputs(tx, instrumentIds, window));
  const out = new Map<string, { start: string; end: string }>();
  for (const input of inputs.values()) {
    const length = lengthAtLeast(window.hours * 60, input.settings);
    if (length === null) continue;
    const free = freeIntervals({ ...input, window, holidays: { observeChineseHolidays: input.settings.observeChineseHolidays }, now: NOW });
    const first = offeredSlots(free, input.settings, input.zone, length)[0];
    if (first) out.set(input.id, { start: first.start.toISOString(), end: first.end.toISOString() });
  }
  return out;
}

async function found(window: FreeWindow) {
  const result = await searchDirectory(query(), window, NOW);
  const [slugs] = [await d.db.select({ id: instruments.id, slug: instruments.slug }).from(instruments)];
  const idOf = new Map(slugs.map((s) => [s.slug, s.id]));
  return { result, bySlot: new Map(result.items.map((i) => [idOf.get(i.slug)!, i.firstFit])) };
}

const window = (from: string, to: string, hours: string) => readFreeWindow({ from, to, hours }).window!;

beforeAll(async () => {
  d = await useTestDatabase({ isolated: true });
  orgSlug = `free-window-${unique()}`;
  const [org] = await d.db.insert(organizations).values({ slug: orgSlug, nameZh: "空闲检索测试大学", nameEn: "Free Window University", type: "university", providerStatus: "accepted", regionCode: "330100" }).returning({ id: organizations.id });
  orgId = org!.id;
  const [sh, be] = await d.db
    .insert(labs)
    .values([
      { slug: `${orgSlug}-sh`, organizationId: orgId, nameZh: "上海时区实验室", nameEn: "Shanghai lab", timeZone: "Asia/Shanghai" },
      { slug: `${orgSlug}-be`, organizationId: orgId, nameZh: "柏林时区实验室", nameEn: "Berlin lab", timeZone: "Europe/Berlin" },
    ])
    .returning({ id: labs.id });
  labIds = { shanghai: sh!.id, berlin: be!.id };
  await addInstruments(16, 20260928);
});

describe("free-window search", () => {
  const windows: [string, string, string][] = [
    ["2026-09-28T00:00", "2026-10-28T00:00", "3"],
    ["2026-10-01T00:00", "2026-10-09T00:00", "1"],
    ["2026-10-10T08:00", "2026-10-10T18:00", "2"],
    ["2026-10-12T08:00", "2026-10-12T12:00", "2.5"],
    ["2026-10-24T12:00", "2026-10-27T12:00", "6"],
    ["2026-09-28T09:00", "2026-09-28T11:00", "0.5"],
    ["2026-11-20T00:00", "2026-11-30T00:00", "1"],
  ];
  const matchesEngine = async (from: string, to: string, hours: string) => {
    const w = window(from, to, hours);
    const want = await expected(w);
    const { result, bySlot } = await found(w);
    expect(new Map([...bySlot].sort())).toEqual(new Map([...want].sort()));
    expect(result.total).toBe(want.size);
  };
  it.each(windows)("from %s to %s for %s h equals the pure engine run per instrument", matchesEngine);

  describe("from the stored free spans", () => {
    const current = async () =>
      rowsOf(await d.db.execute(sql`select instrument_id as id from free_time_summaries where seen = changes and instrument_id = any(${`{${instrumentIds.join(",")}}`}::uuid[])`)).map((r) => r.id as string);

    beforeAll(async () => {
      await refreshFreeSpans(NOW);
    });

    it("stores current spans for every instrument", async () => {
      expect((await current()).sort()).toEqual([...instrumentIds].sort());
      expect((await refreshFreeSpans(NOW)).instruments).toBe(0);
    });

    it("stores exactly the free time the pure engine computes, and each span's fit holds the engine's whole slots", async () => {
      const rows = await d.db.select().from(freeTimeSummaries).where(inArray(freeTimeSummaries.instrumentId, instrumentIds));
      expect(rows).toHaveLength(instrumentIds.length);
      for (const row of rows) {
        const covers = row.covers!;
        const [input] = (await d.db.transaction((tx) => availabilityInputs(tx, [row.instrumentId], covers))).values();
        // Stored from the refresh on, beyond the maximum advance: no notice, no advance limit.
        const settings = { ...input!.settings, minNoticeMinutes: 0, maxAdvanceDays: 730 };
        const free = merge(freeIntervals({ ...input!, settings, window: covers, holidays: { observeChineseHolidays: settings.observeChineseHolidays }, now: NOW }));
        expect(row.spanStarts!.map((t) => t.toISOString())).toEqual(free.map((f) => f.start.toISOString()));
        expect(row.spanEnds!.map((t) => t.toISOString())).toEqual(free.map((f) => f.end.toISOString()));
        const slot = settings.slotMinutes;
        const wholeSlots = free.map((f) => {
          const cut = wholeSlotSpans([f], slot, input!.zone)[0];
          return cut ? (cut.end.getTime() - cut.start.getTime()) / 60_000 : 0;
        });
        expect(row.spanFits!.map((fit) => Math.max(0, Math.floor(fit / slot) * slot))).toEqual(wholeSlots);
        expect(row.longestMinutes).toBe(Math.max(0, ...row.spanFits!));
      }
    });

    it.each(windows)("from %s to %s for %s h still equals the pure engine", matchesEngine);

    it("answers from the spans, not by rebuilding free time", async () => {
      const w = window("2026-09-28T00:00", "2026-10-28T00:00", "3");
      const [victim] = [...(await expected(w)).keys()];
      await d.db.update(freeTimeSummaries).set({ spanStarts: [], spanEnds: [], spanFits: [] }).where(eq(freeTimeSummaries.instrumentId, victim!));
      expect((await found(w)).bySlot.has(victim!)).toBe(false);
      await d.db.execute(sql`update free_time_summaries set changes = changes + 1 where instrument_id = ${victim!}`);
      expect((await found(w)).bySlot.has(victim!)).toBe(true);
      await refreshFreeSpans(NOW);
    });

    it("a booking made after the refresh is respected before the next one", async () => {
      const w = window("2026-10-12T08:00", "2026-10-12T12:00", "2.5");
      const before = await expected(w);
      const [instrumentId, slot] = [...before][0]!;
      const customer = await demoCustomer(d);
      await d.db.insert(bookings).values({
        instrumentId,
        organizationId: customer.organizationId,
        userId: customer.userId,
        kind: "slot",
        status: "confirmed",
        period: { start: new Date(slot.start), end: new Date(slot.end) },
      });
      expect(await current()).not.toContain(instrumentId);
      expect((await found(w)).bySlot.get(instrumentId)).not.toEqual(slot);
      await matchesEngine("2026-10-12T08:00", "2026-10-12T12:00", "2.5");
      await refreshFreeSpans(NOW);
      expect(await current()).toContain(instrumentId);
      await matchesEngine("2026-10-12T08:00", "2026-10-12T12:00", "2.5");
    });

    it("a change to opening hours, closures or settings makes the spans stale", async () => {
      // Instruments after the first have a settings row.
      const [a, b, c] = instrumentIds.slice(1);
      await d.db.insert(availabilityRules).values({ instrumentId: a!, weekday: 1, startMinute: 0, endMinute: 60 });
      await d.db.insert(closures).values({ instrumentId: b!, kind: "maintenance", reason: "保养", period: { start: new Date(NOW.getTime() + DAY), end: new Date(NOW.getTime() + 2 * DAY) } });
      await d.db.update(bookingSettings).set({ bufferMinutes: 45 }).where(eq(bookingSettings.instrumentId, c!));
      const now = await current();
      for (const id of [a!, b!, c!]) expect(now).not.toContain(id);
      for (const [from, to, hours] of windows) await matchesEngine(from, to, hours);
  });
  });

  it("finds something in the broad window, so the comparison is not vacuous", async () => {
    expect((await expected(window("2026-09-28T00:00", "2026-10-28T00:00", "3"))).size).toBeGreaterThan(3);
  });

  it("counts facets over the instruments free in the window only", async () => {
    const w = window("2026-10-12T08:00", "2026-10-12T12:00", "2.5");
    const { result } = await found(w);
    const all = await searchDirectory(query(), null, NOW);
    expect(result.facets.org.find((f) => f.key === orgSlug)?.n ?? 0).toBe(result.total);
    expect(all.total).toBe(instrumentIds.length);
    expect(result.total).toBeLessThan(all.total);
    // The page keeps the directory's order, and each facet counts the free instruments once.
    const free = new Set(result.items.map((i) => i.slug));
    expect(result.items.map((i) => i.slug)).toEqual(all.items.map((i) => i.slug).filter((slug) => free.has(slug)));
    expect(result.facets.category.reduce((n, f) => n + f.n, 0)).toBe(result.total);
    expect(result.facets.orgType.reduce((n, f) => n + f.n, 0)).toBe(result.total);
  });

  it("answers in the same two statements however many instruments there are", async () => {
    const w = window("2026-09-28T00:00", "2026-10-28T00:00", "3");
    const before = await countStatements(() => searchDirectory(query(), w, NOW));
    await addInstruments(30, 7);
    const after = await countStatements(() => searchDirectory(query(), w, NOW));
    expect(before.statements).toBe(2);
    expect(after.statements).toBe(2);
    expect(after.result.total).toBe((await expected(w)).size);
  });
});
