import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { bookingStatuses } from "../../db/schema/booking-vocabulary";
import { requireUser } from "~/accounts/authz.server";
import { bookingListHref, bookingListViews } from "~/booking/booking-list";
import { myBookings, myBookingsQuerySchema } from "~/booking/reservations.server";
import { formatSpan } from "~/booking/time-format";
import { Pagination } from "~/components/pagination";
import { formatNumber, localName } from "~/lib/format";
import { i18nServer } from "~/lib/i18n.server";
import { useLocale } from "~/root";

export const handle = { i18n: ["common", "reserve", "booking", "samples"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "OpenLab" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireUser(request);
  const params = new URL(request.url).searchParams;
  // An unknown status, tab or page in the URL shows the default rather than an error.
  const query = myBookingsQuerySchema.parse({ status: params.get("status"), view: params.get("view"), page: params.get("page") ?? undefined });
  const [list, t] = await Promise.all([myBookings(viewer.id, query), i18nServer.getFixedT(request, "reserve")]);
  return { title: `${t("list.title")} · OpenLab`, ...list, status: query.status, page: query.page };
}

/** The viewer's own bookings: under way (soonest first) and ended (latest first), in pages. */
export default function MyBookings() {
  const { t } = useTranslation("reserve");
  const locale = useLocale();
  const { bookings, status, view, tabs, total, page, pages } = useLoaderData<typeof loader>();
  return (
    <section className="section">
      <h1>{t("list.title")}</h1>
      <nav className="tabs booking-tabs" aria-label={t("list.tabs")}>
        {bookingListViews.map((v) => (
          <Link key={v} to={bookingListHref(v, null)} className={v === view ? "tab tab-active" : "tab"} aria-current={v === view ? "page" : undefined}>
            {t(`list.view.${v}`)} <span className="tab-count">{formatNumber(tabs[v], locale)}</span>
          </Link>
        ))}
      </nav>
      <Form method="get" className="filter-bar booking-filter">
        <input type="hidden" name="view" value={view} />
        <label htmlFor="status-filter">{t("list.filter")}</label>
        <select id="status-filter" name="status" defaultValue={status ?? ""}>
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
        <p className="empty">
          {status ? t("list.emptyStatus") : t(`list.empty.${view}`)}
          {view === "current" && !status ? (
            <>
              {" "}
              <Link to="/instruments">{t("list.browse")}</Link>
            </>
          ) : null}
        </p>
      ) : (
        <div className="table-wrap">
          <table className="booking-list stack-on-phone">
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
      {total > 0 ? <p className="muted">{t("list.total", { count: total, formatted: formatNumber(total, locale) })}</p> : null}
      <Pagination page={page} pages={pages} href={(p) => bookingListHref(view, status, p)} />
    </section>
  );
}
