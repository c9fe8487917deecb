import postgres from "postgres";
import { expect } from "vitest";
import { postForms } from "./forms";
import { HttpClient } from "./http";
import { createTestDatabase, type TestDatabaseServer } from "./postgres";
import { DEMO_PASSWORD } from "./route-matrix";

/**
 * Shared steps of the reliability tests: they run the built server against a Postgres server
 * (TEST_DATABASE_URL, else the local one), which two processes can share and which survives a
 * killed server.
 */
export const serverUrl = () => process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export async function reliabilityDatabase(purpose: string): Promise<TestDatabaseServer & { sql: postgres.Sql }> {
  const database = await createTestDatabase(serverUrl(), purpose);
  const sql = postgres(database.url, { max: 4, onnotice: () => {} });
  return {
    ...database,
    sql,
    async drop() {
      await sql.end();
      await database.drop();
    },
  };
}

export const DEMO_INSTRUMENT = "jem-2100f-zju-emlab";

export async function signedIn(baseUrl: string, email: string): Promise<HttpClient> {
  const client = new HttpClient(baseUrl);
  await client.signIn(email, DEMO_PASSWORD);
  return client;
}

/**
 * The booking-form links of the free slots the instrument page offers over several weeks: the
 * current week may have none left (a Friday evening), so every week is read.
 */
export async function freeSlotLinks(client: HttpClient, slug = DEMO_INSTRUMENT, weeks = 4): Promise<string[]> {
  const links = new Set<string>();
  for (let week = 0; week < weeks; week++) {
    // Any day of a week names it; Shanghai's date, seven days apart.
    const day = new Date(Date.now() + 8 * 3_600_000 + week * 7 * 86_400_000).toISOString().slice(0, 10);
    const html = await (await client.get(`/instruments/${slug}?week=${day}`)).text();
    for (const m of html.matchAll(/href="(\/instruments\/[^"?]+\/book\?[^"]+)"/g)) links.add(m[1]!.replace(/&amp;/g, "&"));
  }
  return [...links];
}

/** Opens the booking form at `link` and submits it as a browser would; answers the POST's response. */
/** What the bookings made by `bookThrough` give as their purpose. */
export const STORM_PURPOSE = "可靠性测试 reliability run";

export async function bookThrough(client: HttpClient, link: string): Promise<Response> {
  const page = await client.get(link);
  const html = await page.text();
  const form = postForms(html, link).find((f) => f.fields.some((field) => field.name === "purpose"));
  expect(form, `a booking form on ${link} (${page.status})`).toBeDefined();
  const fields: Record<string, string> = {};
  for (const field of form!.fields) fields[field.name] = field.name === "purpose" && !field.value ? STORM_PURPOSE : field.value;
  return client.post(form!.action, fields, null);
}

export const percentile = (values: number[], p: number) => {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};
