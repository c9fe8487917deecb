import { sql } from "drizzle-orm";
import { localDateOf } from "../../app/availability/free-intervals";
import { cellsOf } from "../../app/booking/week-cells";
import { instrumentsWeek, instrumentWeek } from "../../app/booking/week.server";
import { countStatements } from "../../app/lib/db.server";
import { benchDatabase, measureConcurrent, ms, ratio, sentStatements } from "./support";

const INSTRUMENTS = 1000;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

/**
 * The week availability grid of 1,000 instruments (seeded rules, closures, bookings), next week:
 * the batched function against the bare SQL that fetches the same rows, and, once, the
 * one-instrument-at-a-time path for comparison.
 */
export async function benchWeek() {
  const d = await benchDatabase({ instruments: 20_000, bookings: 2_000_000 });
  const now = new Date();
  const nextWeek = localDateOf(new Date(now.getTime() + 7 * 86_400_000), "Asia/Shanghai");
  const rows = (r: unknown) => (Array.isArray(r) ? r : (r as { rows: any[] }).rows);
  const ids: string[] = rows(
    await d.db.execute(sql`select i.id from instruments i where i.status = 'published' and exists (select 1 from availability_rules r where r.instrument_id = i.id) order by i.id limit ${INSTRUMENTS}`),
  ).map((r: any) => r.id);

  // The same rows the grid needs, with no engine and no mapping: the floor for this page.
  const from = `${new Date(now.getTime() - 2 * 86_400_000).toISOString()}`;
  const to = `${new Date(now.getTime() + 16 * 86_400_000).toISOString()}`;
  const idList = sql`string_to_array(${ids.join(",")}, ',')::uuid[]`;
  const bare = () =>
    d.db.transaction(async (tx) => {
      await tx.execute(sql`select i.id, l.time_zone, s.* from instruments i join labs l on l.id = i.lab_id left join booking_settings s on s.instrument_id = i.id where i.id = any(${idList})`);
      await tx.execute(sql`select * from availability_rules where instrument_id = any(${idList})`);
      await tx.execute(sql`select * from closures where instrument_id = any(${idList}) and period && tstzrange(${from}::timestamptz, ${to}::timestamptz)`);
      await tx.execute(sql`select instrument_id, period::text from bookings where instrument_id = any(${idList}) and status in ('requested', 'confirmed', 'in_use') and period && tstzrange(${from}::timestamptz, ${to}::timestamptz)`);
    });
  const grid = () => instrumentsWeek(ids, nextWeek, now);

  // Statements as the driver sends them (BEGIN and COMMIT too); drizzle's count where it can't tell (PGlite).
  const counted = async <T>(fn: () => Promise<T>) => {
    const { result: { result, statements }, sent } = await sentStatements(() => countStatements(fn));
    return { result, statements: sent ?? statements };
  };
  const { statements: bareStatements } = await counted(bare);
  const { result: weeks, statements } = await counted(grid);
  const bareTiming = await measureConcurrent(1, ROUNDS, [bare]);
  const gridTiming = await measureConcurrent(1, ROUNDS, [grid]);
  const oneByOne = await counted(async () => {
    const started = performance.now();
    for (const id of ids) await instrumentWeek(id, nextWeek, now);
    return performance.now() - started;
  });

  const busy = weeks.reduce((n, w) => n + w.days.reduce((m, day) => m + day.busy.length, 0), 0);
  const free = weeks.reduce((n, w) => n + w.days.reduce((m, day) => m + day.free.length, 0), 0);
  const slots = weeks.reduce((n, w) => n + w.days.reduce((m, day) => m + cellsOf(day.free, w.slotMinutes, w.defaultMinutes).filter((c) => c.slotEnd).length, 0), 0);
  console.log(`\nweek: the week of ${weeks[0]?.weekStart} for ${weeks.length} instruments (${free} free spans holding ${slots} offered slots, ${busy} busy blocks), ${ROUNDS} rounds`);
  console.table({
    "bare SQL, same rows (baseline)": { p50: ms(bareTiming.p50), p95: ms(bareTiming.p95), statements: bareStatements },
    "instrumentsWeek (batched)": { p50: ms(gridTiming.p50), p95: ms(gridTiming.p95), statements },
    "instrumentWeek × 1,000 (one at a time, once)": { p50: ms(oneByOne.result), p95: "", statements: oneByOne.statements },
  });
  console.log(`batched / bare SQL: p50 ${ratio(gridTiming.p50, bareTiming.p50)}, p95 ${ratio(gridTiming.p95, bareTiming.p95)}; one at a time / batched: ${ratio(oneByOne.result, gridTiming.p50)}`);
  const met = gridTiming.p50 <= 300 && statements <= 5;
  console.log(`goal (issue 5: p50 ≤ 300 ms in ≤ 5 statements): ${met ? "met" : "not met"} — ${ms(gridTiming.p50)}, ${statements} statements`);
  await d.close();
}
