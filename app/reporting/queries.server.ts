// Reads of the summary tables for every report: one statement per relation, whatever the number of
// instruments (STYLE.md 7). Rated hours, ratios and grades are computed from the sums in rollup.ts.
import { sql, type SQL } from "drizzle-orm";
import { type Tx } from "~/lib/db.server";
import { monthDate, monthsOf, type ReportPeriod } from "./period";
import { ratedMinutes, type ReportingPolicy } from "./rating";
import { additiveKeys, noCounts, zeroTotals, type GroupCounts, type Grouping, type Totals } from "./rollup";

/** What a viewer may see: everything, one institution, some labs, or one instrument. */
export type ReportScope =
  | { kind: "platform" }
  | { kind: "institution"; organizationId: string }
  | { kind: "labs"; labIds: string[] }
  | { kind: "instrument"; instrumentId: string };

export { groupings, type Grouping } from "./rollup";

const rowsOf = <T>(result: any): T[] => (Array.isArray(result) ? result : result.rows) as T[];

export function scopeFilter(scope: ReportScope): SQL {
  switch (scope.kind) {
    case "platform":
      return sql`true`;
    case "institution":
      return sql`i.organization_id = ${scope.organizationId}`;
    case "labs":
      return scope.labIds.length
        ? sql`i.lab_id in (${sql.join(scope.labIds.map((id) => sql`${id}::uuid`), sql`, `)})`
        : sql`false`;
    case "instrument":
      return sql`i.id = ${scope.instrumentId}::uuid`;
  }
}

/** Instruments that take part in reports: every one that left draft. */
const reported = sql`i.status <> 'draft'`;

const groupKey: Record<Grouping, SQL> = {
  instrument: sql`i.id::text`,
  lab: sql`i.lab_id::text`,
  institution: sql`i.organization_id::text`,
  region: sql`coalesce(left(o.region_code, 2), '')`,
  category: sql`i.category_code`,
};

export interface InstrumentRow {
  id: string;
  slug: string;
  nameZh: string;
  nameEn: string;
  model: string;
  labId: string;
  labZh: string;
  labEn: string;
  organizationId: string;
  organizationZh: string;
  organizationEn: string;
  province: string;
  categoryCode: string;
  ratedAnnualHours: number | null;
  inServiceFrom: string | null;
  totals: Totals;
}

const sums = additiveKeys.map((k) => {
  const column = k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  return sql.raw(`coalesce(sum(s.${column}), 0)::bigint as "${k}"`);
});

/** Every reported instrument in scope with its sums over the period (zeros when it has no rows). */
export async function instrumentRows(tx: Tx, scope: ReportScope, period: ReportPeriod, policy: ReportingPolicy): Promise<InstrumentRow[]> {
  const rows = rowsOf<Record<string, any>>(
    await tx.execute(sql`
      select i.id, i.slug, i.name_zh as "nameZh", i.name_en as "nameEn", i.model, i.lab_id as "labId",
        l.name_zh as "labZh", l.name_en as "labEn", i.organization_id as "organizationId",
        o.name_zh as "organizationZh", o.name_en as "organizationEn", coalesce(left(o.region_code, 2), '') as province,
        i.category_code as "categoryCode",
        coalesce(ir.rated_annual_hours, cr.rated_annual_hours, cp.rated_annual_hours) as "ratedAnnualHours",
        coalesce(i.commissioning_date, i.purchase_date)::text as "inServiceFrom",
        ${sql.join(sums, sql`, `)}
      from instruments i
      join labs l on l.id = i.lab_id
      join organizations o on o.id = i.organization_id
      left join instrument_ratings ir on ir.instrument_id = i.id
      left join category_ratings cr on cr.category_code = i.category_code
      left join category_ratings cp on cp.category_code = left(i.category_code, 2)
      left join usage_summaries s on s.instrument_id = i.id and s.month between ${monthDate(period.from)}::date and ${monthDate(period.to)}::date
      where ${reported} and ${scopeFilter(scope)}
      group by i.id, l.id, o.id, ir.rated_annual_hours, cr.rated_annual_hours, cp.rated_annual_hours`),
  );
  const months = monthsOf(period);
  return rows.map((r) => {
    const totals = zeroTotals();
    for (const k of additiveKeys) totals[k] = Number(r[k]);
    const rated = { ratedAnnualHours: r.ratedAnnualHours === null ? null : Number(r.ratedAnnualHours), inServiceFrom: r.inServiceFrom };
    totals.ratedMinutes = ratedMinutes(rated, months, policy);
    return {
      id: r.id,
      slug: r.slug,
      nameZh: r.nameZh,
      nameEn: r.nameEn,
      model: r.model,
      labId: r.labId,
      labZh: r.labZh,
      labEn: r.labEn,
      organizationId: r.organizationId,
      organizationZh: r.organizationZh,
      organizationEn: r.organizationEn,
      province: r.province,
      categoryCode: r.categoryCode,
      ...rated,
      totals,
    };
  });
}

/** People, organisations and SMEs served, and median lead and turnaround times, per group. */
export async function groupCounts(tx: Tx, scope: ReportScope, period: ReportPeriod, grouping: Grouping | "all"): Promise<Map<string, GroupCounts>> {
  const key = grouping === "all" ? sql`''` : groupKey[grouping];
  const between = sql`between ${monthDate(period.from)}::date and ${monthDate(period.to)}::date`;
  const [served, medians] = [
    rowsOf<{ key: string; users: string; orgs: string; smes: string }>(
      await tx.execute(sql`
        select ${key} as key, count(distinct c.user_id) as users, count(distinct c.organization_id) as orgs,
          count(distinct c.organization_id) filter (where co.is_sme) as smes
        from usage_summary_customers c
        join instruments i on i.id = c.instrument_id
        join organizations o on o.id = i.organization_id
        join organizations co on co.id = c.organization_id
        where c.month ${between} and ${reported} and ${scopeFilter(scope)}
        group by 1`),
    ),
    rowsOf<{ key: string; lead: string | null; turnaround: string | null }>(
      await tx.execute(sql`
        select ${key} as key,
          percentile_cont(0.5) within group (order by v.minutes) filter (where v.kind = 'lead') as lead,
          percentile_cont(0.5) within group (order by v.minutes) filter (where v.kind = 'turnaround') as turnaround
        from usage_summaries s
        join instruments i on i.id = s.instrument_id
        join organizations o on o.id = i.organization_id
        cross join lateral (
          select 'lead' as kind, unnest(s.lead_minutes) as minutes
          union all select 'turnaround', unnest(s.turnaround_minutes)) v
        where s.month ${between} and ${reported} and ${scopeFilter(scope)}
        group by 1`),
    ),
  ];
  const out = new Map<string, GroupCounts>();
  for (const r of served) {
    out.set(r.key, { ...noCounts, usersServed: Number(r.users), organizationsServed: Number(r.orgs), smesServed: Number(r.smes) });
  }
  const num = (v: string | null) => (v === null ? null : Number(v));
  for (const r of medians) {
    out.set(r.key, { ...(out.get(r.key) ?? noCounts), medianLeadMinutes: num(r.lead), medianTurnaroundMinutes: num(r.turnaround) });
  }
  return out;
}
