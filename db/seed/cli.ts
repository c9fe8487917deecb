/**
 * Seeds the database named by DATABASE_URL, or the embedded one under DATA_DIR:
 *   node --import tsx db/seed/cli.ts [--instruments 20000] [--bookings 2000000]
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { migrateDatabase, openDatabase } from "../../app/lib/db.server";
import { DiskStorage } from "../../app/lib/storage.server";
import { seed } from "./seed";

const count = z.coerce.number({ invalid_type_error: "must be a number" }).int().min(0).max(100_000_000).optional();
const argsSchema = z.object({ instruments: count, bookings: count });

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      instruments: { type: "string" },
      bookings: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log("usage: node --import tsx db/seed/cli.ts [--instruments N] [--bookings N]");
    return;
  }
  const parsed = argsSchema.safeParse(values);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) console.error(`--${issue.path.join(".")}: ${issue.message}`);
    process.exitCode = 2;
    return;
  }

  const url = process.env.DATABASE_URL?.trim() || undefined;
  const dataDir = path.join(process.env.DATA_DIR || "./data", "pglite");
  const database = await openDatabase({ url, dataDir });
  try {
    const started = performance.now();
    await migrateDatabase(database);
    const uploads = new DiskStorage(path.join(process.env.DATA_DIR || "./data", "uploads"));
    const result = await seed(database.db, { ...parsed.data, saveFile: (key, bytes) => uploads.save(key, bytes) });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(
      `${url ? "postgres" : `pglite at ${dataDir}`}: demo data ${result.seeded ? "inserted" : "already present, skipped"}; ` +
        `${result.instrumentsAdded} instruments added, ${result.instrumentsTotal} in total; ${seconds} s`,
    );
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
