import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requirePlatformAdmin } from "~/accounts/authz.server";
import { ComplaintTable } from "~/components/complaints";
import { formatNumber, localName } from "~/lib/format";
import { i18nServer } from "~/lib/i18n.server";
import { useLocale } from "~/root";
import { complaintStatuses, complaintSubjects, inboxFilterSchema } from "~/trust/complaint";
import { complaintInbox } from "~/trust/complaints.server";

export const handle = { i18n: ["common", "complaints"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "OpenLab" }];

/** Platform admins: every complaint, filtered by status, lab and subject, newest or oldest first, with each lab's response times. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePlatformAdmin(request);
  const filter = inboxFilterSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const [inbox, t] = await Promise.all([complaintInbox(filter), i18nServer.getFixedT(request, "complaints")]);
  return { title: `${t("admin.title")} · OpenLab`, filter, ...inbox, now: new Date().toISOString() };
}

export default function AdminComplaints() {
  const { filter, complaints, labs, figures, now } = useLoaderData<typeof loader>();
  const { t } = useTranslation("complaints");
  const locale = useLocale();
  return (
    <section className="section manage">
      <h1>{t("admin.title")}</h1>
      <p className="lead-muted">{t("admin.lead")}</p>
      <Form method="get" className="filters complaint-filters" aria-label={t("admin.filters")}>
        <div className="field">
          <label htmlFor="filter-status">{t("admin.status")}</label>
          <select id="filter-status" name="status" defaultValue={filter.status ?? ""}>
            <option value="">{t("admin.any")}</option>
            <option value="unresolved">{t("admin.unresolved")}</option>
            {complaintStatuses.map((s) => (
              <option key={s} value={s}>
                {t(`status.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-lab">{t("admin.lab")}</label>
          <select id="filter-lab" name="labId" defaultValue={filter.labId ?? ""}>
            <option value="">{t("admin.any")}</option>
            {labs.map((l) => (
              <option key={l.id} value={l.id}>
                {localName(l, locale)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-subject">{t("admin.subjectKind")}</label>
          <select id="filter-subject" name="subjectKind" defaultValue={filter.subjectKind ?? ""}>
            <option value="">{t("admin.any")}</option>
            {complaintSubjects.map((s) => (
              <option key={s} value={s}>
                {t(`subjectKind.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-order">{t("admin.order")}</label>
          <select id="filter-order" name="order" defaultValue={filter.order ?? "newest"}>
            <option value="newest">{t("admin.newest")}</option>
            <option value="oldest">{t("admin.oldest")}</option>
          </select>
        </div>
        <button type="submit" className="button button-secondary">
          {t("admin.apply")}
        </button>
      </Form>
      {complaints.length === 0 ? <p className="empty">{t("admin.empty")}</p> : <ComplaintTable rows={complaints} locale={locale} now={new Date(now)} caption={t("admin.caption")} showCustomer />}
      {figures.length ? (
        <section className="complaint-figures" aria-labelledby="figures-title">
          <h2 id="figures-title">{t("figures.title")}</h2>
          <div className="table-wrap" tabIndex={0} role="region" aria-label={t("figures.caption")}>
            <table className="manage-table">
              <caption className="visually-hidden">{t("figures.caption")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("figures.lab")}</th>
                  <th scope="col">{t("figures.filed")}</th>
                  <th scope="col">{t("figures.unresolved")}</th>
                  <th scope="col">{t("figures.unanswered")}</th>
                  <th scope="col">{t("figures.upheld")}</th>
                  <th scope="col">{t("figures.median")}</th>
                </tr>
              </thead>
              <tbody>
                {figures.map((f) => (
                  <tr key={f.labId}>
                    <td>
                      <Link to={`?labId=${f.labId}`}>{localName(f.lab, locale)}</Link>
                    </td>
                    <td>{f.filed}</td>
                    <td>{f.unresolved}</td>
                    <td>{f.unanswered}</td>
                    <td>{f.upheld}</td>
                    <td>{f.medianResponseHours === null ? t("figures.none") : formatNumber(f.medianResponseHours, locale, 1)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}
    </section>
  );
}
