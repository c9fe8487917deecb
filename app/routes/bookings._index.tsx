import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { bookingStatuses } from "../../db/schema/booking-vocabulary";
import { requireUser } from "~/accounts/authz.server";
import { myBookings, statusFilterSchema } from "~/booking/reservations.server";
import { formatSpan } from "~/booking/time-format";
import { localName } from "~/lib/format";
import { i18nServer } from "~/lib/i18n.server";
import { useLocale } from "~/root";

export const handle = { i18n: ["common", "reserve", "booking", "samples"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "OpenLab" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireUser(request);
  // An unknown status in the URL shows every booking rather than an error.
  const status = statusFilterSchema.parse(new URL(request.url).searchParams.get("status"));
  const [bookings, t] = await Promise.all([myBookings(viewer.id, status), i18nServer.getFixedT(request, "reserve")]);
  return { title: `${t("list.title")} · OpenLab`, bookings, status: status ?? "" };
}

/** The viewer's own bookings, newest first. */
export default function MyBookings() {
  const { t } = useTranslation("reserve");
  const locale = useLocale();
  const { bookings, status } = useLoaderData<typeof loader>();
  return (
    <section className="section">
      <h1>{t("list.title")}</h1>
      <Form method="get" className="filter-bar booking-filter">
        <label htmlFor="status-filter">{t("list.filter")}</label>
        <select id="status-filter" name="status" defaultValue={status}>
          <option value="">{t("list.allStatuses")}</option>
          {bookingStatuses.map((s) => (
            <option key={s} value={s}>
              {t(`booking:status.${s}`)}
            </option>
          ))}
        </select>
        <button type="submit" className="button button-secondary">
          {t("list.apply")}
        </button>
      </Form>
      {bookings.length === 0 ? (
        <p className="empty">{t("list.empty")}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t("list.reference")}</th>
                <th scope="col">{t("list.instrument")}</th>
                <th scope="col">{t("list.time")}</th>
                <th scope="col">{t("list.status")}</th>
              </tr>
            </thead>
            <tbody>
              {bookings.map((b) => (
                <tr key={b.id}>
                  <td>
                    <Link to={`/bookings/${b.id}`}>{b.reference}</Link>
                  </td>
                  <td>
                    <Link to={`/instruments/${b.instrument.slug}`}>{localName(b.instrument, locale)}</Link>
                  </td>
                  <td>{b.period ? formatSpan(b.period, b.zone, locale) : t("samples:kind")}</td>
                  <td>
                    <span className={`chip booking-status booking-status-${b.status}`}>{t(`booking:status.${b.status}`)}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
