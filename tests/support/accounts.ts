import { eq, sql } from "drizzle-orm";
import { outbox, users } from "../../db/schema";
import { makeCreditCode } from "../../db/seed/data";
import { signUp } from "../../app/accounts/auth.server";
import type { Database } from "../../app/lib/db.server";
import { jobHandlers } from "../../app/lib/job-handlers.server";
import { unique } from "./db";

/** A fresh address; the digit keeps it a password that passes the letters-and-digits rule. */
export const newEmail = () => `user1-${unique()}@example.com`;

let codeSeq = 0;
/** A valid credit code that neither the seed nor another test uses. */
export const newCreditCode = () =>
  makeCreditCode("91", "440300", 60_000_000 + Math.floor(Math.random() * 30_000_000) + codeSeq++);

export function usersWithEmail(d: Database, email: string) {
  return d.db.select().from(users).where(sql`lower(${users.email}) = lower(${email})`);
}

export async function userIdOf(d: Database, email: string): Promise<string> {
  const [user] = await usersWithEmail(d, email);
  return user.id;
}

export const TEST_PASSWORD = "Microscope2026";

/** A new account with a fresh address and TEST_PASSWORD, signed up as the form does (zh-CN). */
export async function signedUpUser(d: Database, displayName: string) {
  const email = newEmail();
  await signUp({ email, password: TEST_PASSWORD, displayName }, { locale: "zh-CN", origin: "http://localhost" });
  return { email, userId: await userIdOf(d, email) };
}

/** Runs each queued booking-message job once, oldest first, the way the worker would. */
export async function writeQueuedBookingMessages(d: Database) {
  const { rows } = await d.executeSql(
    "update pgboss.job set state = 'completed' where name = 'booking-message' and state = 'created' returning data, created_on",
  );
  rows.sort((a, b) => new Date(a.created_on).getTime() - new Date(b.created_on).getTime());
  for (const r of rows) await jobHandlers["booking-message"](typeof r.data === "string" ? JSON.parse(r.data) : r.data);
}

/** The queued send-email jobs for an address, oldest first, straight from pg-boss's table (booking messages written first). */
export async function emailJobs(d: Database, to: string): Promise<any[]> {
  await writeQueuedBookingMessages(d);
  const { rows } = await d.executeSql(
    "select data from pgboss.job where name = 'send-email' and data->>'to' = $1 order by created_on",
    [to],
  );
  return rows.map((r) => (typeof r.data === "string" ? JSON.parse(r.data) : r.data));
}

/** Runs the queued jobs the way the worker would and returns what is in the outbox for the address. */
export async function deliverQueued(d: Database, to: string) {
  for (const job of await emailJobs(d, to)) await jobHandlers["send-email"](job);
  return d.db.select().from(outbox).where(eq(outbox.toAddress, to)).orderBy(outbox.createdAt);
}

/** The token of the first `<path>?token=…` link in a text. */
export const tokenFrom = (text: string, path: string) =>
  new RegExp(`${path}\\?token=([A-Za-z0-9_-]{43})`).exec(text)?.[1];
