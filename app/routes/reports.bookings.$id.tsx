import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { notFound, requireReportDrilldown } from "~/accounts/authz.server";
import { formatDateTime, formatNumber } from "~/lib/format";
import { bookingDrilldown } from "~/reporting/drilldown.server";
import { useLocale } from "~/root";

export const handle = { i18n: ["common", "reporting", "booking"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.booking.reference} · OpenLab` : "OpenLab" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const bookingId = params.id ?? "";
  await requireReportDrilldown(request, { bookingId });
  const drill = await bookingDrilldown(bookingId);
  if (!drill) throw notFound();
  return drill;
}

export default function BookingReport() {
  const { t } = useTranslation("reporting");
  const locale = useLocale();
  const { booking, events, usage } = useLoaderData<typeof loader>();
  const at = (value: string | Date) => formatDateTime(value, locale, booking.zone);
  const hours = (minutes: number) => formatNumber(minutes / 60, locale, 1);
  return (
    <section className="section reports">
      <p>
        <Link to={`/reports/instruments/${booking.instrumentId}`}>{locale === "en" ? booking.instrumentEn : booking.instrumentZh}</Link>
      </p>
      <h1>{booking.reference}</h1>
      <dl className="facts">
        <div>
          <dt>{t("drill.status")}</dt>
          <dd>{t(`status.${booking.status}`, { ns: "booking" })}</dd>
        </div>
        <div>
          <dt>{t("drill.customer")}</dt>
          <dd>
            {locale === "en" ? booking.customerEn : booking.customerZh} ({booking.external ? t("chart.external") : t("chart.internal")})
          </dd>
        </div>
        <div>
          <dt>{t("drill.requested")}</dt>
          <dd>{at(booking.createdAt)}</dd>
        </div>
      </dl>
      <h2>{t("drill.usage")}</h2>
      {usage ? (
        <div className="table-wrap">
          <table>
            <tbody>
              <tr>
                <th scope="row">{t("drill.when")}</th>
                <td>
                  {at(usage.startedAt)} – {at(usage.endedAt)}
                </td>
              </tr>
              <tr>
                <th scope="row">{t("col.effectiveHours")}</th>
                <td>{hours(usage.preparationMinutes + usage.measurementMinutes + usage.postProcessingMinutes)}</td>
              </tr>
              <tr>
                <th scope="row">{t("drill.idleHours")}</th>
                <td>{hours(usage.idleMinutes)}</td>
              </tr>
              <tr>
                <th scope="row">{t("col.samples")}</th>
                <td>{usage.samplesCount}</td>
              </tr>
              <tr>
                <th scope="row">{t("drill.operator")}</th>
                <td>{usage.operatorName ?? "—"}</td>
              </tr>
            </tbody>
          </table>
        </div>
      ) : (
        <p className="empty">{t("drill.noUsage")}</p>
      )}
      <h2>{t("drill.history")}</h2>
      <ol>
        {events.map((e, i) => (
          <li key={i}>
            {at(e.at)} · {t(`status.${e.toStatus}`, { ns: "booking" })}
            {e.reason ? ` · ${e.reason}` : ""}
          </li>
        ))}
      </ol>
    </section>
  );
}
