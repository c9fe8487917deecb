import { sql } from "drizzle-orm";
import { database } from "./db.server";

export async function checkDatabase(): Promise<string> {
  const d = await database();
  await d.db.execute(sql`select 1`);
  return d.kind;
}
