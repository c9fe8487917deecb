import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireNationalReporter } from "~/accounts/authz.server";
import { ExportLink } from "~/components/export-link";
import { localName } from "~/lib/format";
import { i18nServer } from "~/lib/i18n.server";
import { parseQuarter, recentQuarters } from "~/reporting/national";
import { providerInstitutions } from "~/reporting/national.server";
import { useLocale } from "~/root";

export const handle = { i18n: ["common", "reporting", "stats"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "OpenLab" }];

/** Choosing the quarter (and, for platform admins, the institution) of the national-platform files. */
export async function loader({ request }: LoaderFunctionArgs) {
  const params = new URL(request.url).searchParams;
  const institution = params.get("institution") || null;
  const { viewer, scope } = await requireNationalReporter(request, institution);
  const quarters = recentQuarters(new Date());
  const asked = params.get("quarter");
  const quarter = asked && parseQuarter(asked) ? asked : quarters[1]!;
  const t = await i18nServer.getFixedT(request, "stats");
  return {
    title: `${t("national.title")} · OpenLab`,
    quarters,
    quarter,
    badQuarter: asked !== null && !parseQuarter(asked),
    institution: scope.kind === "institution" ? scope.organizationId : "",
    // Only platform admins choose; an institution admin's files are always their own.
    institutions: viewer.isPlatformAdmin ? await providerInstitutions() : [],
  };
}

export default function NationalRecords() {
  const { t } = useTranslation("stats");
  const locale = useLocale();
  const data = useLoaderData<typeof loader>();
  const suffix = data.institution ? `?institution=${data.institution}` : "";
  return (
    <section className="section reports">
      <p>
        <Link to="/reports">← {t("reporting:dashboard.title")}</Link>
      </p>
      <h1>{t("national.title")}</h1>
      <p>{t("national.intro")}</p>
      <Form method="get" className="period-picker">
        <label>
          {t("national.quarter")}
          <select name="quarter" defaultValue={data.quarter}>
            {data.quarters.map((q) => (
              <option key={q} value={q}>
                {q}
              </option>
            ))}
          </select>
        </label>
        {data.institutions.length > 0 ? (
          <label>
            {t("national.institution")}
            <select name="institution" defaultValue={data.institution}>
              <option value="">{t("national.allInstitutions")}</option>
              {data.institutions.map((o) => (
                <option key={o.id} value={o.id}>
                  {localName(o, locale)}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <button type="submit" className="button button-compact">{t("national.choose")}</button>
      </Form>
      {data.badQuarter ? (
        <p className="field-error" role="alert">
          {t("national.badQuarter")}
        </p>
      ) : null}
      <p className="exports">
        <ExportLink href={`/reports/national/${data.quarter}.xlsx${suffix}`}>{t("national.xlsx", { quarter: data.quarter })}</ExportLink>{" "}
        <ExportLink href={`/reports/national/${data.quarter}.json${suffix}`}>{t("national.json", { quarter: data.quarter })}</ExportLink>
      </p>
      <p className="hint">{t("national.contents")}</p>
    </section>
  );
}
