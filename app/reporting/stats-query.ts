// The public statistics page's one input: the year, from the query string.
import { z } from "zod";

const yearSchema = z.coerce
  .number({ message: "stats:validation.year" })
  .int("stats:validation.year")
  .min(2000, "stats:validation.year")
  .max(2100, "stats:validation.year");

/** The year asked for (default: this year in Shanghai), or the message for a bad one. */
export function parseStatsYear(params: URLSearchParams, now: Date): { ok: true; year: number } | { ok: false; error: string } {
  const raw = params.get("year");
  const current = new Date(now.getTime() + 8 * 3_600_000).getUTCFullYear();
  if (raw === null || raw === "") return { ok: true, year: current };
  const parsed = yearSchema.safeParse(raw);
  return parsed.success ? { ok: true, year: parsed.data } : { ok: false, error: parsed.error.issues[0]!.message };
}

/** Figures change with the refresh job (every 15 minutes), so a few minutes of caching is safe. */
export const PUBLIC_CACHE = "public, max-age=300, s-maxage=900, stale-while-revalidate=600";
