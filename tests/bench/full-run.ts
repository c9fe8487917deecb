// The full benchmark run (`npm run bench` with no name): every part at each size, each part in its
// own process with a time bound, its printed tables collected and written to docs/benchmarks.md.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";

const DEFAULT_SIZES = [2_000, 20_000, 100_000];
const SIZES = process.env.BENCH_SIZES ? process.env.BENCH_SIZES.split(",").map(Number) : DEFAULT_SIZES;
/** Bookings and usage records per instrument, as at 20,000 instruments with 2,000,000 of each (decisions 042, 077). */
const PER_INSTRUMENT = 100;
/** A part's time bound: BENCH_<PART>_MINUTES (e.g. BENCH_REPORT_MINUTES), else BENCH_PART_MINUTES; seeding gets longer. */
const minutesFor = (part: string) =>
  Number(process.env[`BENCH_${part.toUpperCase().replace(/-/g, "_")}_MINUTES`] ?? (part === "seed" ? 90 : (process.env.BENCH_PART_MINUTES ?? 20)));
/**
 * BENCH_PARTS=report,book runs only those parts, on databases seeded before unless it names seed
 * too: a part can then run in a second process beside the others, its outcome kept for BENCH_RESUME.
 */
const ONLY = process.env.BENCH_PARTS?.split(",");
const OUTPUT = path.resolve(process.env.BENCH_OUTPUT ?? "docs/benchmarks.md");
const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
/** Columns that are timings or rates, compared with the baseline row of the same table. */
const MEASURED = /^(p50|p95|bookings\/s|p95 latency)$/;

type Table = Record<string, Record<string, unknown>>;
type Printed = { tables: Table[]; lines: string[] };
type Outcome = { part: string; size: number | null; status: "done" | "timed out" | "failed"; seconds: number; printed: Printed };
type Figure = { part: string; measure: string; size: number; figure: string; baseline: string; ratio: string };

const count = (n: number) => n.toLocaleString("en-US");
const resultDir = path.resolve(".cache/bench");

