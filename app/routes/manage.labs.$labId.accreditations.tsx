import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { flashNotice } from "~/accounts/auth.server";
import { notFound, requireLabStaff } from "~/accounts/authz.server";
import { AccreditationManager } from "~/components/accreditation-manager";
import { formOf } from "~/lib/form.server";
import { localName } from "~/lib/format";
import { i18nServer } from "~/lib/i18n.server";
import { clientIp } from "~/lib/rate-limit.server";
import { accreditationFormAction, accreditationsPage } from "~/trust/accreditations.server";
import { useLocale } from "~/root";

export const handle = { i18n: ["common", "manage", "accreditation"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "OpenLab" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const labId = params.labId ?? "";
  await requireLabStaff(request, labId);
  const [page, t] = await Promise.all([accreditationsPage(labId, null, new Date()), i18nServer.getFixedT(request, "accreditation")]);
  if (!page) throw notFound();
  return { ...page, title: `${page.lab.nameZh} · ${t("manage.title")} · OpenLab` };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const labId = params.labId ?? "";
  const viewer = await requireLabStaff(request, labId);
  const result = await accreditationFormAction(await formOf(request), labId, null, { userId: viewer.id, ip: clientIp(request, context) });
  if (!result.ok) return data({ errors: result.errors, values: result.values }, { status: 400 });
  const t = await i18nServer.getFixedT(request, "accreditation");
  return redirect(`/manage/labs/${labId}/accreditations`, { headers: { "Set-Cookie": await flashNotice(request, t(result.notice)) } });
}

/** The lab's accreditations and those of its instruments. */
export default function LabAccreditations() {
  const { lab, instruments, accreditations, today } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation("accreditation");
  const locale = useLocale();
  return (
    <section className="section manage accreditations-page">
      <nav className="breadcrumbs" aria-label={t("manage:breadcrumbs")}>
        <Link to="/manage">{t("manage:dashboard.title")}</Link> / <Link to={`/manage/labs/${lab.id}`}>{localName(lab, locale)}</Link> / {t("manage.title")}
      </nav>
      <h1>{t("manage.heading", { name: localName(lab, locale) })}</h1>
      <p className="lead-muted">{t("manage.lead")}</p>
      <AccreditationManager items={accreditations} today={today} instruments={instruments} errors={result?.errors ?? {}} values={result?.values ?? {}} locale={locale} />
    </section>
  );
}
