import { eq } from "drizzle-orm";
import { users } from "../../db/schema";
import { getDb } from "~/lib/db.server";
import type { Locale } from "~/lib/i18n";

/** Emails are rendered in the language the user last chose. */
export async function setUserLocale(userId: string, locale: Locale) {
  const db = await getDb();
  await db.update(users).set({ locale }).where(eq(users.id, userId));
}