/** One database per size on the bench server, so a smaller size never runs on a larger seed. */
async function databaseFor(size: number): Promise<string> {
  const name = `openlab_bench_${size}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    const [found] = await admin`select 1 from pg_database where datname = ${name}`;
    if (!found) await admin.unsafe(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * Runs `npm run bench -- <part>` in a child process, killed (with its children) after `minutes`.
 * With BENCH_RESUME=1 a part that finished in an earlier run is taken from .cache/bench instead.
 */
async function runPart(part: string, size: number | null, env: Record<string, string>): Promise<Outcome> {
  const file = path.join(resultDir, `${part}-${size ?? "once"}.json`);
  const outcomeFile = file.replace(/\.json$/, ".outcome.json");
  if (process.env.BENCH_RESUME === "1" && existsSync(outcomeFile)) {
    const earlier: Outcome = JSON.parse(readFileSync(outcomeFile, "utf8"));
    if (earlier.status === "done") return earlier;
  }
  rmSync(file, { force: true });
  const outcome = await runChild(part, size, env, minutesFor(part), file);
  writeFileSync(outcomeFile, JSON.stringify(outcome));
  return outcome;
}

function runChild(part: string, size: number | null, env: Record<string, string>, minutes: number, file: string): Promise<Outcome> {
  const started = Date.now();
  console.log(`\n=== ${part}${size ? ` at ${count(size)} instruments` : ""} (at most ${minutes} min)`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "tests/bench/run.ts", part], {
      env: { ...process.env, ...env, BENCH_RESULT: file },
      stdio: ["ignore", "inherit", "inherit"],
      detached: true,
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      process.kill(-child.pid!, "SIGKILL");
    }, minutes * 60_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      const printed: Printed = existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : { tables: [], lines: [] };
      const status = timedOut ? "timed out" : code === 0 ? "done" : "failed";
      resolve({ part, size, status, seconds: (Date.now() - started) / 1000, printed });
    });
  });
}

const number = (value: unknown) => Number.parseFloat(String(value).replace(/,/g, ""));
const ratioOf = (figure: unknown, baseline: unknown) => {
  const [f, b] = [number(figure), number(baseline)];
  return Number.isFinite(f) && Number.isFinite(b) && b > 0 ? `${(f / b).toFixed(2)}×` : "";
};

/**
 * The figures of one part's tables: a table with a "(baseline)" row compares every other row with
 * it, column by column; a table without one (the report) compares its first column with its
 * "bare" column, row by row.
 */
export function figuresOf(part: string, size: number, printed: Printed): Figure[] {
  const figures: Figure[] = [];
  const add = (measure: string, figure: unknown, baseline: unknown) =>
    figures.push({ part, measure, size, figure: String(figure), baseline: String(baseline), ratio: ratioOf(figure, baseline) });
  for (const table of printed.tables) {
    const rows = Object.entries(table);
    const base = rows.find(([name]) => /baseline/i.test(name));
    if (base) {
      for (const [name, row] of rows) {
        if (row === base[1]) continue;
        for (const [column, value] of Object.entries(row)) {
          if (MEASURED.test(column) && value !== "" && base[1][column] !== "") add(`${name}, ${column}`, value, base[1][column]);
        }
      }
      continue;
    }
    for (const [name, row] of rows) {
      const columns = Object.keys(row);
      const bare = columns.find((c) => /bare|baseline/i.test(c) && !c.includes("/"));
      if (bare && columns[0] !== bare) add(`${columns[0]}, ${name}`, row[columns[0]!], row[bare]);
    }
  }
  for (const line of printed.lines) {
    const refresh = line.match(/^summary refresh: (.+) in (.+)$/);
    if (refresh) add(`summary refresh (${refresh[1]}, full rebuild)`, refresh[2], "");
  }
  return figures;
}

function markdown(outcomes: Outcome[], sizesRun: number[]): string {
  const figures = outcomes.filter((o) => o.size !== null).flatMap((o) => figuresOf(o.part, o.size!, o.printed));
  const pages = outcomes.find((o) => o.part === "pages");
  const unfinished = outcomes.filter((o) => o.status !== "done");
  const notRun = DEFAULT_SIZES.filter((s) => !sizesRun.includes(s));
  const cores = os.cpus().length;
  const memory = Math.round(os.totalmem() / 2 ** 30);
  const out: string[] = [
    "# Benchmarks",
    "",
    `One run of \`npm run bench\` (tests/bench/run.ts), finished ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC on ${cores} cores and ${memory} GB, ` +
      `Node ${process.version}, PostgreSQL on loopback. Sizes run: ${sizesRun.map(count).join(", ")} instruments, each with ` +
      `${PER_INSTRUMENT} generated bookings and ${PER_INSTRUMENT} usage records per instrument, in a database of its own (\`openlab_bench_<size>\`).`,
    "",
  ];
  if (notRun.length > 0) {
    out.push(
      `Not run: ${notRun.map(count).join(", ")} instruments (seeding and timing them does not fit the time this run had on this machine). ` +
        `To run them: \`BENCH_SIZES=${notRun.join(",")} npm run bench\` (then merge its table into this one), or \`npm run bench\` for every size.`,
      "",
    );
  }
  out.push(
    "Each figure is measured in the same run as its baseline: bare SQL fetching the same rows (search, week), the same search " +
      "without the free window (free-window), raw INSERTs under the same constraint (book), a hand-written aggregate (report). " +
      "Ratio = figure ÷ baseline; for bookings/s a ratio below 1 means the HTTP path books fewer per second than raw INSERTs.",
    "",
    "| Part | Measure | Instruments | Figure | Baseline | Ratio |",
    "| --- | --- | ---: | ---: | ---: | ---: |",
  );
  const order = (f: Figure) => `${f.part}\u0000${f.measure}`;
  const sorted = [...figures].sort((a, b) => order(a).localeCompare(order(b)) || a.size - b.size);
  for (const f of sorted) out.push(`| ${f.part} | ${f.measure} | ${count(f.size)} | ${f.figure} | ${f.baseline || "–"} | ${f.ratio || "–"} |`);
  out.push("", "## Page weight and Lighthouse", "");
  const pageRows = pages ? Object.entries(pages.printed.tables[0] ?? {}) : [];
  if (pageRows.length > 0) {
    out.push(
      "JavaScript loaded by each page until the network is quiet (every script, gzipped), and Lighthouse's performance score, the median of 5 runs " +
        "(mobile defaults, simulated throttling) in Debian's Chromium, against the built server with the demo data.",
      "",
      "| Page | JS kB gzipped (goal ≤ 150) | Scripts | Lighthouse performance (goal ≥ 95) |",
      "| --- | ---: | ---: | ---: |",
      ...pageRows.map(([page, row]) => `| ${page} | ${row["JS kB gzipped"]} | ${row.scripts} | ${row["Lighthouse performance"]} |`),
    );
  } else {
    out.push("Not measured in this run.");
  }
  if (unfinished.length > 0) {
    out.push("", "## Parts that did not finish", "");
    for (const o of unfinished) {
      out.push(`- ${o.part}${o.size ? ` at ${count(o.size)}` : ""}: ${o.status} after ${Math.round(o.seconds)} s${o.status === "timed out" ? ` (BENCH_${o.part.toUpperCase().replace(/-/g, "_")}_MINUTES)` : ""}`);
    }
  }
  out.push("", "## Time per part", "", "| Part | Instruments | Seconds |", "| --- | ---: | ---: |");
  for (const o of outcomes) out.push(`| ${o.part} | ${o.size ? count(o.size) : "–"} | ${Math.round(o.seconds)} |`);
  return `${out.join("\n")}\n`;
}

export async function fullRun(parts: string[]) {
  mkdirSync(resultDir, { recursive: true });
  const outcomes: Outcome[] = [];
  const chosen = (part: string) => !ONLY || ONLY.includes(part);
  const timed = parts.filter((p) => p !== "pages" && chosen(p));
  for (const size of SIZES) {
    const env = { BENCH_DATABASE_URL: await databaseFor(size), BENCH_INSTRUMENTS: String(size), BENCH_USAGE: String(size * PER_INSTRUMENT) };
    if (chosen("seed")) {
      const seeded = await runPart("seed", size, env);
      outcomes.push(seeded);
      if (seeded.status !== "done") continue;
    }
    for (const part of timed) outcomes.push(await runPart(part, size, env));
  }
  if (chosen("pages")) outcomes.push(await runPart("pages", null, {}));
  writeFileSync(OUTPUT, markdown(outcomes, SIZES));
  console.log(`\nwrote ${path.relative(process.cwd(), OUTPUT)}`);
}
