import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { flashNotice } from "~/accounts/auth.server";
import { notFound, requireLabStaff } from "~/accounts/authz.server";
import { instrumentLabId } from "~/catalogue/manage.server";
import { AccreditationManager } from "~/components/accreditation-manager";
import { formOf } from "~/lib/form.server";
import { localName } from "~/lib/format";
import { i18nServer } from "~/lib/i18n.server";
import { clientIp } from "~/lib/rate-limit.server";
import { accreditationFormAction, accreditationsPage } from "~/trust/accreditations.server";
import { useLocale } from "~/root";

export const handle = { i18n: ["common", "manage", "accreditation"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "OpenLab" }];

async function authorize(request: Request, id: string | undefined) {
  const labId = await instrumentLabId(id);
  if (!labId) throw notFound();
  const viewer = await requireLabStaff(request, labId);
  return { id: id!, labId, viewer };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { id, labId } = await authorize(request, params.id);
  const [page, t] = await Promise.all([accreditationsPage(labId, id, new Date()), i18nServer.getFixedT(request, "accreditation")]);
  if (!page?.instrument) throw notFound();
  return { ...page, instrument: page.instrument, title: `${page.instrument.nameZh} · ${t("manage.title")} · OpenLab` };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { id, labId, viewer } = await authorize(request, params.id);
  const result = await accreditationFormAction(await formOf(request), labId, id, { userId: viewer.id, ip: clientIp(request, context) });
  if (!result.ok) return data({ errors: result.errors, values: result.values }, { status: 400 });
  const t = await i18nServer.getFixedT(request, "accreditation");
  return redirect(`/manage/instruments/${id}/accreditations`, { headers: { "Set-Cookie": await flashNotice(request, t(result.notice)) } });
}

/** One instrument's own accreditations (the lab's apply to it as well and are managed on the lab's page). */
export default function InstrumentAccreditations() {
  const { lab, instrument, accreditations, today } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation("accreditation");
  const locale = useLocale();
  const name = localName(instrument, locale);
  return (
    <section className="section manage accreditations-page">
      <nav className="breadcrumbs" aria-label={t("manage:breadcrumbs")}>
        <Link to="/manage">{t("manage:dashboard.title")}</Link> / <Link to={`/manage/labs/${lab.id}`}>{localName(lab, locale)}</Link> /{" "}
        <Link to={`/manage/instruments/${instrument.id}`}>{name}</Link> / {t("manage.title")}
      </nav>
      <h1>{t("manage.heading", { name })}</h1>
      <p className="lead-muted">
        {t("manage.instrumentLead")} <Link to={`/manage/labs/${lab.id}/accreditations`}>{t("manage.toLab")}</Link>
      </p>
      <AccreditationManager items={accreditations} today={today} instruments={null} errors={result?.errors ?? {}} values={result?.values ?? {}} locale={locale} />
    </section>
  );
}
