import { AsyncLocalStorage } from "node:async_hooks";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { btree_gist } from "@electric-sql/pglite/contrib/btree_gist";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { env } from "./env.server";

/**
 * Queries are built with the query builder from the tables in db/schema; the relational API
 * (`db.query`) is not used, so the handle carries no schema: drizzle would otherwise build a query
 * object for every table on each transaction it opens.
 */
export type Db = PgDatabase<PgQueryResultHKT>;
/** A database handle or an open transaction: every query function accepts either. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0] | Db;

export interface Database {
  db: Db;
  kind: "pglite" | "postgres";
  /** The server's connection string; absent for PGlite. */
  url?: string;
  /** Plain SQL with $n parameters, for libraries (pg-boss) that bring their own SQL. */
  executeSql(text: string, values?: unknown[]): Promise<{ rows: any[] }>;
  close(): Promise<void>;
}

// Global, so the server bundle and tools loading the sources count through the same store.
const COUNTER = Symbol.for("openlab.statementCounter");
const statementCounter: AsyncLocalStorage<{ count: number }> = ((globalThis as any)[COUNTER] ??=
  new AsyncLocalStorage<{ count: number }>());

/** Runs fn and reports how many SQL statements it issued (used by tests and benchmarks). */
export async function countStatements<T>(fn: () => Promise<T>): Promise<{ result: T; statements: number }> {
  const store = { count: 0 };
  const result = await statementCounter.run(store, fn);
  return { result, statements: store.count };
}

const logger = {
  logQuery() {
    const store = statementCounter.getStore();
    if (store) store.count++;
  },
};

export const migrationsFolder = () => path.resolve(process.cwd(), "db/migrations");

/**
 * postgres.js sends an unnamed statement that has parameters in two round trips (describe, then
 * execute) and sends nothing behind it meanwhile; a prepared one goes in one and pipelines. Drizzle
 * asks for unnamed statements unless a query is named, so here every statement with parameters is
 * prepared (per connection, on first use), in transactions too. Plans stay custom per execution
 * (plan_cache_mode below), as for unnamed statements, so no query switches to a generic plan.
 */
function preparing<T extends postgres.Sql | postgres.TransactionSql>(client: T): T {
  return new Proxy(client, {
    get(target, key, receiver) {
      if (key === "unsafe")
        return (text: string, params?: any[], options?: postgres.UnsafeQueryOptions) =>
          target.unsafe(text, params, params?.length ? { ...options, prepare: true } : options);
      if (key === "begin" || key === "savepoint")
        return (...args: unknown[]) => {
          const fn = args.pop() as (sql: postgres.TransactionSql) => unknown;
          return (target as any)[key](...args, (sql: postgres.TransactionSql) => fn(preparing(sql)));
        };
      return Reflect.get(target, key, receiver);
    },
  });
}

/**
 * A server on this machine is reached through its Unix socket when the address names the socket's
 * folder as libpq does (`postgres://user@localhost/db?host=/var/run/postgresql`): postgres.js reads
 * the host only from the address's authority, and would send the parameter on as a setting.
 */
export function socketHost(address: string): { url: string; host?: string } {
  const url = new URL(address);
  const host = url.searchParams.get("host");
  if (!host?.startsWith("/")) return { url: address };
  url.searchParams.delete("host");
  return { url: url.toString(), host };
}

/**
 * `onStatement` sees every statement postgres.js sends, BEGIN and COMMIT included (benchmarks count
 * with it); it turns on the driver's debug mode, which also puts parameters on errors, so the app
 * never sets it.
 */
export async function openDatabase(options: { url?: string; dataDir?: string | null; onStatement?: (text: string) => void }): Promise<Database> {
  if (options.url) {
    const { onStatement } = options;
    const { url, host } = socketHost(options.url);
    const client = preparing(
      postgres(url, {
        ...(host ? { host } : {}),
        max: 20,
        ...(onStatement ? { debug: (_connection: number, text: string) => onStatement(text) } : {}),
        onnotice: () => {},
        // Every statement is interactive: compiling one with JIT costs more than it saves (decision 044),
        // and parallel workers take the cores other requests are waiting for (decision 150).
        connection: { application_name: "openlab", jit: "off", max_parallel_workers_per_gather: "0", plan_cache_mode: "force_custom_plan" },
      }),
    );
    const db = drizzlePostgres({ client, logger }) as unknown as Db;
    return {
      db,
      kind: "postgres",
      url: options.url,
      executeSql: async (text, values = []) => ({ rows: await client.unsafe(text, values as any[]) }),
      close: () => client.end({ timeout: 5 }),
    };
  }
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const client = await PGlite.create({
    dataDir: options.dataDir ?? undefined,
    extensions: { btree_gist, pg_trgm },
  });
  const db = drizzlePglite({ client, logger }) as unknown as Db;
  return {
    db,
    kind: "pglite",
    // pg-boss sends multi-statement scripts without parameters; only exec() accepts those.
    executeSql: async (text, values = []) => {
      if (values.length > 0) return client.query(text, values as any[]);
      const results = await client.exec(text);
      return results[results.length - 1] ?? { rows: [] };
    },
    close: () => client.close(),
  };
}

