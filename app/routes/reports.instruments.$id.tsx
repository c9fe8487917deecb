import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireReportDrilldown } from "~/accounts/authz.server";
import { formatDateTime, formatNumber, localName } from "~/lib/format";
import { i18nServer } from "~/lib/i18n.server";
import { parseDashboardQuery } from "~/reporting/dashboard.server";
import { instrumentDrilldown } from "~/reporting/drilldown.server";
import { periodLabel } from "~/reporting/period";
import { useLocale } from "~/root";

export const handle = { i18n: ["common", "reporting", "booking"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "OpenLab" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const instrumentId = params.id ?? "";
  await requireReportDrilldown(request, { instrumentId });
  const query = parseDashboardQuery(new URL(request.url).searchParams, new Date());
  const t = await i18nServer.getFixedT(request, "reporting");
  if (!query.ok) return { title: `${t("drill.title")} · OpenLab`, errors: query.errors, drill: null };
  const drill = await instrumentDrilldown(instrumentId, query.period);
  const name = drill.report.groups[0]?.nameZh ?? "";
  return { title: `${name} · ${t("drill.title")} · OpenLab`, errors: {}, drill };
}

export default function InstrumentReport() {
  const { t } = useTranslation("reporting");
  const locale = useLocale();
  const { drill, errors } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const hours = (minutes: number | null) => (minutes === null ? "—" : formatNumber(minutes / 60, locale, 1));
  const pct = (v: number | null) => (v === null ? "—" : `${formatNumber(v, locale, 1)}%`);
  const back = <Link to={`/reports?${params}`}>{t("drill.back")}</Link>;
  if (!drill) {
    return (
      <section className="section reports">
        <h1>{t("drill.title")}</h1>
        {Object.values(errors).map((message) => (
          <p key={message} className="field-error" role="alert">
            {t(message.replace(/^reporting:/, ""))}
          </p>
        ))}
        {back}
      </section>
    );
  }
  const { report, bookings, truncated } = drill;
  const g = report.groups[0];
  return (
    <section className="section reports">
      <p>{back}</p>
      <h1>{g ? localName(g, locale) : t("drill.title")}</h1>
      <p className="as-of">
        {t("dashboard.period", { period: periodLabel(report.period) })} ·{" "}
        {report.asOf ? t("dashboard.asOf", { at: formatDateTime(report.asOf, locale) }) : t("dashboard.neverRefreshed")}
      </p>
      {g ? (
        <dl className="figures">
          <div>
            <dt>{t("col.effectiveHours")}</dt>
            <dd>{hours(g.totals.effectiveMinutes)}</dd>
          </div>
          <div>
            <dt>{t("col.externalHours")}</dt>
            <dd>{hours(g.totals.externalMinutes)}</dd>
          </div>
          <div>
            <dt>{t("col.utilisation")}</dt>
            <dd>
              {pct(g.ratios.utilisation)} {g.assessment?.belowThreshold ? <span className="badge">{t("dashboard.below")}</span> : null}
            </dd>
          </div>
          <div>
            <dt>{t("col.unbookedHours")}</dt>
            <dd>{hours(g.ratios.unbookedMinutes)}</dd>
          </div>
          <div>
            <dt>{t("col.grade")}</dt>
            <dd>{g.assessment?.grade ? t(`gradeName.${g.assessment.grade}`) : "—"}</dd>
          </div>
          <div>
            <dt>{t("col.usersServed")}</dt>
            <dd>{g.counts.usersServed}</dd>
          </div>
        </dl>
      ) : null}
      <h2>{t("drill.monthly")}</h2>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t("period.month")}</th>
              <th scope="col">{t("col.availableHours")}</th>
              <th scope="col">{t("col.effectiveHours")}</th>
              <th scope="col">{t("col.externalHours")}</th>
              <th scope="col">{t("col.ratedHours")}</th>
              <th scope="col">{t("col.utilisation")}</th>
            </tr>
          </thead>
          <tbody>
            {report.series.map((m) => (
              <tr key={m.month}>
                <th scope="row">{m.month}</th>
                <td>{formatNumber(m.availableHours, locale, 1)}</td>
                <td>{formatNumber(m.effectiveHours, locale, 1)}</td>
                <td>{formatNumber(m.externalHours, locale, 1)}</td>
                <td>{formatNumber(m.ratedHours, locale, 1)}</td>
                <td>{pct(m.utilisation)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>{t("drill.bookings")}</h2>
      {bookings.length === 0 ? (
        <p className="empty">{t("drill.noBookings")}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t("drill.reference")}</th>
                <th scope="col">{t("drill.when")}</th>
                <th scope="col">{t("drill.customer")}</th>
                <th scope="col">{t("drill.status")}</th>
                <th scope="col">{t("col.effectiveHours")}</th>
                <th scope="col">{t("col.samples")}</th>
              </tr>
            </thead>
            <tbody>
              {bookings.map((b) => (
                <tr key={b.id}>
                  <th scope="row">
                    <Link to={`/reports/bookings/${b.id}`}>{b.reference}</Link>
                  </th>
                  <td>{formatDateTime(b.start ?? b.createdAt, locale)}</td>
                  <td>
                    {locale === "en" ? b.customerEn : b.customerZh} {b.external ? <small>({t("chart.external")})</small> : null}
                  </td>
                  <td>{t(`status.${b.status}`, { ns: "booking" })}</td>
                  <td>{hours(b.effectiveMinutes)}</td>
                  <td>{b.samples ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {truncated ? <p className="empty">{t("drill.truncated")}</p> : null}
    </section>
  );
}
