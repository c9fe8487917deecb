import { writeFileSync } from "node:fs";
import { benchBook } from "./book";
import { benchFreeWindow } from "./free-window";
import { fullRun } from "./full-run";
import { benchPages } from "./pages";
import { benchReport, seedUsage } from "./report";
import { benchSearch } from "./search";
import { benchDatabase } from "./support";
import { benchWeek } from "./week";

/**
 * `npm run bench -- <name>`: one benchmark at 20,000 instruments (BENCH_INSTRUMENTS for another
 * size). With no name, the full run: every benchmark at each size of BENCH_SIZES, each in its own
 * bounded process, written to docs/benchmarks.md (tests/bench/full-run.ts).
 */
const benchmarks: Record<string, () => Promise<unknown>> = {
  search: benchSearch,
  week: benchWeek,
  "free-window": benchFreeWindow,
  book: benchBook,
  report: benchReport,
  pages: benchPages,
  // The data every part needs, made once per size before the parts are timed; the report's usage
  // records too when BENCH_USAGE names how many, so the report part's bound covers only its timing.
  seed: async () => {
    const d = await benchDatabase({ instruments: 20_000, bookings: 2_000_000 });
    if (process.env.BENCH_USAGE) await seedUsage(d.db, Number(process.env.BENCH_USAGE));
    await d.close();
  },
};

process.env.NODE_ENV ??= "production";
process.env.LOG_LEVEL ??= "warn";
const names = process.argv.slice(2).filter((a) => !a.startsWith("-"));
const unknown = names.filter((n) => !benchmarks[n]);
if (unknown.length > 0) {
  console.error(`unknown benchmark: ${unknown.join(", ")}; choose from ${Object.keys(benchmarks).join(", ")}`);
  process.exit(2);
}
if (names.length === 0) {
  await fullRun(Object.keys(benchmarks).filter((n) => n !== "seed"));
  process.exit(0);
}

// A part run by the full run hands back the tables it printed (BENCH_RESULT names the file).
const resultFile = process.env.BENCH_RESULT;
const printed: { tables: Record<string, Record<string, unknown>>[]; lines: string[] } = { tables: [], lines: [] };
if (resultFile) {
  const { table, log } = console;
  console.table = (data: Record<string, Record<string, unknown>>, ...rest: unknown[]) => {
    printed.tables.push(data);
    table.call(console, data, ...(rest as []));
  };
  console.log = (...args: unknown[]) => {
    printed.lines.push(args.map(String).join(" "));
    log.apply(console, args);
  };
}
for (const name of names) {
  await benchmarks[name]!();
  if (resultFile) writeFileSync(resultFile, JSON.stringify(printed));
}
process.exit(0);
