import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireUser } from "~/accounts/authz.server";
import { formatDate, formatDateTime, localName } from "~/lib/format";
import { i18nServer } from "~/lib/i18n.server";
import { useLocale } from "~/root";
import { creditRecord, organizationCreditRecord } from "~/trust/credit.server";

export const handle = { i18n: ["common", "trust"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "OpenLab" }];

/** The signed-in user's own credit record (信用档案); an org admin also sees the organisation's figures. */
export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireUser(request);
  const now = new Date();
  const orgAdminOf = viewer.memberships.find((m) => m.role === "org_admin")?.organizationId ?? null;
  const [record, organization, t] = await Promise.all([
    creditRecord(viewer.id, now),
    orgAdminOf ? organizationCreditRecord(orgAdminOf, now) : null,
    i18nServer.getFixedT(request, "trust"),
  ]);
  return { title: `${t("credit.title")} · OpenLab`, ...record, organization };
}

export default function CreditRecord() {
  const { settings, since, counts, events, block, history, organization } = useLoaderData<typeof loader>();
  const { t } = useTranslation("trust");
  const locale = useLocale();
  return (
    <section className="section manage credit-record">
      <h1>{t("credit.title")}</h1>
      <p className="lead-muted">{t("credit.lead", { months: settings.windowMonths })}</p>
      {block ? (
        <div className="notice notice-warning" role="status">
          <p>
            <strong>{t("credit.blockedTitle")}</strong>
          </p>
          <p>{t(`credit.blockedReason.${block.rule}`, { count: block.count, months: settings.windowMonths, date: formatDate(block.blockedAt, locale) })}</p>
          <p>{t("credit.wayOut")}</p>
        </div>
      ) : (
        <p className="notice" role="status">
          {t("credit.inGoodStanding")}
        </p>
      )}
      <div className="credit-figures">
        <div className="panel">
          <h2>{t("credit.noShows")}</h2>
          <p className="figure">
            {counts.noShows} <span className="muted">/ {settings.noShowLimit}</span>
          </p>
        </div>
        <div className="panel">
          <h2>{t("credit.lateCancellations")}</h2>
          <p className="figure">
            {counts.lateCancellations} <span className="muted">/ {settings.lateCancellationLimit}</span>
          </p>
          <p className="muted">{t("credit.lateMeans", { hours: settings.lateCancellationHours })}</p>
        </div>
      </div>
      <p className="muted">{t("credit.since", { date: formatDate(since, locale) })}</p>
      <h2>{t("credit.events")}</h2>
      {events.length === 0 ? (
        <p className="empty">{t("credit.noEvents")}</p>
      ) : (
        <div className="table-wrap">
          <table className="manage-table">
            <thead>
              <tr>
                <th scope="col">{t("credit.when")}</th>
                <th scope="col">{t("credit.what")}</th>
                <th scope="col">{t("credit.booking")}</th>
              </tr>
            </thead>
            <tbody>
              {events.map((e) => (
                <tr key={`${e.bookingId}-${e.kind}`}>
                  <td>{formatDateTime(e.at, locale)}</td>
                  <td>{t(`credit.kind.${e.kind}`)}</td>
                  <td>
                    <Link to={`/bookings/${e.bookingId}`}>{e.reference}</Link> · {localName({ nameZh: e.instrumentNameZh, nameEn: e.instrumentNameEn }, locale)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {history.length > 0 ? (
        <>
          <h2>{t("credit.history")}</h2>
          <ul>
            {history.map((h) => (
              <li key={h.id}>
                {t(`credit.rule.${h.rule}`)} · {formatDate(h.blockedAt, locale)} → {h.liftedAt ? formatDate(h.liftedAt, locale) : "—"} · {h.liftReason}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {organization ? (
        <section className="panel">
          <h2>{t("credit.organization")}</h2>
          <p>{t("credit.organizationFigures", { noShows: organization.noShows, late: organization.lateCancellations, blocked: organization.openBlocks })}</p>
        </section>
      ) : null}
      <p className="muted">{t("credit.notCounted")}</p>
    </section>
  );
}
