// The utilisation report every dashboard shows: totals, one row per group, the monthly series for
// the charts and the instruments below the threshold — all from the summary tables.
import { sql } from "drizzle-orm";
import { categories } from "../../db/schema";
import { provinceName } from "~/catalogue/regions";
import { getDb, type Tx } from "~/lib/db.server";
import { monthDate, monthKey, monthsOf, type ReportPeriod } from "./period";
import { ratedMinutesPerMonth, type ReportingPolicy } from "./rating";
import { instrumentRows, servedCounts, scopeFilter, type Grouping, type InstrumentRow, type ReportScope } from "./queries.server";
import { summariesAsOf } from "./refresh.server";
import { addTotals, assess, noCounts, ratios, zeroTotals, type GroupCounts, type InstrumentAssessment, type Ratios, type Totals } from "./rollup";
import { reportingPolicy } from "./settings.server";

export interface GroupRow {
  key: string;
  nameZh: string;
  nameEn: string;
  instruments: number;
  totals: Totals;
  ratios: Ratios;
  counts: GroupCounts;
  /** Only for instruments. */
  assessment?: InstrumentAssessment;
  instrument?: InstrumentRow;
}

export interface MonthPoint {
  month: string;
  effectiveHours: number;
  externalHours: number;
  internalHours: number;
  availableHours: number;
  ratedHours: number;
  utilisation: number | null;
  smesServed: number;
}

const rowsOf = <T>(result: any): T[] => (Array.isArray(result) ? result : result.rows) as T[];
const hours = (minutes: number) => Math.round((minutes / 60) * 10) / 10;

async function groupNames(tx: Tx, grouping: Grouping, rows: InstrumentRow[]) {
  const names = new Map<string, { nameZh: string; nameEn: string }>();
  if (grouping === "category") {
    for (const c of await tx.select({ code: categories.code, nameZh: categories.nameZh, nameEn: categories.nameEn }).from(categories)) {
      names.set(c.code, { nameZh: `${c.code} ${c.nameZh}`, nameEn: `${c.code} ${c.nameEn}` });
    }
  }
  for (const r of rows) {
    if (grouping === "instrument") names.set(r.id, { nameZh: r.nameZh, nameEn: r.nameEn });
    if (grouping === "lab") names.set(r.labId, { nameZh: r.labZh, nameEn: r.labEn });
    if (grouping === "institution") names.set(r.organizationId, { nameZh: r.organizationZh, nameEn: r.organizationEn });
    if (grouping === "region") names.set(r.province, { nameZh: provinceName(r.province, "zh-CN") || "—", nameEn: provinceName(r.province, "en") || "—" });
  }
  return names;
}

const keyOf = (grouping: Grouping, r: InstrumentRow) =>
  ({ instrument: r.id, lab: r.labId, institution: r.organizationId, region: r.province, category: r.categoryCode })[grouping];

type MonthSums = { month: string; effective: string; external: string; available: string };

async function monthSums(tx: Tx, scope: ReportScope, period: ReportPeriod): Promise<MonthSums[]> {
  return rowsOf<MonthSums>(
    await tx.execute(sql`
      select s.month::text as month, sum(s.effective_minutes) as effective, sum(s.external_minutes) as external, sum(s.available_minutes) as available
      from usage_summaries s join instruments i on i.id = s.instrument_id
      where s.month between ${monthDate(period.from)}::date and ${monthDate(period.to)}::date and i.status <> 'draft' and ${scopeFilter(scope)}
      group by 1`),
  );
}

function monthlySeries(
  sums: MonthSums[],
  smeByMonth: Map<string, number>,
  period: ReportPeriod,
  instruments: InstrumentRow[],
  policy: ReportingPolicy,
): MonthPoint[] {
  const byMonth = new Map(sums.map((s) => [s.month.slice(0, 7), s]));
  const months = monthsOf(period);
  const ratedPerMonth = ratedMinutesPerMonth(instruments, months, policy);
  return months.map((m, k) => {
    const key = monthKey(m);
    const s = byMonth.get(key);
    const rated = ratedPerMonth[k]!;
    const effective = Number(s?.effective ?? 0);
    const external = Number(s?.external ?? 0);
    return {
      month: key,
      effectiveHours: hours(effective),
      externalHours: hours(external),
      internalHours: hours(effective - external),
      availableHours: hours(Number(s?.available ?? 0)),
      ratedHours: hours(rated),
      utilisation: rated > 0 ? Math.round((1000 * effective) / rated) / 10 : null,
      smesServed: smeByMonth.get(key) ?? 0,
    };
  });
}

export interface UtilisationReport {
  asOf: Date | null;
  policy: ReportingPolicy;
  period: ReportPeriod;
  grouping: Grouping;
  total: { instruments: number; totals: Totals; ratios: Ratios; counts: GroupCounts };
  groups: GroupRow[];
  series: MonthPoint[];
  /** Instruments below the threshold, least used first, with their available-but-unbooked hours. */
  belowThreshold: GroupRow[];
}

export async function utilisationReport(scope: ReportScope, period: ReportPeriod, grouping: Grouping): Promise<UtilisationReport> {
  const db = await getDb();
  const policy = await reportingPolicy(db);
  // Independent reads: on a Postgres server each takes its own pooled connection.
  const [asOf, instruments, served, sums] = await Promise.all([
    summariesAsOf(db),
    instrumentRows(db, scope, period, policy),
    servedCounts(db, scope, period, grouping),
    monthSums(db, scope, period),
  ]);
  const names = await groupNames(db, grouping, instruments);
  const counts = served.groups;
  const instrumentGroups = instruments.map((r) => instrumentGroup(r, policy, new Map()));
  const groups = new Map<string, GroupRow>();
  for (const r of instruments) {
    const key = keyOf(grouping, r);
    const g = groups.get(key) ?? {
      key,
      ...(names.get(key) ?? { nameZh: key, nameEn: key }),
      instruments: 0,
      totals: zeroTotals(),
      ratios: ratios(zeroTotals()),
      counts: counts.get(key) ?? noCounts,
    };
    g.instruments += 1;
    addTotals(g.totals, r.totals);
    if (grouping === "instrument") {
      g.assessment = assess(r.totals, policy);
      g.instrument = r;
    }
    groups.set(key, g);
  }
  for (const g of groups.values()) g.ratios = ratios(g.totals);
  const totals = instruments.reduce((t, r) => addTotals(t, r.totals), zeroTotals());
  return {
    asOf,
    policy,
    period,
    grouping,
    total: { instruments: instruments.length, totals, ratios: ratios(totals), counts: served.total },
    groups: [...groups.values()],
    series: monthlySeries(sums, served.smesByMonth, period, instruments, policy),
    belowThreshold: instrumentGroups
      .filter((g) => g.assessment!.belowThreshold)
      .sort((a, b) => (a.ratios.utilisation ?? 0) - (b.ratios.utilisation ?? 0)),
  };
}

function instrumentGroup(r: InstrumentRow, policy: ReportingPolicy, counts: Map<string, GroupCounts>): GroupRow {
  return {
    key: r.id,
    nameZh: r.nameZh,
    nameEn: r.nameEn,
    instruments: 1,
    totals: r.totals,
    ratios: ratios(r.totals),
    counts: counts.get(r.id) ?? noCounts,
    assessment: assess(r.totals, policy),
    instrument: r,
  };
}

