import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { notFound, requireLabStaff } from "~/accounts/authz.server";
import { queueLab } from "~/booking/queue.server";
import { ComplaintTable, ResponseSummary } from "~/components/complaints";
import { localName } from "~/lib/format";
import { i18nServer } from "~/lib/i18n.server";
import { useLocale } from "~/root";
import { complaintsOfLab } from "~/trust/complaints.server";

export const handle = { i18n: ["common", "manage", "complaints"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "OpenLab" }];

/** Complaints against the lab, unresolved first, with its response-time figures; each opens its thread. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const labId = params.labId ?? "";
  await requireLabStaff(request, labId);
  const [lab, list, t] = await Promise.all([queueLab(labId), complaintsOfLab(labId), i18nServer.getFixedT(request, "complaints")]);
  if (!lab) throw notFound();
  return { title: `${lab.nameZh} · ${t("lab.title")} · OpenLab`, lab, ...list, now: new Date().toISOString() };
}

export default function LabComplaints() {
  const { lab, complaints, figures, now } = useLoaderData<typeof loader>();
  const { t } = useTranslation("complaints");
  const locale = useLocale();
  const name = localName(lab, locale);
  return (
    <section className="section manage">
      <nav className="breadcrumbs" aria-label={t("manage:breadcrumbs")}>
        <Link to="/manage">{t("manage:dashboard.title")}</Link> / <Link to={`/manage/labs/${lab.id}`}>{name}</Link> / {t("lab.title")}
      </nav>
      <h1>{t("lab.heading", { lab: name })}</h1>
      <p className="lead-muted">{t("lab.lead")}</p>
      {figures ? (
        <section className="panel" aria-labelledby="figures-title">
          <h2 id="figures-title">{t("figures.title")}</h2>
          <ResponseSummary figures={figures} locale={locale} />
        </section>
      ) : null}
      {complaints.length === 0 ? (
        <p className="empty">{t("lab.empty")}</p>
      ) : (
        <ComplaintTable rows={complaints} locale={locale} now={new Date(now)} caption={t("lab.heading", { lab: name })} showCustomer />
      )}
    </section>
  );
}
