import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { notFound, requireLabStaff } from "~/accounts/authz.server";
import { actionsFor } from "~/catalogue/instrument-status";
import { labOverview } from "~/catalogue/manage.server";
import { CsrfInput } from "~/components/forms";
import { formatDateTime, localName } from "~/lib/format";
import { i18nServer } from "~/lib/i18n.server";
import { useLocale } from "~/root";

export const handle = { i18n: ["common", "catalogue", "manage", "queue", "accreditation", "complaints"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "OpenLab" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireLabStaff(request, params.labId ?? "");
  const [overview, t] = await Promise.all([labOverview(params.labId ?? ""), i18nServer.getFixedT(request, "manage")]);
  if (!overview) throw notFound();
  return { title: `${overview.lab.nameZh} · ${t("lab.title")} · OpenLab`, ...overview };
}

/** A lab's instruments in every status, with the workflow buttons that apply to each. */
export default function ManageLab() {
  const { lab, organization, instruments } = useLoaderData<typeof loader>();
  const { t } = useTranslation("manage");
  const locale = useLocale();
  return (
    <section className="section manage">
      <nav className="breadcrumbs" aria-label={t("breadcrumbs")}>
        <Link to="/manage">{t("dashboard.title")}</Link> / {localName(lab, locale)}
      </nav>
      <div className="section-head">
        <div>
          <h1>{localName(lab, locale)}</h1>
          <p className="lead-muted">{localName(organization, locale)}</p>
        </div>
        <p className="page-links">
          <Link to={`/manage/labs/${lab.id}/bookings`}>{t("queue:link")}</Link>
          <Link to={`/manage/labs/${lab.id}/accreditations`}>{t("accreditation:manage.link")}</Link>
          <Link to={`/manage/labs/${lab.id}/complaints`}>{t("complaints:link.lab_manage")}</Link>
          <Link to={`/manage/labs/${lab.id}/import`}>{t("lab.import")}</Link>
          <a href={`/manage/labs/${lab.id}/export?format=xlsx`} download>
            {t("lab.export")}
          </a>
          <Link to={`/manage/labs/${lab.id}/instruments/new`} className="button">
            {t("lab.new")}
          </Link>
        </p>
      </div>
      {instruments.length === 0 ? (
        <p className="empty">{t("lab.empty")}</p>
      ) : (
        <div className="table-wrap">
          <table className="manage-table">
            <caption className="visually-hidden">{t("lab.caption", { lab: localName(lab, locale) })}</caption>
            <thead>
              <tr>
                <th scope="col">{t("lab.instrument")}</th>
                <th scope="col">{t("catalogue:field.category")}</th>
                <th scope="col">{t("lab.status")}</th>
                <th scope="col">{t("lab.photos")}</th>
                <th scope="col">{t("lab.updated")}</th>
                <th scope="col">{t("lab.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {instruments.map((i) => (
                <tr key={i.id}>
                  <td>
                    <Link to={`/manage/instruments/${i.id}`}>
                      <strong>{localName(i, locale)}</strong>
                    </Link>
                    <div className="muted">{i.model}</div>
                  </td>
                  <td>{localName({ nameZh: i.categoryNameZh, nameEn: i.categoryNameEn }, locale)}</td>
                  <td>
                    <span className={`listing-status listing-${i.status}`}>{t(`catalogue:status.${i.status}`)}</span>
                    {i.status === "suspended" && i.suspensionReason ? (
                      <p className="suspension-reason">{t("status.reasonShort", { reason: i.suspensionReason })}</p>
                    ) : null}
                  </td>
                  <td>{i.photoCount}</td>
                  <td>{formatDateTime(i.updatedAt, locale)}</td>
                  <td>
                    <div className="row-actions">
                      <Link to={`/manage/instruments/${i.id}`}>{t("lab.edit")}</Link>
                      <Link to={`/manage/instruments/${i.id}/photos`}>{t("lab.managePhotos")}</Link>
                      <Link to={`/instruments/${i.slug}`}>{t("lab.view")}</Link>
                      {actionsFor(i.status, "lab")
                        .filter((a) => a !== "retire")
                        .map((a) => (
                          <Form key={a} method="post" action={`/manage/instruments/${i.id}`}>
                            <CsrfInput />
                            <input type="hidden" name="returnTo" value="lab" />
                            <button type="submit" name="intent" value={a} className="link-button" aria-label={`${t(`status.action.${a}`)} ${localName(i, locale)}`}>
                              {t(`status.action.${a}`)}
                            </button>
                          </Form>
                        ))}
                    </div>
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
