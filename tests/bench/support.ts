import { existsSync } from "node:fs";
import path from "node:path";
import { execSync } from "node:child_process";
import { database, migrateDatabase, openDatabase, useDatabase, type Database } from "../../app/lib/db.server";
import { seed } from "../../db/seed/seed";

/** The size each benchmark names (20,000 instruments) is scaled to BENCH_INSTRUMENTS when that is set. */
export const BASE_INSTRUMENTS = 20_000;

export function scaledSizes(sizes: { instruments: number; bookings?: number }) {
  const scale = Number(process.env.BENCH_INSTRUMENTS ?? BASE_INSTRUMENTS) / BASE_INSTRUMENTS;
  return { instruments: Math.round(sizes.instruments * scale), bookings: sizes.bookings === undefined ? undefined : Math.round(sizes.bookings * scale) };
}

/**
 * Benchmarks run on a Postgres server when BENCH_DATABASE_URL (or DATABASE_URL) is set, else on an
 * embedded PGlite kept under DATA_DIR/bench so the large seed is made once. Bookings are scaled
 * with the instruments (decision 042: 100 per instrument).
 */
export async function benchDatabase(named: { instruments: number; bookings?: number }): Promise<Database> {
  const sizes = scaledSizes(named);
  const url = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL;
  const dataDir = path.resolve(process.env.DATA_DIR ?? "./data", "bench");
  const d = url ? await openDatabase({ url, onStatement: () => sent.count++ }) : await openDatabase({ dataDir });
  await migrateDatabase(d);
  const started = Date.now();
  const result = await seed(d.db, { ...sizes, log: () => {} });
  if (result.instrumentsAdded > 0) console.log(`seeded ${result.instrumentsAdded} instruments in ${Date.now() - started} ms`);
  useDatabase(d);
  console.log(`database: ${d.kind}${url ? "" : ` (${dataDir})`}, instruments: ${result.instrumentsTotal}`);
  return d;
}

const sent = { count: 0 };

/**
 * Statements `fn` sends to a Postgres server as the driver sees them (transaction control
 * included), null on PGlite; nothing else may query meanwhile.
 */
export async function sentStatements<T>(fn: () => Promise<T>): Promise<{ result: T; sent: number | null }> {
  const before = sent.count;
  const result = await fn();
  return { result, sent: (await database()).kind === "postgres" ? sent.count - before : null };
}

/** The production build (app bundle and server), made when missing, so loaders are measured as they ship. */
export async function serverBuild(): Promise<any> {
  const file = path.resolve("build/server/index.js");
  if (!existsSync(file) || !existsSync(path.resolve("build/server.js"))) execSync("npm run build", { stdio: "inherit" });
  return import(file);
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)];
}

export type Timing = { p50: number; p95: number; mean: number; count: number };

/** Runs `clients` concurrent loops over the tasks for `rounds` rounds and reports latencies. */
export async function measureConcurrent(clients: number, rounds: number, tasks: (() => Promise<unknown>)[]): Promise<Timing> {
  const samples: number[] = [];
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      for (let round = 0; round < rounds; round++) {
        for (let i = 0; i < tasks.length; i++) {
          const task = tasks[(i + client) % tasks.length];
          const started = performance.now();
          await task();
          samples.push(performance.now() - started);
        }
      }
    }),
  );
  samples.sort((a, b) => a - b);
  const mean = samples.reduce((s, x) => s + x, 0) / samples.length;
  return { p50: percentile(samples, 50), p95: percentile(samples, 95), mean, count: samples.length };
}

export const ms = (n: number) => `${n.toFixed(1)} ms`;
export const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}×` : "n/a");
