import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireComplainant } from "~/accounts/authz.server";
import { ComplaintTable } from "~/components/complaints";
import { i18nServer } from "~/lib/i18n.server";
import { useLocale } from "~/root";
import { complaintsOfOrganizations } from "~/trust/complaints.server";

export const handle = { i18n: ["common", "complaints"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "OpenLab" }];

/** "My complaints": everything the viewer's customer organisations filed. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { organizationIds } = await requireComplainant(request);
  const [rows, t] = await Promise.all([complaintsOfOrganizations(organizationIds), i18nServer.getFixedT(request, "complaints")]);
  return { title: `${t("list.title")} · OpenLab`, complaints: rows, now: new Date().toISOString() };
}

export default function MyComplaints() {
  const { complaints, now } = useLoaderData<typeof loader>();
  const { t } = useTranslation("complaints");
  const locale = useLocale();
  return (
    <section className="section">
      <h1>{t("list.title")}</h1>
      <p className="lead-muted">{t("list.lead")}</p>
      {complaints.length === 0 ? <p className="empty">{t("list.empty")}</p> : <ComplaintTable rows={complaints} locale={locale} now={new Date(now)} caption={t("list.caption")} />}
    </section>
  );
}
