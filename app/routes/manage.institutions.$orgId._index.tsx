import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { flashNotice } from "~/accounts/auth.server";
import { notFound, requireInstitutionAdmin } from "~/accounts/authz.server";
import { ApplicationEvents, ApplicationStatusChip } from "~/components/application-history";
import { LabForm } from "~/components/lab-form";
import { labSchema } from "~/catalogue/onboarding";
import { applicationsOfOrganization } from "~/catalogue/onboarding.server";
import { createLab, getInstitution } from "~/catalogue/labs.server";
import { formOf } from "~/lib/form.server";
import { formatDateTime, localName } from "~/lib/format";
import { i18nServer } from "~/lib/i18n.server";
import { clientIp } from "~/lib/rate-limit.server";
import { parseForm, type FieldErrors } from "~/lib/validation";
import { useLocale } from "~/root";

export const handle = { i18n: ["common", "onboarding"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "OpenLab" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireInstitutionAdmin(request, params.orgId ?? "");
  const [institution, applications, t] = await Promise.all([
    getInstitution(params.orgId!),
    applicationsOfOrganization(params.orgId!),
    i18nServer.getFixedT(request, "onboarding"),
  ]);
  if (!institution) throw notFound();
  return { title: `${institution.organization.nameZh} · ${t("institution.title")} · OpenLab`, ...institution, applications };
}

type ActionResult = { errors: FieldErrors; values: Record<string, string> };

/** Creates a lab of this institution and opens it. */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const viewer = await requireInstitutionAdmin(request, params.orgId ?? "");
  const form = await formOf(request);
  const values = Object.fromEntries([...form.entries()].filter(([k]) => k !== "_csrf").map(([k, v]) => [k, String(v).slice(0, 300)]));
  const parsed = parseForm(labSchema, form);
  if (!parsed.ok) return data<ActionResult>({ errors: parsed.errors, values }, { status: 400 });
  const lab = await createLab(params.orgId!, parsed.data, { userId: viewer.id, ip: clientIp(request, context) });
  const t = await i18nServer.getFixedT(request, "onboarding");
  return redirect(`/manage/institutions/${params.orgId}/labs/${lab.id}`, {
    headers: { "Set-Cookie": await flashNotice(request, t("lab.created", { name: parsed.data.nameZh })) },
  });
}

/** The institution admin's page: its labs, a form for a new one, and its application history. */
export default function Institution() {
  const { t } = useTranslation("onboarding");
  const locale = useLocale();
  const { organization, labs, applications } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <section className="section onboarding">
      <h1>{localName(organization, locale)}</h1>
      <p className="muted">
        {t("institution.title")} ·{" "}
        {organization.providerStatus === "accepted" ? (
          <Link to={`/institutions/${organization.slug}`}>{t("institution.publicPage")}</Link>
        ) : (
          t("institution.notAccepted")
        )}
      </p>

      <h2>{t("institution.labs")}</h2>
      {labs.length === 0 ? (
        <p className="empty">{t("institution.noLabs")}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t("lab.name")}</th>
                <th scope="col">{t("lab.address")}</th>
                <th scope="col">{t("lab.timeZone")}</th>
                <th scope="col">{t("lab.staffCount")}</th>
              </tr>
            </thead>
            <tbody>
              {labs.map((lab) => (
                <tr key={lab.id}>
                  <td>
                    <Link to={`/manage/institutions/${organization.id}/labs/${lab.id}`}>{localName(lab, locale)}</Link>
                  </td>
                  <td>{lab.address}</td>
                  <td>{lab.timeZone}</td>
                  <td>{lab.staffCount}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <LabForm title={t("lab.createTitle")} submitLabel={t("lab.create")} errors={result?.errors} values={result?.values} />

      <section className="panel">
        <h2>{t("trust:audit.link")}</h2>
        <p className="muted">{t("trust:audit.linkHint")}</p>
        <p>
          <Link to={`/manage/institutions/${organization.id}/audit`}>{t("trust:audit.link")}</Link>
        </p>
      </section>

      <section className="panel">
        <h2>{t("institution.export")}</h2>
        <p className="muted">{t("institution.exportHint")}</p>
        <p className="button-row">
          {(["xlsx", "csv", "national-xlsx", "national-json"] as const).map((format) => (
            <a key={format} className="button button-secondary" href={`/manage/institutions/${organization.id}/export?format=${format}`} download>
              {t(`institution.exportFormat.${format}`)}
            </a>
          ))}
        </p>
      </section>

      <h2>{t("institution.applications")}</h2>
      {applications.length === 0 ? (
        <p className="empty">{t("institution.noApplications")}</p>
      ) : (
        <ul className="application-list">
          {applications.map((a) => (
            <li key={a.id} className="panel">
              <h3>
                {locale === "en" ? a.nameEn : a.nameZh} <ApplicationStatusChip status={a.status} />
              </h3>
              <p className="muted">
                {t("apply.submittedAt", { time: formatDateTime(a.createdAt, locale) })} · {a.applicantName}
              </p>
              {a.decisionReason ? (
                <p>
                  <strong>{t("apply.reason")}</strong> {a.decisionReason}
                </p>
              ) : null}
              <ApplicationEvents events={a.events} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
