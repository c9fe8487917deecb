import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { allowAnyone } from "~/accounts/authz.server";
import { StatsBarChart } from "~/components/stats-charts";
import { formatDateTime, formatMoney, formatNumber, localName } from "~/lib/format";
import { i18nServer } from "~/lib/i18n.server";
import { parseStatsYear } from "~/reporting/stats-query";
import { publicStatistics, type StatsRow } from "~/reporting/stats.server";
import { useLocale } from "~/root";

export const handle = { i18n: ["common", "stats"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.title ?? "OpenLab" },
  { name: "description", content: data?.description ?? "" },
];

/**
 * The page carries the visitor's CSRF token and, when signed in, their name in the header, so
 * only the browser may keep it; shared caches get the figures from /stats.json
 * (docs/decisions/076-public-statistics.md).
 */
export const headers: HeadersFunction = () => ({ "Cache-Control": "private, max-age=300" });

export async function loader({ request }: LoaderFunctionArgs) {
  await allowAnyone(request);
  const t = await i18nServer.getFixedT(request, "stats");
  const query = parseStatsYear(new URL(request.url).searchParams, new Date());
  const head = { title: `${t("page.title")} · OpenLab`, description: t("page.lead") };
  if (!query.ok) return data({ ...head, stats: null, error: query.error.replace(/^stats:/, "") }, { status: 400 });
  return { ...head, stats: await publicStatistics(query.year), error: null };
}

const colors = { effective: "#1f6feb", external: "#f08c00", smes: "#2f9e44", open: "#6741d9" };

export default function PublicStatistics() {
  const { t } = useTranslation("stats");
  const locale = useLocale();
  const { stats, error } = useLoaderData<typeof loader>();
  const hoursSeries = [
    { key: "effectiveHours", label: t("col.effectiveHours"), color: colors.effective },
    { key: "externalHours", label: t("col.externalHours"), color: colors.external },
  ];
  const chartRows = (rows: StatsRow[]) => rows.map((r) => ({ ...r, name: localName(r, locale) }));
  const table = (caption: string, head: string, rows: StatsRow[]) => (
    <div className="table-wrap">
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{head}</th>
            <th scope="col">{t("col.instrumentsOpen")}</th>
            <th scope="col">{t("col.effectiveHours")}</th>
            <th scope="col">{t("col.externalHours")}</th>
            <th scope="col">{t("col.smesServed")}</th>
            <th scope="col">{t("col.vouchers")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key}>
              <th scope="row">{localName(r, locale)}</th>
              <td>{formatNumber(r.instrumentsOpen, locale)}</td>
              <td>{formatNumber(r.effectiveHours, locale, 1)}</td>
              <td>{formatNumber(r.externalHours, locale, 1)}</td>
              <td>{formatNumber(r.smesServed, locale)}</td>
              <td>{formatMoney(r.voucherFen, locale)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
  return (
    <section className="section stats-page">
      <h1>{t("page.title")}</h1>
      <p className="lead-muted">{t("page.lead")}</p>
      <Form method="get" className="period-picker">
        <label>
          {t("page.year")}
          <input name="year" inputMode="numeric" size={5} defaultValue={stats?.year ?? ""} aria-invalid={error ? true : undefined} />
        </label>
        <button type="submit" className="button button-compact">{t("page.show")}</button>
      </Form>
      {error ? (
        <p className="field-error" role="alert">
          {t(error)}
        </p>
      ) : null}
      {stats ? (
        <>
          <p className="as-of">
            {stats.asOf ? t("page.asOf", { at: formatDateTime(stats.asOf, locale) }) : t("page.neverRefreshed")} ·{" "}
            <a href={`/stats.json?year=${stats.year}`}>{t("page.json")}</a>
          </p>
          <div className="stats-charts">
            <StatsBarChart title={t("chart.byYear")} rows={chartRows(stats.byYear)} series={hoursSeries} />
            <StatsBarChart
              title={t("chart.smesByYear")}
              rows={chartRows(stats.byYear)}
              series={[
                { key: "smesServed", label: t("col.smesServed"), color: colors.smes },
                { key: "instrumentsOpen", label: t("col.instrumentsOpen"), color: colors.open },
              ]}
            />
            {stats.byRegion.length > 0 ? (
              <StatsBarChart title={t("chart.byRegion", { year: stats.year })} rows={chartRows(stats.byRegion)} series={hoursSeries} layout="vertical" />
            ) : null}
            {stats.byCategory.length > 0 ? (
              <StatsBarChart title={t("chart.byCategory", { year: stats.year })} rows={chartRows(stats.byCategory)} series={hoursSeries} layout="vertical" />
            ) : null}
          </div>
          {table(t("table.byYear"), t("col.year"), stats.byYear)}
          {stats.byRegion.length === 0 && stats.byCategory.length === 0 ? <p className="empty">{t("page.empty", { year: stats.year })}</p> : null}
          {stats.byRegion.length > 0 ? table(t("table.byRegion", { year: stats.year }), t("col.region"), stats.byRegion) : null}
          {stats.byCategory.length > 0 ? table(t("table.byCategory", { year: stats.year }), t("col.category"), stats.byCategory) : null}
          <p className="hint">
            {t("page.definitions")} <Link to="/instruments">{t("page.findInstrument")}</Link>
          </p>
        </>
      ) : null}
    </section>
  );
}
