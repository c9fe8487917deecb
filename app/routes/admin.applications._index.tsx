import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { applicationStatuses } from "../../db/schema/vocabulary";
import { requirePlatformAdmin } from "~/accounts/authz.server";
import { ApplicationStatusChip } from "~/components/application-history";
import { listApplications } from "~/catalogue/onboarding.server";
import { provinceName } from "~/catalogue/regions";
import { formatDateTime } from "~/lib/format";
import { i18nServer } from "~/lib/i18n.server";
import { useLocale } from "~/root";

export const handle = { i18n: ["common", "onboarding"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "OpenLab" }];

// An unknown status in the URL shows everything rather than an error.
const filterSchema = z.object({ status: z.enum(applicationStatuses).optional().catch(undefined) });

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePlatformAdmin(request);
  const filter = filterSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const [applications, t] = await Promise.all([listApplications(filter), i18nServer.getFixedT(request, "onboarding")]);
  return { title: `${t("review.title")} · OpenLab`, applications, status: filter.status ?? "" };
}

/** The platform admins' review queue: undecided applications first. */
export default function ReviewQueue() {
  const { t } = useTranslation("onboarding");
  const locale = useLocale();
  const { applications, status } = useLoaderData<typeof loader>();
  return (
    <section className="section onboarding">
      <h1>{t("review.title")}</h1>
      <p>{t("review.lead")}</p>
      <Form method="get" className="filter-bar">
        <label htmlFor="status-filter">{t("review.filter")}</label>
        <select id="status-filter" name="status" defaultValue={status}>
          <option value="">{t("review.all")}</option>
          {applicationStatuses.map((s) => (
            <option key={s} value={s}>
              {t(`status.${s}`)}
            </option>
          ))}
        </select>
        <button type="submit" className="button button-secondary button-small">
          {t("review.apply")}
        </button>
      </Form>
      {applications.length === 0 ? (
        <p className="empty">{t("review.empty")}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t("review.submittedAt")}</th>
                <th scope="col">{t("review.institution")}</th>
                <th scope="col">{t("field.type")}</th>
                <th scope="col">{t("review.region")}</th>
                <th scope="col">{t("review.applicant")}</th>
                <th scope="col">{t("review.status")}</th>
              </tr>
            </thead>
            <tbody>
              {applications.map((a) => (
                <tr key={a.id}>
                  <td>{formatDateTime(a.createdAt, locale)}</td>
                  <td>
                    <Link to={`/admin/applications/${a.id}`}>{locale === "en" ? a.nameEn : a.nameZh}</Link>
                  </td>
                  <td>{t(`type.${a.type}`)}</td>
                  <td>{provinceName(a.regionCode, locale)}</td>
                  <td>
                    {a.applicantName}
                    <br />
                    <span className="muted">{a.applicantEmail}</span>
                  </td>
                  <td>
                    <ApplicationStatusChip status={a.status} />
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
