import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { refreshSummaries } from "../../app/reporting/refresh.server";
import { useTestDatabase } from "../support/db";

const d = await useTestDatabase({ isolated: true });
const rowsOf = (r: unknown) => (Array.isArray(r) ? r : (r as { rows: any[] }).rows);

describe("summary statistics", () => {
  it("a refresh that rebuilds the platform's summaries leaves the planner their row counts", async () => {
    await refreshSummaries({ now: new Date("2026-01-15T00:00:00Z") });
    const tables = rowsOf(
      await d.db.execute(sql`
        select c.relname as table, c.reltuples::int as estimated,
          (case c.relname when 'usage_summaries' then (select count(*) from usage_summaries) else (select count(*) from usage_summary_customers) end)::int as actual
        from pg_class c where c.relname in ('usage_summaries', 'usage_summary_customers') order by 1`),
    );
    expect(tables.map((t) => t.table)).toEqual(["usage_summaries", "usage_summary_customers"]);
    expect(tables[0].actual).toBeGreaterThan(0);
    for (const t of tables) expect(t.estimated).toBe(t.actual);
  });
});
