import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireReportViewer } from "~/accounts/authz.server";
import { ExportLink } from "~/components/export-link";
import { CsrfInput, SubmitButton } from "~/components/forms";
import { UtilisationCharts } from "~/components/utilisation-charts";
import { formatDateTime, formatNumber } from "~/lib/format";
import { i18nServer } from "~/lib/i18n.server";
import { dashboard, parseDashboardQuery } from "~/reporting/dashboard.server";
import { periodLabel } from "~/reporting/period";
import { refreshSummaries } from "~/reporting/refresh.server";
import { groupings } from "~/reporting/rollup";
import type { GroupRow } from "~/reporting/report.server";
import { useLocale } from "~/root";

export const handle = { i18n: ["common", "reporting"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "OpenLab" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { scope } = await requireReportViewer(request);
  const url = new URL(request.url);
  const [result, t] = await Promise.all([
    dashboard(scope, parseDashboardQuery(url.searchParams, new Date())),
    i18nServer.getFixedT(request, "reporting"),
  ]);
  const annualOrganizationId = scope.kind === "institution" ? scope.organizationId : null;
  return { title: `${t("dashboard.title")} · OpenLab`, scope: scope.kind, annualOrganizationId, ...result };
}

/** "Refresh now": rebuilds the stale summaries at once instead of waiting for the job. */
export async function action({ request }: ActionFunctionArgs) {
  const { viewer } = await requireReportViewer(request);
  const { instruments } = await refreshSummaries({ requestedBy: viewer.id });
  return { refreshed: instruments };
}

const sortKeys = ["name", "effective", "external", "utilisation", "unbooked", "smes"] as const;
type SortKey = (typeof sortKeys)[number];
const sortValue: Record<SortKey, (g: GroupRow) => number | string> = {
  name: (g) => g.nameZh,
  effective: (g) => g.totals.effectiveMinutes,
  external: (g) => g.totals.externalMinutes,
  utilisation: (g) => g.ratios.utilisation ?? -1,
  unbooked: (g) => g.ratios.unbookedMinutes,
  smes: (g) => g.counts.smesServed,
};

const hours = (minutes: number, locale: string) => formatNumber(minutes / 60, locale as "zh-CN", 1);
const pct = (v: number | null, locale: string) => (v === null ? "—" : `${formatNumber(v, locale as "zh-CN", 1)}%`);

export default function ReportsDashboard() {
  const { t } = useTranslation("reporting");
  const locale = useLocale();
  const { report, errors, annualOrganizationId } = useLoaderData<typeof loader>();
  const refreshed = useActionData<typeof action>();
  const [params] = useSearchParams();
  const sort = (sortKeys as readonly string[]).includes(params.get("sort") ?? "") ? (params.get("sort") as SortKey) : "effective";
  const desc = params.get("dir") !== "asc";
  const sortLink = (key: SortKey) => {
    const next = new URLSearchParams(params);
    next.set("sort", key);
    next.set("dir", sort === key && desc ? "asc" : "desc");
    return `?${next}`;
  };
  const exportLink = (format: "csv" | "xlsx") => {
    const next = new URLSearchParams(params);
    next.set("format", format);
    return `/reports/export?${next}`;
  };
  const name = (g: { nameZh: string; nameEn: string }) => (locale === "en" ? g.nameEn : g.nameZh);
  const groups = report
    ? [...report.groups].sort((a, b) => {
        const x = sortValue[sort](a as GroupRow);
        const y = sortValue[sort](b as GroupRow);
        const c = x < y ? -1 : x > y ? 1 : 0;
        return desc ? -c : c;
      })
    : [];
  const period = params.get("period") ?? "year";
  const drill = (instrumentId: string) => `/reports/instruments/${instrumentId}?${params}`;
  const bars = (rows: readonly GroupRow[]) =>
    rows.slice(0, 8).map((g) => ({
      name: name(g),
      hours: Math.round(g.totals.effectiveMinutes / 6) / 10,
      unbookedHours: Math.round(g.ratios.unbookedMinutes / 6) / 10,
    }));
  const top = report
    ? bars([...report.groups].filter((g) => g.instrument).sort((a, b) => b.totals.effectiveMinutes - a.totals.effectiveMinutes) as GroupRow[])
    : [];
  const idle = report ? bars(report.belowThreshold as GroupRow[]) : [];
  return (
    <section className="section reports">
      <h1>{t("dashboard.title")}</h1>
      <Form method="get" className="period-picker" aria-label={t("period.legend")}>
        <label>
          {t("period.kind")}
          <select name="period" defaultValue={period}>
            {(["month", "quarter", "year", "custom"] as const).map((k) => (
              <option key={k} value={k}>
                {t(`period.${k}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("period.year")}
          <input name="year" inputMode="numeric" defaultValue={params.get("year") ?? String(new Date().getFullYear())} size={5} />
        </label>
        <label>
          {t("period.quarter")}
          <select name="quarter" defaultValue={params.get("quarter") ?? "1"}>
            {[1, 2, 3, 4].map((q) => (
              <option key={q} value={q}>
                Q{q}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("period.month")}
          <input name="month" type="month" defaultValue={params.get("month") ?? ""} />
        </label>
        <label>
          {t("period.from")}
          <input name="from" type="month" defaultValue={params.get("from") ?? ""} aria-invalid={errors.from ? true : undefined} />
        </label>
        <label>
          {t("period.to")}
          <input name="to" type="month" defaultValue={params.get("to") ?? ""} aria-invalid={errors.to ? true : undefined} />
        </label>
        <label>
          {t("group.label")}
          <select name="group" defaultValue={params.get("group") ?? "instrument"}>
            {groupings.map((g) => (
              <option key={g} value={g}>
                {t(`group.${g}`)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="button button-compact">{t("period.show")}</button>
      </Form>
      {Object.entries(errors).map(([field, message]) => (
        <p key={field} className="field-error" role="alert">
          {t(message.replace(/^reporting:/, ""), { ns: message.startsWith("reporting:") ? "reporting" : "common" })}
        </p>
      ))}
      {report ? (
        <>
          <div className="as-of">
            <p>
              {t("dashboard.period", { period: periodLabel(report.period) })} ·{" "}
              {report.asOf ? t("dashboard.asOf", { at: formatDateTime(report.asOf, locale) }) : t("dashboard.neverRefreshed")}
            </p>
            <Form method="post">
              <CsrfInput />
              <SubmitButton className="button button-secondary button-compact" busyLabel={t("refresh.busy")}>
                {t("refresh.now")}
              </SubmitButton>
            </Form>
            {refreshed ? (
              <p role="status" className="notice">
                {t("refresh.done", { count: refreshed.refreshed })}
              </p>
            ) : null}
            {annualOrganizationId ? (
              <Link to={`/reports/annual/${annualOrganizationId}/${report.period.to.year}`}>{t("annual.open", { year: report.period.to.year })}</Link>
            ) : null}
          </div>
          <dl className="figures">
            <div>
              <dt>{t("col.effectiveHours")}</dt>
              <dd>{hours(report.total.totals.effectiveMinutes, locale)}</dd>
            </div>
            <div>
              <dt>{t("col.externalHours")}</dt>
              <dd>{hours(report.total.totals.externalMinutes, locale)}</dd>
            </div>
            <div>
              <dt>{t("col.utilisation")}</dt>
              <dd>{pct(report.total.ratios.utilisation, locale)}</dd>
            </div>
            <div>
              <dt>{t("col.sharingRate")}</dt>
              <dd>{pct(report.total.ratios.sharingRate, locale)}</dd>
            </div>
            <div>
              <dt>{t("col.smesServed")}</dt>
              <dd>{report.total.counts.smesServed}</dd>
            </div>
            <div>
              <dt>{t("col.usersServed")}</dt>
              <dd>{report.total.counts.usersServed}</dd>
            </div>
          </dl>
          <UtilisationCharts
            series={report.series}
            top={top}
            idle={idle}
            labels={{
              utilisation: t("col.utilisation"),
              internal: t("chart.internal"),
              external: t("chart.external"),
              effective: t("col.effectiveHours"),
              unbooked: t("col.unbookedHours"),
              smes: t("col.smesServed"),
              overTime: t("chart.overTime"),
              internalExternal: t("chart.internalExternal"),
              topInstruments: t("chart.top"),
              idleInstruments: t("chart.idle"),
              smesServed: t("chart.smes"),
            }}
          />
          <p className="exports">
            <ExportLink href={exportLink("csv")}>{t("export.csv")}</ExportLink>{" "}
            <ExportLink href={exportLink("xlsx")}>{t("export.xlsx")}</ExportLink>
          </p>
          {groups.length === 0 ? (
            <p className="empty">{t("dashboard.empty")}</p>
          ) : (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">
                      <Link to={sortLink("name")}>{t(`group.${report.grouping}`)}</Link>
                    </th>
                    <th scope="col">
                      <Link to={sortLink("effective")}>{t("col.effectiveHours")}</Link>
                    </th>
                    <th scope="col">
                      <Link to={sortLink("external")}>{t("col.externalHours")}</Link>
                    </th>
                    <th scope="col">{t("col.ratedHours")}</th>
                    <th scope="col">
                      <Link to={sortLink("utilisation")}>{t("col.utilisation")}</Link>
                    </th>
                    <th scope="col">
                      <Link to={sortLink("unbooked")}>{t("col.unbookedHours")}</Link>
                    </th>
                    <th scope="col">
                      <Link to={sortLink("smes")}>{t("col.smesServed")}</Link>
                    </th>
                    {report.grouping === "instrument" ? <th scope="col">{t("col.grade")}</th> : null}
                  </tr>
                </thead>
                <tbody>
                  {groups.map((g) => (
                    <tr key={g.key} className={g.assessment?.belowThreshold ? "flagged" : undefined}>
                      <th scope="row">
                        {g.instrument ? (
                          <Link to={drill(g.instrument.id)}>{name(g)}</Link>
                        ) : (
                          name(g)
                        )}
                        {g.assessment?.belowThreshold ? <span className="badge">{t("dashboard.below")}</span> : null}
                      </th>
                      <td>{hours(g.totals.effectiveMinutes, locale)}</td>
                      <td>{hours(g.totals.externalMinutes, locale)}</td>
                      <td>{hours(g.totals.ratedMinutes, locale)}</td>
                      <td>{pct(g.ratios.utilisation, locale)}</td>
                      <td>{hours(g.ratios.unbookedMinutes, locale)}</td>
                      <td>{g.counts.smesServed}</td>
                      {report.grouping === "instrument" ? <td>{g.assessment?.grade ? t(`gradeName.${g.assessment.grade}`) : "—"}</td> : null}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      ) : null}
    </section>
  );
}
