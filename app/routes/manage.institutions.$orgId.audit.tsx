import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { notFound, requireInstitutionAdmin } from "~/accounts/authz.server";
import { getInstitution } from "~/catalogue/labs.server";
import { AuditLog } from "~/components/audit-log";
import { localName } from "~/lib/format";
import { i18nServer } from "~/lib/i18n.server";
import { useLocale } from "~/root";
import { auditFilterSchema } from "~/trust/audit";
import { AUDIT_PAGE_SIZE, auditEntries } from "~/trust/audit.server";

export const handle = { i18n: ["common", "trust", "onboarding"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "OpenLab" }];

/** The institution admin's audit log: the entries filed under their institution only. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireInstitutionAdmin(request, params.orgId ?? "");
  const filter = auditFilterSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const [institution, log, t] = await Promise.all([
    getInstitution(params.orgId!),
    auditEntries({ ...filter, organizationId: params.orgId! }),
    i18nServer.getFixedT(request, "trust"),
  ]);
  if (!institution) throw notFound();
  const organization = { id: institution.organization.id, nameZh: institution.organization.nameZh, nameEn: institution.organization.nameEn };
  return { title: `${t("audit.title")} · ${organization.nameZh} · OpenLab`, organization, filter, ...log, pageSize: AUDIT_PAGE_SIZE };
}

export default function InstitutionAudit() {
  const { organization, filter, items, total, actions, pageSize } = useLoaderData<typeof loader>();
  const { t } = useTranslation("trust");
  const locale = useLocale();
  return (
    <section className="section manage">
      <nav className="breadcrumbs" aria-label={t("audit.breadcrumbs")}>
        <Link to={`/manage/institutions/${organization.id}`}>{localName(organization, locale)}</Link> / {t("audit.title")}
      </nav>
      <h1>{t("audit.title")}</h1>
      <p className="lead-muted">{t("audit.lead")}</p>
      <AuditLog
        filter={filter}
        items={items}
        total={total}
        pageSize={pageSize}
        actions={actions}
        csvPath={`/manage/institutions/${organization.id}/audit.csv`}
        showOrganization={false}
        locale={locale}
      />
    </section>
  );
}
