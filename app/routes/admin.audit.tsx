import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requirePlatformAdmin } from "~/accounts/authz.server";
import { AuditLog } from "~/components/audit-log";
import { i18nServer } from "~/lib/i18n.server";
import { useLocale } from "~/root";
import { auditFilterSchema } from "~/trust/audit";
import { AUDIT_PAGE_SIZE, auditEntries } from "~/trust/audit.server";

export const handle = { i18n: ["common", "trust"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "OpenLab" }];

/** The platform admin's audit log: every organisation's entries. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePlatformAdmin(request);
  const filter = auditFilterSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const [log, t] = await Promise.all([auditEntries(filter), i18nServer.getFixedT(request, "trust")]);
  return { title: `${t("audit.platformTitle")} · OpenLab`, filter, ...log, pageSize: AUDIT_PAGE_SIZE };
}

export default function PlatformAudit() {
  const { filter, items, total, actions, pageSize } = useLoaderData<typeof loader>();
  const { t } = useTranslation("trust");
  const locale = useLocale();
  return (
    <section className="section manage">
      <h1>{t("audit.platformTitle")}</h1>
      <p className="lead-muted">{t("audit.platformLead")}</p>
      <AuditLog filter={filter} items={items} total={total} pageSize={pageSize} actions={actions} csvPath="/admin/audit.csv" showOrganization locale={locale} />
    </section>
  );
}
