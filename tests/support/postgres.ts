import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { migrateDatabase, openDatabase } from "../../app/lib/db.server";
import { seed } from "../../db/seed/seed";

export type TestDatabaseServer = { url: string; drop(): Promise<void> };

/**
 * Creates a uniquely named database on the server, migrates and seeds it; drop() removes it.
 * Left empty (`seeded: false`), the app under test seeds it at boot as `npm start` does, demo
 * bookings under way included.
 */
export async function createTestDatabase(serverUrl: string, purpose: string, { seeded = true } = {}): Promise<TestDatabaseServer> {
  const name = `openlab_${purpose}_${Date.now()}_${randomBytes(3).toString("hex")}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  if (seeded) {
    const d = await openDatabase({ url: url.toString() });
    await migrateDatabase(d);
    await seed(d.db);
    await d.close();
  }
  return {
    url: url.toString(),
    async drop() {
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end();
    },
  };
}