export async function migrateDatabase(database: Database): Promise<void> {
  const config = { migrationsFolder: migrationsFolder() };
  if (database.kind === "postgres") await migratePostgres(database.db as any, config);
  else await migratePglite(database.db as any, config);
}

type DriverClient =
  | { unsafe(text: string, values: unknown[]): Promise<Record<string, unknown>[]> }
  | { query(text: string, values: unknown[]): Promise<{ rows: Record<string, unknown>[] }> };

/**
 * pg-boss and others see an executeSql bound to an open transaction, so jobs commit with the
 * change. Their SQL goes to the transaction's driver as it is (counted like drizzle's): turned
 * into a drizzle query, the same long text would be split and rebuilt on every call.
 */
export function executeSqlIn(tx: Tx) {
  const { client } = (tx as unknown as { session: { client: DriverClient } }).session;
  return {
    async executeSql(text: string, values: unknown[] = []) {
      logger.logQuery();
      const params = values.map(toParam);
      const rows = "unsafe" in client ? await client.unsafe(text, params) : (await client.query(text, params)).rows;
      return { rows: [...rows] };
    },
  };
}

function toParam(value: unknown) {
  if (value && typeof value === "object" && !(value instanceof Date)) return JSON.stringify(value);
  return value ?? null;
}

/**
 * Awaits statements sent together on one transaction: postgres.js pipelines them on its connection,
 * where they run in the order sent. When one fails, those behind it fail only because the
 * transaction is aborted, so the error thrown is the first in that order, not the first to arrive.
 */
export async function pipelined<T extends readonly unknown[]>(sent: T): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const settled = await Promise.allSettled(sent);
  for (const s of settled) if (s.status === "rejected") throw s.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as { -readonly [K in keyof T]: Awaited<T[K]> };
}

type Preparable<R> = { prepare(name: string): { execute(values?: Record<string, unknown>): Promise<R> } };

/**
 * A hot query whose SQL is built once. Drizzle builds a statement's text on every call (50–200 µs
 * for each of a booking request's queries); written with `sql.placeholder` for what varies, the
 * query is built on first use (once per driver) and every call only fills in its values. A built
 * query is bound to the connection it was built on, so each call runs a copy bound to the handle
 * or transaction it is given, and stays inside that transaction.
 */
export function builtOnce<R>(build: (db: Tx) => Preparable<R>): (tx: Tx, values: Record<string, unknown>) => Promise<R> {
  const built = new Map<unknown, object>();
  return (tx, values) => {
    const session = (tx as unknown as { session: { client: unknown } }).session;
    let query = built.get(session.constructor);
    if (!query) built.set(session.constructor, (query = build(tx).prepare("built-once")));
    const bound = Object.create(query, { client: { value: session.client } }) as ReturnType<Preparable<R>["prepare"]>;
    return bound.execute(values);
  };
}

// One handle per process, kept on globalThis so the server entry and the app bundle share it.
const HANDLE = Symbol.for("openlab.database");
type GlobalWithDb = typeof globalThis & { [HANDLE]?: Promise<Database> };

export function database(): Promise<Database> {
  const g = globalThis as GlobalWithDb;
  if (!g[HANDLE]) {
    const e = env();
    g[HANDLE] = openDatabase({ url: e.DATABASE_URL, dataDir: path.join(e.DATA_DIR, "pglite") });
  }
  return g[HANDLE]!;
}

/** The drizzle handle for queries. */
export async function getDb(): Promise<Db> {
  return (await database()).db;
}

/** Tests install their own database (a fresh Postgres database or an in-memory PGlite). */
export function useDatabase(db: Database) {
  (globalThis as GlobalWithDb)[HANDLE] = Promise.resolve(db);
}
