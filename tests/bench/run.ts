import { benchBook } from "./book";
import { benchFreeWindow } from "./free-window";
import { benchReport } from "./report";
import { benchSearch } from "./search";
import { benchWeek } from "./week";

/** `npm run bench -- <name>`; with no name, every benchmark runs. */
const benchmarks: Record<string, () => Promise<void>> = {
  search: benchSearch,
  week: benchWeek,
  "free-window": benchFreeWindow,
  book: benchBook,
  report: benchReport,
};

process.env.NODE_ENV ??= "production";
process.env.LOG_LEVEL ??= "warn";
const names = process.argv.slice(2).filter((a) => !a.startsWith("-"));
const unknown = names.filter((n) => !benchmarks[n]);
if (unknown.length > 0) {
  console.error(`unknown benchmark: ${unknown.join(", ")}; choose from ${Object.keys(benchmarks).join(", ")}`);
  process.exit(2);
}
for (const name of names.length > 0 ? names : Object.keys(benchmarks)) await benchmarks[name]();
process.exit(0);
