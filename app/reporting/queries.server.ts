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

export const rowsOf = <T>(result: any): T[] => (Array.isArray(result) ? result : result.rows) as T[];

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

/** The group's column in its own type: uuids group by hashing far faster than their text. */
const groupColumn: Record<Grouping, SQL> = {
  instrument: sql`i.id`,
  lab: sql`i.lab_id`,
  institution: sql`i.organization_id`,
  region: sql`coalesce(left(o.region_code, 2), '')`,
  category: sql`i.category_code`,
};

const groupKey = Object.fromEntries(Object.entries(groupColumn).map(([g, column]) => [g, sql`(${column})::text`])) as Record<Grouping, SQL>;

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

const columns = additiveKeys.map((k) => [k, k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)] as const);
const summed = columns.map(([, c]) => sql.raw(`sum(s.${c}) as ${c}`));
const sums = columns.map(([k, c]) => sql.raw(`coalesce(s.${c}, 0)::bigint as "${k}"`));

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
      left join (
        select s.instrument_id, ${sql.join(summed, sql`, `)}
        from usage_summaries s
        where s.month between ${monthDate(period.from)}::date and ${monthDate(period.to)}::date
          and s.instrument_id in (select i.id from instruments i where ${reported} and ${scopeFilter(scope)})
        group by 1
      ) s on s.instrument_id = i.id
      where ${reported} and ${scopeFilter(scope)}`),
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

export interface ServedCounts {
  /** Per group of the report's grouping. */
  groups: Map<string, GroupCounts>;
  total: GroupCounts;
  /** SMEs served per month ("YYYY-MM"), for the chart. */
  smesByMonth: Map<string, number>;
}

/**
 * People, organisations and SMEs served, and median lead and turnaround times, per group, for the
 * whole scope and (SMEs) per month: two statements. The customer rows are first made distinct by
 * hashing and then counted, so each distinct count is a count of a small set rather than a sort of
 * every row.
 */
export async function servedCounts(tx: Tx, scope: ReportScope, period: ReportPeriod, grouping: Grouping): Promise<ServedCounts> {
  const key = groupKey[grouping];
  const between = sql`between ${monthDate(period.from)}::date and ${monthDate(period.to)}::date`;
  const [served, medians] = await Promise.all([
    tx.execute(sql`
      with d as materialized (
        select ${groupColumn[grouping]} as key, c.month, c.user_id, c.organization_id, co.is_sme
        from usage_summary_customers c
        join instruments i on i.id = c.instrument_id
        join organizations o on o.id = i.organization_id
        join organizations co on co.id = c.organization_id
        where c.month ${between} and ${reported} and ${scopeFilter(scope)}
        group by 1, 2, 3, 4, 5
      ), users as (
        select key, user_id from d group by 1, 2
      ), orgs as (
        select key, organization_id, bool_or(is_sme) as sme from d group by 1, 2
      )
      select 'group' as level, coalesce(u.key, g.key)::text as key, coalesce(u.users, 0) as users, coalesce(g.orgs, 0) as orgs, coalesce(g.smes, 0) as smes
      from (select key, count(*) as users from users group by 1) u
      full join (select key, count(*) as orgs, count(*) filter (where sme) as smes from orgs group by 1) g on g.key = u.key
      union all
      select 'total', '',
        (select count(*) from (select user_id from users group by 1) x),
        (select count(*) from (select organization_id from orgs group by 1) x),
        (select count(*) from (select organization_id from orgs where sme group by 1) x)
      union all
      select 'month', to_char(month, 'YYYY-MM'), 0, 0, count(*)
      from (select month, organization_id from d where is_sme group by 1, 2) m
      group by month`),
    tx.execute(sql`
      select grouping(${key}) = 1 as total, ${key} as key,
        percentile_cont(0.5) within group (order by v.minutes) filter (where v.kind = 'lead') as lead,
        percentile_cont(0.5) within group (order by v.minutes) filter (where v.kind = 'turnaround') as turnaround
      from usage_summaries s
      join instruments i on i.id = s.instrument_id
      join organizations o on o.id = i.organization_id
      cross join lateral (
        select 'lead' as kind, unnest(s.lead_minutes) as minutes
        union all select 'turnaround', unnest(s.turnaround_minutes)) v
      where s.month ${between} and ${reported} and ${scopeFilter(scope)}
      group by grouping sets ((${key}), ())`),
  ]);
  const groups = new Map<string, GroupCounts>();
  let total: GroupCounts = noCounts;
  const smesByMonth = new Map<string, number>();
  for (const r of rowsOf<{ level: string; key: string; users: string; orgs: string; smes: string }>(served)) {
    const counts = { ...noCounts, usersServed: Number(r.users), organizationsServed: Number(r.orgs), smesServed: Number(r.smes) };
    if (r.level === "group") groups.set(r.key, counts);
    else if (r.level === "total") total = counts;
    else smesByMonth.set(r.key, Number(r.smes));
  }
  const num = (v: string | null) => (v === null ? null : Number(v));
  for (const r of rowsOf<{ total: boolean; key: string; lead: string | null; turnaround: string | null }>(medians)) {
    const times = { medianLeadMinutes: num(r.lead), medianTurnaroundMinutes: num(r.turnaround) };
    if (r.total) total = { ...total, ...times };
    else groups.set(r.key, { ...(groups.get(r.key) ?? noCounts), ...times });
  }
  return { groups, total, smesByMonth };
}
