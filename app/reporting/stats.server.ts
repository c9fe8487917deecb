// The public statistics page: platform-wide figures by year, region and category, read from the
// usage summaries (hours, SMEs served), the catalogue (instruments open) and the charges (voucher
// amounts). Only sums and counts leave this module: no person's or company's name.
import { sql, type SQL } from "drizzle-orm";
import { categories } from "../../db/schema";
import { provinceName } from "~/catalogue/regions";
import { getDb, type Tx } from "~/lib/db.server";
import { summariesAsOf } from "./refresh.server";

export interface StatsRow {
  key: string;
  nameZh: string;
  nameEn: string;
  instrumentsOpen: number;
  effectiveHours: number;
  externalHours: number;
  smesServed: number;
  voucherFen: number;
}

export interface PublicStatistics {
  year: number;
  asOf: Date | null;
  byYear: StatsRow[];
  byRegion: StatsRow[];
  byCategory: StatsRow[];
}

/** Years shown in the series ending at the chosen one. */
export const YEARS_SHOWN = 5;

const rowsOf = <T>(result: any): T[] => (Array.isArray(result) ? result : result.rows) as T[];
const hours = (minutes: number) => Math.round(minutes / 6) / 10;

type Source = "summary" | "customer" | "charge" | "instrument";
/** The group key for each source's rows (aliases: s summaries, c customers, ch charges, i instruments, o their owner). */
type Grouping = (source: Source) => SQL;

const byYear: Grouping = (source) =>
  ({
    summary: sql`extract(year from s.month)::int::text`,
    customer: sql`extract(year from c.month)::int::text`,
    charge: sql`extract(year from ch.created_at at time zone 'Asia/Shanghai')::int::text`,
    instrument: sql`y::text`,
  })[source];
const byRegion: Grouping = () => sql`coalesce(left(o.region_code, 2), '')`;
const byCategory: Grouping = () => sql`left(i.category_code, 2)`;

async function figures(tx: Tx, key: Grouping, fromYear: number, toYear: number): Promise<Map<string, Omit<StatsRow, "nameZh" | "nameEn">>> {
  const from = `${fromYear}-01-01`;
  const until = `${toYear + 1}-01-01`;
  // Instruments open at the end of each year (published then and not withdrawn since).
  const open =
    key === byYear
      ? sql`select y::text as key, count(i.id) as n from generate_series(${fromYear}::int, ${toYear}::int) y
            left join instruments i on i.status = 'published' and i.published_at < make_date(y + 1, 1, 1) group by y`
      : sql`select ${key("instrument")} as key, count(*) as n from instruments i join organizations o on o.id = i.organization_id
            where i.status = 'published' and i.published_at < ${until}::date group by 1`;
  const rows = rowsOf<Record<string, string | null>>(
    await tx.execute(sql`
      with hours as (
        select ${key("summary")} as key, sum(s.effective_minutes) as effective, sum(s.external_minutes) as external
        from usage_summaries s join instruments i on i.id = s.instrument_id join organizations o on o.id = i.organization_id
        where s.month >= ${from}::date and s.month < ${until}::date and i.status <> 'draft'
        group by 1
      ), smes as (
        select ${key("customer")} as key, count(distinct c.organization_id) as n
        from usage_summary_customers c join instruments i on i.id = c.instrument_id join organizations o on o.id = i.organization_id
        join organizations co on co.id = c.organization_id
        where c.month >= ${from}::date and c.month < ${until}::date and co.is_sme and i.status <> 'draft'
        group by 1
      ), vouchers as (
        select ${key("charge")} as key, sum(ch.voucher_fen) as fen
        from charges ch join instruments i on i.id = ch.instrument_id join organizations o on o.id = i.organization_id
        where ch.created_at >= (${from}::timestamp at time zone 'Asia/Shanghai') and ch.created_at < (${until}::timestamp at time zone 'Asia/Shanghai')
        group by 1
      ), open as (${open})
      select k.key, coalesce(open.n, 0) as open, coalesce(hours.effective, 0) as effective, coalesce(hours.external, 0) as external,
        coalesce(smes.n, 0) as smes, coalesce(vouchers.fen, 0) as vouchers
      from (select key from hours union select key from smes union select key from vouchers union select key from open) k
      left join hours on hours.key = k.key left join smes on smes.key = k.key
      left join vouchers on vouchers.key = k.key left join open on open.key = k.key`),
  );
  return new Map(
    rows.map((r) => [
      r.key ?? "",
      {
        key: r.key ?? "",
        instrumentsOpen: Number(r.open),
        effectiveHours: hours(Number(r.effective)),
        externalHours: hours(Number(r.external)),
        smesServed: Number(r.smes),
        voucherFen: Number(r.vouchers),
      },
    ]),
  );
}

export async function publicStatistics(year: number): Promise<PublicStatistics> {
  const db = await getDb();
  const first = year - YEARS_SHOWN + 1;
  const [years, regions, cats, names, asOf] = [
    await figures(db, byYear, first, year),
    await figures(db, byRegion, year, year),
    await figures(db, byCategory, year, year),
    await db.select({ code: categories.code, nameZh: categories.nameZh, nameEn: categories.nameEn }).from(categories),
    await summariesAsOf(db),
  ];
  const categoryNames = new Map(names.map((c) => [c.code, c]));
  const empty = (key: string) => ({ key, instrumentsOpen: 0, effectiveHours: 0, externalHours: 0, smesServed: 0, voucherFen: 0 });
  const byEffective = (a: StatsRow, b: StatsRow) => b.effectiveHours - a.effectiveHours || b.instrumentsOpen - a.instrumentsOpen;
  return {
    year,
    asOf,
    byYear: Array.from({ length: YEARS_SHOWN }, (_, i) => String(first + i)).map((y) => ({ ...(years.get(y) ?? empty(y)), nameZh: y, nameEn: y })),
    byRegion: [...regions.values()]
      .map((r) => ({ ...r, nameZh: provinceName(r.key, "zh-CN") || "—", nameEn: provinceName(r.key, "en") || "—" }))
      .sort(byEffective),
    byCategory: [...cats.values()]
      .map((r) => ({ ...r, nameZh: categoryNames.get(r.key)?.nameZh ?? r.key, nameEn: categoryNames.get(r.key)?.nameEn ?? r.key }))
      .sort(byEffective),
  };
}
